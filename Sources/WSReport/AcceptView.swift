import WSWire

/// The Sec-WebSocket-Accept derivation step by step (RFC 6455 §4.2.2), with a ✓ or ✗ when a value is compared, and
/// for a wrong value the likely mistake behind it.
public enum AcceptView {
    /// `received`: the accept value to compare with, if any.
    public static func render(_ derivation: AcceptDerivation, keyCheck: WebSocketKeyCheck, received: String?,
                              style: Style = .plain, indent: String = "") -> [String] {
        var lines: [String] = []
        let key = TerminalText.escape(derivation.key)
        lines.append(row("Sec-WebSocket-Key", key))
        if let nonce = keyCheck.decoded {
            let verdict = nonce.count == 16 ? style.green("✓") + " a 16-byte nonce" : style.red("✗") + " must be 16 bytes"
            lines.append(row("  base64-decoded", "\(counted(nonce.count, "byte")): \(Hex.string(nonce, separator: " "))  \(verdict)"))
        } else {
            lines.append(row("  base64-decoded", style.red("✗") + " not valid base64"))
        }
        lines.append(row("1. key + GUID", TerminalText.escape(derivation.concatenated)))
        lines.append(row("", "(the GUID is fixed by RFC 6455 §1.3)"))
        lines.append(row("2. SHA-1 (20 bytes)", derivation.digestHex))
        lines.append(row("3. base64", style.bold(derivation.accept)))
        if let received {
            let ok = derivation.matches(received)
            let mark = ok ? style.green("✓ match") : style.red("✗ mismatch")
            lines.append(row("Sec-WebSocket-Accept", "\(TerminalText.escape(received))  \(mark)"))
            if let likely = LikelyAcceptMistake(key: derivation.key, received: received) {
                lines += mistake(likely, style: style)
            }
        }
        let diagnostics = keyCheck.diagnostics + [derivation.check(received: received)].compactMap { received == nil ? nil : $0 }
        if !diagnostics.isEmpty {
            lines.append("")
            lines += DiagnosticsView.render(diagnostics, style: style)
        }
        return lines.map { indent + $0 }
    }

    /// `likely mistake: <id>`, its explanation, and the computation that gives the value.
    static func mistake(_ likely: LikelyAcceptMistake, style: Style) -> [String] {
        ["likely mistake: " + style.bold(likely.mistake.id), "  " + likely.mistake.explanation]
            + (likely.evidence.map { ["  " + $0] } ?? [])
    }

    private static func row(_ label: String, _ value: String) -> String {
        label.padding(toLength: 23, withPad: " ", startingAt: 0) + value
    }
}

extension JSONWriter {
    /// `{"kind":"accept","key":…,"key_bytes":16,"concatenated":…,"sha1_hex":…,"accept":…,"received":…,"match":…,
    /// "likely_mistake":…,"mistake_explanation":…,"mistake_evidence":…,"diagnostics":[…]}`; the mistake keys are null
    /// unless `received` is given and wrong.
    public mutating func accept(_ derivation: AcceptDerivation, keyCheck: WebSocketKeyCheck, received: String?) {
        beginObject()
        key(AcceptKey.kind); string("accept")
        key(AcceptKey.key); string(derivation.key)
        key(AcceptKey.keyBytes); intOrNull(keyCheck.decoded?.count)
        key(AcceptKey.concatenated); string(derivation.concatenated)
        key(AcceptKey.sha1Hex); hex(derivation.digest)
        key(AcceptKey.accept); string(derivation.accept)
        key(AcceptKey.received); stringOrNull(received)
        key(AcceptKey.match); if let received { bool(derivation.matches(received)) } else { null() }
        let likely = received.flatMap { LikelyAcceptMistake(key: derivation.key, received: $0) }
        key(AcceptKey.likelyMistake); if let likely { string(name: likely.mistake.id) } else { null() }
        key(AcceptKey.mistakeExplanation); stringOrNull(likely?.mistake.explanation)
        key(AcceptKey.mistakeEvidence); stringOrNull(likely?.evidence)
        var list = keyCheck.diagnostics
        if let received, let problem = derivation.check(received: received) { list.append(problem) }
        key(AcceptKey.diagnostics); diagnostics(list)
        endObject()
    }
}

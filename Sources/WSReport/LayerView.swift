import WSAnalysis
import WSTLS
import WSWire

/// The layers under WebSocket as text: the proxy hop and the TLS session of a connection, their byte accounting in
/// the summary, and the TLS records that carried a frame (`-v`).
public enum LayerView {
    /// `via HTTP proxy: CONNECT host:port → 200 Connection established (packets 4, 6)`.
    public static func proxyLine(_ hop: ProxyHop) -> String {
        var line = "   via HTTP proxy: CONNECT \(TerminalText.escape(hop.target)) → "
        if let status = hop.status {
            line += "\(status) \(TerminalText.escape(hop.reason ?? ""))".trimmingTrailingSpaces
            line += hop.established ? "" : " (refused: no tunnel)"
        } else {
            line += "no answer captured"
        }
        let packets = [hop.requestOrigin.packet] + (hop.responseOrigin.map { [$0.packet] } ?? [])
        return line + " (packet\(packets.count == 1 ? "" : "s") \(packets.map(String.init).joined(separator: ", ")))"
    }

    /// `TLS 1.3 · TLS_AES_256_GCM_SHA384 · SNI localhost · ALPN http/1.1 · decrypted with the key log`.
    public static func tlsLine(_ info: TLSConnectionInfo, style: Style) -> String {
        var parts = [info.version.map(\.description) ?? "TLS"]
        if let suite = info.cipherSuite { parts.append(suite.description) }
        if let name = info.serverName { parts.append("SNI " + TerminalText.escape(name)) }
        if let alpn = info.alpn {
            parts.append("ALPN " + TerminalText.escape(alpn))
        } else if !info.offeredALPN.isEmpty {
            parts.append("ALPN offered " + info.offeredALPN.map { TerminalText.escape($0) }.joined(separator: ", "))
        }
        switch info.decryption {
        case .decrypted: parts.append(style.green("decrypted with the key log"))
        case .pending: parts.append("decryption not decided (the handshake did not finish)")
        case .notDecrypted(let reason): parts.append(style.yellow("not decrypted: " + reason.description))
        }
        return "   " + parts.joined(separator: " · ")
    }

    /// The summary's lines for the TLS layer and the tunnel: what each direction's bytes were.
    public static func summaryLines(_ summary: ConnectionSummary, style: Style) -> [String] {
        var lines: [String] = []
        if let tunnel = summary.tunnel {
            var table = TextTable(headers: ["tunnel", "stream", "= http", "+ tunnel", "+ skipped", "+ gaps", ""],
                                  alignments: [.left, .right, .right, .right, .right, .right, .left])
            table.indent = "  "
            for (arrow, a) in [(Sender.client.arrow, tunnel.client), (Sender.server.arrow, tunnel.server)] {
                table.add([arrow, "\(a.streamBytes)", "\(a.httpBytes)", "\(a.tunnelBytes)", "\(a.skippedBytes)", "\(a.gapBytes)",
                           a.isBalanced ? style.green("✓") : style.red("✗ does not add up")])
            }
            lines += table.render(style: style)
        }
        if let tls = summary.tls {
            var table = TextTable(headers: ["TLS", "stream", "= headers", "+ handshake", "+ ccs", "+ alerts", "+ decrypted",
                                            "+ not decrypted", "+ gaps", "+ cut", "records", "plaintext", ""],
                                  alignments: [.left] + Array(repeating: .right, count: 11) + [.left])
            table.indent = "  "
            for (arrow, a) in [(Sender.client.arrow, tls.client), (Sender.server.arrow, tls.server)] {
                table.add([arrow, "\(a.streamBytes)", "\(a.recordHeaderBytes)", "\(a.handshakeBytes)", "\(a.changeCipherSpecBytes)",
                           "\(a.alertBytes)", "\(a.decryptedBytes)", "\(a.undecryptedBytes)", "\(a.gapBytes)", "\(a.unfinishedBytes)",
                           "\(a.records)", "\(a.plaintextBytes)", a.isBalanced ? style.green("✓") : style.red("✗ does not add up")])
            }
            lines += table.render(style: style)
            var state: String
            switch tls.info.decryption {
            case .decrypted: state = "decrypted: the plaintext table counts what the records carried"
            case .pending: state = "not decrypted (the handshake did not finish)"
            case .notDecrypted(let reason): state = "not decrypted: \(reason)"
            }
            if tls.clientKeyUpdates + tls.serverKeyUpdates > 0 {
                state += "; KeyUpdate: client \(tls.clientKeyUpdates), server \(tls.serverKeyUpdates)"
            }
            lines.append("  TLS " + state)
        }
        return lines
    }

    /// `TLS records: #5 application_data 1024 B (bytes 0-1007 of the plaintext), …` for a frame's `-v` view.
    public static func recordsLine(_ records: [TLSRecordSummary]) -> String {
        guard !records.isEmpty else { return "TLS records: not remembered (too far back)" }
        let shown = records.prefix(8).map { record in
            let end = record.plaintextStart + UInt64(record.plaintextLength)
            return "#\(record.number) \(record.contentType) \(record.length) B (plaintext \(record.plaintextStart)-\(end == 0 ? 0 : end - 1))"
        }
        let more = records.count > 8 ? ", … \(records.count - 8) more" : ""
        return "TLS record\(records.count == 1 ? "" : "s") that carried this frame: " + shown.joined(separator: ", ") + more
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

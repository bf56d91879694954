import WSStream
import Foundation
import WSAnalysis
import WSWire

/// The opening handshake as text: request line, the headers that matter, the response, the Accept derivation
/// with ✓ or ✗, what was negotiated, and the findings.
public enum HandshakeView {
    static let interesting: Set<String> = ["host", "origin", "upgrade", "connection", "sec-websocket-key",
                                           "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions",
                                           "sec-websocket-accept", "sec-websocket-key1", "sec-websocket-key2",
                                           "sec-websocket-origin", "sec-websocket-location"]

    public static func render(_ record: HandshakeRecord, start: Timestamp?, verbose: Bool, style: Style) -> [String] {
        var lines = [style.bold("Handshake") + style.dim("  (RFC 6455 §4)")]
        let requestTime = start.map { cFormat(", +%.6f s", record.requestOrigin.time.seconds(since: $0)) } ?? ""
        lines.append("  C→S " + style.bold(TerminalText.escape(record.request.head.startLineBytes)) + style.dim("  (packet \(record.requestOrigin.packet)\(requestTime))"))
        lines += headers(record.request.head, verbose: verbose)
        if let response = record.response, let origin = record.responseOrigin {
            let time = start.map { cFormat(", +%.6f s", origin.time.seconds(since: $0)) } ?? ""
            lines.append("  S→C " + style.bold(TerminalText.escape(response.head.startLineBytes)) + style.dim("  (packet \(origin.packet)\(time))"))
            lines += headers(response.head, verbose: verbose)
        } else {
            lines.append("  S→C " + style.yellow("no response captured"))
        }
        if let derivation = record.outcome?.derivation ?? record.key.map(AcceptDerivation.init) {
            lines.append("  Accept = base64(SHA-1(key + \"\(AcceptDerivation.guid)\"))")
            lines.append("         SHA-1 = \(derivation.digestHex)")
            let expected = "         expected \(derivation.accept)"
            if let outcome = record.outcome, outcome.upgraded {
                if let received = outcome.accept {
                    let ok = derivation.matches(received)
                    lines.append(expected + ", received \(TerminalText.escape(received))  " + (ok ? style.green("✓ matches") : style.red("✗ does not match")))
                } else {
                    lines.append(expected + ", received nothing  " + style.red("✗ Sec-WebSocket-Accept missing"))
                }
            } else {
                lines.append(expected)
            }
        }
        if let status = record.status, !record.upgraded {
            lines.append("  " + style.yellow("upgrade refused") + " with status \(status); the connection stays HTTP")
        }
        if let outcome = record.outcome, outcome.upgraded {
            let subprotocol = outcome.subprotocol.map { TerminalText.escape($0) } ?? "none"
            let extensions = outcome.extensions.isEmpty ? "none" : outcome.extensions.map { TerminalText.escape($0.text) }.joined(separator: ", ")
            lines.append("  negotiated: subprotocol \(subprotocol) · extensions \(extensions)")
            if let deflate = outcome.deflate {
                func side(_ settings: DeflateSettings) -> String {
                    "window \(settings.windowBits) bits (\(1 << settings.windowBits) B), " + (settings.noContextTakeover ? "no context takeover" : "context takeover")
                }
                lines.append("  permessage-deflate: C→S \(side(deflate.client)); S→C \(side(deflate.server))")
            }
        }
        lines += DiagnosticsView.render(record.diagnostics, style: style, indent: "  ")
        return lines
    }

    private static func headers(_ head: HTTPHead, verbose: Bool) -> [String] {
        head.fields.compactMap { field in
            guard verbose || interesting.contains(field.lowercasedName) || field.whitespaceBeforeColon || field.folded else { return nil }
            return "      " + TerminalText.escape(field.lineBytes)
        }
    }
}

/// Connection and capture summaries as text.
public enum SummaryView {
    public static func render(_ summary: ConnectionSummary, style: Style) -> [String] {
        var lines = [style.bold("── Summary of connection \(summary.stream)") + " (\(summary.client) → \(summary.server)), " + cFormat("%.6f s", summary.duration)]
        for direction in [summary.clientDirection, summary.serverDirection] {
            let kinds = direction.framesByOpcode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let messageKinds = direction.messagesByOpcode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            var line = "  \(direction.sender.arrow) frames \(direction.frames)\(kinds.isEmpty ? "" : " (\(kinds))"), messages \(direction.messages)\(messageKinds.isEmpty ? "" : " (\(messageKinds))"), payload \(direction.payloadBytes) B"
            if direction.compressedMessages > 0 {
                let ratio = direction.inflatedBytes > 0 ? cFormat(" (%.0f%%)", Double(direction.compressedBytes) / Double(direction.inflatedBytes) * 100) : ""
                line += "; \(direction.compressedMessages) compressed: \(direction.compressedBytes) B → \(direction.inflatedBytes) B\(ratio)"
            }
            if let rtt = direction.pingRoundTrips {
                line += cFormat("; ping RTT %ld× min %.3f / avg %.3f / max %.3f ms", rtt.count, rtt.minimum, rtt.average, rtt.maximum)
            }
            lines.append(line)
        }
        let fin = summary.firstFIN.map { ", first FIN from the \($0.rawValue)" } ?? ""
        if let close = summary.close {
            let code = close.code.map { "\($0) (\(CloseCode(rawValue: $0).name))" } ?? "no code"
            let reason = close.reason.flatMap { $0.isEmpty ? nil : " \"\(TerminalText.escape($0))\"" } ?? ""
            let answer = close.answered ? "the \(close.initiator.peer.rawValue) answered" + (close.answerCode.map { " with \($0)" } ?? "") : "not answered"
            lines.append("  close: the \(close.initiator.rawValue) sent \(code)\(reason) first; \(answer); TCP: \(summary.tcpEnd)\(fin)")
        } else {
            lines.append("  close: no Close frame; TCP: \(summary.tcpEnd)\(fin)")
        }
        var table = TextTable(headers: ["bytes", "stream", "= http", "+ frames", "+ skipped", "+ gaps", ""],
                              alignments: [.left, .right, .right, .right, .right, .right, .left])
        table.indent = "  "
        for direction in [summary.clientDirection, summary.serverDirection] {
            let a = direction.accounting
            table.add([direction.sender.arrow, "\(a.streamBytes)", "\(a.httpBytes)", "\(a.frameBytes)", "\(a.skippedBytes)",
                       "\(a.gapBytes)", a.isBalanced ? style.green("✓") : style.red("✗ does not add up")])
        }
        lines += table.render(style: style)
        if summary.diagnosticCounts.isEmpty {
            lines.append("  diagnostics: none")
        } else {
            let parts = summary.diagnosticCounts.map { style.severity($0.rule, $0.severity) + " ×\($0.count)" }
            lines.append("  diagnostics: " + parts.joined(separator: ", "))
        }
        return lines
    }

    public static func render(_ summary: CaptureSummary, style: Style) -> [String] {
        var lines = [""]
        let counts = Severity.allCases.map { "\(summary.diagnosticsBySeverity[$0] ?? 0) \($0.rawValue)\((summary.diagnosticsBySeverity[$0] ?? 0) == 1 ? "" : "s")" }
        lines.append(style.bold("══ Capture \(TerminalText.escape(summary.source))") + " (\(summary.linkType)): \(summary.packets) packets, \(summary.tcpSegments) TCP segments, " +
                     "\(summary.tcpConnections) TCP connection\(summary.tcpConnections == 1 ? "" : "s"), " +
                     "\(summary.webSocketConnections) WebSocket, \(summary.frames) frame\(summary.frames == 1 ? "" : "s"); " + counts.joined(separator: ", "))
        var other: [String] = []
        if summary.nonIPPackets > 0 { other.append("\(summary.nonIPPackets) not IP") }
        if summary.nonTCPPackets > 0 { other.append("\(summary.nonTCPPackets) not TCP") }
        if summary.ipFragments > 0 { other.append("\(summary.ipFragments) IP fragments") }
        if summary.malformedPackets > 0 { other.append("\(summary.malformedPackets) malformed") }
        if !other.isEmpty { lines.append("   other packets: " + other.joined(separator: ", ")) }
        if let dropped = summary.dropped {
            lines.append("   libpcap dropped \(dropped.kernel) packets in the kernel and \(dropped.interface) at the interface")
        }
        if summary.stoppedByLimit { lines.append("   stopped early: the -c frame limit was reached") }
        if let error = summary.readError { lines.append("   " + style.red(TerminalText.escape(error))) }
        return lines
    }
}

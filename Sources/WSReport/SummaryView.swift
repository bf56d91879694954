import WSAnalysis
import WSWire

/// Connection and capture summaries as text.
public enum SummaryView {
    public static func render(_ summary: ConnectionSummary, style: Style) -> [String] {
        var lines = [style.bold("── Summary of connection \(summary.stream)") + " (\(summary.client) → \(summary.server)), " + cFormat("%.6f s", summary.duration)]
        for direction in summary.directions {
            let kinds = direction.framesByOpcodeInOrder.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            let messageKinds = direction.messagesByOpcodeInOrder.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            var line = "  \(direction.sender.arrow) frames \(direction.frames)\(kinds.isEmpty ? "" : " (\(kinds))"), messages \(direction.messages)\(messageKinds.isEmpty ? "" : " (\(messageKinds))"), payload \(direction.payloadBytes) B"
            if direction.compressedMessages > 0 {
                let ratio = direction.compressedShare.map { cFormat(" (%.0f%%)", $0 * 100) } ?? ""
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
        } else if let reason = summary.stoppedEarly {
            lines.append("  close: no Close frame before reading stopped (\(reason)); TCP: open when reading stopped\(fin)")
        } else {
            lines.append("  close: no Close frame; TCP: \(summary.tcpEnd)\(fin)")
        }
        lines += apiLines(summary)
        // Under TLS or a tunnel, this table is the innermost stream's (the layers' tables follow).
        let label = summary.tls != nil ? "plaintext" : summary.tunnel != nil ? "tunneled" : "bytes"
        var table = TextTable(headers: [label, "stream", "= http", "+ frames", "+ skipped", "+ gaps", ""],
                              alignments: [.left, .right, .right, .right, .right, .right, .left])
        table.indent = "  "
        for direction in summary.directions {
            let a = direction.accounting
            table.add([direction.sender.arrow, "\(a.streamBytes)", "\(a.httpBytes)", "\(a.frameBytes)", "\(a.skippedBytes)",
                       "\(a.gapBytes)", a.isBalanced ? style.green("✓") : style.red("✗ does not add up")])
        }
        // A CONNECT the proxy refused opened no tunnel: nothing was tunneled, and the tunnel table below has the
        // exchange with the proxy.
        if summary.tunnel.map({ $0.hop.established }) != false { lines += table.render(style: style) }
        lines += LayerView.summaryLines(summary, style: style)
        if summary.diagnosticCounts.isEmpty {
            lines.append("  diagnostics: none")
        } else {
            let parts = summary.diagnosticCounts.map { style.severity($0.rule, $0.severity) + " ×\($0.count)" }
            lines.append("  diagnostics: " + parts.joined(separator: ", "))
        }
        return lines
    }

    /// What each endpoint's WebSocket API reported, as a browser's would (`onopen`, `onmessage`, `onerror`, the
    /// `CloseEvent`): a conforming endpoint that received the bytes of the capture.
    static func apiLines(_ summary: ConnectionSummary) -> [String] {
        func event(_ event: CloseEvent) -> String {
            "CloseEvent {code: \(event.code), reason: \"\(TerminalText.escape(event.reason))\", wasClean: \(event.wasClean)}"
        }
        var lines: [String] = []
        if summary.handshakeFailed, let close = summary.clientCloseEvent {
            lines.append("  client's API: onerror ×1, " + event(close) + " (the opening handshake failed: no onopen)")
        } else if summary.opened {
            lines.append(apiLine(.client, summary.clientCloseEvent, received: summary.serverDirection, stoppedEarly: summary.stoppedEarly))
        }
        if summary.opened {
            lines.append(apiLine(.server, summary.serverCloseEvent, received: summary.clientDirection, stoppedEarly: summary.stoppedEarly))
        }
        return lines
    }

    private static func apiLine(_ endpoint: Sender, _ close: CloseEvent?, received: DirectionSummary, stoppedEarly: String?) -> String {
        var line = "  \(endpoint.rawValue)'s API: onopen ×1, onmessage ×\(received.delivered), "
        guard let close else {
            return line + (stoppedEarly.map { "CloseEvent not known (reading stopped early: \($0))" }
                ?? "CloseEvent not known (the capture ended first, or a Close may be in a capture gap)")
        }
        if close.failure != nil { line += "onerror ×1, " }
        line += "CloseEvent {code: \(close.code), reason: \"\(TerminalText.escape(close.reason))\", wasClean: \(close.wasClean)}"
        if let failure = close.failure {
            line += " (it fails the connection at frame #\(failure.frame): \(failure.rule.id))"
        }
        return line
    }

    public static func render(_ summary: CaptureSummary, style: Style) -> [String] {
        var lines = [""]
        let counts = Severity.allCases.map { counted(summary.diagnosticCount($0), $0.rawValue) }
        let capture = "\(counted(summary.packets, "packet")), \(counted(summary.tcpSegments, "TCP segment")), "
            + counted(summary.tcpConnections, "TCP connection")
        let found = "\(counted(summary.webSocketConnections, "WebSocket connection")), \(counted(summary.frames, "frame"))"
        var line = style.bold("══ Capture \(TerminalText.escape(summary.source))") + " (\(summary.linkType)): " + capture
        if let only = summary.onlyStream {
            // The capture's totals and the one connection's are told apart: no number stands for both.
            let absent = only < summary.tcpConnections ? ""
                : summary.tcpConnections == 0 ? " (not in this capture: it has no TCP connection)"
                : " (not in this capture: its TCP connections are numbered 0-\(summary.tcpConnections - 1))"
            line += "; stream \(only) only (--stream)\(absent): " + found + ", " + counts.joined(separator: ", ")
        } else {
            line += ", " + found + "; " + counts.joined(separator: ", ")
        }
        lines.append(line)
        var other: [String] = []
        if summary.nonIPPackets > 0 { other.append("\(summary.nonIPPackets) not IP") }
        if summary.nonTCPPackets > 0 { other.append("\(summary.nonTCPPackets) not TCP") }
        if summary.ipFragments > 0 { other.append("\(summary.ipFragments) IP fragments") }
        if summary.malformedPackets > 0 { other.append("\(summary.malformedPackets) malformed") }
        if !other.isEmpty { lines.append("   other packets: " + other.joined(separator: ", ")) }
        if let dropped = summary.dropped {
            lines.append("   libpcap dropped \(counted(dropped.kernel, "packet")) in the kernel and \(dropped.interface) at the interface")
        }
        if let reason = summary.stoppedEarly {
            lines.append("   stopped early: reading stopped at \(reason); connections still open then are summarised as far as they were seen")
        }
        if let error = summary.readError { lines.append("   " + style.red(TerminalText.escape(error))) }
        return lines
    }
}

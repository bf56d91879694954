import WSStream
import Foundation
import WSAnalysis
import WSWire

/// Draws a handshake's anatomy as text: request line, the handshake's headers (every header with `-v`, and any
/// malformed line), the response, the Accept derivation with ✓ or ✗, what was negotiated, and the findings.
public enum HandshakeView {
    public static func render(_ record: HandshakeRecord, start: Timestamp?, verbose: Bool, style: Style) -> [String] {
        render(HandshakeAnatomy(record), start: start, verbose: verbose, style: style)
    }

    public static func render(_ anatomy: HandshakeAnatomy, start: Timestamp?, verbose: Bool, style: Style) -> [String] {
        // In a capture, handshakes of several connections may follow one another: each says whose it is.
        let whose = anatomy.stream.map { " of connection \($0)" } ?? ""
        var lines = [style.bold("Handshake\(whose)") + style.dim("  (RFC 6455 §4)")]
        lines += head(anatomy.request, arrow: "C→S", start: start, verbose: verbose, style: style)
        if let response = anatomy.response {
            lines += head(response, arrow: "S→C", start: start, verbose: verbose, style: style)
        } else {
            lines.append("  S→C " + style.yellow(anatomy.request.origin.packet > 0 ? "no response captured" : "no response given"))
        }
        if let check = anatomy.acceptCheck {
            let derivation = check.derivation
            lines.append("  Accept = base64(SHA-1(key + \"\(AcceptDerivation.guid)\"))")
            lines.append("         SHA-1 = \(derivation.digestHex)")
            let expected = "         expected \(derivation.accept)"
            switch check.verdict {
            case .matches(let received):
                lines.append(expected + ", received \(TerminalText.escape(received))  " + style.green("✓ matches"))
            case .mismatch(let received):
                lines.append(expected + ", received \(TerminalText.escape(received))  " + style.red("✗ does not match"))
            case .missing:
                lines.append(expected + ", received nothing  " + style.red("✗ Sec-WebSocket-Accept missing"))
            case .notChecked:
                lines.append(expected)
            }
        }
        if let status = anatomy.refusedStatus {
            lines.append("  " + style.yellow("upgrade refused") + " with status \(status); the connection stays HTTP")
        }
        if let negotiation = anatomy.negotiation {
            let subprotocol = negotiation.subprotocol.map { TerminalText.escape($0) } ?? "none"
            let extensions = negotiation.extensions.isEmpty ? "none" : negotiation.extensions.map { TerminalText.escape($0) }.joined(separator: ", ")
            lines.append("  negotiated: subprotocol \(subprotocol) · extensions \(extensions)")
            if let deflate = negotiation.deflate {
                func side(_ settings: DeflateSettings) -> String {
                    "window \(settings.windowBits) bits (\(1 << settings.windowBits) B), " + (settings.noContextTakeover ? "no context takeover" : "context takeover")
                }
                lines.append("  permessage-deflate: C→S \(side(deflate.client)); S→C \(side(deflate.server))")
            }
        }
        lines += DiagnosticsView.render(anatomy.diagnostics, style: style, indent: "  ")
        return lines
    }

    /// The start line with its packet and time (a pasted handshake has none), then the headers shown, each with what
    /// it does in the handshake and where the RFC says so; how many more `-v` would show.
    private static func head(_ head: HandshakeAnatomy.Head, arrow: String, start: Timestamp?, verbose: Bool, style: Style) -> [String] {
        let time = start.map { cFormat(", +%.6f s", head.origin.time.seconds(since: $0)) } ?? ""
        let place = head.origin.packet > 0 ? style.dim("  (packet \(head.origin.packet)\(time))") : ""
        var lines = ["  \(arrow) " + style.bold(TerminalText.escape(head.startLine)) + place]
        let shown = head.headers.filter { verbose || $0.role != nil || $0.isMalformed }
        var table = TextTable(headers: ["", ""])
        table.indent = "      "
        table.showsHeader = false
        for line in shown {
            let meaning = line.role.map { style.dim("\($0.meaning) (\($0.section))") } ?? ""
            table.add([TerminalText.escape(line.field.lineBytes), meaning])
        }
        lines += table.render(style: style)
        let hidden = head.headers.count - shown.count
        if hidden > 0 {
            lines.append(style.dim("      (\(hidden) more header\(hidden == 1 ? "" : "s"): -v shows every header)"))
        }
        return lines
    }
}

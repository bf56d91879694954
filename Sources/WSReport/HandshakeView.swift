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
        var lines = [style.bold("Handshake") + style.dim("  (RFC 6455 §4)")]
        lines += head(anatomy.request, arrow: "C→S", start: start, verbose: verbose, style: style)
        if let response = anatomy.response {
            lines += head(response, arrow: "S→C", start: start, verbose: verbose, style: style)
        } else {
            lines.append("  S→C " + style.yellow("no response captured"))
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

    /// The start line with its packet and time, then the headers shown.
    private static func head(_ head: HandshakeAnatomy.Head, arrow: String, start: Timestamp?, verbose: Bool, style: Style) -> [String] {
        let time = start.map { cFormat(", +%.6f s", head.origin.time.seconds(since: $0)) } ?? ""
        var lines = ["  \(arrow) " + style.bold(TerminalText.escape(head.startLine)) + style.dim("  (packet \(head.origin.packet)\(time))")]
        for line in head.headers where verbose || line.role != nil || line.isMalformed {
            lines.append("      " + TerminalText.escape(line.field.lineBytes))
        }
        return lines
    }
}

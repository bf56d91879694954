import WSAnalysis
import WSWire

/// `--ladder`: the sequence diagram of a connection in text — the client's and the server's lifelines, one arrow per
/// message and per control frame (pings with their pong's round trip, the close handshake with its codes), the
/// handshake as its request and response, gaps and resynchronisations marked. Unicode box drawing, or ASCII.
public final class LadderRenderer: InspectionSink {
    /// Columns between the two lifelines.
    static let width = 64

    private let output: Output
    private let style: Style
    private let ascii: Bool
    private let text: TextEventRenderer
    /// Per connection: the pings not answered yet (payload → time), per sender.
    private var pings: [String: Double] = [:]

    public init(output: Output, style: Style, ascii: Bool) {
        self.output = output
        self.style = style
        self.ascii = ascii
        text = TextEventRenderer(output: output, options: TextEventRenderer.Options(style: style))
    }

    private var bar: String { ascii ? "|" : "│" }
    private var dash: Character { ascii ? "-" : "─" }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .connection:
            text.handle(event)
            // The lifelines are at columns 11 and 12 + width + 1 (see `arrow`): the names centred over them.
            output.line(String(repeating: " ", count: 8) + "client" + String(repeating: " ", count: Self.width - 5) + "server")
        case .handshake(let record):
            let request = TerminalText.escape(record.request.head.startLineBytes)
            arrow(time: nil, fromClient: true, label: request, note: "")
            if let response = record.response {
                let accept = record.outcome?.acceptValid.map { $0 ? (ascii ? " Accept OK" : " ✓ Accept") : (ascii ? " Accept WRONG" : " ✗ Accept") } ?? ""
                arrow(time: nil, fromClient: false, label: TerminalText.escape(response.head.startLineBytes) + accept, note: "")
            } else {
                marker("no response captured")
            }
        case .message(let record):
            guard let sender = record.sender else { return }
            let m = record.message
            var label = "\(m.opcode.name) \(m.length) B"
            if m.frameCount > 1 { label += " in \(m.frameCount) frames" }
            if m.compressed { label += " (deflate \(m.wireLength) B)" }
            if let t = m.text { label += " \"" + FramePreview.clip(TerminalText.escape(t), 28) + "\"" }
            if !m.complete { label += " INCOMPLETE" }
            arrow(time: record.relativeTime, fromClient: sender == .client, label: label, note: "#\(m.lastFrame)")
        case .frame(let record):
            let frame = record.frame
            guard frame.header.opcode.isControl, let sender = record.sender else { return }
            let key = "\(record.stream ?? -1)/\(sender.rawValue)/" + Hex.string(frame.payload)
            var label = "\(frame.header.opcode.name) \(frame.payloadReceived) B"
            switch frame.header.opcode {
            case .ping:
                pings[key] = record.relativeTime
            case .pong:
                let pingKey = "\(record.stream ?? -1)/\(sender.peer.rawValue)/" + Hex.string(frame.payload)
                if let sent = pings.removeValue(forKey: pingKey) { label += cFormat(" (RTT %.3f ms)", (record.relativeTime - sent) * 1000) }
            case .close:
                if let code = frame.close?.code { label = "close \(code.rawValue) \(code.name)" }
                if let reason = frame.close?.reason, !reason.isEmpty { label += " \"" + FramePreview.clip(TerminalText.escape(reason), 20) + "\"" }
            default:
                break
            }
            arrow(time: record.relativeTime, fromClient: sender == .client, label: label, note: "#\(record.index)")
        case .gap(let record):
            marker("GAP \(record.bytes) B missing \(record.sender.arrow) (\(record.reason))")
        case .diagnostic(let record) where record.diagnostic.rule == .streamResynchronised:
            marker("resynchronised \(record.sender?.arrow ?? "")")
            text.handle(event)
        case .summary(let summary):
            pings = pings.filter { !$0.key.hasPrefix("\(summary.stream)/") }
            text.handle(event)
        case .segment:
            break
        default:
            text.handle(event)
        }
    }

    /// `+0.008202  │ ── text 5 B "Hello" ──────▶ │  #0`
    private func arrow(time: Double?, fromClient: Bool, label: String, note: String) {
        let stamp = time.map { cFormat("+%.6f", $0) } ?? ""
        let head = ascii ? (fromClient ? ">" : "<") : (fromClient ? "▶" : "◀")
        let body = Self.width - 2
        var text = " " + FramePreview.clip(label, body - 6) + " "
        let fill = max(2, body - TerminalText.displayWidth(text))
        if fromClient {
            text = String(repeating: dash, count: 2) + text + String(repeating: dash, count: fill - 2) + head
        } else {
            text = head + String(repeating: dash, count: fill - 2) + text + String(repeating: dash, count: 2)
        }
        output.line((stamp.padding(toLength: 11, withPad: " ", startingAt: 0) + bar + " " + text + " " + bar + "  " + note).trailingSpacesTrimmed)
    }

    private func marker(_ text: String) {
        let dotted = ascii ? ":" : "┆"
        output.line(String(repeating: " ", count: 11) + dotted + " " + style.yellow(FramePreview.clip(text, Self.width))
                    + String(repeating: " ", count: max(1, Self.width - TerminalText.displayWidth(FramePreview.clip(text, Self.width)))) + dotted)
    }
}

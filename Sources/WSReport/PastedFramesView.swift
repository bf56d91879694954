import WSAnalysis
import WSWire

/// The text view of pasted frames (`wsinspect frame`, `encode`): each frame's full anatomy, numbered from 0 as in a
/// capture and in JSON (so that a finding's "frame #0" is the frame headed "Frame #0"), with the findings and the
/// decompression of the messages it finished, then those messages (numbered from 0, joined from their fragments as in
/// a capture); an input that ends inside a header last.
public final class PastedFramesTextRenderer: InspectionSink {
    private let output: Output
    private let view: FrameView
    /// The frame waiting for the messages it finishes (they come as the next events).
    private var pending: (record: FrameRecord, messages: [MessageRecord])?
    /// The number of the frame last shown (-1 before the first).
    private var number = -1
    /// The data frames of the message being assembled, by number and payload size (to show where fragments split
    /// characters).
    private var fragments: [(index: Int, size: Int)] = []

    public init(output: Output, view: FrameView) {
        self.output = output
        self.view = view
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .frame(let record):
            flush()
            pending = (record, [])
            let opcode = record.frame.header.opcode
            if opcode == .text || opcode == .binary { fragments = [] }
            if opcode.isData { fragments.append((record.index, record.frame.payload.count)) }
        case .message(let record):
            pending?.messages.append(record)
        case .incompleteHeader(_, _, let truncation):
            flush()
            separate()
            output.lines(view.render(truncation, number: number))
        case .diagnostic(let record):
            flush()
            output.lines(DiagnosticsView.render([record.diagnostic], style: view.options.style))
        default:
            break
        }
    }

    /// Prints the last frame (call when the input is done).
    public func finish() {
        flush()
        output.flush()
    }

    private func flush() {
        guard let (record, messages) = pending else { return }
        pending = nil
        separate()
        // A fragment of a compressed message that did not finish it: the message is inflated at its last frame.
        let compressedPart = record.compressed && messages.isEmpty
        output.lines(view.render(record.frame, number: record.index, sender: record.sender, messages: messages.map(\.message),
                                 compressedPart: compressedPart, inMessage: record.inMessage))
        // A message of one frame is that frame, shown above (with its inflation); the others are shown joined.
        for message in messages where message.message.frameCount > 1 || !message.message.complete {
            output.line("")
            output.lines(messageLines(message))
        }
    }

    /// A message joined from its frames: what it carries, which frames, and where a fragment boundary falls inside a
    /// UTF-8 character (allowed: only the whole message must be valid UTF-8, RFC 6455 §5.6).
    private func messageLines(_ record: MessageRecord) -> [String] {
        let message = record.message
        let style = view.options.style
        var lines = [style.bold("Message \(record.index)") + style.dim("  (RFC 6455 §5.4\(message.compressed ? ", RFC 7692 §7.2.2" : ""))")]
        let frames = message.firstFrame == message.lastFrame ? "frame #\(message.firstFrame)"
            : "\(message.frameCount) frames (#\(message.firstFrame)–#\(message.lastFrame))"
        let size = message.compressed ? "\(counted(message.wireLength, "byte")) compressed → \(message.length) inflated" : counted(message.length, "byte")
        lines.append("  \(message.opcode.name), \(frames), \(size)\(message.complete ? "" : ", INCOMPLETE")")
        if let text = message.text {
            lines.append("  \"" + TerminalText.escape(text) + "\"" + (message.payloadIsCut ? " …" : ""))
        } else {
            lines += HexDump.lines(Array(message.payload.prefix(view.options.allBytes ? message.payload.count : 256))).map { "  " + $0 }
        }
        if !message.compressed, message.opcode == .text, fragments.count > 1 {
            var offset = 0
            for (fragment, next) in zip(fragments, fragments.dropFirst()) {
                offset += fragment.size
                guard offset < message.payload.count, message.payload[offset] & 0xC0 == 0x80 else { continue }
                var start = offset
                while start > 0 && message.payload[start] & 0xC0 == 0x80 { start -= 1 }
                var end = offset
                while end < message.payload.count && message.payload[end] & 0xC0 == 0x80 { end += 1 }
                let character = TerminalText.escape(Array(message.payload[start..<end]))
                lines.append("  its UTF-8 is split between frames: frame #\(next.index) starts inside \"\(character)\" ("
                             + Hex.string(message.payload[start..<offset], separator: " ") + " | "
                             + Hex.string(message.payload[offset..<end], separator: " ") + "): allowed, only the whole message must be valid UTF-8")
            }
        }
        return lines
    }

    private func separate() {
        number += 1
        if number > 0 { output.line("") }
    }
}

/// Shapes the events of pasted frames for their views: an input that ends inside a header is reported after
/// everything else (after the message it left unfinished), and message records are passed on only when asked for.
public final class PastedFramesOrder: InspectionSink {
    private let next: InspectionSink
    private let messages: Bool
    private var truncation: InspectionEvent?

    public init(forwardingTo next: InspectionSink, messages: Bool) {
        self.next = next
        self.messages = messages
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .incompleteHeader: truncation = event
        case .message where !messages: break
        default: next.handle(event)
        }
    }

    /// Passes on what was held back.
    public func finish() {
        if let truncation { next.handle(truncation) }
        truncation = nil
    }
}

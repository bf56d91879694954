import WSAnalysis
import WSWire

extension FramePreview {
    /// `text(frame, width:compressed:inMessage:)` appended to a line, built on bytes for the common cases (complete
    /// frames other than Close, outside fragmented text and of known encoding); the rest through `text`. Same bytes
    /// either way.
    static func write(_ frame: Frame, width: Int, compressed: Bool, inMessage: FrameInMessage? = nil, into line: inout TextLine) {
        let opcode = frame.header.opcode
        // A fragment of a text message (its cut characters marked), a continuation of a binary message or of one of
        // unknown encoding, and RSV1 without compression take the general path.
        let special = (frame.header.rsv1 && !compressed)
            || inMessage.map { $0.text != nil || !$0.isText } == true && (opcode == .text || opcode == .continuation)
        guard frame.isComplete, !(opcode == .close && frame.close != nil), !special else {
            line.text(text(frame, width: width, compressed: compressed, inMessage: inMessage))
            return
        }
        if frame.payloadReceived == 0 {
            line.ascii("(empty)")
        } else if compressed {
            line.ascii("[compressed ")
            line.int(frame.payloadReceived)
            line.ascii(" B]")
        } else if opcode == .text || opcode == .continuation || opcode == .ping || opcode == .pong,
                  frame.utf8Failure == nil, frame.hasValidText || looksLikeText(frame.payload) {
            let payload = frame.payload
            let end = UTF8Validator.characterBoundary(in: payload, before: payload.count)
            line.quoted(payload[..<end], width: width, cutShort: frame.payloadIsCut)
            if !frame.payloadIsCut && end < payload.count {
                line.text(" + " + Hex.string(payload[end...], separator: " ") + " (a character split across frames)")
            }
        } else {
            let shown = frame.payload.prefix(min(16, max(4, (width - 10) / 2)))
            line.hex(shown)
            if UInt64(shown.count) < frame.payloadReceived { line.text("…") }
        }
    }
}

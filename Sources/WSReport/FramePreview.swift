import WSAnalysis
import WSWire

/// One-line previews of frame payloads.
public enum FramePreview {
    /// `compressed`: the payload is (part of) a compressed message. `inMessage` says what the frame's message is: a
    /// continuation is shown as its message's type, and a text fragment with the characters its edges cut marked.
    public static func text(_ frame: Frame, width: Int, compressed: Bool = false, inMessage: FrameInMessage? = nil) -> String {
        var line = TextLine()
        write(frame, width: width, compressed: compressed, inMessage: inMessage, into: &line)
        return String(decoding: line.bytes, as: UTF8.self)
    }

    /// `text(frame, width:compressed:inMessage:)` appended to a line, built on bytes (no `String`s but for rare
    /// escapes and names).
    static func write(_ frame: Frame, width: Int, compressed: Bool, inMessage: FrameInMessage? = nil, into line: inout TextLine) {
        let opcode = frame.header.opcode
        let cutShort = frame.payloadIsCut || !frame.isComplete
        if opcode == .close, let body = frame.close {
            if let code = body.code {
                let start = line.columns
                line.int(code.rawValue)
                line.space()
                line.text(code.name)
                if !body.reasonBytes.isEmpty {
                    let room = width - (line.columns - start) - 3
                    line.ascii(" \"")
                    line.escapedClipped(body.reasonBytes[...], width: room)
                    line.byte(0x22)
                }
            } else {
                line.ascii(body.reasonBytes.isEmpty ? "(no code)" : "(1 stray byte)")
            }
        } else if frame.payloadReceived == 0 && frame.isComplete {
            line.ascii("(empty)")
        } else if compressed {
            line.ascii("[compressed ")
            line.int(frame.payloadReceived)
            line.ascii(" B]")
        } else if let split = inMessage?.text, opcode == .text || opcode == .continuation {
            // A fragment of a text message, its cut characters marked.
            FragmentText.write(frame.payload, split: split, cutShort: cutShort, width: width, into: &line)
        } else if inMessage.map(\.isText) ?? !frame.header.rsv1,
                  opcode == .text || opcode == .continuation || opcode == .ping || opcode == .pong,
                  frame.utf8Failure == nil, frame.hasValidText || looksLikeText(frame.payload) {
            // Text ends on a character boundary. A payload cut inside a character (display limit, gap) ends in "…";
            // a whole fragment whose last character continues in the next frame shows those bytes in hex.
            let payload = frame.payload
            let end = UTF8Validator.characterBoundary(in: payload, before: payload.count)
            line.quoted(payload[..<end], width: width, cutShort: cutShort)
            if !cutShort && end < payload.count {
                line.ascii(" + ")
                line.hex(payload[end...], separator: 0x20)
                line.ascii(" (a character split across frames)")
            }
        } else {
            let shown = frame.payload.prefix(min(16, max(4, (width - 10) / 2)))
            line.hex(shown)
            if UInt64(shown.count) < frame.payloadReceived { line.symbol("…", columns: 1) }
        }
        if !frame.isComplete {
            line.ascii("  INCOMPLETE: ")
            line.text(frame.missingDescription)
        }
    }

    /// The columns of the note `write` ends an unfinished frame's preview with.
    static func incompleteNoteColumns(_ frame: Frame) -> Int {
        "  INCOMPLETE: ".utf8.count + frame.missingDescription.utf8.count
    }

    /// True when the bytes are UTF-8 so far (a character may be cut at the end). A frame whose whole payload was
    /// checked on the way in (`hasValidText`) needs no second pass: a prefix of valid text is valid so far.
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        var validator = UTF8Validator()
        validator.feed(bytes)
        return validator.isValidSoFar
    }

    static func clip(_ text: String, _ width: Int) -> String {
        guard width > 1 else { return "…" }
        if TerminalText.displayWidth(text) <= width { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = TerminalText.displayWidth(String(character))
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }
}


import WSAnalysis
import WSWire

/// One fragment of a text message as text, with the characters its boundaries cut shown for what they are rather
/// than as escapes that look like garbage: `a0 (end of "你") + "abc" + e5 (a character the next frame finishes)`.
/// Only the whole message must be valid UTF-8 (RFC 6455 §5.6), so a fragment may start or end inside a character.
public enum FragmentText {
    /// `payload` is the frame's kept payload; `cutShort` when it holds less than the frame declared (the display
    /// limit, a capture gap or the end of the input cut it), so that its last bytes are not the frame's last.
    /// `width` bounds the quoted text (for one-line previews).
    public static func render(_ payload: [UInt8], split: TextSplit, cutShort: Bool, width: Int? = nil) -> String {
        var line = TextLine()
        write(payload, split: split, cutShort: cutShort, width: width, into: &line)
        return String(decoding: line.bytes, as: UTF8.self)
    }

    /// `render` appended to a line.
    static func write(_ payload: [UInt8], split: TextSplit, cutShort: Bool, width: Int?, into line: inout TextLine) {
        let count = payload.count
        let continuing = min(split.continuing, count)
        let leftOpen = cutShort ? 0 : split.leftOpen
        if !split.carried.isEmpty && leftOpen > 0 && continuing + leftOpen > count {
            // One character spans this whole frame and more on both sides (a 4-byte character in 1-byte fragments).
            line.hex(payload, separator: 0x20)
            line.ascii(" (inside a character split across frames)")
            return
        }
        // The head: the bytes that finish the character the previous frame began, and its columns.
        var head: Int?
        if continuing > 0 {
            let start = line.columns
            let bytes = payload[..<continuing]
            line.hex(bytes, separator: 0x20)
            let character = split.carried + bytes
            let finished = continuing == TextSplit.widthOfCharacter(startingWith: split.carried[0]) - split.carried.count
                && UTF8Validator.validate(character) == nil
            if finished {
                line.ascii(" (end of \"")
                line.text(TerminalText.escape(character))
                line.ascii("\")")
            } else {
                line.ascii(" (the middle of a character split across frames)")
            }
            head = line.columns - start
        }
        let coreEnd = count - leftOpen
        if continuing < coreEnd {
            if head != nil { line.ascii(" + ") }
            let bytes = Array(payload[continuing..<coreEnd])
            let end = cutShort ? UTF8Validator.characterBoundary(in: bytes, before: bytes.count) : bytes.count
            line.byte(0x22)
            if let width {
                // The head's columns and its " + " joiner, and the tail's ~48, leave the room for the quoted text.
                let room = max(8, width - 2 - (head.map { $0 + 3 } ?? 0) - (leftOpen > 0 ? 48 : 0))
                line.escapedClipped(bytes[..<end], width: room)
            } else {
                line.text(TerminalText.escape(bytes[..<end]))
            }
            line.byte(0x22)
            if cutShort { line.symbol("…", columns: 1) }
        } else if head == nil && leftOpen == 0 {
            line.ascii("\"\"")
        }
        if leftOpen > 0 {
            if head != nil || continuing < coreEnd { line.ascii(" + ") }
            line.hex(payload[(count - leftOpen)...], separator: 0x20)
            line.ascii(" (a character the next frame finishes)")
        }
    }
}

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
        let count = payload.count
        let continuing = min(split.continuing, count)
        let leftOpen = cutShort ? 0 : split.leftOpen
        if !split.carried.isEmpty && leftOpen > 0 && continuing + leftOpen > count {
            // One character spans this whole frame and more on both sides (a 4-byte character in 1-byte fragments).
            return Hex.string(payload, separator: " ") + " (inside a character split across frames)"
        }
        var parts: [String] = []
        if continuing > 0 {
            let head = Array(payload[..<continuing])
            let character = split.carried + head
            let finished = continuing == TextSplit.widthOfCharacter(startingWith: split.carried[0]) - split.carried.count
                && UTF8Validator.validate(character) == nil
            parts.append(Hex.string(head, separator: " ")
                         + (finished ? " (end of \"\(TerminalText.escape(character))\")" : " (the middle of a character split across frames)"))
        }
        let coreEnd = count - leftOpen
        var core = ""
        if continuing < coreEnd {
            let bytes = Array(payload[continuing..<coreEnd])
            let end = cutShort ? UTF8Validator.characterBoundary(in: bytes, before: bytes.count) : bytes.count
            // The head's columns and its " + " joiner, and the tail's ~48, leave the room for the quoted text.
            let head = parts.reduce(0) { $0 + TerminalText.displayWidth($1) + 3 }
            let room = width.map { max(8, $0 - 2 - head - (leftOpen > 0 ? 48 : 0)) }
            // A preview (`room`) is escaped and clipped on bytes when it can be (`EscapedText`, the same result).
            let shown = room.flatMap { EscapedText.clip(bytes[..<end], width: $0).map { String(decoding: $0.bytes, as: UTF8.self) } }
                ?? room.map { FramePreview.clip(TerminalText.escape(bytes[..<end]), $0) }
                ?? TerminalText.escape(bytes[..<end])
            core = "\"" + shown + "\"" + (cutShort ? "…" : "")
        }
        if !core.isEmpty || (parts.isEmpty && leftOpen == 0) { parts.append(core.isEmpty ? "\"\"" : core) }
        if leftOpen > 0 {
            parts.append(Hex.string(payload[(count - leftOpen)...], separator: " ") + " (a character the next frame finishes)")
        }
        return parts.joined(separator: " + ")
    }
}

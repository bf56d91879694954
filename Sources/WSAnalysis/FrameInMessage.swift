import WSWire

/// Where a data frame stands in its message (`FrameRecord.inMessage`): the message's type, which a continuation
/// frame does not carry itself, and, for a fragment of an uncompressed text message, the UTF-8 characters that its
/// boundaries cut. Renderers show a continuation as its message's type (binary as bytes, text as text) and mark a
/// cut character for what it is instead of escaping its bytes as if they were garbage.
public struct FrameInMessage: Sendable {
    /// The message's opcode: text or binary.
    public let opcode: Opcode
    /// For a text message whose bytes so far are valid UTF-8 (checked across its fragments) and all captured: how
    /// this frame's boundaries cut its characters. Nil otherwise (a single-frame message, a compressed one, invalid
    /// UTF-8, lost bytes): the frame is then shown by what its own bytes are.
    public let text: TextSplit?
    /// The message's first frame has RSV1 set without an extension that explains it: its bytes are not known to be
    /// text (they are shown as bytes).
    public let encodingUnknown: Bool

    public init(opcode: Opcode, text: TextSplit?, encodingUnknown: Bool = false) {
        self.opcode = opcode
        self.text = text
        self.encodingUnknown = encodingUnknown
    }

    /// The frame's bytes may be shown as text: the message is text of a known encoding.
    public var isText: Bool { opcode == .text && !encodingUnknown }
}

/// How the boundaries of one fragment of a text message cut its UTF-8 characters (RFC 6455 §5.6 asks only the whole
/// message to be valid UTF-8, so a fragment may start or end inside a character).
public struct TextSplit: Hashable, Sendable {
    /// The bytes of a character that earlier frames began and this one goes on with (empty when this frame starts
    /// on a character boundary; at most three bytes).
    public let carried: [UInt8]
    /// How many of this frame's first payload bytes belong to that character.
    public let continuing: Int
    /// How many of this frame's last payload bytes begin (or go on with) a character that later frames finish.
    public let leftOpen: Int

    public init(carried: [UInt8], continuing: Int, leftOpen: Int) {
        self.carried = carried
        self.continuing = continuing
        self.leftOpen = leftOpen
    }

    /// True when the frame starts and ends on character boundaries.
    public var isWhole: Bool { continuing == 0 && leftOpen == 0 }

    /// The unfinished character at the end of `tail` (the last bytes of a text so far, at most three needed): its
    /// bytes, or empty when `tail` ends on a character boundary.
    static func openCharacter(atEndOf tail: [UInt8]) -> [UInt8] {
        var start = tail.count
        while start > 0 && tail.count - start < 3 {
            start -= 1
            let byte = tail[start]
            if byte & 0xC0 == 0x80 { continue }   // a continuation byte: the lead is further back
            guard byte >= 0xC0 else { return [] }   // ASCII: a boundary
            return tail.count - start < widthOfCharacter(startingWith: byte) ? Array(tail[start...]) : []
        }
        return []
    }

    /// The width in bytes of the UTF-8 character that `lead` starts.
    public static func widthOfCharacter(startingWith lead: UInt8) -> Int { lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1 }
}

/// Pasted text as characters, with what every paste reader needs: lines, 1-based positions for error messages, and
/// short quotations of the input.
///
/// Positions count characters (grapheme clusters, so `\r\n` is one), as `HexInput.Error` documents.
struct PasteText {
    let chars: [Character]

    init(_ text: String) { chars = Array(text) }
    init(chars: [Character]) { self.chars = chars }

    /// The index of the first character that is not whitespace, or nil for a blank text.
    var firstNonSpace: Int? { chars.firstIndex { !$0.isWhitespace } }

    /// The lines, as ranges of `chars` without their terminators (`\n`, `\r\n` or `\r`), with 1-based numbers.
    var lines: [(number: Int, range: Range<Int>)] {
        var result: [(number: Int, range: Range<Int>)] = []
        var start = 0
        for (index, c) in chars.enumerated() where PasteCharacter.isLineBreak(c) {
            result.append((result.count + 1, start..<index))
            start = index + 1
        }
        result.append((result.count + 1, start..<chars.count))
        return result
    }

    /// True when `word` is spelled at `index`.
    func matches(_ word: String, at index: Int) -> Bool {
        var i = index
        for c in word {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
        }
        return true
    }

    /// 1-based line and column of a character index.
    func position(of index: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for c in chars[..<min(index, chars.count)] {
            if PasteCharacter.isLineBreak(c) { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// An error at the character `index`.
    func error(_ message: String, at index: Int) -> HexInput.Error {
        let (line, column) = position(of: index)
        return HexInput.Error(message: message, line: line, column: column)
    }

    /// `chars[range]` in double quotes, cut to `limit` characters with "…" (error messages quote input briefly; the
    /// command line escapes control characters when it prints them).
    func quote(_ range: Range<Int>, limit: Int = 24) -> String {
        PasteCharacter.quote(chars[range], limit: limit)
    }
}

/// Character classes shared by the paste readers.
enum PasteCharacter {
    static func isLineBreak(_ c: Character) -> Bool { c == "\n" || c == "\r\n" || c == "\r" }

    /// Space within a line: space, tab, no-break space.
    static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{00A0}" }

    /// The value of a hex digit.
    static func hexValue(_ c: Character) -> UInt8? {
        guard let ascii = c.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ascii - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ascii - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func isHexDigit(_ c: Character) -> Bool { hexValue(c) != nil }

    static func isDecimalDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    /// A character named in an error: printable ASCII quoted, anything else as its code points (`U+4F60`).
    static func describe(_ c: Character) -> String {
        if let ascii = c.asciiValue, ascii >= 0x21, ascii < 0x7F { return "'\(c)'" }
        return c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    /// Characters in double quotes, cut to `limit` with "…".
    static func quote(_ text: some Collection<Character>, limit: Int = 24) -> String {
        text.count <= limit ? "\"\(String(text))\"" : "\"\(String(text.prefix(limit)))…\""
    }

    /// How a hex dump's text column shows a byte: printable ASCII as itself, anything else as '.' (xxd, hexdump -C,
    /// od -t x1z and Wireshark all agree).
    static func printable(_ byte: UInt8) -> Character {
        (0x20...0x7E).contains(byte) ? Character(Unicode.Scalar(byte)) : "."
    }
}

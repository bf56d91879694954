/// Python bytes literals, as `repr()` prints them and as code writes them: `b'\x81\x05Hello'`, `b"..."`, several
/// concatenated (`b'\x81\x05' b'Hello'`, across lines, in parentheses), `bytearray(b'...')`.
///
/// Recognised when the text starts with `b'`, `b"` (or `B`), `bytearray(b` or `(b`. Inside a literal: `\xNN`,
/// `\n`, `\r`, `\t`, `\\`, `\'`, `\"`, `\a`, `\b`, `\f`, `\v`, octal `\0`-`\377`, a backslash before a line break
/// (nothing), and printable ASCII or a tab as itself. Anything else (an unknown escape, a character outside ASCII, a
/// literal not closed on its line) is an error, as it is for Python.
///
/// One exception keeps an older form working: literals with no escape that hold only hex digits, blanks and colons
/// (`b'8186af'`, what `binascii.hexlify` returns) are read as that hex. As ASCII those bytes could never be frames:
/// every one of them would set RSV1 and RSV2.
enum PythonBytesLiteral {
    static func read(_ paste: PasteText) throws(HexInput.Error) -> [UInt8]? {
        let chars = paste.chars
        guard var i = paste.firstNonSpace else { return nil }
        var blanked = chars          // the text with everything but the literals' contents blanked (for hexlify)
        var openParentheses = 0
        if paste.matches("bytearray(", at: i) {
            for j in i..<(i + 10) { blanked[j] = " " }
            i += 10
            openParentheses += 1
        }
        while i < chars.count, chars[i] == "(" || chars[i].isWhitespace {
            if chars[i] == "(" { openParentheses += 1 }
            blanked[i] = " "
            i += 1
        }
        guard startsLiteral(chars, at: i) else { return nil }

        var bytes: [UInt8] = []
        var onlyHexText = true
        while startsLiteral(chars, at: i) {
            blanked[i] = " "
            blanked[i + 1] = " "
            i = try readLiteral(paste, at: i, into: &bytes, onlyHexText: &onlyHexText)
            blanked[i - 1] = " "
            while i < chars.count, chars[i].isWhitespace { i += 1 }
        }
        while i < chars.count, chars[i] == ")" || chars[i].isWhitespace, openParentheses > 0 || chars[i] != ")" {
            if chars[i] == ")" { openParentheses -= 1; blanked[i] = " " }
            i += 1
        }
        if i < chars.count {
            throw paste.error("unexpected \(PasteCharacter.describe(chars[i])) after the bytes literal", at: i)
        }
        if openParentheses > 0 {
            throw paste.error("a '(' before the bytes literal is not closed", at: paste.firstNonSpace ?? 0)
        }
        if onlyHexText && bytes.contains(where: { PasteCharacter.isHexDigit(Character(Unicode.Scalar($0))) }) {
            return try HexInput.readPlainHex(PasteText(chars: blanked))
        }
        return bytes
    }

    private static func startsLiteral(_ chars: [Character], at i: Int) -> Bool {
        i + 1 < chars.count && (chars[i] == "b" || chars[i] == "B") && (chars[i + 1] == "'" || chars[i + 1] == "\"")
    }

    /// Reads one literal starting at its `b`; returns the index after its closing quote.
    private static func readLiteral(_ paste: PasteText, at start: Int, into bytes: inout [UInt8],
                                    onlyHexText: inout Bool) throws(HexInput.Error) -> Int {
        let chars = paste.chars
        let quote = chars[start + 1]
        var i = start + 2
        while true {
            guard i < chars.count, !PasteCharacter.isLineBreak(chars[i]) else {
                throw paste.error("the bytes literal is not closed with \(quote) on its line", at: start)
            }
            let c = chars[i]
            if c == quote { return i + 1 }
            if c != "\\" {
                guard let ascii = c.asciiValue, (0x20...0x7E).contains(ascii) || ascii == 0x09 else {
                    throw paste.error("not ASCII in a bytes literal: \(PasteCharacter.describe(c))", at: i)
                }
                if !PasteCharacter.isHexDigit(c) && c != " " && c != "\t" && c != ":" { onlyHexText = false }
                bytes.append(ascii)
                i += 1
                continue
            }
            onlyHexText = false
            guard i + 1 < chars.count else { throw paste.error("the bytes literal is not closed with \(quote) on its line", at: start) }
            let escaped = chars[i + 1]
            let simple: [Character: UInt8] = ["\\": 0x5C, "'": 0x27, "\"": 0x22, "n": 0x0A, "r": 0x0D, "t": 0x09,
                                              "a": 0x07, "b": 0x08, "f": 0x0C, "v": 0x0B]
            if let value = simple[escaped] {
                bytes.append(value)
                i += 2
            } else if PasteCharacter.isLineBreak(escaped) {
                i += 2
            } else if escaped == "x" {
                guard i + 3 < chars.count, let high = PasteCharacter.hexValue(chars[i + 2]), let low = PasteCharacter.hexValue(chars[i + 3]) else {
                    throw paste.error("\\x needs two hex digits", at: i)
                }
                bytes.append(high << 4 | low)
                i += 4
            } else if let first = escaped.wholeNumberValue, first < 8, escaped.isASCII {
                var value = first
                var j = i + 2
                while j < i + 4, j < chars.count, chars[j].isASCII, let digit = chars[j].wholeNumberValue, digit < 8 {
                    value = value * 8 + digit
                    j += 1
                }
                guard value <= 0xFF else { throw paste.error("octal escape above \\377", at: i) }
                bytes.append(UInt8(value))
                i = j
            } else {
                throw paste.error("unknown escape \\\(escaped) in a bytes literal", at: i)
            }
        }
    }
}

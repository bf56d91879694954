/// Reads the bytes people paste: `81 86 af`, `81:86:af`, `0x81, 0x86`, `\x81\x86`, `8186AF` (Wireshark's
/// "Copy as hex stream"), Node's `<Buffer 81 86 af>`, Python's `b'\x81\x86'`, brackets and quotes from array
/// literals, over several lines, in either case.
///
/// Separators are whitespace and `: , ; - [ ] { } ( ) ' "`. A run of hex digits between separators is a group;
/// each group must have an even number of digits. Anything else is an error that names its line and column.
public enum HexInput {
    /// A pasted text that is not hex, with where the problem is.
    public struct Error: Swift.Error, Hashable, Sendable, CustomStringConvertible {
        public let message: String
        /// 1-based line and column (in characters) of the offending character or group.
        public let line: Int
        public let column: Int

        public init(message: String, line: Int, column: Int) {
            self.message = message
            self.line = line
            self.column = column
        }

        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    private static let separators: Set<Character> = [" ", "\t", "\n", "\r", "\r\n", ":", ",", ";", "-", "[", "]", "{", "}",
                                                      "(", ")", "'", "\"", "\u{00A0}"]

    /// Parses `text` into bytes, or throws an `HexInput.Error` naming the first problem.
    public static func parse(_ text: String) throws(Error) -> [UInt8] {
        var chars = Array(text)
        var offset = 0
        // Node: <Buffer 81 86 ...>; a "... N more bytes" abbreviation cannot be recovered.
        if let start = firstNonSpace(chars), matches(chars, at: start, "<Buffer") {
            for i in start..<(start + 7) { chars[i] = " " }
            if let end = chars.lastIndex(of: ">") { chars[end] = " " }
            if let dots = findSubsequence(chars, "...") {
                let (line, column) = position(of: dots, in: chars)
                throw Error(message: "Node shortened this Buffer (\"... more bytes\"); print it whole with buf.toString('hex')",
                            line: line, column: column)
            }
        }
        // Python: b'...' or b"..."
        if let start = firstNonSpace(chars), chars[start] == "b" || chars[start] == "B",
           start + 1 < chars.count, chars[start + 1] == "'" || chars[start + 1] == "\"" {
            chars[start] = " "
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var groupStart = -1
        var groupDigits: [UInt8] = []

        func closeGroup() throws(Error) {
            guard groupStart >= 0 else { return }
            if groupDigits.count % 2 != 0 {
                let (line, column) = position(of: groupStart, in: chars)
                let group = String(chars[groupStart..<(groupStart + groupDigits.count)])
                throw Error(message: "odd number of hex digits in \"\(group)\" (\(groupDigits.count) digits; each byte needs two)",
                            line: line, column: column)
            }
            var i = 0
            while i < groupDigits.count {
                bytes.append(groupDigits[i] << 4 | groupDigits[i + 1])
                i += 2
            }
            groupStart = -1
            groupDigits.removeAll(keepingCapacity: true)
        }

        while offset < chars.count {
            let c = chars[offset]
            if separators.contains(c) {
                try closeGroup()
                offset += 1
                continue
            }
            // Prefixes: 0x / 0X at the start of a group, \x anywhere.
            if groupStart < 0, c == "0", offset + 1 < chars.count, chars[offset + 1] == "x" || chars[offset + 1] == "X",
               offset + 2 < chars.count, nibble(chars[offset + 2]) != nil {
                offset += 2
                continue
            }
            if c == "\\", offset + 1 < chars.count, chars[offset + 1] == "x" || chars[offset + 1] == "X" {
                try closeGroup()
                offset += 2
                continue
            }
            guard let value = nibble(c) else {
                let (line, column) = position(of: offset, in: chars)
                throw Error(message: "not a hex digit: \(describe(c))", line: line, column: column)
            }
            if groupStart < 0 { groupStart = offset }
            groupDigits.append(value)
            offset += 1
        }
        try closeGroup()
        return bytes
    }

    private static func nibble(_ c: Character) -> UInt8? {
        guard let ascii = c.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ascii - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ascii - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func describe(_ c: Character) -> String {
        if let ascii = c.asciiValue, ascii >= 0x21, ascii < 0x7F { return "'\(c)'" }
        return c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    private static func firstNonSpace(_ chars: [Character]) -> Int? {
        chars.firstIndex { !$0.isWhitespace }
    }

    private static func matches(_ chars: [Character], at index: Int, _ word: String) -> Bool {
        let w = Array(word)
        return index + w.count <= chars.count && Array(chars[index..<(index + w.count)]) == w
    }

    private static func findSubsequence(_ chars: [Character], _ word: String) -> Int? {
        let w = Array(word)
        guard chars.count >= w.count else { return nil }
        return (0...(chars.count - w.count)).first { Array(chars[$0..<($0 + w.count)]) == w }
    }

    /// 1-based line and column of a character index.
    private static func position(of index: Int, in chars: [Character]) -> (Int, Int) {
        var line = 1
        var column = 1
        for c in chars[..<index] {
            if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

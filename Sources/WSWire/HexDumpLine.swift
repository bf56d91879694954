/// One line of an offset-column hex dump, classified before its bytes are read: blank, `*`, an offset alone, an
/// offset followed by bytes, or something else.
struct HexDumpLine {
    enum Kind: Equatable {
        case blank
        /// `*`: the line before repeats up to the next offset (hexdump, od, `xxd -a`).
        case repeatMarker
        /// An offset alone: where the dump ends (hexdump, od).
        case offsetOnly
        /// An offset then bytes (and maybe a text column); `colon` when a `:` follows the offset (xxd).
        case data(colon: Bool)
        case other
    }

    /// Shortest and longest offset column: Wireshark prints 4 digits, od 6 or 7, xxd and hexdump 8.
    static let offsetDigits = 4...16

    let number: Int
    let range: Range<Int>
    let kind: Kind
    /// The first non-blank character (where errors about the whole line point).
    let start: Int
    /// The offset's digits (empty unless `offsetOnly` or `data`).
    let offset: Range<Int>
    /// What follows the offset and its colon, to the end of the line.
    let rest: Range<Int>

    init(number: Int, range: Range<Int>, in chars: [Character]) {
        self.number = number
        self.range = range
        var i = range.lowerBound
        while i < range.upperBound, PasteCharacter.isBlank(chars[i]) { i += 1 }
        start = i
        var end = range.upperBound
        while end > i, PasteCharacter.isBlank(chars[end - 1]) { end -= 1 }
        var digitsEnd = i
        while digitsEnd < end, PasteCharacter.isHexDigit(chars[digitsEnd]) { digitsEnd += 1 }
        offset = i..<digitsEnd
        var restStart = digitsEnd
        if i == end {
            kind = .blank
        } else if end - i == 1, chars[i] == "*" {
            kind = .repeatMarker
        } else if !Self.offsetDigits.contains(digitsEnd - i) {
            kind = .other
        } else if digitsEnd == end {
            kind = .offsetOnly
        } else if chars[digitsEnd] == ":", digitsEnd + 1 == end || PasteCharacter.isBlank(chars[digitsEnd + 1]) {
            kind = .data(colon: true)
            restStart = digitsEnd + 1
        } else if PasteCharacter.isBlank(chars[digitsEnd]) {
            kind = .data(colon: false)
        } else {
            kind = .other
        }
        rest = restStart..<range.upperBound
    }

    /// The offset's value in `radix`, or nil when a digit is not one of that radix or the value overflows.
    func offsetValue(radix: Int, in chars: [Character]) -> UInt64? {
        var value: UInt64 = 0
        for c in chars[offset] {
            guard let digit = PasteCharacter.hexValue(c), Int(digit) < radix else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: UInt64(radix))
            guard !overflow else { return nil }
            value = shifted + UInt64(digit)
        }
        return value
    }

    /// The runs of non-blank characters in `range`.
    static func tokens(_ chars: [Character], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if PasteCharacter.isBlank(chars[i]) { i += 1; continue }
            let start = i
            while i < range.upperBound, !PasteCharacter.isBlank(chars[i]) { i += 1 }
            result.append(start..<i)
        }
        return result
    }

    /// The bytes of a group of hex digits, or nil unless it is an even run of hex digits (of `width` digits, if given).
    static func groupBytes(_ chars: [Character], _ token: Range<Int>, width: Int?) -> [UInt8]? {
        guard token.count % 2 == 0, width == nil || token.count == width else { return nil }
        var bytes: [UInt8] = []
        var i = token.lowerBound
        while i < token.upperBound {
            guard let high = PasteCharacter.hexValue(chars[i]), let low = PasteCharacter.hexValue(chars[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }
}

/// The shapes of dump line the reader knows, each with how its bytes and text column are told apart.
enum HexDumpStyle {
    /// `00000000: 8105 4865 6c6c 6f                        ..Hello`: groups of any even width (`xxd -g`), then the
    /// text column.
    case xxd
    /// `00000000  81 05 48 65 6c 6c 6f                              |..Hello|` (`hexdump -C`).
    case hexdumpCanonical
    /// `000000 81 05 48 65 6c 6c 6f                             >..Hello<` (`od -A x -t x1z`).
    case odPrintable
    /// `0000   81 05 48 65 6c 6c 6f                              ..Hello` (Wireshark's "Copy as Hex Dump").
    case textColumn
    /// `000000 81 05 48 65 6c 6c 6f` (`od -A x -t x1`; `od -t x1` has octal offsets).
    case bytesOnly

    var name: String {
        switch self {
        case .xxd: "xxd"
        case .hexdumpCanonical: "hexdump -C"
        case .odPrintable: "od -t x1z"
        case .textColumn: "a dump with a text column (Wireshark)"
        case .bytesOnly: "od -t x1"
        }
    }

    /// The radices its offsets may be written in: od's are hex, octal or decimal (`-A x`, `-A o`, `-A d`); the
    /// others' are hex.
    var offsetRadices: [Int] {
        switch self {
        case .odPrintable, .bytesOnly: [16, 8, 10]
        default: [16]
        }
    }

    /// True when a `:` follows the offset.
    var hasColon: Bool { self == .xxd }

    /// The bytes of one data line. The offset and the text column are never read as bytes; the text column must show
    /// exactly the bytes before it, which is how it is told from bytes when it happens to look like hex.
    func readBytes(of line: HexDumpLine, in paste: PasteText) throws(HexInput.Error) -> [UInt8] {
        switch self {
        case .xxd: try readWithTextColumn(line.rest, groupWidth: nil, in: paste)
        case .textColumn: try readWithTextColumn(line.rest, groupWidth: 2, in: paste)
        case .hexdumpCanonical: try readDelimited(line.rest, open: "|", close: "|", in: paste)
        case .odPrintable: try readDelimited(line.rest, open: ">", close: "<", in: paste)
        case .bytesOnly: try readBytes(HexDumpLine.tokens(paste.chars, line.rest), in: paste)
        }
    }

    /// Every token a two-digit byte.
    private func readBytes(_ tokens: [Range<Int>], in paste: PasteText) throws(HexInput.Error) -> [UInt8] {
        var bytes: [UInt8] = []
        for token in tokens {
            guard let group = HexDumpLine.groupBytes(paste.chars, token, width: 2) else { throw Self.notAByte(token, in: paste) }
            bytes += group
        }
        return bytes
    }

    /// Bytes, blanks, then a text column that is not delimited: the split is the one place where the text after the
    /// bytes, ignoring blanks, shows exactly those bytes. There is at most one such place (the text shrinks and the
    /// bytes grow as the split moves right).
    private func readWithTextColumn(_ rest: Range<Int>, groupWidth: Int?, in paste: PasteText) throws(HexInput.Error) -> [UInt8] {
        let chars = paste.chars
        let tokens = HexDumpLine.tokens(chars, rest)
        var bytes: [UInt8] = []
        var byteCounts: [Int] = []   // bytes after each leading group
        for token in tokens {
            guard let group = HexDumpLine.groupBytes(chars, token, width: groupWidth) else { break }
            bytes += group
            byteCounts.append(bytes.count)
        }
        guard !byteCounts.isEmpty else {
            guard let token = tokens.first else { throw paste.error("no bytes after the offset", at: rest.lowerBound) }
            throw Self.notAByte(token, in: paste)
        }
        // Compare lengths first (characters shown after each split, characters its bytes show), so that a long line
        // costs one pass: at most one split has equal lengths.
        var shownAfter = [Int](repeating: 0, count: tokens.count + 1)
        for index in tokens.indices.reversed() { shownAfter[index] = shownAfter[index + 1] + tokens[index].count }
        var visible = 0   // bytes so far that show as a character other than a space
        var counted = 0
        for (index, count) in byteCounts.enumerated() {
            while counted < count { if bytes[counted] != 0x20 { visible += 1 }; counted += 1 }
            guard shownAfter[index + 1] == visible else { continue }
            let column = index + 1 < tokens.count ? tokens[index + 1].lowerBound..<rest.upperBound : rest.upperBound..<rest.upperBound
            let shown = chars[column].filter { !PasteCharacter.isBlank($0) }
            let expected = bytes[..<count].map(PasteCharacter.printable).filter { $0 != " " }
            if shown == expected { return Array(bytes[..<count]) }
        }
        let expected = PasteCharacter.quote(bytes.map(PasteCharacter.printable))
        guard byteCounts.count < tokens.count else {
            throw paste.error("no text column after the bytes (expected \(expected))", at: rest.upperBound)
        }
        let column = tokens[byteCounts.count].lowerBound..<tokens[tokens.count - 1].upperBound
        throw paste.error("the text column \(paste.quote(column)) does not show the bytes before it (expected \(expected))",
                          at: column.lowerBound)
    }

    /// Two-digit bytes, then a text column between `open` and `close`, which must show exactly those bytes.
    private func readDelimited(_ rest: Range<Int>, open: Character, close: Character, in paste: PasteText) throws(HexInput.Error) -> [UInt8] {
        let chars = paste.chars
        guard let opening = chars[rest].firstIndex(of: open) else {
            throw paste.error("no \(open)text\(close) column after the bytes", at: rest.upperBound)
        }
        guard let closing = chars[rest].lastIndex(where: { !PasteCharacter.isBlank($0) }), closing > opening, chars[closing] == close else {
            throw paste.error("the text column is not closed with '\(close)'", at: opening)
        }
        let bytes = try readBytes(HexDumpLine.tokens(chars, rest.lowerBound..<opening), in: paste)
        guard chars[(opening + 1)..<closing].elementsEqual(bytes.map(PasteCharacter.printable)) else {
            let expected = PasteCharacter.quote(bytes.map(PasteCharacter.printable))
            throw paste.error("the text column \(paste.quote(opening..<(closing + 1))) does not show the bytes before it (expected \(expected))",
                              at: opening)
        }
        return bytes
    }

    /// The error for a token where a two-digit byte should be: its first non-hex character, or its width.
    static func notAByte(_ token: Range<Int>, in paste: PasteText) -> HexInput.Error {
        if let bad = paste.chars[token].firstIndex(where: { !PasteCharacter.isHexDigit($0) }) {
            return paste.error("not a hex digit: \(PasteCharacter.describe(paste.chars[bad]))", at: bad)
        }
        return paste.error("expected a two-digit byte, found \(paste.quote(token))", at: token.lowerBound)
    }
}

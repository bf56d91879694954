/// Arrays of byte values, as C, JavaScript, Python and JSON write them: `{0x81, 0x05}`, `[0x81,0x05]`,
/// `[129, 5, 72]`, `new Uint8Array([129, 5])`, `bytes([129, 5])`, `unsigned char f[] = {0x81, …};` with xxd -i's
/// `unsigned int f_len = 7;`, Node's `{"type":"Buffer","data":[129,5]}`.
///
/// Recognition: the first innermost `[…]` or `{…}` whose content is a list of numbers with at least one comma (each
/// element starts with a digit; a trailing comma is allowed), so neither `[81 86 af]` (plain hex) nor a C array size
/// (`buf[7]`) is the list. Around the list, code is allowed (names, `new Uint8Array(`, `);`), but nothing that could
/// be a byte: no number and no word of an even number of hex digits (`ff`), except a C array size `[7]` before the list and
/// an xxd -i length line after it, whose count must match.
///
/// Hex or decimal, never guessed:
/// - elements with `0x` are hex, one byte each (`0x5` is 5); mixing `0x` and bare elements is an error;
/// - bare elements are hex when any has a hex letter or every one has exactly two digits (`[81, 05, af]`); each must
///   then be two hex digits;
/// - otherwise they are decimal (`[129, 5, 72]`: widths vary, as printed numbers do), 0-255, without leading zeros: a
///   leading zero (`05` beside `129`) is an error, since it looks like hex.
enum ArrayLiteral {
    static func read(_ paste: PasteText) throws(HexInput.Error) -> [UInt8]? {
        guard let list = elementList(in: paste.chars) else { return nil }
        let elements = list.elements
        try checkSurroundings(paste, list: list.brackets, count: elements.count)
        let chars = paste.chars
        let prefixed = elements.filter { isPrefixed(chars, $0) }
        if !prefixed.isEmpty && prefixed.count < elements.count {
            let bare = elements.first { !isPrefixed(chars, $0) }!
            throw paste.error("mixed 0x-prefixed and bare numbers in one array (\(paste.quote(prefixed[0])) and \(paste.quote(bare))): write every byte the same way",
                              at: bare.lowerBound)
        }
        if !prefixed.isEmpty { return try elements.map { (element) throws(HexInput.Error) in try prefixedByte(paste, element) } }
        let hexLetters = elements.contains { chars[$0].contains { PasteCharacter.isHexDigit($0) && !PasteCharacter.isDecimalDigit($0) } }
        if hexLetters || elements.allSatisfy({ $0.count == 2 }) {
            return try elements.map { (element) throws(HexInput.Error) in try hexByte(paste, element) }
        }
        let example = elements.first { $0.count != 2 }!
        return try elements.map { (element) throws(HexInput.Error) in try decimalByte(paste, element, example: example) }
    }

    /// The list's brackets and its elements (trimmed ranges of the text).
    struct ElementList {
        let brackets: ClosedRange<Int>
        let elements: [Range<Int>]
    }

    /// The first innermost bracket group whose content is a list of numbers.
    static func elementList(in chars: [Character]) -> ElementList? {
        var openers: [Int] = []
        var innermost = true
        for (index, c) in chars.enumerated() {
            if c == "[" || c == "{" {
                openers.append(index)
                innermost = true
            } else if c == "]" || c == "}", let open = openers.popLast() {
                defer { innermost = false }
                guard innermost, (chars[open] == "[") == (c == "]"), chars[(open + 1)..<index].contains(","),
                      let elements = numbers(chars, (open + 1)..<index) else { continue }
                return ElementList(brackets: open...index, elements: elements)
            }
        }
        return nil
    }

    /// The elements of `range` when it is a comma-separated list of numbers (each a run of letters and digits that
    /// starts with a digit), nil otherwise.
    private static func numbers(_ chars: [Character], _ range: Range<Int>) -> [Range<Int>]? {
        var elements: [Range<Int>] = []
        var start = range.lowerBound
        for index in range.lowerBound...range.upperBound where index == range.upperBound || chars[index] == "," {
            var low = start, high = index
            while low < high, chars[low].isWhitespace { low += 1 }
            while high > low, chars[high - 1].isWhitespace { high -= 1 }
            start = index + 1
            if low == high {
                // Only a trailing comma may leave an element empty.
                if index == range.upperBound && !elements.isEmpty { continue }
                return nil
            }
            guard PasteCharacter.isDecimalDigit(chars[low]),
                  chars[low..<high].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
            elements.append(low..<high)
        }
        return elements
    }

    /// Numbers and hex words (an even run of hex digits: `ff`, `cafe`) outside the list would be bytes nobody reads:
    /// only a C array size (`[7]`) before it and an xxd -i length line (`unsigned int f_len = 7;`, which must match)
    /// after it are allowed.
    private static func checkSurroundings(_ paste: PasteText, list: ClosedRange<Int>, count: Int) throws(HexInput.Error) {
        let chars = paste.chars
        var index = 0
        while index < chars.count {
            if list.contains(index) { index = list.upperBound + 1; continue }
            let c = chars[index]
            guard c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "$") else { index += 1; continue }
            var end = index
            while end < chars.count, !list.contains(end), chars[end].isASCII,
                  chars[end].isLetter || chars[end].isNumber || chars[end] == "_" || chars[end] == "$" { end += 1 }
            defer { index = end }
            if !PasteCharacter.isDecimalDigit(c) {
                guard (end - index) % 2 == 0, chars[index..<end].allSatisfy(PasteCharacter.isHexDigit) else { continue }
                throw paste.error("unexpected \(paste.quote(index..<end)) outside the array", at: index)
            }
            let isArraySize = index < list.lowerBound && index > 0 && chars[index - 1] == "[" && end < chars.count && chars[end] == "]"
            if isArraySize { continue }
            if index > list.upperBound, let declared = Int(String(chars[index..<end])), lengthLine(chars, before: index, after: end) {
                guard declared == count else {
                    throw paste.error("the length line says \(counted(declared, "byte")), the array holds \(count)", at: index)
                }
                continue
            }
            throw paste.error("unexpected number \(paste.quote(index..<end)) outside the array", at: index)
        }
    }

    /// True when the number at `start..<end` is the value in `… _len = N;` (xxd -i).
    private static func lengthLine(_ chars: [Character], before start: Int, after end: Int) -> Bool {
        var i = start - 1
        while i >= 0, chars[i] == " " { i -= 1 }
        guard i >= 0, chars[i] == "=" else { return false }
        i -= 1
        while i >= 0, chars[i] == " " { i -= 1 }
        return i >= 3 && String(chars[(i - 3)...i]) == "_len"
    }

    private static func isPrefixed(_ chars: [Character], _ element: Range<Int>) -> Bool {
        element.count > 2 && chars[element.lowerBound] == "0" && (chars[element.lowerBound + 1] == "x" || chars[element.lowerBound + 1] == "X")
    }

    /// `0x81`: hex digits after the prefix, one byte's worth of value.
    private static func prefixedByte(_ paste: PasteText, _ element: Range<Int>) throws(HexInput.Error) -> UInt8 {
        var value = 0
        for index in (element.lowerBound + 2)..<element.upperBound {
            guard let digit = PasteCharacter.hexValue(paste.chars[index]) else {
                throw paste.error("not a hex digit: \(PasteCharacter.describe(paste.chars[index]))", at: index)
            }
            value = value * 16 + Int(digit)
            guard value <= 0xFF else { throw paste.error("\(paste.quote(element)) is more than one byte", at: element.lowerBound) }
        }
        return UInt8(value)
    }

    /// `af`: exactly two hex digits.
    private static func hexByte(_ paste: PasteText, _ element: Range<Int>) throws(HexInput.Error) -> UInt8 {
        if let bad = paste.chars[element].firstIndex(where: { !PasteCharacter.isHexDigit($0) }) {
            throw paste.error("not a hex digit: \(PasteCharacter.describe(paste.chars[bad]))", at: bad)
        }
        guard element.count == 2 else {
            throw paste.error("expected two hex digits, found \(paste.quote(element)) (this array is hex: two digits a byte)", at: element.lowerBound)
        }
        return HexDumpLine.groupBytes(paste.chars, element, width: 2)![0]
    }

    /// `129`: decimal 0-255 without a leading zero.
    private static func decimalByte(_ paste: PasteText, _ element: Range<Int>, example: Range<Int>) throws(HexInput.Error) -> UInt8 {
        if let bad = paste.chars[element].firstIndex(where: { !PasteCharacter.isDecimalDigit($0) }) {
            throw paste.error("not a decimal digit: \(PasteCharacter.describe(paste.chars[bad]))", at: bad)
        }
        if element.count > 1 && paste.chars[element.lowerBound] == "0" {
            throw paste.error("\(paste.quote(element)) looks like hex beside \(paste.quote(example)), which is decimal: write every byte the same way",
                              at: element.lowerBound)
        }
        guard element.count <= 3, let value = UInt8(String(paste.chars[element])) else {
            throw paste.error("\(paste.quote(element)) is not a byte (0-255)", at: element.lowerBound)
        }
        return value
    }
}

/// Fits a line of text output to the terminal's width by breaking it between words, never inside one: a field, a
/// number, an escaped payload character stay whole (a word wider than the line stays whole on a line of its own).
///
/// Continuation lines hang under the line's last column — the text after its last run of two or more spaces, as in
/// a table's "meaning" column or a header's explanation — when at least 16 columns remain there; otherwise under the
/// line's own indentation plus four. Colour escapes count no columns.
enum LineFitter {
    /// The line as one or more lines of at most `width` columns (a lone word may be wider).
    static func fit(_ line: String, width: Int) -> [String] {
        guard TerminalText.displayWidth(line) > width else { return [line] }
        return fitting(line, width: width)
    }

    /// `fit` for a line known to be wider than `width`.
    static func fitting(_ line: String, width: Int) -> [String] {
        // Scalars, not Characters: breaks fall only at spaces, and grapheme breaking costs more than the rest.
        let characters = Array(line.unicodeScalars)
        // Columns of each scalar (0 inside colour escapes).
        var columns: [Int] = []
        columns.reserveCapacity(characters.count)
        // Where each scalar starts in the line's UTF-8 (and the end): pieces are cut from the bytes.
        var offsets: [Int] = []
        offsets.reserveCapacity(characters.count + 1)
        var offset = 0
        var inEscape = false
        for character in characters {
            offsets.append(offset)
            offset += UTF8.width(character)
            if inEscape {
                columns.append(0)
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                columns.append(0)
                inEscape = true
            } else {
                columns.append(TerminalText.columns(character))
            }
        }
        offsets.append(offset)
        let utf8 = Array(line.utf8)
        let indent = characters.prefix { $0 == " " }.count
        let hang = hangingIndent(characters, columns, indent: indent, width: width)
        let glued = gluedSpaces(characters)

        var lines: [String] = []
        var start = 0   // index of the first character of the current line's content
        var prefix = "" // the current line's indentation (none for the first line: it keeps its own)
        while start < characters.count {
            var used = TerminalText.displayWidth(prefix)
            var end = start
            var lastBreak: Int?   // index of a space where the line may end
            while end < characters.count && used + columns[end] <= width {
                if characters[end] == " " && end > start && !glued.contains(end) { lastBreak = end }
                used += columns[end]
                end += 1
            }
            if end < characters.count {
                if characters[end] == " " && !glued.contains(end) {
                    lastBreak = end
                } else if let space = lastBreak {
                    end = space
                } else {
                    // One word wider than the room: it stays whole, up to the next space.
                    while end < characters.count && (characters[end] != " " || glued.contains(end)) { end += 1 }
                }
            }
            var pieceEnd = end
            while pieceEnd > start && characters[pieceEnd - 1] == " " { pieceEnd -= 1 }
            lines.append(prefix + String(decoding: utf8[offsets[start]..<offsets[pieceEnd]], as: UTF8.self))
            start = end
            while start < characters.count && characters[start] == " " { start += 1 }
            prefix = String(repeating: " ", count: hang)
        }
        return lines
    }

    /// Text wrapped between words into lines of at most `width` columns (a word wider stays whole): table cells.
    static func words(_ text: String, width: Int) -> [String] {
        Words(text).lines(width: width)
    }

    /// A text's words, an RFC citation `(RFC 6455 §4.1 item 5)` counting as one, with their columns: measured once
    /// for the several widths a table tries (`TableShrinker`).
    struct Words {
        private(set) var words: [String] = []
        private(set) var widths: [Int] = []
        /// The text holds an escape: a colour code may run from one word into the next, so lines are measured whole
        /// (words wrap on their own columns, as they always did).
        private var hasEscape = false

        init(_ text: String) {
            if !text.utf8.contains(0x1B), text.unicodeScalars.allSatisfy({ $0.isASCII || EscapedText.isSimple($0) }) {
                self.init(simple: text)
            } else {
                self.init(characters: text)
            }
        }

        /// Text whose every scalar is a character of its own (`EscapedText.isSimple`): its words found on bytes.
        private init(simple text: String) {
            var text = text
            text.withUTF8 { utf8 in
                var i = 0
                let n = utf8.count
                while i < n {
                    if utf8[i] == 0x20 { i += 1; continue }
                    var end = i + 1
                    while end < n && utf8[end] != 0x20 { end += 1 }
                    let word = UnsafeBufferPointer(rebasing: utf8[i..<end])
                    let columns = TerminalText.displayWidth(utf8: word)
                    if let last = words.last, last.utf8.starts(with: "(RFC".utf8), last.utf8.last != UInt8(ascii: ")"),
                       last.utf8.count < 40 || last.count < 40 {
                        words[words.count - 1] += " " + String(decoding: word, as: UTF8.self)
                        widths[widths.count - 1] += 1 + columns
                    } else {
                        words.append(String(decoding: word, as: UTF8.self))
                        widths.append(columns)
                    }
                    i = end
                }
            }
        }

        /// The same, for text with characters of several scalars (combining marks…) or escapes, split as
        /// `Character`s.
        private init(characters text: String) {
            hasEscape = text.utf8.contains(0x1B)
            for word in text.split(separator: " ", omittingEmptySubsequences: true) {
                if let last = words.last, last.hasPrefix("(RFC"), !last.hasSuffix(")"), last.count < 40 {
                    words[words.count - 1] += " " + word
                } else {
                    words.append(String(word))
                }
            }
            widths = words.map(TerminalText.displayWidth)
        }

        /// The columns of the widest line when wrapped to `width` (`lines(width:)` without building them).
        func widest(width: Int) -> Int {
            if hasEscape { return lines(width: width).map(TerminalText.displayWidth).max() ?? 0 }
            var widest = 0
            var used = -1   // no word on the line yet
            for w in widths {
                if used >= 0 && used + 1 + w > width {
                    widest = max(widest, used)
                    used = -1
                }
                used = used < 0 ? w : used + 1 + w
            }
            return max(widest, used, 0)
        }

        /// The words wrapped into lines of at most `width` columns (a wider word alone on its line).
        func lines(width: Int) -> [String] {
            var lines: [String] = []
            var current = ""
            var used = 0
            for (word, w) in zip(words, widths) {
                if !current.isEmpty && used + 1 + w > width {
                    lines.append(current)
                    current = ""
                    used = 0
                }
                if !current.isEmpty {
                    current += " "
                    used += 1
                }
                current += word
                used += w
            }
            lines.append(current)
            return lines
        }
    }

    /// Escaped text (`TerminalText.escape`) cut into pieces of at most `width` columns, between characters; an
    /// escape (`\n`, `\x1b`, `\u{202e}`, `\\`) is never cut.
    static func chunks(_ escaped: String, width: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var used = 0
        var characters = escaped.makeIterator()
        while let character = characters.next() {
            var unit = String(character)
            if character == "\\", let next = characters.next() {
                unit.append(next)
                if next == "x" {
                    for _ in 0..<2 { if let digit = characters.next() { unit.append(digit) } }
                } else if next == "u" {
                    while let c = characters.next() {
                        unit.append(c)
                        if c == "}" { break }
                    }
                }
            }
            let w = TerminalText.displayWidth(unit)
            if used + w > width && !current.isEmpty {
                pieces.append(current)
                current = ""
                used = 0
            }
            current += unit
            used += w
        }
        pieces.append(current)
        return pieces
    }

    /// Spaces that must not end a line: those inside a parenthesised RFC citation, `(RFC 6455 §4.1 item 5)`.
    private static func gluedSpaces(_ characters: [Unicode.Scalar]) -> Set<Int> {
        var glued = Set<Int>()
        var i = 0
        while i + 4 < characters.count {
            if characters[i] == "(" && characters[i + 1] == "R" && characters[i + 2] == "F" && characters[i + 3] == "C" {
                var j = i + 1
                var spaces: [Int] = []
                while j < characters.count && characters[j] != ")" && j - i < 40 {
                    if characters[j] == " " { spaces.append(j) }
                    j += 1
                }
                if j < characters.count && characters[j] == ")" { glued.formUnion(spaces) }
                i = j
            }
            i += 1
        }
        return glued
    }

    /// Where continuation lines start: under the line's last column if it leaves room, else the indent plus four.
    private static func hangingIndent(_ characters: [Unicode.Scalar], _ columns: [Int], indent: Int, width: Int) -> Int {
        var column = 0
        var spaces = 0
        var lastField: Int?
        for (index, character) in characters.enumerated() {
            if character == " " {
                spaces += 1
            } else {
                if spaces >= 2 && index > indent + spaces { lastField = column }
                spaces = 0
            }
            column += columns[index]
            if column > width { break }
        }
        if let lastField, lastField > indent, lastField <= width - 16 { return lastField }
        return min(indent + 4, width / 2)
    }
}

import Testing
import Foundation
@testable import WSReport

/// The byte-built lines of the text views (`TextLine`, `EscapedText`) give the bytes the `String` functions give,
/// and lines fitted to a width break only between words.
@Suite struct TextLineTests {
    /// A small deterministic generator (the same bytes every run).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
    }

    /// Scalars of every kind the fast path meets or refuses: ASCII, controls, backslash, Latin, CJK, emoji,
    /// combining marks, joiners, bidi overrides, flags, Hangul jamo; and bytes that are not UTF-8.
    static let pieces: [[UInt8]] = {
        let scalars: [Unicode.Scalar] = ["a", "Z", " ", "\\", "\n", "\r", "\t", "\u{1B}", "\u{7F}", "é", "ß", "Ж",
                                         "你", "好", "✓", "…", "😀", "\u{301}", "\u{200D}", "\u{202E}", "\u{FE0F}",
                                         "\u{1F1EB}", "\u{1100}", "\u{1161}", "한", "\u{85}", "\u{A0}", "\u{AD}"]
        return scalars.map { Array(String($0).utf8) } + [[0xFF], [0xC0, 0x80], [0xE4, 0xBD], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
    }()

    @Test func escapedClipIsTheStringClipOnRandomText() {
        var generator = Generator(state: 6455)
        var fast = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            let count = Int(generator.next() % 40)
            for _ in 0..<count {
                // Mostly ASCII letters, as payloads are; the rest from the pieces.
                if generator.next() % 3 == 0 {
                    bytes += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))]
                } else {
                    bytes.append(0x61 + UInt8(generator.next() % 26))
                }
            }
            let width = Int(generator.next() % 30)
            let expected = FramePreview.clip(TerminalText.escape(bytes), width)
            if let result = EscapedText.clip(bytes[...], width: width) {
                fast += 1
                #expect(String(decoding: result.bytes, as: UTF8.self) == expected, "\(bytes) at \(width)")
                #expect(result.columns == TerminalText.displayWidth(expected))
            }
            var line = TextLine()
            line.escapedClipped(bytes[...], width: width)
            #expect(String(decoding: line.bytes, as: UTF8.self) == expected)
        }
        #expect(fast > 5_000)   // the fast path is the common one
    }

    /// Random text from the pieces (valid UTF-8 only), with spaces and a citation now and then.
    static func randomText(_ generator: inout Generator) -> String {
        var text = ""
        for _ in 0..<Int(generator.next() % 30) {
            switch generator.next() % 6 {
            case 0: text += " "
            case 1: text += ["(RFC 6455 §4.1 item 5)", "(RFC", "6455", "§5.2)", "  "][Int(generator.next() % 5)]
            case 2: text += String(decoding: Self.pieces[Int(generator.next() % 28)], as: UTF8.self)
            default: text.append(Character(Unicode.Scalar(0x61 + UInt8(generator.next() % 26))))
            }
        }
        return text
    }

    @Test func tableCellWordsOnBytesAreTheWordsOfCharacters() {
        // The reference: words split as Characters, a citation glued, each measured as a String.
        func reference(_ text: String, width: Int) -> [String] {
            var words: [String] = []
            for word in text.split(separator: " ", omittingEmptySubsequences: true) {
                if let last = words.last, last.hasPrefix("(RFC"), !last.hasSuffix(")"), last.count < 40 {
                    words[words.count - 1] += " " + word
                } else {
                    words.append(String(word))
                }
            }
            var lines: [String] = [], current = "", used = 0
            for word in words {
                let w = TerminalText.displayWidth(word)
                if !current.isEmpty && used + 1 + w > width { lines.append(current); current = ""; used = 0 }
                if !current.isEmpty { current += " "; used += 1 }
                current += word
                used += w
            }
            return lines + [current]
        }
        var generator = Generator(state: 7692)
        for _ in 0..<20_000 {
            let text = Self.randomText(&generator)
            let width = Int(generator.next() % 30) + 1
            let expected = reference(text, width: width)
            #expect(LineFitter.words(text, width: width) == expected, "\(text.unicodeScalars.map(\.value)) at \(width)")
            let words = LineFitter.Words(text)
            #expect(words.widest(width: width) == expected.map(TerminalText.displayWidth).max()!)
        }
    }

    @Test func displayWidthOnBytesIsTheWidthOfItsScalars() {
        var generator = Generator(state: 3629)
        for _ in 0..<20_000 {
            var text = Self.randomText(&generator)
            if generator.next() % 4 == 0 { text = "\u{1B}[2m" + text + "\u{1B}[0m" }   // colour codes count nothing
            var expected = 0, inEscape = false
            for scalar in text.unicodeScalars {
                if inEscape { inEscape = scalar != "m"; continue }
                if scalar == "\u{1B}" { inEscape = true; continue }
                expected += TerminalText.columns(scalar)
            }
            #expect(TerminalText.displayWidth(text) == expected, "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test func joiningScalarsTakeTheStringPath() {
        // "e" + U+0301 COMBINING ACUTE: one grapheme cluster of two scalars.
        #expect(EscapedText.clip(Array("ab e\u{301} cd".utf8)[...], width: 4) == nil)
        // U+1F1EB U+1F1F7: a flag, two regional indicators.
        #expect(EscapedText.clip(Array("🇫🇷".utf8)[...], width: 4) == nil)
        #expect(EscapedText.clip(Array("你好, world".utf8)[...], width: 6)?.bytes == Array("你好,…".utf8))
    }

    @Test func numbersAndPaddingCountColumns() {
        var line = TextLine()
        line.int(-42)
        line.text("→")          // 3 bytes, 1 column
        line.fixed6(0.001829, plus: true)
        #expect(String(decoding: line.bytes, as: UTF8.self) == "-42→+0.001829")
        #expect(line.columns == 13)
        line.pad(to: 16)
        line.hex([0xAF, 0x87])
        #expect(String(decoding: line.bytes, as: UTF8.self).hasSuffix("   af87"))
        #expect(line.columns == 20)
        var max = TextLine()
        max.int(UInt64.max)
        #expect(String(decoding: max.bytes, as: UTF8.self) == "18446744073709551615")
    }

    @Test func linesBreakBetweenWordsAndHangUnderTheirLastColumn() {
        let line = "      Upgrade: websocket                           asks to switch to websocket (RFC 6455 §4.1 item 5)"
        let fitted = LineFitter.fit(line, width: 80)
        #expect(fitted == ["      Upgrade: websocket                           asks to switch to websocket",
                           "                                                   (RFC 6455 §4.1 item 5)"])
        // Every word survives, in order; no piece is wider than the width.
        for width in 20...100 {
            let pieces = LineFitter.fit(line, width: width)
            #expect(pieces.joined(separator: " ").split(separator: " ") == line.split(separator: " "))
            #expect(pieces.allSatisfy { TerminalText.displayWidth($0) <= width || !$0.trimmingCharacters(in: " ").contains(" ") || $0.contains("(RFC") })
        }
        // A word wider than the line stays whole.
        #expect(LineFitter.fit("a " + String(repeating: "x", count: 30), width: 10) == ["a", "    " + String(repeating: "x", count: 30)])
        // Escapes are never cut.
        #expect(LineFitter.chunks("abc\\x1bdef\\u{202e}", width: 4) == ["abc", "\\x1b", "def", "\\u{202e}"])
    }

    @Test func tablesWrapTheirWidestColumnsToFit() {
        var table = TextTable(headers: ["field", "raw bits", "meaning"])
        table.add(["masking key", "01111110 01001101 10110111 00111010", "payload byte i is XORed with key byte i mod 4"])
        table.add(["FIN", "1", "final frame of its message"])
        let wide = table.render(style: Style(enabled: false, width: 200))
        #expect(wide.count == 3)
        let narrow = table.render(style: Style(enabled: false, width: 60))
        #expect(narrow.count > 3)
        #expect(narrow.allSatisfy { TerminalText.displayWidth($0) <= 60 - TextTable.nesting })
        // The cells' words are all there, in order.
        #expect(narrow.joined(separator: " ").split(separator: " ").filter { $0 != "" }.sorted()
                == wide.joined(separator: " ").split(separator: " ").filter { $0 != "" }.sorted())
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}

@Suite struct FixedPointTests {
    /// The integer path of `fixed6` gives printf's `%.6f` digits.
    @Test func fixed6IsPrintf() {
        var generator = TextLineTests.Generator(state: 1)
        var values: [Double] = [0, 0.0000005, 0.0000015, 0.0000025, 0.1234565, 1.5, 999_999.9999995, 12.000_000_4, 3.14159265]
        for _ in 0..<50_000 {
            let nanoseconds = generator.next() % 3_600_000_000_000
            values.append(Double(nanoseconds) / 1e9)
        }
        for _ in 0..<10_000 { values.append(Double(generator.next() % 1_000_000_000) / 1e3 + Double(generator.next() % 1000) / 1e7) }
        for value in values + [-0.25, 2e6, 1e12] {
            var line = TextLine()
            line.fixed6(value, plus: true)
            var expected = [CChar](repeating: 0, count: 64)
            _ = withVaList([value]) { vsnprintf(&expected, 64, "+%.6f", $0) }
            #expect(String(decoding: line.bytes, as: UTF8.self) == String(cString: expected), "\(value)")
            #expect(line.columns == strlen(expected))
        }
    }
}

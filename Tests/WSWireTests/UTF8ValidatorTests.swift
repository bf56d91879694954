import Testing
import WSWire

@Suite struct UTF8ValidatorTests {
    @Test(arguments: ["", "Hello", "你好", "κόσμε", "😀 emoji", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{FFFF}",
                      "\u{10000}", "\u{10FFFF}", "\u{D7FF}", "\u{E000}"])
    func acceptsValidText(text: String) {
        #expect(UTF8Validator.validate(Array(text.utf8)) == nil)
    }

    @Test(arguments: [
        ([0xC0, 0xAF], UTF8Validator.Failure.Kind.overlong),          // overlong "/"
        ([0xC1, 0xBF], .overlong),
        ([0xE0, 0x80, 0xAF], .overlong),                                 // 3-byte overlong
        ([0xF0, 0x80, 0x80, 0xAF], .overlong),                           // 4-byte overlong
        ([0xED, 0xA0, 0x80], .surrogate),                                // U+D800
        ([0xED, 0xBF, 0xBF], .surrogate),                                // U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], .tooLarge),                           // U+110000
        ([0xF5, 0x80, 0x80, 0x80], .tooLarge),
        ([0xFF], .tooLarge),
        ([0x80], .unexpectedContinuation),
        ([0xC3, 0x28], .missingContinuation),
        ([0xE4, 0xBD], .truncated),                                      // "你" cut short
    ])
    func rejectsInvalidSequences(bytes: [UInt8], kind: UTF8Validator.Failure.Kind) {
        #expect(UTF8Validator.validate(bytes)?.kind == kind)
    }

    @Test func reportsTheOffsetOfTheBadByte() {
        // "abcdefghij" (10 ASCII, crosses the 8-byte fast path) then 0xFF
        let failure = UTF8Validator.validate(Array("abcdefghij".utf8) + [0xFF])
        #expect(failure?.offset == 10)
        #expect(failure?.byte == 0xFF)
    }

    @Test func characterSplitAtEveryOffsetIsValid() {
        let text = Array("Grüße, 你好, 😀 and ASCII padding to cross the fast path".utf8)
        for cut in 0...text.count {
            var validator = UTF8Validator()
            validator.feed(Array(text[..<cut]))
            #expect(validator.isValidSoFar)
            validator.feed(Array(text[cut...]))
            #expect(validator.finish() == nil)
        }
    }

    @Test func oneByteAtATime() {
        let bytes = Array("你好😀".utf8) + [0xED, 0xA0, 0x80]
        var validator = UTF8Validator()
        for b in bytes { validator.feed([b]) }
        #expect(validator.finish()?.kind == .surrogate)
        #expect(validator.failure?.offset == 11)
    }
}

/// The vectorised ASCII path against the standard library's decoder, on inputs where ASCII runs of every length
/// meet multi-byte characters and invalid bytes at every alignment.
@Suite struct UTF8ValidatorDifferentialTests {
    static func isValid(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    @Test func agreesWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("é".utf8), Array("你".utf8), Array("😀".utf8), [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
                                 [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xBD], [0xFF], [0x7F]]
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes += Array(repeating: UInt8(ascii: "a"), count: Int.random(in: 0...140, using: &generator))
                if Bool.random(using: &generator) { bytes += pieces.randomElement(using: &generator)! }
            }
            let whole = UTF8Validator.validate(bytes)
            #expect((whole == nil) == Self.isValid(bytes), "\(bytes)")
            // Split anywhere: the same verdict.
            var split = UTF8Validator()
            let cut = Int.random(in: 0...bytes.count, using: &generator)
            split.feed(Array(bytes[..<cut]))
            split.feed(Array(bytes[cut...]))
            #expect(split.finish() == whole)
        }
    }
}

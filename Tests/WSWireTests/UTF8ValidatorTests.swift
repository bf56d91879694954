import Testing
import WSWire

@Suite struct UTF8ValidatorTests {
    @Test(arguments: ["", "Hello", "你好", "κόσμε", "😀 emoji", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{FFFF}",
                      "\u{10000}", "\u{10FFFF}", "\u{D7FF}", "\u{E000}"])
    func acceptsValidText(text: String) {
        #expect(UTF8Validator.validate(Array(text.utf8)) == nil)
    }

    @Test(arguments: [
        ([0xC0, 0xAF], UTF8Validator.Failure.Kind.invalidByte),       // C0 never appears (it could only start an overlong "/")
        ([0xC1, 0xBF], .invalidByte),                                    // C1 never appears either
        ([0xE0, 0x80, 0xAF], .overlong),                                 // 3-byte overlong
        ([0xF0, 0x80, 0x80, 0xAF], .overlong),                           // 4-byte overlong
        ([0xED, 0xA0, 0x80], .surrogate),                                // U+D800
        ([0xED, 0xBF, 0xBF], .surrogate),                                // U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], .tooLarge),                           // U+110000
        ([0xF5, 0x80, 0x80, 0x80], .invalidByte),                        // F5-FF never appear
        ([0xFF], .invalidByte),
        ([0x80], .unexpectedContinuation),
        ([0xC3, 0x28], .missingContinuation),
        ([0xE4, 0xBD], .truncated),                                      // "你" cut short
    ])
    func rejectsInvalidSequences(bytes: [UInt8], kind: UTF8Validator.Failure.Kind) {
        #expect(UTF8Validator.validate(bytes)?.kind == kind)
    }

    /// One case per class of invalid UTF-8, each with the words its explanation must use (and, for the invalid
    /// bytes, must not claim a code point above U+10FFFF: FF encodes no code point at all).
    @Test(arguments: [
        // FF: a byte UTF-8 never uses
        ([0xFF, 0xFE], UTF8Validator.Failure.Kind.invalidByte, "0xFF never appears in UTF-8 (the bytes C0, C1 and F5-FF are not used)"),
        // C1 BF: C1 never appears (it could only start an overlong form)
        ([0xC1, 0xBF], .invalidByte, "0xC1 never appears in UTF-8"),
        // "a" then 80: a continuation byte with nothing to continue
        ([0x61, 0x80], .unexpectedContinuation, "0x80 is a continuation byte (10xxxxxx) with no lead byte before it"),
        // C3 then "(": the 2-byte character C3 starts gets an ASCII byte instead of its continuation
        ([0xC3, 0x28], .missingContinuation, "0xC3 starts a 2-byte character, but 0x28 is not a continuation byte (80-BF)"),
        // E4 BD: the first two bytes of 你 (E4 BD A0), then the end
        ([0xE4, 0xBD], .truncated, "0xE4 starts a 3-byte character, but the bytes end before it is complete"),
        // E0 80 AF: "/" (U+002F) in three bytes instead of one
        ([0xE0, 0x80, 0xAF], .overlong, "0xE0 0x80 is an overlong encoding"),
        // ED A0 80: U+D800, a UTF-16 surrogate
        ([0xED, 0xA0, 0x80], .surrogate, "0xED 0xA0 encodes a UTF-16 surrogate (U+D800-U+DFFF)"),
        // F4 90 80 80: U+110000, one past the last code point
        ([0xF4, 0x90, 0x80, 0x80], .tooLarge, "0xF4 0x90 encodes a code point above U+10FFFF"),
    ])
    func explainsEachClass(bytes: [UInt8], kind: UTF8Validator.Failure.Kind, words: String) {
        let failure = UTF8Validator.validate(bytes)
        #expect(failure?.kind == kind)
        #expect(failure?.explanation.contains(words) == true, "\(failure?.explanation ?? "valid")")
        if kind != .tooLarge { #expect(failure?.explanation.contains("U+10FFFF") == false) }
    }

    @Test func reportsTheOffsetOfTheBadByte() {
        // "abcdefghij" (10 ASCII, crosses the 8-byte fast path) then 0xFF
        let failure = UTF8Validator.validate(Array("abcdefghij".utf8) + [0xFF])
        #expect(failure?.offset == 10)
        #expect(failure?.byte == 0xFF)
    }

    /// The position is where the bad sequence starts, not the byte inside it that made it bad: "ab" then the bad
    /// sequence, so every case starts at offset 2, fed whole and one byte at a time.
    @Test(arguments: [
        ([0xE0, 0x80, 0xAF], UInt64(3)),          // overlong "/": E0 at 2, 80 (the byte that makes it overlong) at 3
        ([0xED, 0xA0, 0x80], UInt64(3)),          // U+D800: A0 makes it a surrogate
        ([0xF4, 0x90, 0x80, 0x80], UInt64(3)),    // U+110000: 90 takes it past U+10FFFF
        ([0xE4, 0xBD, 0x41], UInt64(4)),          // 你 (E4 BD A0) cut short by "A" at 4
        ([0xE4, 0xBD], UInt64(3)),                // 你 cut short by the end of the input: its last byte is at 3
        ([0x80], UInt64(2)),                      // a stray continuation byte: the sequence is that byte
        ([0xFF], UInt64(2)),                      // a byte UTF-8 never uses
    ])
    func thePositionIsTheStartOfTheBadSequence(bad: [UInt8], badByte: UInt64) {
        let bytes = Array("ab".utf8) + bad
        let whole = UTF8Validator.validate(bytes)
        #expect(whole?.offset == 2 && whole?.badByteOffset == badByte)
        var validator = UTF8Validator()
        for byte in bytes { validator.feed([byte]) }
        #expect(validator.finish() == whole)
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
        // ED A0 80 starts at byte 10 (after 3 + 3 + 4 bytes); A0, byte 11, is what makes it a surrogate
        #expect(validator.failure?.offset == 10 && validator.failure?.badByteOffset == 11)
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

/// A strict, incremental UTF-8 validator (RFC 3629, as RFC 6455 §5.6 and §8.1 require).
///
/// Feed it bytes in chunks of any size: a character split between two chunks (or two frames) is valid.
/// It rejects bytes that never appear in UTF-8 (C0, C1, F5-FF), stray continuation bytes, sequences cut short,
/// overlong forms, UTF-16 surrogates (U+D800-U+DFFF), code points above U+10FFFF, and a sequence left unfinished by
/// `finish()`. Runs of ASCII are checked sixty-four bytes at a time.
public struct UTF8Validator: Sendable {
    /// The first problem found, with its position counted from the first byte fed: where the bad sequence starts, and
    /// the byte that made it bad.
    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        /// The seven ways bytes fail to be UTF-8 (RFC 3629 §3, §4), with a short name for each.
        public enum Kind: String, Sendable {
            /// C0, C1 or F5-FF: bytes that never appear in UTF-8.
            case invalidByte = "invalid byte"
            /// A continuation byte (10xxxxxx) where a character should start.
            case unexpectedContinuation = "unexpected continuation byte"
            /// A lead byte followed by a byte that cannot continue its character.
            case missingContinuation = "truncated sequence"
            /// E0 80-9F or F0 80-8F: the character has a shorter form.
            case overlong = "overlong encoding"
            /// ED A0-BF: a UTF-16 surrogate (U+D800-U+DFFF).
            case surrogate = "UTF-16 surrogate"
            /// F4 90-BF: a code point above U+10FFFF.
            case tooLarge = "code point above U+10FFFF"
            /// The input ends inside a character.
            case truncated = "sequence cut off at the end"
        }
        public let kind: Kind
        /// Offset of the first byte of the bad sequence: the lead byte of the character that went wrong (so for
        /// E0 80 AF, the E0, not the 80 that makes it overlong), or the offending byte itself where a character
        /// should have started (an invalid byte, a stray continuation byte).
        public let offset: UInt64
        /// Offset of the byte at which the input stopped being UTF-8 (for `.truncated`, the last byte fed): with
        /// `offset`, the bytes a reader should look at.
        public let badByteOffset: UInt64
        /// The offending byte, nil for `.truncated`.
        public let byte: UInt8?
        /// The lead byte of the character the offending byte was to continue (or, for `.truncated`, of the
        /// unfinished character); nil when the offending byte is itself where a character should start.
        public let lead: UInt8?

        public init(kind: Kind, offset: UInt64, byte: UInt8?, lead: UInt8? = nil, badByteOffset: UInt64? = nil) {
            self.kind = kind
            self.offset = offset
            self.badByteOffset = badByteOffset ?? offset
            self.byte = byte
            self.lead = lead
        }

        public var description: String {
            if let byte {
                return "\(kind.rawValue) (byte 0x\(Hex.byte(byte)) at offset \(badByteOffset), in the sequence from offset \(offset))"
            }
            return "\(kind.rawValue) (at offset \(offset))"
        }

        /// What is wrong, in words that hold for this class of failure: "0xFF never appears in UTF-8 (…)".
        public var explanation: String {
            let bad = byte.map(Self.name) ?? "?"
            let start = lead.map(Self.name) ?? "a lead byte"
            let width = lead.map { $0 >= 0xF0 ? 4 : $0 >= 0xE0 ? 3 : 2 } ?? 2
            switch kind {
            case .invalidByte:
                return "\(bad) never appears in UTF-8 (the bytes C0, C1 and F5-FF are not used)"
            case .unexpectedContinuation:
                return "\(bad) is a continuation byte (10xxxxxx) with no lead byte before it"
            case .missingContinuation:
                return "\(start) starts a \(width)-byte character, but \(bad) is not a continuation byte (80-BF)"
            case .overlong:
                return "\(start) \(bad) is an overlong encoding (the character has a shorter form)"
            case .surrogate:
                return "\(start) \(bad) encodes a UTF-16 surrogate (U+D800-U+DFFF), which UTF-8 excludes"
            case .tooLarge:
                return "\(start) \(bad) encodes a code point above U+10FFFF, the last one Unicode has"
            case .truncated:
                return "\(start) starts a \(width)-byte character, but the bytes end before it is complete"
            }
        }

        private static func name(_ byte: UInt8) -> String { "0x" + Hex.byte(byte).uppercased() }
    }

    /// Continuation bytes still expected for the current character.
    private var remaining: UInt8 = 0
    /// Allowed range of the next continuation byte (narrower than 80-BF right after E0, ED, F0, F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Kind to report when the next byte falls outside [lower, upper] in the narrow case.
    private var narrowKind: Failure.Kind = .missingContinuation
    /// Bytes fed so far.
    public private(set) var count: UInt64 = 0
    /// Offset and value of the lead byte of an unfinished character.
    private var leadOffset: UInt64 = 0
    private var leadByte: UInt8 = 0
    /// The first failure; once set, later bytes are only counted.
    public private(set) var failure: Failure?

    public init() {}

    /// True while no invalid byte has been seen (an unfinished character is not yet a failure).
    public var isValidSoFar: Bool { failure == nil }

    /// True when the bytes so far end on a character boundary.
    public var isAtBoundary: Bool { remaining == 0 }

    /// Validates the next chunk.
    /// Reads the continuation bytes of the open character from `i` on, byte by byte. False (with the failure
    /// recorded and the whole chunk counted) when a byte cannot continue it.
    @inline(__always)
    private mutating func continueCharacter(_ base: UnsafeRawPointer, at i: inout Int, count n: Int) -> Bool {
        while remaining != 0 && i < n {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            guard byte >= lower, byte <= upper else {
                let kind: Failure.Kind = (byte >= 0x80 && byte <= 0xBF) ? narrowKind : .missingContinuation
                failure = Failure(kind: kind, offset: leadOffset, byte: byte, lead: leadByte, badByteOffset: count &+ UInt64(i))
                count &+= UInt64(n)
                return false
            }
            remaining -= 1
            lower = 0x80
            upper = 0xBF
            i += 1
        }
        return true
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard failure == nil, n > 0, let base = bytes.baseAddress else {
            count &+= UInt64(bytes.count)
            return
        }
        var i = 0
        // Finish a character left open by the previous chunk.
        guard continueCharacter(base, at: &i, count: n) else { return }
        while i < n {
            // ASCII fast path: sixty-four bytes a step (four 16-byte vectors), then eight; a word with a non-ASCII
            // byte sends `i` straight to that byte.
            while i &+ 64 <= n {
                let p = base.advanced(by: i)
                let v = p.loadUnaligned(as: SIMD16<UInt8>.self) | p.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
                    | p.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self) | p.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self)
                let halves = unsafeBitCast(v, to: SIMD2<UInt64>.self)
                if (halves[0] | halves[1]) & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 64
            }
            while i &+ 8 <= n {
                let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & 0x8080_8080_8080_8080
                if high != 0 {
                    i &+= high.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            // Text with characters beyond ASCII: one character at a time, until eight ASCII bytes in a row send it
            // back to the word-at-a-time loops (a word of Cyrillic or CJK does not retry them at every character).
            while i < n {
                let lead = base.load(fromByteOffset: i, as: UInt8.self)
                if lead < 0x80 {
                    if i &+ 8 <= n,
                       UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & 0x8080_8080_8080_8080 == 0 {
                        break
                    }
                    i += 1
                    continue
                }
                // A whole multi-byte character inside the chunk: check it in one go (Unicode Table 3-7).
                if i + 4 <= n {
                    let b1 = base.load(fromByteOffset: i + 1, as: UInt8.self)
                    var width = 0
                    switch lead {
                    case 0xC2...0xDF:
                        if b1 & 0xC0 == 0x80 { width = 2 }
                    case 0xE0...0xEF:
                        let b2 = base.load(fromByteOffset: i + 2, as: UInt8.self)
                        let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                        let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                        if b1 >= low && b1 <= high && b2 & 0xC0 == 0x80 { width = 3 }
                    case 0xF0...0xF4:
                        let b2 = base.load(fromByteOffset: i + 2, as: UInt8.self)
                        let b3 = base.load(fromByteOffset: i + 3, as: UInt8.self)
                        let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                        let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                        if b1 >= low && b1 <= high && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 { width = 4 }
                    default:
                        break
                    }
                    if width > 0 {
                        i += width
                        continue
                    }
                }
                // Near the end of the chunk, or invalid: the byte-by-byte path finds the exact failure.
                if !begin(lead: lead, at: count &+ UInt64(i)) {
                    count &+= UInt64(n)
                    return
                }
                i += 1
                guard continueCharacter(base, at: &i, count: n) else { return }
            }
        }
        count &+= UInt64(n)
    }

    /// Validates bytes held in an array.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Ends the input; an unfinished character becomes a `.truncated` failure. Returns the first failure, if any.
    @discardableResult
    public mutating func finish() -> Failure? {
        if failure == nil, remaining != 0 {
            failure = Failure(kind: .truncated, offset: leadOffset, byte: nil, lead: leadByte, badByteOffset: count &- 1)
        }
        return failure
    }

    /// The length of the longest prefix of `bytes` that does not end inside a multi-byte character
    /// (for cutting valid UTF-8 at a display limit).
    public static func characterBoundary(in bytes: [UInt8], before end: Int) -> Int {
        var back = end
        while back > 0, bytes[back - 1] & 0xC0 == 0x80 { back -= 1 }
        guard back > 0 else { return end }
        let lead = bytes[back - 1]
        let width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        return end - (back - 1) < width ? back - 1 : end
    }

    /// Validates a whole buffer at once.
    public static func validate(_ bytes: [UInt8]) -> Failure? {
        var validator = UTF8Validator()
        validator.feed(bytes)
        return validator.finish()
    }

    /// Starts a multi-byte character; false (and `failure` set) if `lead` cannot start one.
    private mutating func begin(lead: UInt8, at offset: UInt64) -> Bool {
        leadOffset = offset
        leadByte = lead
        lower = 0x80
        upper = 0xBF
        switch lead {
        case 0xC2...0xDF:
            remaining = 1
        case 0xE0:
            remaining = 2; lower = 0xA0; narrowKind = .overlong
        case 0xE1...0xEC, 0xEE...0xEF:
            remaining = 2
        case 0xED:
            remaining = 2; upper = 0x9F; narrowKind = .surrogate
        case 0xF0:
            remaining = 3; lower = 0x90; narrowKind = .overlong
        case 0xF1...0xF3:
            remaining = 3
        case 0xF4:
            remaining = 3; upper = 0x8F; narrowKind = .tooLarge
        case 0x80...0xBF:
            failure = Failure(kind: .unexpectedContinuation, offset: offset, byte: lead)
            return false
        default: // C0, C1, F5-FF: never in UTF-8
            failure = Failure(kind: .invalidByte, offset: offset, byte: lead)
            return false
        }
        return true
    }
}

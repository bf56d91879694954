extension JSONScanner {
    /// Reads a string (at its opening quote). Tree mode returns it; canonical mode writes it, re-escaped, to `out`
    /// (and returns "").
    mutating func string() throws(JSONError) -> String {
        let opening = i
        i &+= 1
        if writing { out.append(0x22) } else if building { scratch.removeAll(keepingCapacity: true) }
        while true {
            // A run of plain printable ASCII is copied at once.
            let runStart = i
            skipPlainASCII()
            if i > runStart {
                let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])
                if writing { out.append(contentsOf: run) } else if building { scratch.append(contentsOf: run) }
            }
            guard i < bytes.count else {
                throw JSONError(offset: opening, reason: "the string that starts here is never closed (no '\"')")
            }
            let b = bytes[i]
            if b == 0x22 {
                i &+= 1
                if writing { out.append(0x22) }
                return building ? String(decoding: scratch, as: UTF8.self) : ""
            }
            if b == 0x5C {
                emit(try escape())
            } else if b < 0x20 {
                throw JSONError(offset: i, reason: "control character U+00\(JSONEscaping.hex([b]).uppercased()) inside a string; it must be escaped")
            } else if b == 0x7F {
                emit(0x7F)
                i &+= 1
            } else {
                let start = i
                let scalar = try utf8Scalar()
                if writing && !JSONEscaping.needsUnicodeEscape(scalar) {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
                } else {
                    emit(scalar)
                }
            }
        }
    }

    /// One character of a string's content.
    @inline(__always)
    mutating func emit(_ scalar: UInt32) {
        if writing {
            JSONEscaping.append(scalar: scalar, to: &out)
        } else if building {
            UTF8Encoding.append(scalar, to: &scratch)
        }
    }

    /// Moves `i` past printable ASCII other than `"` and `\`, eight bytes at a time where it can (SWAR: a word has
    /// none below 0x20, none at or above 0x7F, no 0x22 and no 0x5C; the lowest flagged byte is always a real one, so
    /// `i` jumps straight to it). Strings are most of a JSON message: this keeps checking them near memory speed.
    @inline(__always)
    mutating func skipPlainASCII() {
        let end = bytes.count
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i &+ 8 <= end {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let below20 = (w &- ones &* 0x20) & ~w & highs
                let above7E = ((w &+ ones &* (0x80 - 0x7F)) | w) & highs
                let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
                let hasQuote = (quote &- ones) & ~quote & highs
                let hasBackslash = (backslash &- ones) & ~backslash & highs
                let special = below20 | above7E | hasQuote | hasBackslash
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    return
                }
                i &+= 8
            }
        }
        while i < end {
            let b = bytes[i]
            guard b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C else { return }
            i &+= 1
        }
    }

    /// Reads an escape sequence (at its backslash) and returns the character it stands for.
    mutating func escape() throws(JSONError) -> UInt32 {
        let at = i
        guard i + 1 < bytes.count else { throw JSONError(offset: at, reason: "the message ends inside an escape sequence") }
        let letter = bytes[i + 1]
        i &+= 2
        switch letter {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            let unit = try hex4(at: at)
            if unit >= 0xD800 && unit <= 0xDBFF {
                // A high surrogate must be followed by an escaped low one.
                if i + 1 < bytes.count && bytes[i] == 0x5C && bytes[i + 1] == UInt8(ascii: "u") {
                    let saved = i
                    i &+= 2
                    let low = try hex4(at: saved)
                    if low >= 0xDC00 && low <= 0xDFFF {
                        return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    i = saved
                }
                surrogates &+= 1
                return 0xFFFD
            }
            if unit >= 0xDC00 && unit <= 0xDFFF {
                surrogates &+= 1
                return 0xFFFD
            }
            return unit
        default:
            i = at
            throw JSONError(offset: at, reason: "\\\(describe(at + 1).trimmingQuotes) is not a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
    }

    /// Four hex digits after `\u` (i is at the first).
    mutating func hex4(at escapeStart: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard i < bytes.count else { throw JSONError(offset: escapeStart, reason: "the message ends inside a \\u escape") }
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw JSONError(offset: i, reason: "\(describe(i)) where a hex digit of a \\u escape should be")
            }
            value = value << 4 | UInt32(digit)
            i &+= 1
        }
        return value
    }

    /// Decodes one multi-byte UTF-8 character (at its lead byte), rejecting overlong forms, surrogates and values
    /// beyond U+10FFFF.
    mutating func utf8Scalar() throws(JSONError) -> UInt32 {
        let at = i
        let lead = bytes[i]
        let count: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: count = 1; value = UInt32(lead & 0x1F)
        case 0xE0: count = 2; low = 0xA0; value = 0
        case 0xE1...0xEC, 0xEE, 0xEF: count = 2; value = UInt32(lead & 0x0F)
        case 0xED: count = 2; high = 0x9F; value = 0x0D
        case 0xF0: count = 3; low = 0x90; value = 0
        case 0xF1...0xF3: count = 3; value = UInt32(lead & 0x07)
        case 0xF4: count = 3; high = 0x8F; value = 4
        default: throw JSONError(offset: at, reason: "byte 0x\(JSONEscaping.hex([lead])) is not UTF-8 here (a string must be valid UTF-8)")
        }
        i &+= 1
        for k in 0..<count {
            guard i < bytes.count else { throw JSONError(offset: at, reason: "a UTF-8 character is cut off by the end of the message") }
            let b = bytes[i]
            let (lo, hi) = k == 0 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard b >= lo && b <= hi else {
                throw JSONError(offset: at, reason: "invalid UTF-8 sequence starting with byte 0x\(JSONEscaping.hex([lead]))")
            }
            value = value << 6 | UInt32(b & 0x3F)
            i &+= 1
        }
        return value
    }
}

extension String {
    /// `'x'` → `x` (for messages that quote a character themselves).
    var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count >= 3 ? String(dropFirst().dropLast()) : self
    }
}

/// UTF-8 encoding of one scalar.
enum UTF8Encoding {
    @inline(__always)
    static func append(_ value: UInt32, to out: inout [UInt8]) {
        if value < 0x80 {
            out.append(UInt8(value))
        } else if value < 0x800 {
            out.append(UInt8(0xC0 | value >> 6)); out.append(UInt8(0x80 | value & 0x3F))
        } else if value < 0x10000 {
            out.append(UInt8(0xE0 | value >> 12)); out.append(UInt8(0x80 | value >> 6 & 0x3F)); out.append(UInt8(0x80 | value & 0x3F))
        } else {
            out.append(UInt8(0xF0 | value >> 18)); out.append(UInt8(0x80 | value >> 12 & 0x3F))
            out.append(UInt8(0x80 | value >> 6 & 0x3F)); out.append(UInt8(0x80 | value & 0x3F))
        }
    }
}

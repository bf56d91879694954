/// `FramePreview.clip(TerminalText.escape(bytes), width)` computed on bytes, in one pass that stops once the clip
/// point is known: the previews of the text views, without building `String`s or walking grapheme clusters.
///
/// `clip` cuts between grapheme clusters (`Character`s). Here the cut is between scalars, which is the same as long
/// as every scalar up to the cut is its own cluster. That holds for the scalars `isSimple` accepts (ASCII, Latin,
/// Greek, Cyrillic, CJK, kana, most symbols and emoji): none of them joins a neighbour (they are not Extend, ZWJ,
/// SpacingMark, Prepend, Regional_Indicator or Hangul jamo/syllables, UAX #29). For anything else `clip` returns
/// nil and the caller takes the `String` path.
enum EscapedText {
    /// The escaped, clipped bytes and the columns they take; nil when a scalar needs the `String` path.
    static func clip(_ payload: ArraySlice<UInt8>, width: Int) -> (bytes: [UInt8], columns: Int)? {
        var out: [UInt8] = []
        guard let columns = clip(payload, width: width, into: &out) else { return nil }
        return (out, columns)
    }

    /// `clip` appended to `out`; the columns appended, or nil (and `out` as it was) when a scalar needs the
    /// `String` path.
    static func clip(_ payload: ArraySlice<UInt8>, width: Int, into out: inout [UInt8]) -> Int? {
        payload.withUnsafeBufferPointer { clip($0, width: width, into: &out) }
    }

    static func clip(_ input: UnsafeBufferPointer<UInt8>, width: Int, into out: inout [UInt8]) -> Int? {
        let ellipsis: StaticString = "…"
        guard width > 1 else {
            ellipsis.withUTF8Buffer { out.append(contentsOf: $0) }
            return 1
        }
        let start = out.count
        out.reserveCapacity(start + min(input.count, width * 3) + 8)
        // Columns so far; where the text is cut if it turns out wider than `width`: before the first unit that
        // goes past `width - 1` columns (leaving one for the `…`), and the columns before that unit.
        var used = 0
        var cutIndex = -1
        var cutColumns = 0
        let last = width - 1
        // One display unit, `count` bytes of `out` just appended, `columns` wide.
        func unit(_ columns: Int, appended count: Int) {
            if cutIndex < 0 && used + columns > last {
                cutIndex = out.count - count
                cutColumns = used
            }
            used += columns
        }
        func escapeASCII(_ text: StaticString) {
            text.withUTF8Buffer { for byte in $0 { out.append(byte); unit(1, appended: 1) } }
        }
        func hexEscape(_ byte: UInt8) {
            for piece in [0x5C, 0x78, hexDigit(byte >> 4), hexDigit(byte & 0x0F)] as [UInt8] {
                out.append(piece)
                unit(1, appended: 1)
            }
        }
        var i = 0
        let count = input.count
        while i < count {
            if cutIndex >= 0 && used > width { break }   // clipped for sure, and where is known
            let lead = input[i]
            if lead >= 0x20 && lead < 0x7F && lead != 0x5C {
                // A run of printable ASCII, one column a byte, copied at once (no more than can be shown).
                var end = i + 1
                let stop = min(count, i + max(1, width + 1 - used))
                while end < stop, input[end] >= 0x20, input[end] < 0x7F, input[end] != 0x5C { end += 1 }
                let run = end - i
                if cutIndex < 0 && used + run > last {
                    let inside = max(0, last - used)
                    cutIndex = out.count + inside
                    cutColumns = used + inside
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<end]))
                used += run
                i = end
                continue
            }
            if lead < 0x80 {
                switch lead {
                case 0x5C: escapeASCII("\\\\")
                case 0x0A: escapeASCII("\\n")
                case 0x0D: escapeASCII("\\r")
                case 0x09: escapeASCII("\\t")
                default: hexEscape(lead)   // C0 controls and DEL
                }
                i += 1
                continue
            }
            guard let (scalar, length) = decode(input, at: i) else {
                hexEscape(lead)   // not part of a valid character
                i += 1
                continue
            }
            if TerminalText.isUnsafe(scalar) {
                // `\u{202e}` and the like: ASCII, one column per character.
                for byte in ("\\u{" + String(scalar.value, radix: 16) + "}").utf8 {
                    out.append(byte)
                    unit(1, appended: 1)
                }
            } else {
                guard isSimple(scalar) else {
                    out.removeSubrange(start...)
                    return nil
                }
                for k in 0..<length { out.append(input[i + k]) }
                unit(TerminalText.columns(scalar), appended: length)
            }
            i += length
        }
        if used <= width { return used }
        out.removeSubrange(cutIndex...)
        ellipsis.withUTF8Buffer { out.append(contentsOf: $0) }
        return cutColumns + 1
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    /// The scalar a well-formed UTF-8 sequence at `i` encodes (the sequences `UTF8Validator` accepts), and its length.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        let lead = input[i]
        let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
        guard length > 0, i + length <= input.count else { return nil }
        let second = input[i + 1]
        let secondRange: ClosedRange<UInt8> = switch lead {
        case 0xE0: 0xA0...0xBF
        case 0xED: 0x80...0x9F
        case 0xF0: 0x90...0xBF
        case 0xF4: 0x80...0x8F
        default: 0x80...0xBF
        }
        guard secondRange.contains(second) else { return nil }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        value = value << 6 | UInt32(second & 0x3F)
        for k in 2..<max(2, length) {
            let byte = input[i + k]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Scalars that are always a grapheme cluster of their own (see the type's documentation).
    static func isSimple(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0x2FF, 0x370...0x482, 0x48A...0x52F,
             0x2010...0x2027, 0x2030...0x205E, 0x2070...0x20CF, 0x2100...0x2BFF,
             0x3000...0x3029, 0x3030...0x303F, 0x3041...0x3096, 0x309B...0x30FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF9D, 0xFFE0...0xFFE6,
             0x1F300...0x1F3FA, 0x1F400...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF:
            return true
        default:
            return false
        }
    }
}

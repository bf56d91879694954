#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WSWire

/// A line of text output built as UTF-8 bytes, with the terminal columns it takes counted as it grows.
///
/// The per-frame and per-message lines of the text views are built here instead of through `String`
/// interpolation, padding and joining: those cost more than decoding the frame itself (Docs/performance.md). The
/// bytes are the same as the `String` versions'; `TextLineTests` and the golden outputs hold them to it.
struct TextLine {
    private(set) var bytes: [UInt8] = []
    /// Display columns of `bytes` (East Asian wide characters count two).
    private(set) var columns = 0

    init() { bytes.reserveCapacity(256) }

    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        columns = 0
    }

    /// ASCII text (each byte one column).
    mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        columns += text.utf8CodeUnitCount
    }

    /// Text that is already safe for a terminal (no escaping); its columns counted.
    mutating func text(_ text: String) {
        var copy = text
        let ascii = copy.withUTF8 { utf8 in
            bytes.append(contentsOf: utf8)
            return utf8.allSatisfy { $0 < 0x80 } ? utf8.count : nil
        }
        columns += ascii ?? TerminalText.displayWidth(text)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
        columns += 1
    }

    mutating func space() { byte(0x20) }

    /// A decimal integer.
    mutating func int<T: BinaryInteger>(_ value: T) {
        if value < 0 {
            byte(UInt8(ascii: "-"))
            unsigned(UInt64(-Int64(value)))
        } else {
            unsigned(UInt64(value))
        }
    }

    private mutating func unsigned(_ value: UInt64) {
        if value < 10 {
            byte(0x30 + UInt8(value))
            return
        }
        // Digits from the last, in a 20-byte buffer (UInt64.max has 20), then copied in one go.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var index = 20
            while rest > 0 {
                index -= 1
                digits[index] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
            columns += 20 - index
        }
    }

    /// Text of known width (symbols such as `→`, `–`, `···`): no measuring.
    mutating func symbol(_ text: StaticString, columns width: Int) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        columns += width
    }

    /// Bytes as lower-case hex pairs, no separator.
    mutating func hex<C: Collection>(_ data: C) where C.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            for value in data {
                bytes.append(table[Int(value >> 4)])
                bytes.append(table[Int(value & 0x0F)])
            }
        }
        columns += data.count * 2
    }

    /// One byte as a lower-case hex pair.
    mutating func hex(_ value: UInt8) {
        let high = value >> 4, low = value & 0x0F
        bytes.append(high < 10 ? 0x30 + high : 0x57 + high)
        bytes.append(low < 10 ? 0x30 + low : 0x57 + low)
        columns += 2
    }

    /// Bytes as lower-case hex pairs with a separator between them (`Hex.string(_:separator:)` of one character).
    mutating func hex<C: Collection>(_ data: C, separator: UInt8) where C.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            var first = true
            for value in data {
                if !first { bytes.append(separator) }
                first = false
                bytes.append(table[Int(value >> 4)])
                bytes.append(table[Int(value & 0x0F)])
            }
        }
        columns += data.isEmpty ? 0 : data.count * 3 - 1
    }

    /// printf `%.6f` with a prefix (`+0.001829`): the C library's digits, without a `String`. Times of a capture
    /// (0 to 10^6 s, not within 10^-9 of a rounding tie once scaled) are formatted from the integer of micro-units,
    /// which gives printf's digits there; the rest goes through `vsnprintf` itself.
    mutating func fixed6(_ value: Double, plus: Bool) {
        if value >= 0, value < 1e6 {
            let scaled = value * 1e6
            let floor = scaled.rounded(.down)
            let fraction = scaled - floor
            if abs(fraction - 0.5) > 1e-3 {
                let micro = UInt64(fraction > 0.5 ? floor + 1 : floor)
                if plus { byte(UInt8(ascii: "+")) }
                unsigned(micro / 1_000_000)
                byte(UInt8(ascii: "."))
                var digits = micro % 1_000_000
                var place: UInt64 = 100_000
                for _ in 0..<6 {
                    byte(0x30 + UInt8(digits / place))
                    digits %= place
                    place /= 10
                }
                return
            }
        }
        printfFixed6(value, plus: plus)
    }

    private mutating func printfFixed6(_ value: Double, plus: Bool) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let count = Int(withVaList([value]) { vsnprintf(buffer.baseAddress, 64, plus ? "+%.6f" : "%.6f", $0) })
            let length = min(count, 63)
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: length) {
                bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
            columns += length
        }
    }

    /// Spaces up to `column` (nothing when the line is already that wide): the text views' `pad`.
    mutating func pad(to column: Int) {
        if columns < column {
            bytes.append(contentsOf: repeatElement(0x20, count: column - columns))
            columns = column
        }
    }

    /// Back to what the line was when it had `count` bytes taking `columns` columns.
    mutating func truncate(count: Int, columns: Int) {
        bytes.removeLast(bytes.count - count)
        self.columns = columns
    }

    /// Removes the spaces at the end of the line.
    mutating func trimTrailingSpaces() {
        while bytes.last == 0x20 {
            bytes.removeLast()
            columns -= 1
        }
    }

    /// Everything of another line.
    mutating func append(_ other: TextLine) {
        bytes.append(contentsOf: other.bytes)
        columns += other.columns
    }

    /// `"text"` — the payload escaped and clipped in quotes, as the previews show it — followed by `…` when
    /// `cutShort` (the payload holds less than was sent) and the clip did not already end in one.
    mutating func quoted(_ payload: ArraySlice<UInt8>, width: Int, cutShort: Bool) {
        byte(0x22)
        let before = bytes.count
        escapedClipped(payload, width: width - 2)
        let endsInEllipsis = bytes.count - before >= 3 && bytes.suffix(3).elementsEqual([0xE2, 0x80, 0xA6])
        byte(0x22)
        if cutShort && !endsInEllipsis { symbol("…", columns: 1) }
    }

    /// `bytes` escaped for a terminal (`TerminalText.escape`) and clipped to `width` columns with `…`
    /// (`FramePreview.clip`): the same result, computed on bytes. Text needing grapheme-cluster rules to clip
    /// (combining marks, joiners, flags, Hangul jamo…) goes through the `String` functions instead.
    mutating func escapedClipped(_ payload: ArraySlice<UInt8>, width: Int) {
        if let fast = EscapedText.clip(payload, width: width, into: &bytes) {
            columns += fast
        } else {
            text(FramePreview.clip(TerminalText.escape(payload), width))
        }
    }
}

import WSWire

/// Writes JSON text straight into a byte buffer: one reusable buffer, no intermediate objects, keys in a fixed order.
///
/// Commas are inserted automatically. Strings are escaped so that the output is valid JSON for any input and safe
/// on a terminal: control characters, C1 controls, bidi overrides and line separators become `\uXXXX`.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its storage.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    @inline(__always)
    private mutating func comma() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    public mutating func beginObject() {
        comma()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        comma()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Ends a JSON Lines record.
    public mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    /// Writes `"name":`; the name must not need escaping.
    public mutating func key(_ name: StaticString) {
        comma()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// Writes `"name":` for a computed name.
    public mutating func key(_ name: String) {
        comma()
        appendQuoted(Array(name.utf8))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func null() {
        comma()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        comma()
        if value { bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
        needsComma = true
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        comma()
        appendDecimal(value)
        needsComma = true
    }

    /// A floating-point number (non-finite values are written as null).
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        comma()
        bytes.append(contentsOf: value.description.utf8)
        needsComma = true
    }

    /// A timestamp as seconds since the epoch with its fraction digits, e.g. `1732250000.123456`.
    public mutating func timestamp(_ time: Timestamp) {
        comma()
        appendDecimal(time.seconds)
        let digits = Int(time.digits)
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            var fraction = Int(time.nanoseconds)
            for _ in 0..<(9 - digits) { fraction /= 10 }
            var place = 1
            for _ in 1..<digits { place *= 10 }
            while place > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(fraction / place % 10))
                place /= 10
            }
        }
        needsComma = true
    }

    public mutating func string(_ value: String) {
        comma()
        var value = value
        value.withUTF8 { appendQuoted($0) }
        needsComma = true
    }

    /// A string from bytes that are valid UTF-8 (invalid sequences are replaced by U+FFFD).
    public mutating func string<C: Collection>(utf8 value: C) where C.Element == UInt8 {
        comma()
        let array = Array(value)
        if UTF8Validator.validate(array) == nil {
            appendQuoted(array)
        } else {
            appendQuoted(Array(String(decoding: array, as: UTF8.self).utf8))
        }
        needsComma = true
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func intOrNull<I: BinaryInteger>(_ value: I?) {
        if let value { int(value) } else { null() }
    }

    /// Bytes as a lowercase hex string.
    public mutating func hex<C: Collection>(_ value: C) where C.Element == UInt8 {
        comma()
        bytes.append(UInt8(ascii: "\""))
        for byte in value {
            bytes.append(Hex.digits[Int(byte >> 4)])
            bytes.append(Hex.digits[Int(byte & 0xF)])
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Already-encoded JSON, inserted verbatim as one value.
    public mutating func raw(_ json: [UInt8]) {
        comma()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    // MARK: - Encoding

    private mutating func appendDecimal<I: BinaryInteger>(_ value: I) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDecimalMagnitude(UInt64(value.magnitude))
        } else {
            appendDecimalMagnitude(UInt64(value))
        }
    }

    private mutating func appendDecimalMagnitude(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0) // 32 bytes of scratch
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { scratch in
            while v > 0 {
                scratch[31 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            bytes.append(contentsOf: scratch[(32 - count)...])
        }
    }

    private static let escapes: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted<C: Collection>(_ utf8: C) where C.Element == UInt8, C.Index == Int {
        bytes.append(UInt8(ascii: "\""))
        var i = utf8.startIndex
        let end = utf8.endIndex
        while i < end {
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F:
                appendUnicodeEscape(UInt32(b))
            case 0xC2 where i + 1 < end && utf8[i + 1] >= 0x80 && utf8[i + 1] <= 0x9F:
                appendUnicodeEscape(UInt32(utf8[i + 1]))       // C1 control U+0080-U+009F
                i += 1
            case 0xE2 where i + 2 < end && isUnsafeE2(utf8[i + 1], utf8[i + 2]):
                appendUnicodeEscape(0x2000 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F))
                i += 2
            case 0xD8 where i + 1 < end && utf8[i + 1] == 0x9C:
                appendUnicodeEscape(0x061C)                    // Arabic letter mark (bidi)
                i += 1
            case 0xEF where i + 2 < end && utf8[i + 1] == 0xBB && utf8[i + 2] == 0xBF:
                appendUnicodeEscape(0xFEFF)
                i += 2
            default:
                bytes.append(b)
            }
            i += 1
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// U+200E, U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069 (all encoded as E2 80/81 xx).
    private func isUnsafeE2(_ b1: UInt8, _ b2: UInt8) -> Bool {
        if b1 == 0x80 { return b2 == 0x8E || b2 == 0x8F || (b2 >= 0xA8 && b2 <= 0xAE) }
        if b1 == 0x81 { return b2 >= 0xA6 && b2 <= 0xA9 }
        return false
    }

    private mutating func appendUnicodeEscape(_ value: UInt32) {
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(Self.escapes[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}

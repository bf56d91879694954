import WSStream
import WSWire

/// Writes JSON text straight into a byte buffer: one reusable buffer, no intermediate objects, keys in a fixed order.
///
/// Commas are inserted automatically. Strings are escaped so that the output is valid JSON for any input and safe
/// on a terminal: control characters, C1 controls, bidi overrides and line separators become `\uXXXX`.
/// The buffer is raw memory grown by doubling, so that appending a byte is a store, not an array operation
/// (the JSON Lines path writes hundreds of thousands of records).
public struct JSONWriter {
    private let storage: ByteStorage
    private var needsComma = false

    public init(capacity: Int = 4096) {
        storage = ByteStorage(capacity: capacity)
    }

    /// The bytes written so far (a copy).
    public var bytes: [UInt8] { storage.array }

    /// Bytes written so far.
    public var count: Int { storage.count }

    /// Calls `body` with the bytes written so far (no copy).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    /// Empties the buffer but stays where it was in the JSON (the next value still gets its comma): for writing a
    /// long document out in pieces.
    public mutating func removeAllBytes() {
        storage.count = 0
    }

    /// Empties the buffer, keeping its storage.
    public mutating func reset() {
        storage.count = 0
        needsComma = false
    }

    @inline(__always)
    private func comma() {
        if needsComma { storage.append(UInt8(ascii: ",")) }
    }

    public mutating func beginObject() {
        comma()
        storage.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        storage.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        comma()
        storage.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        storage.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Ends a JSON Lines record.
    public mutating func newline() {
        storage.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    /// Writes `"name":`; the name must not need escaping. Inlined so that the literal's length is a constant.
    @inline(__always)
    public mutating func key(_ name: StaticString) {
        appendQuoted(literal: name, reserving: 1)
        storage.appendUnchecked(UInt8(ascii: ":"))
        needsComma = false
    }

    /// `,` if needed, then `"literal"`, with room for `extra` more bytes reserved.
    @inline(__always)
    private mutating func appendQuoted(literal: StaticString, reserving extra: Int) {
        let length = literal.utf8CodeUnitCount
        storage.reserve(length &+ 3 &+ extra)
        if needsComma { storage.appendUnchecked(UInt8(ascii: ",")) }
        storage.appendUnchecked(UInt8(ascii: "\""))
        storage.appendUnchecked(UnsafeRawPointer(literal.utf8Start), count: length)
        storage.appendUnchecked(UInt8(ascii: "\""))
    }

    /// Writes `"name":` for a key of a record schema.
    @inline(__always)
    public mutating func key<K: RecordSchema>(_ field: K) {
        key(field.key)
    }

    /// Writes `"name":` for a computed name (escaped as any string is).
    public mutating func key(computed name: String) {
        comma()
        var name = name
        name.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0)) }
        storage.append(UInt8(ascii: ":"))
        needsComma = false
    }

    @inline(__always)
    public mutating func null() {
        storage.reserve(9)   // a comma and one 8-byte store
        if needsComma { storage.appendUnchecked(UInt8(ascii: ",")) }
        storage.appendWord(0x6C6C_756E, count: 4)          // "null"
        needsComma = true
    }

    @inline(__always)
    public mutating func bool(_ value: Bool) {
        storage.reserve(9)   // a comma and one 8-byte store
        if needsComma { storage.appendUnchecked(UInt8(ascii: ",")) }
        if value {
            storage.appendWord(0x6575_7274, count: 4)      // "true"
        } else {
            storage.appendWord(0x65_736C_6166, count: 5)   // "false"
        }
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
        var text = value.description
        text.withUTF8 { storage.append(UnsafeRawBufferPointer($0)) }
        needsComma = true
    }

    /// A timestamp as seconds since the epoch with its fraction digits, e.g. `1732250000.123456`.
    public mutating func timestamp(_ time: Timestamp) {
        comma()
        appendDecimal(time.seconds)
        let digits = Int(time.digits)
        if digits > 0 && digits <= 9 {
            storage.reserve(digits &+ 1)
            storage.appendUnchecked(UInt8(ascii: "."))
            var divisor: UInt64 = 1
            for _ in digits..<9 { divisor &*= 10 }
            let fraction = UInt64(max(0, time.nanoseconds)) / divisor
            appendDigits(fraction, length: digits)
        }
        needsComma = true
    }

    /// A string literal that needs no escaping (record kinds), written without scanning it.
    @inline(__always)
    public mutating func string(literal value: StaticString) {
        appendQuoted(literal: value, reserving: 0)
        needsComma = true
    }

    /// A name from one of wsinspect's own tables (opcode names, senders, length forms, rule ids): plain ASCII from `-`
    /// up (no controls, quote or backslash), copied without the escaping scan; anything else is escaped as usual.
    public mutating func string(name value: String) {
        let written: Bool? = value.utf8.withContiguousStorageIfAvailable { bytes in
            var plain = true
            for byte in bytes where byte < 0x2D || byte >= 0x7F || byte == 0x5C { plain = false }
            guard plain else { return false }
            storage.reserve(bytes.count &+ 3)
            if needsComma { storage.appendUnchecked(UInt8(ascii: ",")) }
            storage.appendUnchecked(UInt8(ascii: "\""))
            if let base = bytes.baseAddress { storage.appendUnchecked(UnsafeRawPointer(base), count: bytes.count) }
            storage.appendUnchecked(UInt8(ascii: "\""))
            needsComma = true
            return true
        }
        if written != true { string(value) }
    }

    private mutating func appendQuotedValue(_ bytes: UnsafeRawBufferPointer) {
        comma()
        appendQuoted(bytes)
        needsComma = true
    }

    public mutating func string(_ value: String) {
        comma()
        var value = value
        value.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0)) }
        needsComma = true
    }

    /// A string from bytes known to be valid UTF-8 (as validated text payloads are): no decoding, no copy.
    public mutating func string(validUTF8 bytes: UnsafeRawBufferPointer) {
        comma()
        appendQuoted(bytes)
        needsComma = true
    }

    /// A string from bytes that should be UTF-8 (invalid sequences are replaced by U+FFFD).
    public mutating func string<C: Collection>(utf8 value: C) where C.Element == UInt8 {
        let array = Array(value)
        if UTF8Validator.validate(array) == nil {
            array.withUnsafeBytes { string(validUTF8: $0) }
        } else {
            string(String(decoding: array, as: UTF8.self))
        }
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func intOrNull<I: BinaryInteger>(_ value: I?) {
        if let value { int(value) } else { null() }
    }

    /// Bytes as a lowercase hex string.
    public mutating func hex<C: Collection>(_ value: C) where C.Element == UInt8 {
        if let done: Void = value.withContiguousStorageIfAvailable({ hex(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        Array(value).withUnsafeBytes { hex(bytes: $0) }
    }

    /// Bytes as a lowercase hex string.
    public mutating func hex(bytes: UnsafeRawBufferPointer) {
        comma()
        storage.reserve(bytes.count &* 2 &+ 2)
        let target = storage.base + storage.count
        target[0] = UInt8(ascii: "\"")
        var position = 1
        for byte in bytes {
            target[position] = Self.hexDigit(byte &>> 4)
            target[position &+ 1] = Self.hexDigit(byte & 0xF)
            position &+= 2
        }
        target[position] = UInt8(ascii: "\"")
        storage.count &+= position &+ 1
        needsComma = true
    }

    /// A masking key as the 8 hex digits of its bytes.
    public mutating func hex(_ key: MaskingKey) {
        Swift.withUnsafeBytes(of: key.bytes) { hex(bytes: $0) }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble &+ (nibble < 10 ? 0x30 : 0x57)
    }

    /// Already-encoded JSON, inserted verbatim as one value.
    public mutating func raw(_ json: [UInt8]) {
        comma()
        json.withUnsafeBytes { storage.append($0) }
        needsComma = true
    }

    // MARK: - Encoding

    private func appendDecimal<I: BinaryInteger>(_ value: I) {
        if value < 0 {
            storage.append(UInt8(ascii: "-"))
            appendDecimalMagnitude(UInt64(value.magnitude))
        } else {
            appendDecimalMagnitude(UInt64(value))
        }
    }

    private func appendDecimalMagnitude(_ value: UInt64) {
        if value < 10 {
            storage.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        if value < 100 {
            storage.reserve(2)
            appendDigits(value, length: 2)
            return
        }
        var length = 3
        var limit: UInt64 = 1_000
        while length < 20 && value >= limit {
            length &+= 1
            limit = limit &* 10
        }
        storage.reserve(length)
        appendDigits(value, length: length)
    }

    /// Writes exactly `length` digits of `value` (zero-padded on the left), two at a time from a table, straight
    /// into the reserved buffer.
    @inline(__always)
    private func appendDigits(_ value: UInt64, length: Int) {
        var v = value
        let target = storage.base + storage.count
        var position = length
        do {
            let pairs = Self.digitPairs.utf8Start
            while position >= 2 {
                let pair = Int(v % 100) &* 2
                v /= 100
                position &-= 2
                target[position] = pairs[pair]
                target[position &+ 1] = pairs[pair &+ 1]
            }
            if position == 1 { target[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10) }
        }
        storage.count &+= length
    }

    /// "00" "01" ... "99" (a literal: no lazy initialisation on each use).
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    private static let escapeDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes a quoted string, copying runs that need no escaping in one go.
    private func appendQuoted(_ utf8: UnsafeRawBufferPointer) {
        storage.append(UInt8(ascii: "\""))
        let end = utf8.count
        var runStart = 0
        var i = 0
        let base = utf8.baseAddress
        while i < end {
            // Eight plain bytes at a time: printable ASCII other than " and \ (SWAR: no byte below 0x20, none at
            // or above 0x7F, none equal to 0x22 or 0x5C). The lowest flagged byte is always a real one (borrows and
            // carries only run upwards from it), so `i` jumps straight to it.
            while i &+ 8 <= end, let base {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let below20 = (w &- ones &* 0x20) & ~w & highs
                let above7E = (w &+ ones &* (0x80 - 0x7F)) | w
                let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
                let hasQuote = (quote &- ones) & ~quote & highs
                let hasBackslash = (backslash &- ones) & ~backslash & highs
                let special = below20 | (above7E & highs) | hasQuote | hasBackslash
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            if i >= end { break }
            let b = utf8[i]
            // Printable ASCII other than " and \ passes through; everything else is looked at.
            if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i &+= 1
                continue
            }
            var skip = 1
            var escape: UInt32?
            var short: UInt8?
            switch b {
            case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
            case 0x0A: short = UInt8(ascii: "n")
            case 0x0D: short = UInt8(ascii: "r")
            case 0x09: short = UInt8(ascii: "t")
            case 0x00..<0x20, 0x7F: escape = UInt32(b)
            case 0xC2 where i + 1 < end && utf8[i + 1] >= 0x80 && utf8[i + 1] <= 0x9F:
                escape = UInt32(utf8[i + 1]); skip = 2                                       // C1 control
            case 0xD8 where i + 1 < end && utf8[i + 1] == 0x9C:
                escape = 0x061C; skip = 2                                                    // Arabic letter mark
            case 0xE2 where i + 2 < end && Self.isUnsafeE2(utf8[i + 1], utf8[i + 2]):
                escape = 0x2000 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F); skip = 3
            case 0xEF where i + 2 < end && utf8[i + 1] == 0xBB && utf8[i + 2] == 0xBF:
                escape = 0xFEFF; skip = 3
            default:
                i &+= 1       // other UTF-8 passes through
                continue
            }
            if runStart < i { storage.append(UnsafeRawBufferPointer(rebasing: utf8[runStart..<i])) }
            if let short {
                storage.append(UInt8(ascii: "\\"), short)
            } else if let escape {
                appendUnicodeEscape(escape)
            }
            i &+= skip
            runStart = i
        }
        if runStart < end { storage.append(UnsafeRawBufferPointer(rebasing: utf8[runStart..<end])) }
        storage.append(UInt8(ascii: "\""))
    }

    /// U+200E, U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069 (all encoded as E2 80/81 xx).
    private static func isUnsafeE2(_ b1: UInt8, _ b2: UInt8) -> Bool {
        if b1 == 0x80 { return b2 == 0x8E || b2 == 0x8F || (b2 >= 0xA8 && b2 <= 0xAE) }
        if b1 == 0x81 { return b2 >= 0xA6 && b2 <= 0xA9 }
        return false
    }

    private func appendUnicodeEscape(_ value: UInt32) {
        let d = Self.escapeDigits
        storage.append(0x5C, UInt8(ascii: "u"), d[Int(value >> 12 & 0xF)], d[Int(value >> 8 & 0xF)])
        storage.append(d[Int(value >> 4 & 0xF)], d[Int(value & 0xF)])
    }
}

/// Lowercase hex formatting of bytes, shared by every renderer.
public enum Hex {
    /// The sixteen lowercase hex digits as ASCII bytes.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `[0xaf, 0x87]` -> `"af87"`, or `"af 87"` with a separator.
    public static func string<C: Collection>(_ bytes: C, separator: String = "") -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * (2 + separator.utf8.count))
        let sep = Array(separator.utf8)
        var first = true
        for byte in bytes {
            if !first { out.append(contentsOf: sep) }
            first = false
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One byte as two lowercase hex digits.
    public static func byte(_ value: UInt8) -> String {
        string(CollectionOfOne(value))
    }

    /// A byte as eight binary digits, most significant bit first.
    public static func bits(_ value: UInt8) -> String {
        bits(UInt64(value), count: 8)
    }

    /// The low `count` bits of `value` as binary digits, most significant first.
    public static func bits(_ value: UInt64, count: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for shift in stride(from: count - 1, through: 0, by: -1) {
            out.append((value >> UInt64(shift)) & 1 == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        }
        return String(decoding: out, as: UTF8.self)
    }
}

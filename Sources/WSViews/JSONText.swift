/// JSON text in wsinspect's canonical form: compact (no whitespace between tokens), strict UTF-8, strings escaped as
/// every JSON string wsinspect writes is (Docs/json.md, "Strings"): `\"`, `\\`, `\n`, `\r`, `\t`, and `\uXXXX` for
/// every other control character, DEL, C1 controls, U+061C, U+200E/U+200F, U+2028/U+2029, the bidi embeddings,
/// overrides and isolates, and U+FEFF; everything else as its UTF-8 bytes. Numbers are the sender's digits, unchanged.
///
/// Because of that escaping the text is safe to print on a terminal as it is (no scalar that `TerminalText` would
/// escape survives), and safe to insert verbatim into a JSON Lines record. Only this module makes values of it: from
/// a message the strict parser accepted, or from a `JSONValue`.
public struct JSONText: Sendable, Equatable, CustomStringConvertible {
    /// The canonical bytes.
    public let bytes: [UInt8]

    init(canonical bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The text as a String (the bytes are valid UTF-8).
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}

/// The escaping of the canonical form, shared by the parser (which re-escapes every string it reads) and by
/// `JSONValue`'s serialiser.
enum JSONEscaping {
    /// True when a scalar must be written as a `\uXXXX` escape (a terminal must not see it raw).
    @inline(__always)
    static func needsUnicodeEscape(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends one scalar of a string's content, escaped.
    @inline(__always)
    static func append(scalar value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        default:
            if needsUnicodeEscape(value) {
                out.append(0x5C); out.append(UInt8(ascii: "u"))
                out.append(digits[Int(value >> 12 & 0xF)]); out.append(digits[Int(value >> 8 & 0xF)])
                out.append(digits[Int(value >> 4 & 0xF)]); out.append(digits[Int(value & 0xF)])
            } else {
                UTF8Encoding.append(value, to: &out)
            }
        }
    }

    /// Appends a whole string, quoted and escaped.
    static func append(string: String, to out: inout [UInt8]) {
        out.append(0x22)
        for scalar in string.unicodeScalars { append(scalar: scalar.value, to: &out) }
        out.append(0x22)
    }

    /// Bytes as a quoted lowercase hex string.
    static func append(hex bytes: [UInt8], to out: inout [UInt8]) {
        out.append(0x22)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        out.append(0x22)
    }

    /// Bytes as lowercase hex.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import WSWire

/// Makes untrusted bytes safe to print on a terminal.
///
/// Payloads, header values and close reasons come from the network. Printed raw, an ESC sequence could recolour the
/// terminal, move the cursor, set the window title (OSC) or hide text; a carriage return could overwrite a line; a
/// Unicode bidi override could reorder what the reader sees. Everything of that kind is shown as an escape instead:
/// `\n`, `\r`, `\t`, `\e` style is avoided in favour of unambiguous `\x1b`, `\u{202e}`; invalid UTF-8 as `\xNN`;
/// and a backslash as `\\`, so the escaped text can be read back without ambiguity.
public enum TerminalText {
    /// Escapes bytes that should be UTF-8 text; bytes that are not part of a valid character become `\xNN`.
    public static func escape<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let buffer = Array(bytes)
        var out = ""
        out.reserveCapacity(buffer.count)
        var i = 0
        while i < buffer.count {
            let lead = buffer[i]
            if lead < 0x80 {
                out += escape(Unicode.Scalar(lead))
                i += 1
                continue
            }
            let width = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
            guard width > 0, i + width <= buffer.count,
                  UTF8Validator.validate(Array(buffer[i..<(i + width)])) == nil else {
                out += "\\x" + Hex.byte(lead)
                i += 1
                continue
            }
            var value = UInt32(lead) & (0xFF >> (width + 1))
            for k in 1..<width { value = value << 6 | UInt32(buffer[i + k] & 0x3F) }
            out += escape(Unicode.Scalar(value)!)
            i += width
        }
        return out
    }

    /// Escapes a string that is already valid Unicode.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { out += escape(scalar) }
        return out
    }

    /// True when the scalar must not reach a terminal as is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true            // C0, DEL, C1 (8-bit CSI/OSC live here)
        case 0x200E, 0x200F, 0x061C: return true              // directional marks
        case 0x202A...0x202E, 0x2066...0x2069: return true    // bidi embeddings, overrides, isolates
        case 0x2028, 0x2029: return true                      // line and paragraph separators
        case 0xFEFF: return true                              // byte order mark / zero-width no-break space
        default: return false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            if !isUnsafe(scalar) { return String(scalar) }
            if scalar.value < 0x80 { return "\\x" + Hex.byte(UInt8(scalar.value)) }
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    /// Columns a string occupies on a terminal (East Asian wide characters take two, combining marks none).
    public static func displayWidth(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { displayWidth(utf8: $0) }
    }

    /// `displayWidth` of valid UTF-8, read byte by byte (a `String`'s scalars cost more to walk).
    static func displayWidth(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var width = 0
        var inEscape = false
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                // Skip our own ANSI colour sequences (ESC [ ... m).
                if inEscape {
                    if lead == UInt8(ascii: "m") { inEscape = false }
                } else if lead == 0x1B {
                    inEscape = true
                } else {
                    width += 1
                }
                continue
            }
            // A String's bytes are valid UTF-8: the lead byte gives the length.
            var value: UInt32
            if lead < 0xE0 {
                value = UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                i += 2
            } else if lead < 0xF0 {
                value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                i += 3
            } else {
                value = UInt32(lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                    | UInt32(bytes[i + 3] & 0x3F)
                i += 4
            }
            if !inEscape { width += columns(Unicode.Scalar(value)!) }
        }
        return width
    }

    static func columns(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        switch v {
        case 0x0300...0x036F, 0x200B...0x200D, 0xFE00...0xFE0F, 0x20D0...0x20FF: return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}



import WSViews

/// Indents canonical JSON text for `-v`: one member or element per line, two spaces per level. The text is
/// canonical (WSViews' `JSONText`: compact, escaped, terminal-safe), so this only breaks lines; it re-reads nothing
/// from the capture.
enum JSONPretty {
    /// At most `maxLines` lines; the rest is counted in a last line.
    static func lines(_ text: JSONText, maxLines: Int = 500) -> [String] {
        var lines: [String] = []
        var line: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        var total = 0
        let bytes = text.bytes
        func newLine() {
            total += 1
            if lines.count < maxLines { lines.append(String(decoding: line, as: UTF8.self)) }
            line = Array(repeating: UInt8(ascii: " "), count: 2 * depth)
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                line.append(b)
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                line.append(b)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                line.append(b)
                let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i + 1 < bytes.count && bytes[i + 1] == close {
                    line.append(close)
                    i += 1
                } else {
                    depth += 1
                    newLine()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newLine()
                line.append(b)
            case UInt8(ascii: ","):
                line.append(b)
                newLine()
            case UInt8(ascii: ":"):
                line += [UInt8(ascii: ":"), UInt8(ascii: " ")]
            default:
                line.append(b)
            }
            i += 1
        }
        newLine()
        if total > maxLines { lines.append("… \(total - maxLines) more lines") }
        return lines
    }
}

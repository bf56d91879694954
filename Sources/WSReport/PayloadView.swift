import WSAnalysis
import WSWire

/// Draws the payload of a frame's anatomy as a reader wants it: text (escaped), a close code and reason, or a hex dump.
public enum PayloadView {
    /// `split`: how a text fragment's edges cut characters (marked instead of escaped); `continues`: the type of the
    /// message a continuation frame continues.
    public static func render(_ payload: PayloadShown, split: TextSplit? = nil, continues: Opcode? = nil,
                              style: Style = .plain) -> [String] {
        let of = continues.map { " (continuing a \($0.name) message)" } ?? ""
        switch payload {
        case .empty:
            return ["(empty payload)"]
        case .close(let code, let strayByte, let reason):
            var lines: [String] = []
            if let code {
                lines.append("close code \(code.rawValue): \(code.meaning)")
                lines.append(reason.isEmpty ? "no reason text" : "reason: \"\(TerminalText.escape(reason))\"")
            } else if let strayByte {
                lines.append("one stray byte: 0x\(Hex.byte(strayByte)) (a close code needs two)")
            }
            return lines
        case .text(let shown, let total, let invalidUTF8, let note):
            var lines = noteLines(note)
            let kind = invalidUTF8 ? "text (NOT valid UTF-8; bad bytes shown as \\xNN)" : "text" + of
            lines.append("\(kind), \(counted(total, "byte")):")
            let remaining = payload.remaining
            if let split {
                // A fragment that cuts characters: the cut bytes marked for what they are (one line).
                lines.append("  " + FragmentText.render(shown, split: split, cutShort: remaining > 0))
                if remaining > 0 { lines.append("  (\(counted(remaining, "more byte")); --all shows everything)") }
                return lines
            }
            let escaped = TerminalText.escape(shown)
            // A long text is cut into lines of the output's width, between characters (an escape stays whole).
            let room = style.width.map { max(20, $0 - TextTable.nesting - 6) }
            if let room, TerminalText.displayWidth(escaped) > room {
                let pieces = LineFitter.chunks(escaped, width: room)
                for (i, piece) in pieces.enumerated() {
                    let last = i == pieces.count - 1
                    lines.append((i == 0 ? "  \"" : "   ") + piece + (last ? "\"" + (remaining > 0 ? " …" : "") : ""))
                }
            } else {
                lines.append("  \"" + escaped + "\"" + (remaining > 0 ? " …" : ""))
            }
            if remaining > 0 { lines.append("  (\(counted(remaining, "more byte")); --all shows everything)") }
            return lines
        case .bytes(let shown, let total, let note):
            var lines = noteLines(note)
            lines.append("hex dump\(of), \(counted(total, "byte")):")
            lines += HexDump.lines(shown).map { "  " + $0 }
            if payload.remaining > 0 {
                lines.append("  … \(counted(payload.remaining, "more byte")) (--all shows everything)")
            }
            return lines
        }
    }

    private static func noteLines(_ note: PayloadShown.CompressionNote?) -> [String] {
        switch note {
        case .inflatedBelow?: ["DEFLATE data of a compressed message (inflated below)."]
        case .rsv1Set?: ["RSV1 is set: under permessage-deflate this payload is compressed (wsinspect frame --deflate inflates it)."]
        case nil: []
        }
    }
}

/// The classic 16-bytes-per-line hex dump with an ASCII gutter.
public enum HexDump {
    public static func lines(_ bytes: [UInt8], startOffset: Int = 0) -> [String] {
        var out: [String] = []
        var offset = 0
        while offset < bytes.count {
            let row = Array(bytes[offset..<min(offset + 16, bytes.count)])
            let hexPart = row.enumerated().map { (i, b) in (i == 8 ? " " : "") + Hex.byte(b) }.joined(separator: " ")
            let padded = hexPart.padding(toLength: 16 * 3 + 1, withPad: " ", startingAt: 0)
            let ascii = String(row.map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." })
            let address = String(startOffset + offset, radix: 16)
            out.append(String(repeating: "0", count: max(0, 4 - address.count)) + address + "  " + padded + " |" + ascii + "|")
            offset += 16
        }
        return out
    }
}

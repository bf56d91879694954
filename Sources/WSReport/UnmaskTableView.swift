import WSWire

/// Draws the unmasking table of a frame's anatomy: for each payload byte, the masked byte, the key byte it is XORed
/// with (index mod 4) and the result, in hex and in bits, with the character each unmasked byte belongs to.
public enum UnmaskTableView {
    public static func render(_ unmasking: Unmasking, style: Style = .plain) -> [String] {
        guard case .table(let key, let rows, let remaining) = unmasking else {
            return ["MASK=0: the payload travels as is, there is nothing to unmask."]
        }
        var lines = ["unmasked[i] = masked[i] XOR key[i mod 4], key = \(Hex.string([key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3], separator: " "))"]
        guard !rows.isEmpty else {
            lines.append("(no payload bytes)")
            return lines
        }
        var table = TextTable(headers: ["i", "masked", "", "key[i mod 4]", "", "unmasked", "char"],
                              alignments: [.right, .left, .left, .left, .left, .left, .left])
        for row in rows {
            table.add([
                "\(row.index)",
                "\(Hex.byte(row.masked)) \(Hex.bits(row.masked))",
                "XOR",
                "\(Hex.byte(row.keyByte)) \(Hex.bits(row.keyByte)) (\(row.keyIndex))",
                "=",
                style.bold(Hex.byte(row.unmasked)) + " " + Hex.bits(row.unmasked),
                text(row.character),
            ])
        }
        lines += table.render(style: style)
        if remaining > 0 {
            lines.append("… \(remaining) more byte\(remaining == 1 ? "" : "s") (--all shows every byte)")
        }
        return lines
    }

    /// "'a'", "你 1/3 (UTF-8 lead byte)", "  2/3", "not UTF-8 here".
    static func text(_ mark: CharacterMark) -> String {
        switch mark {
        case .ascii(let byte): byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : TerminalText.escape([byte])
        case .lead(let character, let width): "\(TerminalText.escape(character)) 1/\(width) (UTF-8 lead byte)"
        case .continuation(let position, let width): "  \(position)/\(width)"
        case .notUTF8: "not UTF-8 here"
        case .none: ""
        }
    }
}

import WSWire

/// The unmasking table: for each payload byte, the masked byte, the key byte it is XORed with (index mod 4) and the
/// result, in hex and in bits, with the character each unmasked byte belongs to.
public enum UnmaskTableView {
    /// `limit` bytes are shown (nil: all of them).
    public static func render(_ frame: Frame, limit: Int?, style: Style = .plain) -> [String] {
        guard let key = frame.header.maskingKey else {
            return ["MASK=0: the payload travels as is, there is nothing to unmask."]
        }
        let plain = frame.payload
        let wire = frame.wirePayload
        let shown = min(plain.count, limit ?? plain.count)
        var lines = ["unmasked[i] = masked[i] XOR key[i mod 4], key = \(Hex.string([key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3], separator: " "))"]
        guard shown > 0 else {
            lines.append("(no payload bytes)")
            return lines
        }
        let marks = characterMarks(plain, isText: frame.header.opcode == .text || frame.header.opcode == .continuation)
        var table = TextTable(headers: ["i", "masked", "", "key[i mod 4]", "", "unmasked", "char"],
                              alignments: [.right, .left, .left, .left, .left, .left, .left])
        for i in 0..<shown {
            table.add([
                "\(i)",
                "\(Hex.byte(wire[i])) \(Hex.bits(wire[i]))",
                "XOR",
                "\(Hex.byte(key[i])) \(Hex.bits(key[i])) (\(i % 4))",
                "=",
                style.bold(Hex.byte(plain[i])) + " " + Hex.bits(plain[i]),
                marks[i],
            ])
        }
        lines += table.render(style: style)
        let rest = frame.payloadReceived - UInt64(shown)
        if rest > 0 {
            lines.append("… \(rest) more byte\(rest == 1 ? "" : "s") (--all shows every byte)")
        }
        return lines
    }

    /// For each byte: the character it starts ("你 1/3"), its place in a multi-byte character ("2/3"), or a note.
    static func characterMarks(_ bytes: [UInt8], isText: Bool) -> [String] {
        var marks = Array(repeating: "", count: bytes.count)
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let width = lead < 0x80 ? 1 : lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
            if width == 1 {
                marks[i] = lead >= 0x20 && lead < 0x7F ? "'\(Character(Unicode.Scalar(lead)))'" : TerminalText.escape([lead])
                i += 1
                continue
            }
            if isText, width > 1, i + width <= bytes.count, UTF8Validator.validate(Array(bytes[i..<(i + width)])) == nil {
                let character = TerminalText.escape(Array(bytes[i..<(i + width)]))
                marks[i] = "\(character) 1/\(width) (UTF-8 lead byte)"
                for k in 1..<width { marks[i + k] = "  \(k + 1)/\(width)" }
                i += width
                continue
            }
            if isText { marks[i] = "not UTF-8 here" }
            i += 1
        }
        return marks
    }
}

import WSWire

/// The field table of a frame: field, position, raw bits, value, meaning — one row per `FrameField`.
public enum FieldTableView {
    public static func render(_ fields: [FrameField], style: Style = .plain) -> [String] {
        var table = TextTable(headers: ["field", "position", "raw bits", "value", "meaning"])
        for field in fields {
            let position = field.isHeader ? "\(field.bitRange) (\(field.byteRange))" : payloadPosition(field)
            table.add([field.name, position, grouped(field.rawBits), field.value, field.meaning])
        }
        return table.render(style: style)
    }

    private static func payloadPosition(_ field: FrameField) -> String {
        guard field.bitCount > 0 else { return "(empty)" }
        return field.byteRange
    }

    /// Bits in groups of eight for fields wider than a byte.
    static func grouped(_ bits: String) -> String {
        guard bits.count > 8 else { return bits }
        var groups: [String] = []
        var current = ""
        for (i, c) in bits.enumerated() {
            current.append(c)
            if (i + 1) % 8 == 0 { groups.append(current); current = "" }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: " ")
    }
}

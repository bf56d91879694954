import WSWire

/// `wsinspect close-codes`: the close code registry (RFC 6455 §7.4), as text or JSON Lines.
public enum CloseCodesView {
    public static func text(style: Style) -> [String] {
        var table = TextTable(headers: ["code", "name", "sent by", "on the wire", "meaning", "defined in"])
        for code in CloseCode.registry {
            table.add(["\(code.rawValue)", code.name, code.sentBy, code.isValidOnWire ? "yes" : style.yellow("never"), code.meaning, code.section])
        }
        for range in CloseCode.ranges {
            let onWire = range.category == .registered || range.category == .privateUse
            table.add(["\(range.range.lowerBound)-\(range.range.upperBound)", range.category.rawValue, onWire ? "either" : "nobody",
                       onWire ? "yes" : style.yellow("never"), range.meaning, "RFC 6455 §7.4.2"])
        }
        var lines = table.render(style: style)
        lines.append("")
        lines.append("1005, 1006 and 1015 are what an endpoint's API reports (no status received; the TCP connection closed without")
        lines.append("a close handshake; a TLS handshake failure): they are never sent in a Close frame (RFC 6455 §7.1.5, §7.4.1).")
        return lines
    }

    /// One record per defined code, then one per range.
    public static func json() -> [UInt8] {
        var writer = JSONWriter()
        for code in CloseCode.registry {
            writer.beginObject()
            writer.key(CloseCodeKey.kind); writer.string(literal: "close-code")
            writer.key(CloseCodeKey.code); writer.int(code.rawValue)
            writer.key(CloseCodeKey.to); writer.int(code.rawValue)
            writer.key(CloseCodeKey.name); writer.string(code.name)
            writer.key(CloseCodeKey.category); writer.string(name: code.category.rawValue)
            writer.key(CloseCodeKey.sentBy); writer.string(name: code.sentBy)
            writer.key(CloseCodeKey.onWire); writer.bool(code.isValidOnWire)
            writer.key(CloseCodeKey.meaning); writer.string(code.meaning)
            writer.key(CloseCodeKey.rfc); writer.string(code.section)
            writer.endObject()
            writer.newline()
        }
        for range in CloseCode.ranges {
            let onWire = range.category == .registered || range.category == .privateUse
            writer.beginObject()
            writer.key(CloseCodeKey.kind); writer.string(literal: "close-code")
            writer.key(CloseCodeKey.code); writer.int(range.range.lowerBound)
            writer.key(CloseCodeKey.to); writer.int(range.range.upperBound)
            writer.key(CloseCodeKey.name); writer.string(range.category.rawValue)
            writer.key(CloseCodeKey.category); writer.string(name: range.category.rawValue)
            writer.key(CloseCodeKey.sentBy); writer.string(name: onWire ? "either" : "nobody")
            writer.key(CloseCodeKey.onWire); writer.bool(onWire)
            writer.key(CloseCodeKey.meaning); writer.string(range.meaning)
            writer.key(CloseCodeKey.rfc); writer.string("RFC 6455 §7.4.2")
            writer.endObject()
            writer.newline()
        }
        return writer.bytes
    }
}

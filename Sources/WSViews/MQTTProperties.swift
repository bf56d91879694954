/// MQTT 5.0's property table (§2.2.2.2): identifier → name and value type.
enum MQTTProperties {
    enum Kind {
        case byte, twoBytes, fourBytes, varint, utf8, binary, pair
    }

    static let table: [Int: (name: String, kind: Kind)] = [
        0x01: ("Payload Format Indicator", .byte), 0x02: ("Message Expiry Interval", .fourBytes),
        0x03: ("Content Type", .utf8), 0x08: ("Response Topic", .utf8), 0x09: ("Correlation Data", .binary),
        0x0B: ("Subscription Identifier", .varint), 0x11: ("Session Expiry Interval", .fourBytes),
        0x12: ("Assigned Client Identifier", .utf8), 0x13: ("Server Keep Alive", .twoBytes),
        0x15: ("Authentication Method", .utf8), 0x16: ("Authentication Data", .binary),
        0x17: ("Request Problem Information", .byte), 0x18: ("Will Delay Interval", .fourBytes),
        0x19: ("Request Response Information", .byte), 0x1A: ("Response Information", .utf8),
        0x1C: ("Server Reference", .utf8), 0x1F: ("Reason String", .utf8), 0x21: ("Receive Maximum", .twoBytes),
        0x22: ("Topic Alias Maximum", .twoBytes), 0x23: ("Topic Alias", .twoBytes), 0x24: ("Maximum QoS", .byte),
        0x25: ("Retain Available", .byte), 0x26: ("User Property", .pair), 0x27: ("Maximum Packet Size", .fourBytes),
        0x28: ("Wildcard Subscription Available", .byte), 0x29: ("Subscription Identifier Available", .byte),
        0x2A: ("Shared Subscription Available", .byte),
    ]

    /// Reads a property list (its variable byte integer length, then the properties).
    static func read(_ reader: inout MQTTReader, limit: Int) throws(MQTTReader.Failure) -> [MQTTProperty] {
        let length = try reader.varint("property length")
        var inner = try reader.sub(length, "properties")
        var properties: [MQTTProperty] = []
        while !inner.atEnd {
            guard properties.count < limit else { throw .malformed("more than \(limit) properties (the view's limit)") }
            let id = try inner.varint("property identifier")
            guard let entry = table[id] else { throw .malformed("unknown property identifier 0x\(JSONEscaping.hex([UInt8(truncatingIfNeeded: id)]))") }
            let value: MQTTProperty.Value
            switch entry.kind {
            case .byte: value = .integer(Int64(try inner.byte(entry.name)))
            case .twoBytes: value = .integer(Int64(try inner.uint16(entry.name)))
            case .fourBytes: value = .integer(Int64(try inner.uint32(entry.name)))
            case .varint: value = .integer(Int64(try inner.varint(entry.name)))
            case .utf8: value = .string(try inner.string(entry.name))
            case .binary: value = .binary(try inner.binary(entry.name))
            case .pair: value = .pair(try inner.string("user property name"), try inner.string("user property value"))
            }
            properties.append(MQTTProperty(id: id, name: entry.name, value: value))
        }
        return properties
    }
}

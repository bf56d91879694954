/// Decodes one whole MQTT control packet, field by field (MQTT 3.1.1 §3, MQTT 5.0 §3). A packet that is shorter
/// than its fields, or breaks a rule the fields depend on, keeps what was decoded before the problem, with a note.
enum MQTTDecoder {
    /// Decodes the packet whose variable header and payload are `body` (the fixed header already read).
    static func decode(type: MQTTPacketType, flags: UInt8, body: [UInt8], version: Int, limits: ViewLimits) -> (MQTTPacket, [String]) {
        var packet = MQTTPacket(type: type, flags: flags, remainingLength: body.count, version: version)
        var notes: [String] = []
        if let required = type.requiredFlags, flags != required {
            notes.append("\(type.name) must carry the fixed-header flags \(bits(required)), not \(bits(flags)) (a malformed packet).")
        }
        var reader = MQTTReader(body)
        do {
            try decodeFields(&packet, &reader, notes: &notes, limits: limits)
            if !reader.atEnd { notes.append("\(reader.remaining) bytes after the packet's last field.") }
        } catch {
            if case .malformed(let reason) = error { notes.append("Malformed \(type.name): \(reason).") }
        }
        return (packet, notes)
    }

    private static func bits(_ flags: UInt8) -> String {
        String(repeating: "0", count: 4 - String(flags, radix: 2).count) + String(flags, radix: 2)
    }

    private static func decodeFields(_ p: inout MQTTPacket, _ r: inout MQTTReader, notes: inout [String],
                                     limits: ViewLimits) throws(MQTTReader.Failure) {
        let v5 = p.version >= 5
        let maxList = limits.maxListEntries
        switch p.type {
        case .connect:
            try connect(&p, &r, notes: &notes, limits: limits)
        case .connack:
            let acknowledge = try r.byte("acknowledge flags")
            p.sessionPresent = acknowledge & 1 != 0
            if acknowledge & 0xFE != 0 { notes.append("CONNACK's reserved acknowledge flag bits are set.") }
            p.reasonCode = Int(try r.byte(v5 ? "reason code" : "return code"))
            if v5 { p.properties = try MQTTProperties.read(&r, limit: maxList) }
        case .publish:
            p.dup = p.flags & 0b1000 != 0
            p.qos = Int(p.flags >> 1 & 0b11)
            p.retain = p.flags & 1 != 0
            if p.qos == 3 { notes.append("PUBLISH with QoS 3, which does not exist (a malformed packet).") }
            if p.qos == 0 && p.dup == true { notes.append("DUP set on a QoS 0 PUBLISH, where it must be 0.") }
            p.topic = try r.string("topic name")
            if p.qos! > 0 { p.packetID = try r.uint16("packet identifier") }
            if v5 { p.properties = try MQTTProperties.read(&r, limit: maxList) }
            p.payload = r.rest()
        case .puback, .pubrec, .pubrel, .pubcomp:
            p.packetID = try r.uint16("packet identifier")
            // 5.0: the reason code and properties may be left out (then 0x00 Success, no properties).
            if v5 && !r.atEnd { p.reasonCode = Int(try r.byte("reason code")) }
            if v5 && !r.atEnd { p.properties = try MQTTProperties.read(&r, limit: maxList) }
        case .subscribe:
            p.packetID = try r.uint16("packet identifier")
            if v5 { p.properties = try MQTTProperties.read(&r, limit: maxList) }
            var subscriptions: [MQTTSubscription] = []
            while !r.atEnd {
                guard subscriptions.count < maxList else { throw .malformed("more than \(maxList) topic filters (the view's limit)") }
                let filter = try r.string("topic filter")
                let options = try r.byte("subscription options")
                var subscription = MQTTSubscription(topicFilter: filter, qos: Int(options & 0b11))
                if v5 {
                    subscription.noLocal = options & 0b100 != 0
                    subscription.retainAsPublished = options & 0b1000 != 0
                    subscription.retainHandling = Int(options >> 4 & 0b11)
                    if options & 0xC0 != 0 { notes.append("Reserved bits of the options of \"\(filter.prefix(80))\" are set.") }
                } else if options & 0xFC != 0 {
                    notes.append("Reserved bits of the requested QoS of \"\(filter.prefix(80))\" are set.")
                }
                subscriptions.append(subscription)
            }
            if subscriptions.isEmpty { notes.append("SUBSCRIBE with no topic filter (a protocol violation).") }
            p.subscriptions = subscriptions
        case .suback, .unsuback:
            p.packetID = try r.uint16("packet identifier")
            if v5 { p.properties = try MQTTProperties.read(&r, limit: maxList) }
            if p.type == .suback || v5 {
                guard r.remaining <= maxList else { throw .malformed("more than \(maxList) reason codes (the view's limit)") }
                p.reasonCodes = r.rest().map(Int.init)
            }
        case .unsubscribe:
            p.packetID = try r.uint16("packet identifier")
            if v5 { p.properties = try MQTTProperties.read(&r, limit: maxList) }
            var filters: [String] = []
            while !r.atEnd {
                guard filters.count < maxList else { throw .malformed("more than \(maxList) topic filters (the view's limit)") }
                filters.append(try r.string("topic filter"))
            }
            if filters.isEmpty { notes.append("UNSUBSCRIBE with no topic filter (a protocol violation).") }
            p.topicFilters = filters
        case .pingreq, .pingresp:
            break
        case .disconnect, .auth:
            if !v5 {
                if p.type == .auth { notes.append("AUTH exists only in MQTT 5.0.") }
                break
            }
            if !r.atEnd { p.reasonCode = Int(try r.byte("reason code")) }
            if !r.atEnd { p.properties = try MQTTProperties.read(&r, limit: maxList) }
        }
    }

    /// CONNECT: protocol name and level, connect flags, keep alive, (5.0 properties), then the payload's fields in
    /// the order the flags announce them. The password's bytes are not kept, only its length.
    private static func connect(_ p: inout MQTTPacket, _ r: inout MQTTReader, notes: inout [String],
                                limits: ViewLimits) throws(MQTTReader.Failure) {
        p.protocolName = try r.string("protocol name")
        let level = Int(try r.byte("protocol level"))
        p.protocolLevel = level
        p.version = level
        if !(p.protocolName == "MQTT" && (level == 4 || level == 5)) && !(p.protocolName == "MQIsdp" && level == 3) {
            notes.append("Protocol \"\(p.protocolName!.prefix(40))\" level \(level) is none of MQTT 3.1 (MQIsdp 3), 3.1.1 (MQTT 4) or 5.0 (MQTT 5); decoded as \(level >= 5 ? "5.0" : "3.1.1").")
        }
        let flags = try r.byte("connect flags")
        let hasUsername = flags & 0x80 != 0, hasPassword = flags & 0x40 != 0
        let willRetain = flags & 0x20 != 0, willQoS = Int(flags >> 3 & 0b11), willFlag = flags & 0x04 != 0
        p.cleanSession = flags & 0x02 != 0
        if flags & 1 != 0 { notes.append("CONNECT's reserved flag bit 0 is set (a malformed packet).") }
        if !willFlag && (willRetain || willQoS != 0) { notes.append("Will QoS or Will Retain set without the Will Flag.") }
        if willQoS == 3 { notes.append("Will QoS 3 does not exist.") }
        p.keepAlive = try r.uint16("keep alive")
        let v5 = level >= 5
        if v5 { p.properties = try MQTTProperties.read(&r, limit: limits.maxListEntries) }
        p.clientID = try r.string("client identifier")
        if willFlag {
            var will = MQTTWill(qos: willQoS, retain: willRetain)
            p.will = will
            if v5 { will.properties = try MQTTProperties.read(&r, limit: limits.maxListEntries) }
            will.topic = try r.string("will topic")
            p.will = will
            will.payload = try r.binary("will payload")
            p.will = will
        }
        if hasUsername { p.username = try r.string("user name") }
        if hasPassword {
            if level < 5 && !hasUsername { notes.append("A password without a user name (MQTT 3.1.1 §3.1.2.9 forbids it).") }
            p.passwordLength = try r.binary("password").count
        }
    }
}

import WSViews

/// Writes the MQTT view: one packet's fields inline, or `packets`.
extension JSONWriter {
    mutating func mqtt(_ view: MQTTView) {
        key(MQTTViewKey.kind); string(literal: "mqtt")
        inlineOrList(view.packets, under: MQTTViewKey.packets) { $0.mqttPacket($1) }
        if view.pendingBytes > 0 { key(MQTTViewKey.pendingBytes); int(view.pendingBytes) }
    }

    /// The fields the packet has, in `MQTTPacketKey` order.
    private mutating func mqttPacket(_ p: MQTTPacket) {
        key(MQTTPacketKey.type); string(name: p.type.name)
        key(MQTTPacketKey.remainingLength); int(p.remainingLength)
        if let dup = p.dup { key(MQTTPacketKey.dup); bool(dup) }
        if let qos = p.qos { key(MQTTPacketKey.qos); int(qos) }
        if let retain = p.retain { key(MQTTPacketKey.retain); bool(retain) }
        if let topic = p.topic { key(MQTTPacketKey.topic); string(topic) }
        if let id = p.packetID { key(MQTTPacketKey.packetID); int(id) }
        if let name = p.protocolName { key(MQTTPacketKey.protocolName); string(name) }
        if let level = p.protocolLevel { key(MQTTPacketKey.protocolLevel); int(level) }
        if let clean = p.cleanSession { key(MQTTPacketKey.cleanSession); bool(clean) }
        if let keepAlive = p.keepAlive { key(MQTTPacketKey.keepAlive); int(keepAlive) }
        if let client = p.clientID { key(MQTTPacketKey.clientID); string(client) }
        if let will = p.will {
            key(MQTTPacketKey.will)
            beginObject()
            key(MQTTWillKey.qos); int(will.qos)
            key(MQTTWillKey.retain); bool(will.retain)
            key(MQTTWillKey.topic); stringOrNull(will.topic)
            mqttPayload(will.payload, text: will.payloadText, keys: (MQTTWillKey.payload, MQTTWillKey.payloadHex))
            if let properties = will.properties { key(MQTTWillKey.properties); mqttProperties(properties) }
            endObject()
        }
        if let username = p.username { key(MQTTPacketKey.username); string(username) }
        if let length = p.passwordLength { key(MQTTPacketKey.passwordLength); int(length) }
        if let present = p.sessionPresent { key(MQTTPacketKey.sessionPresent); bool(present) }
        if let code = p.reasonCode {
            key(MQTTPacketKey.reasonCode); int(code)
            key(MQTTPacketKey.reason); stringOrNull(p.reason)
        }
        if let subscriptions = p.subscriptions {
            key(MQTTPacketKey.subscriptions)
            beginArray()
            for s in subscriptions {
                beginObject()
                key(MQTTSubscriptionKey.topicFilter); string(s.topicFilter)
                key(MQTTSubscriptionKey.qos); int(s.qos)
                if let noLocal = s.noLocal { key(MQTTSubscriptionKey.noLocal); bool(noLocal) }
                if let rap = s.retainAsPublished { key(MQTTSubscriptionKey.retainAsPublished); bool(rap) }
                if let handling = s.retainHandling { key(MQTTSubscriptionKey.retainHandling); int(handling) }
                endObject()
            }
            endArray()
        }
        if let filters = p.topicFilters {
            key(MQTTPacketKey.topicFilters)
            beginArray()
            for filter in filters { string(filter) }
            endArray()
        }
        if let codes = p.reasonCodes {
            key(MQTTPacketKey.reasonCodes)
            beginArray()
            for code in codes { int(code) }
            endArray()
        }
        if let properties = p.properties { key(MQTTPacketKey.properties); mqttProperties(properties) }
        if p.type == .publish {
            mqttPayload(p.payload ?? [], text: p.payloadText, keys: (MQTTPacketKey.payload, MQTTPacketKey.payloadHex))
            key(MQTTPacketKey.payloadLength); int(p.payload?.count ?? 0)
        }
    }

    /// A payload as text when it is valid UTF-8 (the hex key null), else as hex (the text key null).
    private mutating func mqttPayload<K: RecordSchema>(_ payload: [UInt8]?, text: String?, keys: (text: K, hex: K)) {
        key(keys.text); stringOrNull(text)
        key(keys.hex)
        if let payload, text == nil { hex(payload) } else { null() }
    }

    private mutating func mqttProperties(_ properties: [MQTTProperty]) {
        beginArray()
        for property in properties {
            beginObject()
            key(MQTTPropertyKey.id); int(property.id)
            key(MQTTPropertyKey.name); string(property.name)
            key(MQTTPropertyKey.value)
            switch property.value {
            case .integer(let n): int(n)
            case .string(let s): string(s)
            case .binary(let bytes): hex(bytes)
            case .pair(let name, let value):
                beginArray()
                string(name)
                string(value)
                endArray()
            }
            endObject()
        }
        endArray()
    }
}

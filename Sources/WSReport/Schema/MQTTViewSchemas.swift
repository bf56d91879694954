// The keys of the MQTT view (Docs/json.md, "`view`"): the view object, its packets, and the objects inside them.

/// `view` with `kind: "mqtt"`: one control packet's fields inline (the keys of `MQTTPacketKey`, in its order), or `packets` (each an `MQTTPacketKey` object)
/// when the message completes another number of packets (several, or none: a packet continues in the next message).
public enum MQTTViewKey: RecordSchema {
    public static let recordKind = "view.mqtt"
    public static let inOrder = allCases
    public static let optionalKeys = Set(allCases).subtracting([.kind, .notes])

    case kind, type, remainingLength, dup, qos, retain, topic, packetID, protocolName, protocolLevel, cleanSession
    case keepAlive, clientID, will, username, passwordLength, sessionPresent, reasonCode, reason, subscriptions
    case topicFilters, reasonCodes, properties, payload, payloadHex, payloadLength, packets, pendingBytes, notes

    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .type: "type"
        case .remainingLength: "remaining_length"
        case .dup: "dup"
        case .qos: "qos"
        case .retain: "retain"
        case .topic: "topic"
        case .packetID: "packet_id"
        case .protocolName: "protocol_name"
        case .protocolLevel: "protocol_level"
        case .cleanSession: "clean_session"
        case .keepAlive: "keep_alive"
        case .clientID: "client_id"
        case .will: "will"
        case .username: "username"
        case .passwordLength: "password_length"
        case .sessionPresent: "session_present"
        case .reasonCode: "reason_code"
        case .reason: "reason"
        case .subscriptions: "subscriptions"
        case .topicFilters: "topic_filters"
        case .reasonCodes: "reason_codes"
        case .properties: "properties"
        case .payload: "payload"
        case .payloadHex: "payload_hex"
        case .payloadLength: "payload_length"
        case .packets: "packets"
        case .pendingBytes: "pending_bytes"
        case .notes: "notes"
        }
    }
}

/// One MQTT control packet (inline in the view, or an element of its `packets`).
public enum MQTTPacketKey: RecordSchema {
    public static let recordKind = "view.mqtt.packet"
    public static let inOrder = allCases
    public static let optionalKeys = Set(allCases).subtracting([.type, .remainingLength])

    case type, remainingLength, dup, qos, retain, topic, packetID, protocolName, protocolLevel, cleanSession
    case keepAlive, clientID, will, username, passwordLength, sessionPresent, reasonCode, reason, subscriptions
    case topicFilters, reasonCodes, properties, payload, payloadHex, payloadLength

    public var key: StaticString {
        switch self {
        case .type: "type"
        case .remainingLength: "remaining_length"
        case .dup: "dup"
        case .qos: "qos"
        case .retain: "retain"
        case .topic: "topic"
        case .packetID: "packet_id"
        case .protocolName: "protocol_name"
        case .protocolLevel: "protocol_level"
        case .cleanSession: "clean_session"
        case .keepAlive: "keep_alive"
        case .clientID: "client_id"
        case .will: "will"
        case .username: "username"
        case .passwordLength: "password_length"
        case .sessionPresent: "session_present"
        case .reasonCode: "reason_code"
        case .reason: "reason"
        case .subscriptions: "subscriptions"
        case .topicFilters: "topic_filters"
        case .reasonCodes: "reason_codes"
        case .properties: "properties"
        case .payload: "payload"
        case .payloadHex: "payload_hex"
        case .payloadLength: "payload_length"
        }
    }
}

/// CONNECT's `will`.
public enum MQTTWillKey: RecordSchema {
    public static let recordKind = "view.mqtt.will"
    public static let inOrder = allCases
    public static let optionalKeys: Set<Self> = [.properties]

    case qos, retain, topic, payload, payloadHex, properties

    public var key: StaticString {
        switch self {
        case .qos: "qos"
        case .retain: "retain"
        case .topic: "topic"
        case .payload: "payload"
        case .payloadHex: "payload_hex"
        case .properties: "properties"
        }
    }
}

/// One element of SUBSCRIBE's `subscriptions`.
public enum MQTTSubscriptionKey: RecordSchema {
    public static let recordKind = "view.mqtt.subscription"
    public static let inOrder = allCases
    public static let optionalKeys: Set<Self> = [.noLocal, .retainAsPublished, .retainHandling]

    case topicFilter, qos, noLocal, retainAsPublished, retainHandling

    public var key: StaticString {
        switch self {
        case .topicFilter: "topic_filter"
        case .qos: "qos"
        case .noLocal: "no_local"
        case .retainAsPublished: "retain_as_published"
        case .retainHandling: "retain_handling"
        }
    }
}

/// One MQTT 5.0 property.
public enum MQTTPropertyKey: RecordSchema {
    public static let recordKind = "view.mqtt.property"
    public static let inOrder = allCases

    case id, name, value

    public var key: StaticString {
        switch self {
        case .id: "id"
        case .name: "name"
        case .value: "value"
        }
    }
}

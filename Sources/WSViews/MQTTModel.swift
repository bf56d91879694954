/// MQTT control packet types (the high nibble of the fixed header's first byte).
public enum MQTTPacketType: UInt8, Sendable, CaseIterable {
    case connect = 1, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe, suback, unsubscribe, unsuback
    case pingreq, pingresp, disconnect, auth

    /// The specification's upper-case name: the JSON `type`.
    public var name: String {
        switch self {
        case .connect: "CONNECT"
        case .connack: "CONNACK"
        case .publish: "PUBLISH"
        case .puback: "PUBACK"
        case .pubrec: "PUBREC"
        case .pubrel: "PUBREL"
        case .pubcomp: "PUBCOMP"
        case .subscribe: "SUBSCRIBE"
        case .suback: "SUBACK"
        case .unsubscribe: "UNSUBSCRIBE"
        case .unsuback: "UNSUBACK"
        case .pingreq: "PINGREQ"
        case .pingresp: "PINGRESP"
        case .disconnect: "DISCONNECT"
        case .auth: "AUTH"
        }
    }

    /// The flags the fixed header must carry (MQTT 3.1.1 §2.2.2, 5.0 §2.1.3); nil for PUBLISH, whose flags are its
    /// DUP, QoS and RETAIN.
    var requiredFlags: UInt8? {
        switch self {
        case .publish: nil
        case .pubrel, .subscribe, .unsubscribe: 0b0010
        default: 0
        }
    }
}

/// One MQTT 5.0 property: its identifier, its name from the specification's table, and its value.
public struct MQTTProperty: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var value: Value

    public enum Value: Sendable, Equatable {
        case integer(Int64)
        case string(String)
        case binary([UInt8])
        case pair(String, String)
    }
}

/// CONNECT's will message.
public struct MQTTWill: Sendable {
    public var qos: Int
    public var retain: Bool
    public var topic: String?
    public var payload: [UInt8]?
    public var properties: [MQTTProperty]?

    /// The payload as text when it is valid UTF-8.
    public var payloadText: String? { payload.flatMap(UTF8Check.string) }
}

/// One topic filter of a SUBSCRIBE, with its options (5.0 adds no-local, retain-as-published, retain handling).
public struct MQTTSubscription: Sendable, Equatable {
    public var topicFilter: String
    public var qos: Int
    public var noLocal: Bool?
    public var retainAsPublished: Bool?
    public var retainHandling: Int?
}

/// One MQTT control packet, field by field. Fields a packet type does not have are nil.
public struct MQTTPacket: Sendable {
    public var type: MQTTPacketType
    /// The fixed header's low nibble.
    public var flags: UInt8
    /// The remaining length the fixed header declares.
    public var remainingLength: Int
    // PUBLISH
    public var dup: Bool?
    public var qos: Int?
    public var retain: Bool?
    public var topic: String?
    public var packetID: Int?
    // CONNECT
    public var protocolName: String?
    public var protocolLevel: Int?
    /// Clean Session (3.1.1) / Clean Start (5.0).
    public var cleanSession: Bool?
    public var keepAlive: Int?
    public var clientID: String?
    public var will: MQTTWill?
    public var username: String?
    /// The password's length: the view shows that one was sent, never its bytes (Docs/views.md, "Secrets").
    public var passwordLength: Int?
    // CONNACK and acknowledgements
    public var sessionPresent: Bool?
    /// CONNACK's return code (3.1.1) or the reason code (5.0) of CONNACK, PUBACK…, DISCONNECT, AUTH.
    public var reasonCode: Int?
    // SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK
    public var subscriptions: [MQTTSubscription]?
    public var topicFilters: [String]?
    public var reasonCodes: [Int]?
    /// 5.0 properties (nil for 3.1.1, and for packets without them).
    public var properties: [MQTTProperty]?
    /// PUBLISH's application message.
    public var payload: [UInt8]?
    /// The protocol level the packet was decoded with (3, 4 = 3.1.1, 5).
    public var version: Int

    init(type: MQTTPacketType, flags: UInt8, remainingLength: Int, version: Int) {
        self.type = type
        self.flags = flags
        self.remainingLength = remainingLength
        self.version = version
    }

    /// The payload as text when it is valid UTF-8.
    public var payloadText: String? { payload.flatMap(UTF8Check.string) }

    /// The meaning of `reasonCode` for this packet type and version, nil when unknown.
    public var reason: String? {
        reasonCode.map { MQTTReasonCodes.name($0, for: type, version: version) }
    }
}

/// What the MQTT view found in one message: the packets that ended in it (MQTT over WebSocket lets a packet span
/// messages and a message carry several).
public struct MQTTView: Sendable {
    public var packets: [MQTTPacket] = []
    /// Bytes of a packet that continues in the sender's next message, held until then.
    public var pendingBytes = 0
}

/// The names of MQTT's return codes (3.1.1 CONNACK and SUBACK) and reason codes (5.0 §2.4).
public enum MQTTReasonCodes {
    /// The name of `code` as `type` uses it in protocol `version` (3/4 = 3.1/3.1.1, 5 = 5.0).
    public static func name(_ code: Int, for type: MQTTPacketType, version: Int) -> String {
        if version < 5 {
            switch type {
            case .connack:
                return ["Connection Accepted", "unacceptable protocol version", "identifier rejected", "server unavailable",
                        "bad user name or password", "not authorized"][safe: code] ?? "reserved return code"
            case .suback:
                return code <= 2 ? "Success - Maximum QoS \(code)" : code == 0x80 ? "Failure" : "reserved return code"
            default:
                return "reserved"
            }
        }
        switch (code, type) {
        case (0x00, .suback): return "Granted QoS 0"
        case (0x00, .disconnect): return "Normal disconnection"
        case (0x00, _): return "Success"
        case (0x01, _): return "Granted QoS 1"
        case (0x02, _): return "Granted QoS 2"
        default: return names[code] ?? "unknown reason code"
        }
    }

    private static let names: [Int: String] = [
        0x04: "Disconnect with Will Message", 0x10: "No matching subscribers", 0x11: "No subscription existed",
        0x18: "Continue authentication", 0x19: "Re-authenticate", 0x80: "Unspecified error", 0x81: "Malformed Packet",
        0x82: "Protocol Error", 0x83: "Implementation specific error", 0x84: "Unsupported Protocol Version",
        0x85: "Client Identifier not valid", 0x86: "Bad User Name or Password", 0x87: "Not authorized",
        0x88: "Server unavailable", 0x89: "Server busy", 0x8A: "Banned", 0x8B: "Server shutting down",
        0x8C: "Bad authentication method", 0x8D: "Keep Alive timeout", 0x8E: "Session taken over",
        0x8F: "Topic Filter invalid", 0x90: "Topic Name invalid", 0x91: "Packet Identifier in use",
        0x92: "Packet Identifier not found", 0x93: "Receive Maximum exceeded", 0x94: "Topic Alias invalid",
        0x95: "Packet too large", 0x96: "Message rate too high", 0x97: "Quota exceeded", 0x98: "Administrative action",
        0x99: "Payload format invalid", 0x9A: "Retain not supported", 0x9B: "QoS not supported",
        0x9C: "Use another server", 0x9D: "Server moved", 0x9E: "Shared Subscriptions not supported",
        0x9F: "Connection rate exceeded", 0xA0: "Maximum connect time", 0xA1: "Subscription Identifiers not supported",
        0xA2: "Wildcard Subscriptions not supported",
    ]
}

extension Array {
    subscript(safe index: Int) -> Element? {
        index >= 0 && index < count ? self[index] : nil
    }
}

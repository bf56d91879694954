import WSViews
import WSWire

/// MQTT packets as text: a line per packet, and with `-v` its remaining fields.
enum MQTTText {
    static func line(_ p: MQTTPacket) -> String {
        var line = "mqtt " + p.type.name
        switch p.type {
        case .connect:
            let version = p.protocolLevel.map { $0 == 5 ? "5.0" : $0 == 4 ? "3.1.1" : $0 == 3 ? "3.1" : "level \($0)" } ?? "?"
            line += " " + ViewText.escape(p.protocolName ?? "?") + " " + version
            if let client = p.clientID { line += " client " + ViewText.quoted(client, width: 40) }
            if let keepAlive = p.keepAlive { line += " keep-alive \(keepAlive) s" }
            if p.cleanSession == true { line += p.version >= 5 ? " clean-start" : " clean-session" }
            if let user = p.username { line += " · user " + ViewText.quoted(user, width: 40) }
            if let length = p.passwordLength { line += " · password (\(length) bytes, not shown)" }
            if let will = p.will { line += " · will " + ViewText.quoted(will.topic ?? "", width: 40) + " QoS \(will.qos)" + (will.retain ? " retain" : "") }
        case .connack:
            if let code = p.reasonCode { line += " \(code) " + (p.reason ?? "") }
            if p.sessionPresent == true { line += " · session present" }
        case .publish:
            line += " " + ViewText.quoted(p.topic ?? "", width: 60) + " QoS \(p.qos ?? 0)"
            if let id = p.packetID { line += " id \(id)" }
            if p.retain == true { line += " retain" }
            if p.dup == true { line += " dup" }
            if let payload = p.payload {
                line += " · " + (p.payloadText.map { ViewText.quoted($0) } ?? "\(payload.count) bytes (binary)")
            }
        case .subscribe:
            if let id = p.packetID { line += " id \(id)" }
            line += " " + (p.subscriptions ?? []).prefix(20).map { ViewText.quoted($0.topicFilter, width: 40) + " QoS \($0.qos)" }.joined(separator: ", ")
        case .unsubscribe:
            if let id = p.packetID { line += " id \(id)" }
            line += " " + (p.topicFilters ?? []).prefix(20).map { ViewText.quoted($0, width: 40) }.joined(separator: ", ")
        default:
            if let id = p.packetID { line += " id \(id)" }
            if let codes = p.reasonCodes { line += " [" + codes.prefix(20).map(String.init).joined(separator: ", ") + "]" }
            if let code = p.reasonCode { line += " \(code) " + (p.reason ?? "") }
        }
        return line
    }

    /// `-v`: properties, and fields the line leaves out.
    static func details(_ p: MQTTPacket) -> [String] {
        var lines = ["remaining length \(p.remainingLength), flags \(String(p.flags, radix: 2))"]
        for property in (p.properties ?? []) + (p.will?.properties ?? []) {
            let value: String
            switch property.value {
            case .integer(let n): value = "\(n)"
            case .string(let s): value = ViewText.quoted(s)
            case .binary(let bytes): value = Hex.string(bytes.prefix(32)) + (bytes.count > 32 ? "…" : "")
            case .pair(let name, let v): value = ViewText.quoted(name, width: 40) + " = " + ViewText.quoted(v)
            }
            lines.append("property \(property.name): \(value)")
        }
        if let subscriptions = p.subscriptions, p.version >= 5 {
            for s in subscriptions {
                lines.append(ViewText.quoted(s.topicFilter) + " QoS \(s.qos) no-local \(s.noLocal == true) retain-as-published \(s.retainAsPublished == true) retain-handling \(s.retainHandling ?? 0)")
            }
        }
        return lines
    }
}

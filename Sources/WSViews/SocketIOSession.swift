/// The Socket.IO view of one connection: Engine.IO and Socket.IO packets, acks matched to the events that asked for
/// them, and binary attachments joined into their packet. Both directions share it.
final class SocketIOSession {
    private let limits: ViewLimits

    /// An event (or binary event) that asked for an ack: who sent it, on which namespace, with which id.
    private struct AckKey: Hashable {
        let sender: Peer
        let namespace: String
        let id: Int64
    }
    private var waiting: [AckKey: (event: String?, time: Double)] = [:]
    /// The order events were put in `waiting`, to forget the oldest past the limit (keys already answered are
    /// skipped when met).
    private var waitingOrder: [AckKey] = []

    /// A binary packet whose attachments are still arriving, per sender.
    private struct OpenBinary {
        var packet: SocketIOPacket
        var json: JSONValue?
        var attachments: [[UInt8]] = []
        /// A BINARY_ACK's round trip (the header's), repeated on the attachment that completes it.
        var roundTrip: Double?
    }
    private var open: [OpenBinary?] = [nil, nil]

    init(limits: ViewLimits) {
        self.limits = limits
    }

    /// Reads one whole message of `peer`, sent at `time` (seconds).
    func read(_ bytes: [UInt8], binary: Bool, from peer: Peer, time: Double) -> MessageView {
        if binary { return attachment(bytes, from: peer) }
        var notes: [String] = []
        if let unfinished = open[peer.rawValue] {
            notes.append("The \(unfinished.packet.type.name) before this message announced \(unfinished.packet.attachments ?? 0) binary attachments but only \(unfinished.attachments.count) arrived.")
            open[peer.rawValue] = nil
        }
        guard let first = bytes.first else {
            return MessageView(.unparsed(.socketIO), notes: notes + ["An empty text message: no Engine.IO packet type."])
        }
        guard first >= UInt8(ascii: "0"), let type = EngineIOPacketType(rawValue: Int(first) - 48) else {
            return MessageView(.unparsed(.socketIO), notes: notes + ["Not an Engine.IO packet: a text message must start with a packet type digit 0-6, not \(SocketIOParser.describe(first))."])
        }
        var view = SocketIOView(engineIO: type)
        let rest = bytes[1...]
        switch type {
        case .open:
            let parsed = rest.withUnsafeBytes { JSONParser.parse($0, limits: limits) }
            if let value = parsed.value, case .object = value {
                view.open = SocketIOParser.open(value)
                if view.open?.sid == nil { notes.append("The open packet has no string sid.") }
            } else {
                notes.append("The open packet's handshake is not a JSON object" + (parsed.error.map { ": \($0.reason) (byte \($0.offset + 2))" } ?? "."))
            }
            if peer == .client { notes.append("An open packet from the client: Engine.IO's handshake comes from the server.") }
        case .message:
            do {
                var parsed = try SocketIOParser.packet(rest, limits: limits)
                notes += parsed.notes
                match(&parsed, &view, from: peer, time: time, notes: &notes)
                if let count = parsed.packet.attachments, count > 0 {
                    if count > limits.maxAttachments {
                        notes.append("\(count) attachments announced; the view joins at most \(limits.maxAttachments).")
                    } else {
                        open[peer.rawValue] = OpenBinary(packet: parsed.packet, json: parsed.json, roundTrip: view.roundTrip)
                        notes.append("\(count) binary attachment\(count == 1 ? "" : "s") follow\(count == 1 ? "s" : "") in the next binary message\(count == 1 ? "" : "s").")
                    }
                }
                view.packet = parsed.packet
            } catch {
                if case .malformed(let reason) = error { notes.append("Not a Socket.IO packet: \(reason).") }
                view.payload = String(decoding: rest, as: UTF8.self)
            }
        default:
            if !rest.isEmpty { view.payload = String(decoding: rest, as: UTF8.self) }
        }
        return MessageView(.socketIO(view), notes: notes)
    }

    /// Records an event that wants an ack, or matches an ack to its event.
    private func match(_ parsed: inout SocketIOParser.Parsed, _ view: inout SocketIOView, from peer: Peer, time: Double,
                       notes: inout [String]) {
        let packet = parsed.packet
        guard let id = packet.ackID else { return }
        if packet.type == .event || packet.type == .binaryEvent {
            let key = AckKey(sender: peer, namespace: packet.namespace, id: id)
            if waiting[key] == nil {
                waitingOrder.append(key)
                forgetOldest()
            }
            waiting[key] = (packet.event, time)
        } else if packet.type.isAck {
            let key = AckKey(sender: peer.other, namespace: packet.namespace, id: id)
            if let asked = waiting.removeValue(forKey: key) {
                parsed.packet.event = asked.event
                view.roundTrip = time - asked.time
            } else {
                notes.append("No event from the \(peer.other.name) on \(packet.namespace) asked for ack \(id) (or it was sent before the capture started).")
            }
        }
    }

    private func forgetOldest() {
        while waiting.count > limits.maxPending, !waitingOrder.isEmpty {
            waiting[waitingOrder.removeFirst()] = nil
        }
        if waitingOrder.count > 2 * limits.maxPending {
            waitingOrder = waitingOrder.filter { waiting[$0] != nil }
        }
    }

    /// A binary message: the next attachment of the sender's open binary packet, or Engine.IO binary data.
    private func attachment(_ bytes: [UInt8], from peer: Peer) -> MessageView {
        var view = SocketIOView(engineIO: .message)
        guard var pending = open[peer.rawValue] else {
            return MessageView(.socketIO(view), notes: ["Binary data no BINARY_EVENT or BINARY_ACK announced (a plain Engine.IO binary message)."])
        }
        view.attachment = pending.attachments.count
        pending.attachments.append(bytes)
        var packet = pending.packet
        var notes: [String] = []
        if pending.attachments.count == packet.attachments {
            open[peer.rawValue] = nil
            view.roundTrip = pending.roundTrip
            var missing: [Int64] = []
            if let json = pending.json {
                let joined = SocketIOParser.replacePlaceholders(json, attachments: pending.attachments, missing: &missing)
                if packet.type == .binaryEvent, case .array(let elements) = joined {
                    packet.args = JSONValue.array(Array(elements.dropFirst())).text
                } else {
                    packet.args = joined.text
                }
            }
            if !missing.isEmpty {
                notes.append("Placeholder\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) name\(missing.count == 1 ? "s" : "") no attachment.")
            }
        } else {
            open[peer.rawValue] = pending
            packet.args = nil
        }
        view.packet = packet
        return MessageView(.socketIO(view), notes: notes)
    }
}

/// The MQTT view of one connection: each direction's messages form one byte stream of control packets (MQTT over
/// WebSocket: a packet may span messages, a message may carry several; MQTT 5.0 §6, 3.1.1 §6). The protocol version
/// comes from the client's CONNECT; the server's packets are decoded with it.
final class MQTTSession {
    private let limits: ViewLimits
    /// The protocol level (3, 4 = 3.1.1, 5); 4 until a CONNECT says otherwise.
    private var version: Int
    private var versionKnown = false
    private var reportedUnknownVersion = false
    /// Per sender: bytes of a packet that continues in the next message.
    private var held: [[UInt8]] = [[], []]
    /// Per sender: the whole size of the held packet, once its fixed header is complete.
    private var needed: [Int?] = [nil, nil]
    /// Per sender: bytes of a packet too large to decode that are still to be skipped.
    private var skipping = [0, 0]

    init(limits: ViewLimits, subprotocol: String?) {
        self.limits = limits
        version = subprotocol == "mqttv3.1" ? 3 : 4
    }

    /// The sender's stream lost bytes: the packet boundaries are lost with them.
    func lost(from peer: Peer) -> [String] {
        let hadBytes = !held[peer.rawValue].isEmpty || skipping[peer.rawValue] > 0
        held[peer.rawValue] = []
        needed[peer.rawValue] = nil
        skipping[peer.rawValue] = 0
        return hadBytes ? ["The unfinished packet held from earlier messages is dropped: bytes of this direction are missing."] : []
    }

    /// Reads one whole message of `peer`.
    func read(_ bytes: [UInt8], binary: Bool, from peer: Peer) -> MessageView {
        let side = peer.rawValue
        var notes: [String] = []
        if !binary { notes.append("MQTT packets travel in binary messages (MQTT 5.0 §6.0); this one is text. Decoded anyway.") }
        var start = 0
        if skipping[side] > 0 {
            start = min(skipping[side], bytes.count)
            skipping[side] -= start
            notes.append("\(start) bytes of the packet too large to decode skipped" + (skipping[side] > 0 ? "; \(skipping[side]) more to come." : "."))
        }
        var buffer = held[side]
        held[side] = []
        let continuing = !buffer.isEmpty
        buffer.append(contentsOf: bytes[start...])
        var view = MQTTView()
        if let need = needed[side], buffer.count < need {
            held[side] = buffer
            view.pendingBytes = buffer.count
            return MessageView(.mqtt(view), notes: notes + ["The packet continues (\(buffer.count) of \(need) bytes)."])
        }
        needed[side] = nil
        var i = 0
        while i < buffer.count {
            let first = buffer[i]
            guard let type = MQTTPacketType(rawValue: first >> 4) else {
                notes.append("Byte \(i): packet type 0 is reserved; the rest of the message (\(buffer.count - i) bytes) is not MQTT.")
                break
            }
            // The remaining length: a variable byte integer of one to four bytes.
            var remaining = 0, k = 0, complete = false
            while k < 4 && i + 1 + k < buffer.count {
                let b = buffer[i + 1 + k]
                remaining |= Int(b & 0x7F) << (7 * k)
                k += 1
                if b & 0x80 == 0 { complete = true; break }
            }
            if !complete {
                if k == 4 {
                    notes.append("Byte \(i): the remaining length takes more than four bytes (a malformed packet); the rest of the message is dropped.")
                    break
                }
                hold(buffer, from: i, need: nil, side: side, view: &view, notes: &notes)
                break
            }
            let headerLength = 1 + k
            let total = headerLength + remaining
            if remaining > limits.maxMessageBytes {
                view.packets.append(MQTTPacket(type: type, flags: first & 0x0F, remainingLength: remaining, version: version))
                notes.append("A \(type.name) of \(remaining) bytes, beyond the view's limit of \(limits.maxMessageBytes): its fields are not decoded.")
                let available = buffer.count - i
                if total > available { skipping[side] = total - available }
                i += min(total, available)
                continue
            }
            guard buffer.count - i >= total else {
                hold(buffer, from: i, need: total, side: side, view: &view, notes: &notes)
                break
            }
            let body = Array(buffer[(i + headerLength)..<(i + total)])
            let (packet, packetNotes) = MQTTDecoder.decode(type: type, flags: first & 0x0F, body: body, version: version, limits: limits)
            if type == .connect, let level = packet.protocolLevel {
                version = level >= 5 ? 5 : level
                versionKnown = true
            } else if !versionKnown && !reportedUnknownVersion && type != .pingreq && type != .pingresp {
                reportedUnknownVersion = true
                notes.append("No CONNECT was captured, so the protocol version is unknown: decoded as MQTT \(version == 3 ? "3.1" : "3.1.1").")
            }
            notes += packetNotes
            view.packets.append(packet)
            i += total
        }
        if continuing && !view.packets.isEmpty { notes.insert("The first packet began in an earlier message.", at: 0) }
        if view.packets.isEmpty && view.pendingBytes == 0 {
            return MessageView(.unparsed(.mqtt), notes: notes.isEmpty ? ["An empty message."] : notes)
        }
        return MessageView(.mqtt(view), notes: notes)
    }

    /// Keeps the unfinished packet at `from` for the sender's next message.
    private func hold(_ buffer: [UInt8], from: Int, need: Int?, side: Int, view: inout MQTTView, notes: inout [String]) {
        held[side] = Array(buffer[from...])
        needed[side] = need
        view.pendingBytes = held[side].count
        notes.append("A packet starts here and continues in the next message (\(held[side].count)" + (need.map { " of \($0)" } ?? "") + " bytes).")
    }
}

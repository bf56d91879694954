/// The STOMP view of one connection: frames cut from each direction's messages (several in one message, or one
/// continuing into the next), heart-beats, and receipts matched to the frames that asked for them.
final class STOMPSession {
    private let limits: ViewLimits
    private var parser: STOMPParser
    /// Per sender: bytes of a frame that continues in the next message.
    private var held: [[UInt8]] = [[], []]
    /// Per sender: what the held frame waits for.
    private var need: [STOMPParser.Need?] = [nil, nil]
    /// Frames that asked for a receipt (`receipt:` header), by receipt id.
    private var waiting: [String: (command: String, time: Double)] = [:]
    private var waitingOrder: [String] = []

    /// `subprotocol` names the version when it is `v10.stomp`, `v11.stomp` or `v12.stomp`.
    init(limits: ViewLimits, subprotocol: String?) {
        self.limits = limits
        var version: String?
        switch subprotocol {
        case "v10.stomp": version = "1.0"
        case "v11.stomp": version = "1.1"
        case "v12.stomp": version = "1.2"
        default: version = nil
        }
        parser = STOMPParser(limits: limits, version: version)
    }

    /// The sender's stream lost bytes: what was held cannot be completed.
    func lost(from peer: Peer) -> [String] {
        defer { held[peer.rawValue] = []; need[peer.rawValue] = nil }
        return held[peer.rawValue].isEmpty ? [] : ["The \(held[peer.rawValue].count) bytes of an unfinished frame held from earlier messages are dropped: bytes of this direction are missing."]
    }

    /// Reads one whole message of `peer`, sent at `time` (seconds).
    func read(_ bytes: [UInt8], from peer: Peer, time: Double) -> MessageView {
        var notes: [String] = []
        let continuing = !held[peer.rawValue].isEmpty
        if continuing, let waitingFor = need[peer.rawValue], !arrives(waitingFor, in: bytes, held: held[peer.rawValue].count) {
            return hold(bytes, from: peer)
        }
        var buffer = held[peer.rawValue]
        buffer += bytes
        held[peer.rawValue] = []
        need[peer.rawValue] = nil
        var view = STOMPView()
        var i = 0
        parsing: while i < buffer.count {
            // End-of-lines between frames: heart-beats.
            if buffer[i] == 0x0A { view.heartbeats += 1; i += 1; continue }
            if buffer[i] == 0x0D && i + 1 < buffer.count && buffer[i + 1] == 0x0A { view.heartbeats += 1; i += 2; continue }
            switch parser.frame(in: buffer, at: i) {
            case .frame(var frame, let end, let frameNotes):
                notes += frameNotes
                match(&frame, from: peer, time: time, notes: &notes)
                view.frames.append(frame)
                i = end
            case .needMore(let waitingFor):
                let rest = buffer.count - i
                if rest > limits.maxMessageBytes {
                    notes.append("An unfinished frame of more than \(limits.maxMessageBytes) bytes (the view's limit) is dropped.")
                } else {
                    held[peer.rawValue] = Array(buffer[i...])
                    need[peer.rawValue] = waitingFor
                    view.pendingBytes = rest
                    notes.append("A frame starts here and continues in the next message (\(rest) bytes held).")
                }
                break parsing
            case .malformed(let reason):
                notes.append("Not a STOMP frame at byte \(i): \(reason).")
                break parsing
            }
        }
        if continuing && !view.frames.isEmpty { notes.insert("The first frame began in an earlier message.", at: 0) }
        if view.frames.isEmpty && view.heartbeats == 0 && view.pendingBytes == 0 {
            return MessageView(.unparsed(.stomp), notes: notes.isEmpty ? ["An empty message."] : notes)
        }
        return MessageView(.stomp(view), notes: notes)
    }

    /// True when the bytes of a new message can end the held frame.
    private func arrives(_ waitingFor: STOMPParser.Need, in bytes: [UInt8], held: Int) -> Bool {
        switch waitingFor {
        case .lineEnd: return bytes.contains(0x0A)
        case .nul: return bytes.contains(0)
        case .bytes(let count): return held + bytes.count >= count
        }
    }

    /// Adds a message to the held frame without reading it again (it cannot have ended).
    private func hold(_ bytes: [UInt8], from peer: Peer) -> MessageView {
        let total = held[peer.rawValue].count + bytes.count
        guard total <= limits.maxMessageBytes else {
            held[peer.rawValue] = []
            need[peer.rawValue] = nil
            return MessageView(.unparsed(.stomp), notes: ["An unfinished frame of more than \(limits.maxMessageBytes) bytes (the view's limit) is dropped."])
        }
        held[peer.rawValue] += bytes
        var view = STOMPView()
        view.pendingBytes = total
        return MessageView(.stomp(view), notes: ["The frame continues (\(total) bytes held)."])
    }

    /// Remembers a client frame that asks for a receipt; matches the server's RECEIPT (or an ERROR that names one)
    /// to it. Learns the version from CONNECTED. (A broker may copy a SEND's `receipt` header into the MESSAGE it
    /// delivers: that is not a request.)
    private func match(_ frame: inout STOMPFrame, from peer: Peer, time: Double, notes: inout [String]) {
        if frame.command == "CONNECTED", let version = frame.header("version") {
            parser.version = version
        }
        // The client asks for receipts; the server answers them.
        if peer == .client, let id = frame.header("receipt") {
            if waiting[id] == nil { waitingOrder.append(id) }
            waiting[id] = (frame.command, time)
            while waiting.count > limits.maxPending, !waitingOrder.isEmpty { waiting[waitingOrder.removeFirst()] = nil }
            if waitingOrder.count > 2 * limits.maxPending { waitingOrder = waitingOrder.filter { waiting[$0] != nil } }
        }
        if peer == .server, frame.command == "RECEIPT" || frame.command == "ERROR", let id = frame.header("receipt-id") {
            if let asked = waiting.removeValue(forKey: id) {
                frame.receiptFor = asked.command
                frame.roundTrip = time - asked.time
            } else {
                notes.append("No frame asked for receipt \"\(id.prefix(80))\" (or it was sent before the capture started).")
            }
        }
    }
}

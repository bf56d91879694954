/// The payload view of one connection: which view reads its messages (from the negotiated subprotocol, `--view`,
/// or the first messages' content), and the state both directions share — acks, receipts and operations waiting for
/// their answer, the MQTT protocol version, Socket.IO attachments.
///
/// The analysis feeds each direction's `MessageReader`; the reader hands each whole message here when it ends.
public final class ConnectionViews {
    public let limits: ViewLimits
    private let subprotocol: String?
    /// The view chosen, nil while undecided (or for good, when nothing matched).
    public private(set) var kind: ViewKind?
    /// How the view was chosen.
    public private(set) var chosenBy: ChosenBy?
    /// Still looking at first messages for a view (`auto` without a subprotocol that names one).
    private var sniffing: Bool
    private var seenFirst = [false, false]
    private var seenFirstText = [false, false]
    private var socketIO: SocketIOSession?
    private var stomp: STOMPSession?
    private var mqtt: MQTTSession?
    private var graphQL: GraphQLSession?

    /// Where a connection's view came from.
    public enum ChosenBy: String, Sendable {
        /// `--view NAME`.
        case option
        /// The negotiated `Sec-WebSocket-Protocol`.
        case subprotocol
        /// The first messages' content.
        case content
    }

    /// nil when `choice` is `none`: the connection has no view and costs nothing.
    public init?(choice: ViewChoice, subprotocol: String?, limits: ViewLimits = ViewLimits()) {
        self.limits = limits
        self.subprotocol = subprotocol
        switch choice {
        case .none:
            return nil
        case .only(let kind):
            sniffing = false
            choose(kind, by: .option)
        case .auto:
            if let kind = subprotocol.flatMap(ViewKind.forSubprotocol) {
                sniffing = false
                choose(kind, by: .subprotocol)
            } else {
                sniffing = true
            }
        }
    }

    /// The readers of the two directions' messages, made once per connection. Each keeps the connection alive
    /// (the connection keeps no reference to them: no cycle, and no weak reference, whose side table would slow
    /// every retain of a reader on the per-message path).
    public func makeReaders() -> (client: MessageReader, server: MessageReader) {
        (MessageReader(connection: self, peer: .client), MessageReader(connection: self, peer: .server))
    }

    private func choose(_ kind: ViewKind, by how: ChosenBy) {
        self.kind = kind
        chosenBy = how
        sniffing = false
        switch kind {
        case .socketIO: socketIO = SocketIOSession(limits: limits)
        case .stomp: stomp = STOMPSession(limits: limits, subprotocol: subprotocol)
        case .mqtt: mqtt = MQTTSession(limits: limits, subprotocol: subprotocol)
        case .graphQL: graphQL = GraphQLSession(limits: limits)
        case .json: break
        }
    }

    /// What a reader keeps of a message that starts now.
    func mode(for peer: Peer, binary: Bool) -> MessageReader.Mode {
        if let kind {
            guard kind == .json else { return .keep }
            if binary || !limits.readsPlainJSON { return .skip }
            return chosenBy == .content ? .keepIfJSON : .keep
        }
        guard sniffing else { return .skip }
        if !seenFirst[peer.rawValue] { return .keep }
        if !binary && !seenFirstText[peer.rawValue] && limits.readsPlainJSON { return .keepIfJSON }
        return .skip
    }

    /// The length beyond which a message that starts now is not read, when it can only be plain JSON (nil: the
    /// view's own limit applies). While sniffing, the limit applies too: a first message too long to repeat is not
    /// looked at.
    func jsonLimit(binary: Bool) -> Int? {
        guard !binary, limits.maxJSONBytes < limits.maxMessageBytes else { return nil }
        if kind == .json { return limits.maxJSONBytes }
        return sniffing ? limits.maxJSONBytes : nil
    }

    /// A plain JSON message that was not read (longer than `maxJSONBytes`).
    func omittedJSON(from peer: Peer) -> MessageView? {
        if sniffing {
            seenFirst[peer.rawValue] = true
            seenFirstText[peer.rawValue] = true
            return nil
        }
        guard kind == .json else { return nil }
        return MessageView(.json(JSONView(value: nil, valueOmitted: true, error: nil)))
    }

    /// A text message turned out at its first byte not to be a JSON object or array: while sniffing, it was the
    /// side's first text message, so plain JSON is no longer looked for on that side.
    func notJSON(from peer: Peer) {
        if sniffing { seenFirstText[peer.rawValue] = true }
    }

    /// A message that was wanted but cannot be read (too long, incomplete, bytes lost).
    func unreadable(from peer: Peer, binary: Bool, because reason: String) -> MessageView? {
        if sniffing {
            seenFirst[peer.rawValue] = true
            if !binary { seenFirstText[peer.rawValue] = true }
            return nil
        }
        guard let kind else { return nil }
        var notes = [reason]
        if kind == .mqtt { notes += mqtt!.lost(from: peer) }
        if kind == .stomp { notes += stomp!.lost(from: peer) }
        return MessageView(.unparsed(kind), notes: notes)
    }

    /// Reads one whole message (`time` in seconds): sniffs while undecided, then hands it to the chosen view.
    func read(_ bytes: [UInt8], binary: Bool, from peer: Peer, time: Double) -> MessageView? {
        var sniffed: MessageView?
        if sniffing {
            sniffed = sniff(bytes, binary: binary, from: peer)
        }
        guard let kind else { return nil }
        switch kind {
        case .json: return sniffed ?? plainJSON(bytes).view
        case .socketIO: return socketIO!.read(bytes, binary: binary, from: peer, time: time)
        case .stomp: return stomp!.read(bytes, from: peer, time: time)
        case .mqtt: return mqtt!.read(bytes, binary: binary, from: peer)
        case .graphQL: return graphQL!.read(bytes, binary: binary, from: peer, time: time)
        }
    }

    /// The `json` view of a message: its canonical value, or where it stops being JSON.
    private func plainJSON(_ bytes: [UInt8]) -> (view: MessageView, valid: Bool) {
        let parsed = JSONParser.canonical(bytes, limits: limits)
        let view = JSONView(value: parsed.value, error: parsed.error)
        return (MessageView(.json(view), notes: parsed.notes + (parsed.error.map { [$0.description + "."] } ?? [])), parsed.error == nil)
    }

    /// Looks at a first message for a view (Docs/views.md, "Sniffing"). Returns the message's JSON view when it
    /// chose JSON.
    private func sniff(_ bytes: [UInt8], binary: Bool, from peer: Peer) -> MessageView? {
        let first = !seenFirst[peer.rawValue]
        let firstText = !binary && !seenFirstText[peer.rawValue]
        seenFirst[peer.rawValue] = true
        if !binary { seenFirstText[peer.rawValue] = true }
        if first, let kind = Sniffer.protocolOfFirstMessage(bytes, binary: binary, from: peer, limits: limits) {
            choose(kind, by: .content)
            return nil
        }
        guard firstText, limits.readsPlainJSON, let lead = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              lead == UInt8(ascii: "{") || lead == UInt8(ascii: "[") else { return nil }
        let (view, valid) = plainJSON(bytes)
        guard valid else { return nil }
        choose(.json, by: .content)
        return view
    }
}

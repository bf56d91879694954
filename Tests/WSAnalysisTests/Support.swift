import WSStream
import WSAnalysis
import WSCapture
import WSTestSupport
import WSWire

/// Collects every event.
final class EventCollector: InspectionSink {
    var events: [InspectionEvent] = []
    func handle(_ event: InspectionEvent) { events.append(event) }

    var frames: [FrameRecord] { events.compactMap { if case .frame(let f) = $0 { return f } else { return nil } } }
    var handshakes: [HandshakeRecord] { events.compactMap { if case .handshake(let h) = $0 { return h } else { return nil } } }
    var connections: [ConnectionRecord] { events.compactMap { if case .connection(let c) = $0 { return c } else { return nil } } }
    var gaps: [GapRecord] { events.compactMap { if case .gap(let g) = $0 { return g } else { return nil } } }
    var summaries: [ConnectionSummary] { events.compactMap { if case .summary(let s) = $0 { return s } else { return nil } } }
    var diagnostics: [DiagnosticRecord] { events.compactMap { if case .diagnostic(let d) = $0 { return d } else { return nil } } }
    var capture: CaptureSummary? { events.compactMap { if case .capture(let c) = $0 { return c } else { return nil } }.last }

    /// Text of each text frame, by sender, in order.
    func texts(_ sender: Sender) -> [String] {
        frames.filter { $0.sender == sender }.compactMap { $0.frame.text }
    }

    /// Every finding of the rule `id`, wherever it is reported.
    func findings(_ id: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for event in events {
            switch event {
            case .frame(let f): found += f.frame.diagnostics
            case .handshake(let h): found += h.diagnostics
            case .diagnostic(let d): found.append(d.diagnostic)
            case .incompleteHeader(_, _, let t): found.append(t.diagnostic)
            case .message(let m): found += m.message.diagnostics
            default: break
            }
        }
        return found.filter { $0.rule.id == id }
    }

    /// Every rule id reported anywhere.
    var ruleIDs: Set<String> {
        var ids = Set<String>()
        for event in events {
            switch event {
            case .frame(let f): f.frame.diagnostics.forEach { ids.insert($0.rule.id) }
            case .handshake(let h): h.diagnostics.forEach { ids.insert($0.rule.id) }
            case .diagnostic(let d): ids.insert(d.diagnostic.rule.id)
            case .incompleteHeader(_, _, let t): ids.insert(t.diagnostic.rule.id)
            case .message(let m): m.message.diagnostics.forEach { ids.insert($0.rule.id) }
            default: break
            }
        }
        return ids
    }
}

/// Runs the analysis over packets built in memory.
func inspect(_ packets: [CaptureFileWriter.Packet], link: LinkType = .ethernet,
             configure: (inout CaptureInspector.Options) -> Void = { _ in }) -> EventCollector {
    var options = CaptureInspector.Options()
    configure(&options)
    let collector = EventCollector()
    let inspector = CaptureInspector(source: "test", linkType: link, linkTypeName: "test", options: options, sink: collector)
    let decoder = PacketDecoder(linkType: link)
    for (i, packet) in packets.enumerated() {
        packet.bytes.withUnsafeBytes { raw in
            inspector.process(decoder.prepare(CapturedPacket(number: i + 1, time: Timestamp(seconds: Int64(packet.seconds), nanoseconds: Int32(packet.nanoseconds)),
                                             bytes: raw, originalLength: packet.originalLength ?? raw.count)))
        }
    }
    inspector.finish()
    return collector
}

/// A complete WebSocket conversation: handshake, the given client and server frames alternating, close.
func webSocketConversation(client: [[UInt8]], server: [[UInt8]], segmentSize: Int = 1448) -> Conversation {
    var c = Conversation()
    c.open()
    c.send(fromClient: true, WebSocketBytes.request())
    c.send(fromClient: false, WebSocketBytes.response())
    for i in 0..<max(client.count, server.count) {
        if i < client.count { c.send(fromClient: true, client[i], segmentSize: segmentSize) }
        if i < server.count { c.send(fromClient: false, server[i], segmentSize: segmentSize) }
    }
    return c
}

/// What every plain (not TLS) WebSocket connection of a test capture reports: a note, on loopback.
let plainWS: Set<String> = ["cleartext-websocket"]

/// A captured connection: TCP open, the given request and response, then whatever `build` adds.
func upgraded(request: [UInt8] = WebSocketBytes.request(), response: [UInt8] = WebSocketBytes.response(),
              timing: TimingThresholds = TimingThresholds(),
              _ build: (inout Conversation) -> Void = { _ in }) -> EventCollector {
    var c = Conversation()
    c.open()
    c.send(fromClient: true, request)
    c.send(fromClient: false, response)
    build(&c)
    return inspect(c.packets()) { $0.timing = timing }
}

/// Frames for tests, each client frame with a random key of its own (a repeated key is `mask-key-predictable`).
enum TestFrames {
    static func key() -> [UInt8] {
        (0..<4).map { _ in UInt8.random(in: 1...255) }
    }

    static func client(fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        WebSocketBytes.frame(fin: fin, rsv: rsv, opcode: opcode, key: key(), payload: payload)
    }

    static func server(fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        WebSocketBytes.frame(fin: fin, rsv: rsv, opcode: opcode, payload: payload)
    }

    static func close(_ code: UInt16, _ reason: String = "", fromClient: Bool) -> [UInt8] {
        let payload = [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
        return fromClient ? client(opcode: 8, payload) : server(opcode: 8, payload)
    }

    static func text(_ s: String, fromClient: Bool, fin: Bool = true) -> [UInt8] {
        fromClient ? client(fin: fin, opcode: 1, Array(s.utf8)) : server(fin: fin, opcode: 1, Array(s.utf8))
    }
}

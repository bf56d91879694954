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

import Testing
import WSAnalysis
import WSCapture
import WSStream
import WSTestSupport
import WSWire

/// The rules about what lies under WebSocket in a capture (TCP, IP, the packets themselves): each fires on a
/// hand-built capture and stays silent on a look-alike.
@Suite struct CaptureLayerRuleTests {
    /// A retransmission that carries other bytes than the original (`tcp-retransmission-conflict`); the first copy wins.
    @Test func retransmissionConflict() {
        func run(retransmit payload: [UInt8]) -> EventCollector {
            var c = Conversation()
            c.open()
            c.send(fromClient: true, WebSocketBytes.request())
            c.send(fromClient: false, WebSocketBytes.response())
            let original = TestFrames.text("original", fromClient: false)
            c.send(fromClient: false, original)
            let sent = c.segments.last!
            c.append(Conversation.Segment(fromClient: false, seq: sent.seq, ack: sent.ack, flags: sent.flags, payload: payload))
            return inspect(c.packets())
        }
        let original = TestFrames.text("original", fromClient: false)
        // 81 08 "altered!": the same length at the same sequence number, other bytes.
        let altered = run(retransmit: TestFrames.text("altered!", fromClient: false))
        #expect(altered.ruleIDs.contains("tcp-retransmission-conflict"))
        #expect(altered.texts(.server) == ["original"])
        #expect(!run(retransmit: original).ruleIDs.contains("tcp-retransmission-conflict"))
    }

    /// An IP fragment is reported, not reassembled (`ip-fragment-not-reassembled`).
    @Test func ipFragment() {
        let builder = PacketBuilder()
        func packet(_ fragment: (offset: Int, more: Bool)?) -> [CaptureFileWriter.Packet] {
            [CaptureFileWriter.Packet(seconds: 1_700_000_000, nanoseconds: 0,
                                      bytes: builder.tcp(from: .loopback(40000), to: .loopback(8080), seq: 1, ack: 1, flags: .ack,
                                                         payload: Array("x".utf8), fragment: fragment))]
        }
        #expect(inspect(packet((offset: 0, more: true))).ruleIDs.contains("ip-fragment-not-reassembled"))
        #expect(!inspect(packet(nil)).ruleIDs.contains("ip-fragment-not-reassembled"))
    }

    /// A packet whose IPv4 header is cut short (`packet-malformed`).
    @Test func malformedPacket() {
        let whole = PacketBuilder().tcp(from: .loopback(40000), to: .loopback(8080), seq: 1, ack: 1, flags: .ack)
        // Ethernet (14 bytes), then 10 of the IPv4 header's 20.
        let cut = [CaptureFileWriter.Packet(seconds: 1_700_000_000, nanoseconds: 0, bytes: Array(whole.prefix(24)))]
        #expect(inspect(cut).ruleIDs.contains("packet-malformed"))
        #expect(!inspect([CaptureFileWriter.Packet(seconds: 1_700_000_000, nanoseconds: 0, bytes: whole)]).ruleIDs.contains("packet-malformed"))
    }
}

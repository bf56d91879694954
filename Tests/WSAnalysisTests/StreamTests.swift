import Testing
import WSAnalysis
import WSCapture
import WSTestSupport
import WSWire

@Suite struct StreamTests {
    @Test func handshakeThenFramesBothWays() {
        var c = webSocketConversation(client: [WebSocketBytes.text("Hello", masked: true)],
                                      server: [WebSocketBytes.text("Hi!", masked: false)])
        c.close()
        let result = inspect(c.packets())
        #expect(result.connections.count == 1)
        #expect(result.connections[0].client == "127.0.0.1:40000" && result.connections[0].server == "127.0.0.1:8080")
        #expect(result.handshakes.count == 1)
        #expect(result.handshakes[0].outcome?.acceptValid == true)
        #expect(result.texts(.client) == ["Hello"])
        #expect(result.texts(.server) == ["Hi!"])
        #expect(result.frames.map(\.index) == [0, 1])
        #expect(result.summaries.count == 1)
        #expect(result.summaries[0].clientDirection.accounting.isBalanced)
        #expect(result.summaries[0].serverDirection.accounting.isBalanced)
        #expect(result.ruleIDs == plainWS)
    }

    @Test func frameHeaderSplitAcrossSegmentsAndOneByteSegments() {
        let frames = (0..<5).map { WebSocketBytes.text("message \($0)", masked: true) }
        let c = webSocketConversation(client: [Array(frames.joined())], server: [], segmentSize: 1)
        let result = inspect(c.packets())
        #expect(result.texts(.client) == (0..<5).map { "message \($0)" })
    }

    @Test func manyFramesInOneSegment() {
        let frames = (0..<200).map { WebSocketBytes.text("\($0)", masked: false) }
        let c = webSocketConversation(client: [], server: [Array(frames.joined())], segmentSize: 65000)
        let result = inspect(c.packets())
        #expect(result.texts(.server) == (0..<200).map { "\($0)" })
        // All arrived in one packet.
        #expect(Set(result.frames.map { $0.frame.origin.packet }).count == 1)
    }

    @Test func framesInTheSameSegmentAsThe101() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response() + WebSocketBytes.text("welcome", masked: false))
        let result = inspect(c.packets())
        #expect(result.texts(.server) == ["welcome"])
    }

    @Test func outOfOrderSegmentsDecodeInOrder() {
        let payload = WebSocketBytes.text(String(repeating: "abcdefghij", count: 50), masked: true)
        var c = webSocketConversation(client: [payload], server: [], segmentSize: 100)
        var segments = c.segments
        // Swap two data segments of the frame.
        let last = segments.count - 1
        segments.swapAt(last, last - 2)
        c = Conversation()
        for s in segments { c.append(s) }
        let result = inspect(c.packets())
        #expect(result.texts(.client) == [String(repeating: "abcdefghij", count: 50)])
        #expect(result.gaps.isEmpty)
    }

    @Test func gapInsideAPayloadKeepsTheFrameBoundary() {
        // A 3000-byte binary frame in 3 segments; the middle one is lost; then a text frame.
        let big = WebSocketBytes.frame(opcode: 2, payload: [UInt8](repeating: 7, count: 3000))
        var c = webSocketConversation(client: [], server: [big, WebSocketBytes.text("after", masked: false)], segmentSize: 1000)
        c.acknowledge(fromClient: true)
        var segments = c.segments
        // segments: 3 handshake(TCP) + request + response + big(4 segments: 3004 bytes) + text + ack
        let lostIndex = segments.firstIndex { !$0.fromClient && $0.payload.count == 1000 && $0.payload.first == 7 }!
        segments.remove(at: lostIndex)
        let result = inspect(Conversation.packets(of: c, segments))
        #expect(result.gaps.count == 1)
        #expect(result.gaps[0].bytes == 1000)
        let frames = result.frames.filter { $0.sender == .server }
        #expect(frames.count == 2)
        #expect(frames[0].frame.payloadLost == 1000)
        #expect(!frames[0].frame.isComplete)
        #expect(frames[1].frame.text == "after")
        let summary = result.summaries[0].serverDirection.accounting
        #expect(summary.isBalanced)
        #expect(summary.gapBytes == 1000)
        #expect(summary.skippedBytes == 0)
    }

    @Test func gapSwallowingHeadersIsFollowedByResynchronisation() {
        // Ten frames of 300 bytes sent in 200-byte segments; segments 4-6 are lost.
        let frames = (0..<10).map { WebSocketBytes.frame(opcode: 2, payload: [UInt8](repeating: UInt8($0), count: 300)) }
        var c = webSocketConversation(client: [], server: [Array(frames.joined())], segmentSize: 200)
        c.acknowledge(fromClient: true)
        var segments = c.segments
        let firstData = segments.firstIndex { !$0.fromClient && $0.payload.count == 200 }!
        segments.removeSubrange((firstData + 4)...(firstData + 6))
        let result = inspect(Conversation.packets(of: c, segments))
        #expect(result.gaps.map(\.bytes) == [600])
        #expect(result.ruleIDs.contains("stream-resynchronised"))
        let complete = result.frames.filter { $0.sender == .server && $0.frame.isComplete }
        // Frames wholly before the gap and the ones after resynchronisation are decoded intact.
        #expect(complete.map { $0.frame.payload.first! } == [0, 1, 5, 6, 7, 8, 9])
        #expect(result.summaries[0].serverDirection.accounting.isBalanced)
    }

    @Test func midStreamWithWebSocketPort() {
        let c = webSocketConversation(client: [WebSocketBytes.text("one", masked: true), WebSocketBytes.text("two", masked: true)],
                                      server: [WebSocketBytes.text("uno", masked: false), WebSocketBytes.text("dos", masked: false)])
        // Drop the TCP handshake and the HTTP upgrade.
        let packets = Array(c.packets().dropFirst(5))
        let withPort = inspect(packets) { $0.webSocketPorts = [8080] }
        #expect(withPort.connections.first?.detection == .webSocketPort)
        #expect(withPort.texts(.client) == ["one", "two"])
        #expect(withPort.texts(.server) == ["uno", "dos"])
        #expect(withPort.ruleIDs.contains("websocket-without-handshake"))
    }

    @Test func midStreamHeuristicNeedsSeveralPlausibleFrames() {
        let client = (0..<4).map { WebSocketBytes.text("c\($0)", masked: true) }
        let server = (0..<4).map { WebSocketBytes.text("s\($0)", masked: false) }
        let c = webSocketConversation(client: [Array(client.joined())], server: [Array(server.joined())])
        let result = inspect(Array(c.packets().dropFirst(5)))
        #expect(result.connections.first?.detection == .heuristic)
        #expect(result.texts(.client) == ["c0", "c1", "c2", "c3"])
        #expect(result.texts(.server) == ["s0", "s1", "s2", "s3"])
        // Without the heuristic the connection is not reported.
        let off = inspect(Array(c.packets().dropFirst(5))) { $0.heuristic = false }
        #expect(off.connections.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func heuristicSearchResumesInsteadOfStartingOver() {
        // Mid-stream, the client sends 30,000 bytes of reserved-opcode junk (03) one byte per segment, then three
        // real frames. Each segment's search resumes after the positions already ruled out (a search from the start
        // every time was quadratic); the frames after the junk are still found, with their own packet numbers.
        var c = Conversation()
        c.open()
        for _ in 0..<30_000 { c.send(fromClient: true, [0x03]) }
        let frames = (0..<3).map { WebSocketBytes.text("f\($0)", masked: true) }
        for frame in frames { c.send(fromClient: true, frame) }
        let result = inspect(Array(c.packets().dropFirst(3)))
        #expect(result.connections.first?.detection == .heuristic)
        #expect(result.texts(.client) == ["f0", "f1", "f2"])
        #expect(result.frames.last?.frame.origin.packet == 30_003)
    }

    @Test func heuristicNeverDecodesPlainHTTPOrTLSAsFrames() {
        var http = Conversation()
        http.send(fromClient: true, Array("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        http.send(fromClient: false, Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8))
        #expect(inspect(http.packets()).connections.isEmpty)
        var tls = Conversation()
        // TLS records: handshake (0x16) and application data (0x17), version 3.3.
        tls.send(fromClient: true, [0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5] + [0x17, 0x03, 0x03, 0x00, 0x02, 9, 9])
        tls.send(fromClient: false, [0x16, 0x03, 0x03, 0x00, 0x03, 1, 2, 3] + [0x17, 0x03, 0x03, 0x00, 0x01, 7])
        // TLS is named as TLS (issue #12), and nothing is decoded from it.
        let result = inspect(tls.packets())
        #expect(result.connections.map(\.detection) == [.tls] && result.frames.isEmpty)
    }

    @Test func portReuseGivesTwoConnections() {
        var first = webSocketConversation(client: [WebSocketBytes.text("first", masked: true)], server: [])
        first.close()
        var second = Conversation(clientISN: 777_000, serverISN: 3)
        second.open()
        second.send(fromClient: true, WebSocketBytes.request())
        second.send(fromClient: false, WebSocketBytes.response())
        second.send(fromClient: true, WebSocketBytes.text("second", masked: true))
        let result = inspect(first.packets() + second.packets(startSecond: 1_700_000_100))
        #expect(result.connections.map(\.stream) == [0, 1])
        #expect(result.frames.map(\.stream) == [0, 1])
        #expect(result.texts(.client) == ["first", "second"])
        // The same key on both connections is flagged.
        #expect(result.ruleIDs.contains("handshake-key-not-random"))
    }

    @Test func keepAliveRequestsBeforeTheUpgrade() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("GET /page HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        c.send(fromClient: false, Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8))
        c.send(fromClient: true, Array("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".utf8))
        c.send(fromClient: false, Array("HTTP/1.1 204 No Content\r\n\r\n".utf8))
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: true, WebSocketBytes.text("upgraded", masked: true))
        let result = inspect(c.packets())
        #expect(result.handshakes.count == 1)
        #expect(result.texts(.client) == ["upgraded"])
        #expect(result.summaries[0].clientDirection.accounting.isBalanced)
    }

    @Test func refusedUpgradeStaysHTTP() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, Array("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".utf8))
        c.close()
        let result = inspect(c.packets())
        #expect(result.handshakes.first?.status == 403)
        #expect(result.handshakes.first?.upgraded == false)
        #expect(result.ruleIDs.contains("upgrade-refused"))
        #expect(result.frames.isEmpty)
    }

    @Test func clientFramesBeforeThe101AreFlagged() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: true, WebSocketBytes.text("eager", masked: true))
        c.send(fromClient: false, WebSocketBytes.response())
        let result = inspect(c.packets())
        #expect(result.texts(.client) == ["eager"])
        #expect(result.ruleIDs.contains("client-data-before-response"))
    }

    @Test func hixie76IsRecognisedNotMisdecoded() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("GET /demo HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\nSec-WebSocket-Protocol: sample\r\nUpgrade: WebSocket\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nOrigin: http://example.com\r\n\r\n^n:ds[4U".utf8))
        c.send(fromClient: false, Array("HTTP/1.1 101 WebSocket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Origin: http://example.com\r\nSec-WebSocket-Location: ws://example.com/demo\r\nSec-WebSocket-Protocol: sample\r\n\r\n8jKS'y:G*Co,Wxa-".utf8))
        c.send(fromClient: true, [0x00] + Array("Hello".utf8) + [0xFF])
        let result = inspect(c.packets())
        #expect(result.frames.isEmpty)
        #expect(result.ruleIDs.contains("legacy-hixie-handshake"))
        #expect(result.ruleIDs.contains("legacy-hixie-header"))
        let client = result.summaries[0].clientDirection.accounting
        #expect(client.isBalanced && client.skippedBytes == 7)
    }

    @Test func tutorialServerAHandshake() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, Array("HTTP/1.1 101 Web Socket Protocol Handshake \r\nUpgrade:WebSocket\r\nConnection : Upgrade\r\nsec-websocket-accept: \(WebSocketBytes.accept)\r\n\r\n".utf8))
        c.send(fromClient: true, WebSocketBytes.text("still talking", masked: true))
        let result = inspect(c.packets())
        #expect(result.handshakes[0].outcome?.acceptValid == true)
        #expect(result.ruleIDs == plainWS.union(["header-whitespace-before-colon", "client-accepted-bad-handshake"]))
        #expect(!result.ruleIDs.contains("response-connection-invalid"))
    }

    @Test func wrongAcceptIsAcceptMismatch() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response(accept: "AAAAAAAAAAAAAAAAAAAAAAAAAAA="))
        let result = inspect(c.packets())
        #expect(result.handshakes[0].outcome?.acceptValid == false)
        #expect(result.ruleIDs.contains("accept-mismatch"))
    }

    @Test func maskingRulesApplyBecauseTheSenderIsKnown() {
        let c = webSocketConversation(client: [WebSocketBytes.text("bare", masked: false)],
                                      server: [WebSocketBytes.text("veiled", masked: true)])
        let result = inspect(c.packets())
        #expect(result.ruleIDs.isSuperset(of: ["client-frame-unmasked", "server-frame-masked"]))
    }

    @Test func ipv6AndOtherLinkTypes() {
        let builder = PacketBuilder(link: .linuxSLL2)
        var c = Conversation(client: .loopback6(40000), server: .loopback6(8080))
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(host: "[::1]:8080"))
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: true, WebSocketBytes.text("v6", masked: true))
        let result = inspect(c.packets(builder: builder), link: .linuxSLL2)
        #expect(result.connections.first?.client == "[::1]:40000")
        #expect(result.texts(.client) == ["v6"])
    }
}

extension Conversation {
    /// Packets for a chosen list of this conversation's segments.
    static func packets(of conversation: Conversation, _ segments: [Segment]) -> [CaptureFileWriter.Packet] {
        conversation.packets(segments)
    }
}

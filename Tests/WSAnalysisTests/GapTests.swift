import Testing
import WSAnalysis
import WSCapture
import WSTestSupport
import WSWire

/// Captures that lost packets: no frame is invented, and no peer is blamed for what the capture lost.
@Suite struct GapTests {
    /// Segments of the conversation without the ones `drop` picks.
    static func inspectDropping(_ c: Conversation, _ drop: (Conversation.Segment) -> Bool,
                                configure: (inout CaptureInspector.Options) -> Void = { _ in }) -> EventCollector {
        inspect(Conversation.packets(of: c, c.segments.filter { !drop($0) }), configure: configure)
    }

    /// Error- and warning-level findings anywhere (the traffic in these tests breaks no rule).
    static func accusations(_ result: EventCollector) -> Set<String> {
        var found = Set<String>()
        for event in result.events {
            var list: [Diagnostic] = []
            switch event {
            case .frame(let f): list = f.frame.diagnostics
            case .message(let m): list = m.message.diagnostics
            case .diagnostic(let d): list = [d.diagnostic]
            case .incompleteHeader(_, _, let t): list = [t.diagnostic]
            case .handshake(let h): list = h.diagnostics
            default: break
            }
            for d in list where d.severity != .note { found.insert(d.rule.id) }
        }
        return found
    }

    @Test func aGapSwallowingAHeaderInsideBinaryLookalikesInventsNothing() {
        // A 4 000-byte binary frame in 1 000-byte segments. Every segment of its payload starts with bytes that read as
        // two frames (82 03 … then an empty ping 89 00) — exactly what the old "two plausible headers" rule took as a
        // boundary — and is 0xFF after them (never a plausible header). The segment with its header is lost.
        var payload: [UInt8] = []
        for _ in 0..<4 { payload += [0x82, 0x03, 0xAA, 0xBB, 0xCC, 0x89, 0x00] + [UInt8](repeating: 0xFF, count: 993) }
        let big = WebSocketBytes.frame(opcode: 2, payload: payload)   // header 82 7E 0F A0, then the payload
        var c = webSocketConversation(client: [], server: [big, WebSocketBytes.text("after", masked: false),
                                                            WebSocketBytes.text("and again", masked: false)], segmentSize: 1000)
        c.acknowledge(fromClient: true)
        let result = Self.inspectDropping(c) { !$0.fromClient && $0.payload.prefix(4) == [0x82, 0x7E, 0x0F, 0xA0] }
        let server = result.frames.filter { $0.sender == .server }
        #expect(server.map { $0.frame.text } == ["after", "and again"])
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
        let notes = result.diagnostics.filter { $0.diagnostic.rule == .streamResynchronised }
        #expect(notes.count == 1)
        #expect(notes.first?.diagnostic.message.contains("swallowed a frame header") == true)
        let accounting = result.summaries[0].serverDirection.accounting
        #expect(accounting.isBalanced && accounting.gapBytes == 1000 && accounting.skippedBytes == 3004)
    }

    @Test func aGapInsideAFragmentedTextMessageCutsItWithoutBlamingTheSender() {
        // "ab你好cd" 40 times in a first fragment sent 7 bytes a segment (segments cut characters), a continuation
        // with FIN. One segment in the middle of the first fragment is lost: its boundary is kept.
        let text = String(repeating: "ab你好cd", count: 40)
        let first = WebSocketBytes.frame(fin: false, opcode: 1, key: [1, 2, 3, 4], payload: Array(text.utf8))
        let last = WebSocketBytes.frame(opcode: 0, key: [5, 6, 7, 8], payload: Array("!".utf8))
        var c = webSocketConversation(client: [first + last], server: [], segmentSize: 7)
        c.acknowledge(fromClient: false)
        let lost = c.segments.filter { $0.fromClient && $0.payload.count == 7 }[20]
        let result = Self.inspectDropping(c) { $0.seq == lost.seq && $0.fromClient }
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
        let messages: [Message] = result.events.compactMap { if case .message(let m) = $0 { return m.message } else { return nil } }
        #expect(messages.count == 1)
        let message = messages[0]
        #expect(!message.complete && message.bytesLost && message.missingBytes == 7)
        #expect(message.diagnostics.isEmpty || message.diagnostics.allSatisfy { $0.severity == .note })
        // Shown as text up to the gap, on a character boundary, never joined to the bytes after it.
        let shown = message.text ?? ""
        #expect(message.showsAsText && text.hasPrefix(shown) && !shown.isEmpty)
        #expect(shown.utf8.count <= 20 * 7 - 6)   // the 20 segments before the gap, less the header
        // The frame keeps its boundary: its payload bytes after the gap are counted, not shown.
        let frames = result.frames.filter { $0.sender == .client }
        #expect(frames.count == 2 && frames[0].frame.payloadLost == 7 && frames[1].frame.text == nil)
        #expect(frames[0].frame.diagnostics.map(\.rule) == [.captureGap])
    }

    @Test func aGapSwallowingTheNextFragmentsHeaderEndsTheMessageAndOrphansItsRest() {
        // Three fragments of 300 bytes, each sent in its own segments of 100; the segment holding the second
        // fragment's header is lost. The third fragment (a continuation) is no "unexpected continuation".
        var parts: [[UInt8]] = []
        for i in 0..<3 {
            let key: [UInt8] = [9, 9, 9, UInt8(i)]
            let payload = [UInt8](repeating: UInt8(i), count: 294)
            parts.append(WebSocketBytes.frame(fin: i == 2, opcode: i == 0 ? 2 : 0, key: key, payload: payload))
        }
        var c = webSocketConversation(client: parts + [WebSocketBytes.text("next", masked: true)], server: [], segmentSize: 100)
        c.acknowledge(fromClient: false)
        let header = Array(parts[1].prefix(4))
        let result = Self.inspectDropping(c) { $0.fromClient && Array($0.payload.prefix(4)) == header }
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
        #expect(!result.ruleIDs.contains("unexpected-continuation"))
        let messages: [Message] = result.events.compactMap { if case .message(let m) = $0 { return m.message } else { return nil } }
        #expect(messages.map(\.opcode) == [.binary, .text])
        #expect(messages[0].bytesLost && !messages[0].complete)
        #expect(messages[0].diagnostics.map(\.rule) == [.captureGap])
        #expect(messages[1].text == "next")
        #expect(result.frames.contains { $0.frame.header.opcode == .continuation && $0.frame.header.fin })
    }

    @Test func aPongOrACloseLostInAGapIsNotCalledUnanswered() {
        var c = webSocketConversation(client: [WebSocketBytes.frame(opcode: 9, key: [1, 1, 1, 1], payload: Array("p1".utf8))],
                                      server: [WebSocketBytes.frame(opcode: 10, payload: Array("p1".utf8))])
        c.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: [2, 2, 2, 2], payload: [0x03, 0xE8]))
        c.send(fromClient: false, WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8]))
        c.acknowledge(fromClient: true)
        c.close()
        // Lose the server's pong and its close (two whole segments).
        let result = Self.inspectDropping(c) { !$0.fromClient && ($0.payload.first == 0x8A || $0.payload.first == 0x88) }
        #expect(!result.ruleIDs.contains("ping-not-answered"))
        #expect(!result.ruleIDs.contains("close-not-answered"))
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
        // Without the loss, the same conversation minus the answers is a violation.
        var rude = webSocketConversation(client: [WebSocketBytes.frame(opcode: 9, key: [1, 1, 1, 1], payload: Array("p1".utf8))], server: [])
        rude.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: [2, 2, 2, 2], payload: [0x03, 0xE8]))
        rude.close()
        #expect(inspect(rude.packets()).ruleIDs.isSuperset(of: ["ping-not-answered", "close-not-answered"]))
    }

    @Test func anImplausibleHeaderSoonAfterAResynchronisationIsNotBlamedOnThePeer() {
        // After a gap: three good frames in one segment (a proven boundary), then a segment that starts with a
        // reserved opcode 0x3. (Had the bad frame been in the same segment, the chain through it would have been
        // refuted at once and all of it skipped.)
        var c = webSocketConversation(client: [], server: [WebSocketBytes.frame(opcode: 2, payload: [UInt8](repeating: 1, count: 50))])
        c.send(fromClient: false, WebSocketBytes.frame(opcode: 2, payload: [UInt8](repeating: 2, count: 50)))
        let good = (0..<3).map { WebSocketBytes.text("ok \($0)", masked: false) }.joined()
        c.send(fromClient: false, Array(good))
        c.send(fromClient: false, [0x83, 0x01, 0x41] + WebSocketBytes.text("later", masked: false))
        c.acknowledge(fromClient: true)
        let result = Self.inspectDropping(c) { !$0.fromClient && $0.payload.prefix(3) == [0x82, 0x32, 0x02] }
        #expect(result.texts(.server) == ["ok 0", "ok 1", "ok 2"])
        #expect(!result.ruleIDs.contains("reserved-opcode"))
        #expect(result.diagnostics.contains { $0.diagnostic.message.contains("implausible header (reserved opcode 0x3") })
        // Without a gap, the same reserved opcode is the peer's violation.
        var clean = webSocketConversation(client: [], server: [Array(good) + [0x83, 0x01, 0x41]])
        clean.acknowledge(fromClient: true)
        #expect(inspect(clean.packets()).ruleIDs.contains("reserved-opcode"))
    }

    @Test func aCompressedMessageThatRefersToLostBytesIsTheCapturesFault() {
        // permessage-deflate with context takeover: the second message refers back to the first, which is lost whole.
        let deflater = Deflater()
        let messages = ["Hello, Hello, Hello!", "Hello, Hello, Hello! again", "fresh words only"].map {
            WebSocketBytes.frame(rsv: 0b100, opcode: 1, payload: deflater.compress($0))
        }
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        c.send(fromClient: false, WebSocketBytes.response(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        for m in messages { c.send(fromClient: false, m) }
        c.acknowledge(fromClient: true)
        let result = Self.inspectDropping(c) { !$0.fromClient && Array($0.payload) == messages[0] }
        #expect(!result.ruleIDs.contains("pmd-inflate-failed"))
        #expect(!result.ruleIDs.contains("invalid-utf8"))
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
        let shown: [Message] = result.events.compactMap { if case .message(let m) = $0 { return m.message } else { return nil } }
        #expect(shown.count == 2)
        #expect(shown[0].diagnostics.map(\.rule) == [.captureGap] && shown[0].inflateFailed)
        // A message that does not refer back to lost bytes still inflates.
        #expect(shown[1].text == "fresh words only" || shown[1].diagnostics.map(\.rule) == [.captureGap])
    }

    @Test func aLostUpgradeRequestStillShowsTheConnection() {
        let deflater = Deflater()
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        c.send(fromClient: false, WebSocketBytes.response(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        c.send(fromClient: false, WebSocketBytes.frame(rsv: 0b100, opcode: 1, payload: deflater.compress("from the server")))
        c.send(fromClient: true, WebSocketBytes.frame(opcode: 1, key: [3, 1, 4, 1], payload: Array("from the client".utf8)))
        c.acknowledge(fromClient: false)
        c.close()
        let result = Self.inspectDropping(c) { $0.fromClient && $0.payload.starts(with: Array("GET ".utf8)) }
        #expect(result.connections.map(\.detection) == [.upgradeResponse])
        #expect(result.texts(.client) == ["from the client"])
        let inflated: [String?] = result.events.compactMap { if case .message(let m) = $0, m.sender == .server { return m.message.text } else { return nil } }
        #expect(inflated == ["from the server"])
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
    }

    @Test func clientBytesHeldBeforeTheResponseKeepTheirGaps() {
        // The client sends frames right after its request; one of its segments and the 101 are lost.
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        let keys: [[UInt8]] = [[0x3c, 0x95, 0x12, 0xe1], [0x81, 0x07, 0xd4, 0x6a], [0x5f, 0xe2, 0x39, 0x90], [0xc7, 0x4b, 0xa8, 0x15]]
        let frames = (0..<4).map { WebSocketBytes.frame(opcode: 2, key: keys[$0], payload: [UInt8](repeating: UInt8($0), count: 200)) }
        for f in frames { c.send(fromClient: true, f, segmentSize: 100) }
        c.acknowledge(fromClient: false)
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: false, WebSocketBytes.text("server", masked: false))
        c.acknowledge(fromClient: true)
        let lostClient = c.segments.filter { $0.fromClient && $0.payload.count == 100 }[3]   // the second frame's tail
        let result = Self.inspectDropping(c) { ($0.fromClient && $0.seq == lostClient.seq) || $0.payload.starts(with: Array("HTTP/1.1 101".utf8)) }
        #expect(Self.accusations(result).isEmpty, "\(Self.accusations(result))")
        let client = result.frames.filter { $0.sender == .client }
        #expect(client.filter { $0.frame.isComplete }.map { $0.frame.payload.first! } == [0, 2, 3])
        #expect(result.summaries[0].clientDirection.accounting.isBalanced)
    }
}

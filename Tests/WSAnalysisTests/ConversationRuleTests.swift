import Testing
import WSAnalysis
import WSCapture
import WSTestSupport
import WSWire

/// The rules only a whole connection can break: the close handshake and ping/pong.
@Suite struct ConversationRuleTests {
    static func close(_ code: UInt16, masked: Bool) -> [UInt8] {
        WebSocketBytes.frame(opcode: 8, key: masked ? [9, 9, 9, 9] : nil, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    static func run(_ build: (inout Conversation) -> Void) -> EventCollector {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        build(&c)
        return inspect(c.packets())
    }

    @Test func cleanCloseHandshake() {
        let result = Self.run { c in
            c.send(fromClient: true, Self.close(1000, masked: true))
            c.send(fromClient: false, Self.close(1000, masked: false))
            c.close()
        }
        #expect(result.ruleIDs == plainWS)
        let close = result.summaries[0].close
        #expect(close?.initiator == .client && close?.code == 1000 && close?.answered == true && close?.answerCode == 1000)
        #expect(result.summaries[0].tcpEnd == "fin")
    }

    @Test func closeNotAnswered() {
        let result = Self.run { c in
            c.send(fromClient: true, Self.close(1001, masked: true))
            c.close()                                   // the server just closes TCP
        }
        #expect(result.ruleIDs == plainWS.union(["close-not-answered"]))
        #expect(result.summaries[0].close?.answered == false)
        // The finding points at the Close that went unanswered: frame #0 of the connection.
        #expect(result.findings("close-not-answered").first?.anchor == .frame(index: 0))
        // If the capture simply ends, the answer may come later: no finding.
        let open = Self.run { c in c.send(fromClient: true, Self.close(1001, masked: true)) }
        #expect(open.ruleIDs == plainWS)
    }

    @Test func dataAfterCloseAndASecondClose() {
        let result = Self.run { c in
            c.send(fromClient: false, Self.close(1000, masked: false))
            c.send(fromClient: false, WebSocketBytes.text("too late", masked: false))
            c.send(fromClient: false, Self.close(1000, masked: false))
            c.send(fromClient: true, Self.close(1000, masked: true))
        }
        #expect(result.ruleIDs == plainWS.union(["data-after-close", "close-sent-twice"]))
    }

    @Test func pingPongRoundTripAndMismatch() {
        let result = Self.run { c in
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 9, key: [1, 2, 3, 4], payload: Array("one".utf8)))
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 10, payload: Array("one".utf8)))
            // A fresh key, as a client must pick for every frame (the same one again would be mask-key-reused).
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 9, key: [5, 6, 7, 8], payload: Array("two".utf8)))
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 10, payload: Array("not two".utf8)))
            // (Until the server closes, a later pong may still carry "two": a mismatch is concluded only then.)
            c.send(fromClient: false, Self.close(1000, masked: false))
        }
        #expect(result.ruleIDs == plainWS.union(["pong-payload-mismatch"]))
        let rtt = result.summaries[0].clientDirection.pingRoundTrips
        #expect(rtt?.count == 1)
        #expect(abs((rtt?.average ?? 0) - 1.0) < 0.001)   // packets are 1 ms apart
    }

    @Test func unsolicitedPongIsFine() {
        let result = Self.run { c in c.send(fromClient: false, WebSocketBytes.frame(opcode: 10, payload: [])) }
        #expect(result.ruleIDs == plainWS)
    }

    @Test func pingWithoutPongBeforeClose() {
        let result = Self.run { c in
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 9, key: [1, 2, 3, 4], payload: Array("hello?".utf8)))
            c.send(fromClient: false, Self.close(1000, masked: false))
            c.send(fromClient: true, Self.close(1000, masked: true))
            c.close()
        }
        #expect(result.ruleIDs == plainWS.union(["ping-not-answered"]))
        // On the server's Close (frame #1), pointing at the client's ping (frame #0).
        let close = result.frames.first { $0.index == 1 }
        #expect(close?.frame.diagnostics.first?.anchor == .frame(index: 0))
    }

    @Test func aFragmentedMessageNotValidUTF8PointsAtTheByteWhereItFails() {
        let result = Self.run { c in
            // "é" (c3 a9) split across two fragments is fine; then ff, which never begins a character: byte 2.
            c.send(fromClient: true, WebSocketBytes.frame(fin: false, opcode: 1, key: [1, 2, 3, 4], payload: [0xC3]))
            c.send(fromClient: true, WebSocketBytes.frame(fin: true, opcode: 0, key: [1, 2, 3, 4], payload: [0xA9, 0xFF]))
        }
        let messages = result.events.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
        #expect(messages.first?.message.diagnostics.first { $0.rule == .invalidUTF8 }?.anchor == .payloadBytes(2..<3))
    }

    @Test func unfinishedMessageWhenTheSenderCloses() {
        let result = Self.run { c in
            c.send(fromClient: true, WebSocketBytes.text("half", masked: true, fin: false))
            c.send(fromClient: true, Self.close(1000, masked: true))
        }
        #expect(result.ruleIDs.contains("message-unfinished"))
        let messages = result.events.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
        #expect(messages.count == 1 && !messages[0].message.complete)
    }

    @Test func resetIsReported() {
        let result = Self.run { c in
            c.send(fromClient: true, WebSocketBytes.text("bye", masked: true))
            c.reset(fromClient: true)
        }
        #expect(result.summaries[0].tcpEnd == "reset by client")
        #expect(result.summaries[0].close == nil)
    }

    @Test func rsv1WithoutNegotiationInACapture() {
        let result = Self.run { c in c.send(fromClient: false, WebSocketBytes.frame(rsv: 4, opcode: 1, payload: [0xf2, 0x48])) }
        #expect(result.ruleIDs == plainWS.union(["rsv1-without-extension"]))
    }

    @Test func compressedConversation() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(extra: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"))
        c.send(fromClient: false, WebSocketBytes.response(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        let deflater = Deflater()
        c.send(fromClient: false, WebSocketBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress("compressed hello")))
        c.send(fromClient: false, WebSocketBytes.frame(fin: false, rsv: 4, opcode: 1, payload: Array(deflater.compress("part one, ").prefix(5))))
        let result = inspect(c.packets())
        let messages = result.events.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
        #expect(messages.first?.message.text == "compressed hello")
        #expect(result.frames.first?.compressed == true)
        #expect(result.handshakes[0].outcome?.deflate != nil)
        #expect(!result.ruleIDs.contains("rsv1-without-extension"))
    }
}

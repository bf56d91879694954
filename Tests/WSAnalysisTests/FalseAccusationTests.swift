import Testing
import WSAnalysis
import WSCapture
import WSTestSupport
import WSWire

/// Findings that once accused a peer wrongly (issue #16), each on a hand-built capture: the case that must stay
/// silent, beside the look-alike where the finding is right.
@Suite struct FalseAccusationTests {
    /// The client offers an invalid permessage-deflate (unknown parameter); the server rightly declines it (its 101 has
    /// no extensions). The offer's findings say nothing about the 101, so the client may send frames.
    @Test func aDeclinedInvalidOfferIsNoBadHandshake() {
        let offer = "Sec-WebSocket-Extensions: permessage-deflate; foo=1\r\n"
        let declined = upgraded(request: WebSocketBytes.request(extra: offer)) { c in
            c.send(fromClient: true, TestFrames.text("hi", fromClient: true))
        }
        #expect(declined.ruleIDs.contains("pmd-unknown-parameter"))
        #expect(!declined.ruleIDs.contains("client-accepted-bad-handshake"))
        // Look-alike: the server accepts an extension nobody offered; a client that then sends data is wrong.
        let accepted = upgraded(request: WebSocketBytes.request(extra: offer),
                                response: WebSocketBytes.response(extra: "Sec-WebSocket-Extensions: x-private\r\n")) { c in
            c.send(fromClient: true, TestFrames.text("hi", fromClient: true))
        }
        #expect(accepted.ruleIDs.contains("client-accepted-bad-handshake"))
    }

    /// A repeated Sec-WebSocket-Protocol makes the 101 one the client must refuse (RFC 6455 §11.3.4, §4.1).
    @Test func aRepeatedSubprotocolInThe101IsABadHandshake() {
        let request = WebSocketBytes.request(extra: "Sec-WebSocket-Protocol: chat\r\n")
        let twice = upgraded(request: request,
                             response: WebSocketBytes.response(extra: "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n")) { c in
            c.send(fromClient: true, TestFrames.text("hi", fromClient: true))
        }
        #expect(twice.ruleIDs.contains("subprotocol-header-repeated"))
        #expect(twice.ruleIDs.contains("client-accepted-bad-handshake"))
        let once = upgraded(request: request, response: WebSocketBytes.response(extra: "Sec-WebSocket-Protocol: chat\r\n")) { c in
            c.send(fromClient: true, TestFrames.text("hi", fromClient: true))
        }
        #expect(!once.ruleIDs.contains("client-accepted-bad-handshake"))
    }

    /// `HTTP/1.1 101` ends after the status code: the space before the reason phrase is missing (RFC 7230 §3.1.2).
    @Test func aStatusLineWithoutTheReasonSeparatorIsMalformed() {
        let bare = Array("HTTP/1.1 101\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(WebSocketBytes.accept)\r\n\r\n".utf8)
        let result = upgraded(response: bare)
        #expect(result.ruleIDs.contains("response-malformed"))
        // An empty reason after the space is fine (HS-5: any reason phrase).
        let empty = Array("HTTP/1.1 101 \r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(WebSocketBytes.accept)\r\n\r\n".utf8)
        #expect(!upgraded(response: empty).ruleIDs.contains("response-malformed"))
    }

    /// The client sends Close and then resets the connection itself: the server had no chance to answer.
    @Test func aClientThatResetsAfterItsCloseDoesNotMakeTheServerGuilty() {
        let reset = upgraded { c in
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.reset(fromClient: true)
        }
        #expect(!reset.ruleIDs.contains("close-not-answered"))
        #expect(reset.findings("tcp-reset-close").first?.message.contains("The client reset the connection") == true)
        // The server resetting instead of answering is the server's doing, and the finding says so.
        let serverReset = upgraded { c in
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.reset(fromClient: false)
        }
        #expect(serverReset.findings("close-not-answered").first?.message
                == "The client sent Close but the server reset the connection (RST) without answering with a Close.")
    }

    /// A ping sent after the pinger's own Close needs no pong: its peer has already received a Close (§5.5.2).
    @Test func aPingAfterTheSendersOwnCloseNeedsNoPong() {
        let result = upgraded { c in
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.send(fromClient: true, TestFrames.client(opcode: 9, Array("late?".utf8)))
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
            c.close()
        }
        #expect(!result.ruleIDs.contains("ping-not-answered"))
        // Look-alike: the same ping before the Close must be answered.
        let before = upgraded { c in
            c.send(fromClient: true, TestFrames.client(opcode: 9, Array("late?".utf8)))
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
            c.close()
        }
        #expect(before.ruleIDs.contains("ping-not-answered"))
    }

    /// An unsolicited pong (a heartbeat) before the pong that answers the ping is legal (§5.5.2, §5.5.3).
    @Test func anUnsolicitedPongBeforeTheAnswerIsNoMismatch() {
        let result = upgraded { c in
            c.send(fromClient: true, TestFrames.client(opcode: 9, Array("x".utf8)))
            c.send(fromClient: false, TestFrames.server(opcode: 10, Array("heartbeat".utf8)))
            c.send(fromClient: false, TestFrames.server(opcode: 10, Array("x".utf8)))
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
            c.close()
        }
        #expect(!result.ruleIDs.contains("pong-payload-mismatch"))
        #expect(result.summaries[0].clientDirection.pingRoundTrips?.count == 1)
        // Look-alike: no pong ever carries the ping's data before the server closes.
        let wrong = upgraded { c in
            c.send(fromClient: true, TestFrames.client(opcode: 9, Array("x".utf8)))
            c.send(fromClient: false, TestFrames.server(opcode: 10, Array("y".utf8)))
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.close()
        }
        #expect(wrong.ruleIDs.contains("pong-payload-mismatch") && !wrong.ruleIDs.contains("ping-not-answered"))
        // The finding points at the pong that did not echo the ping (frame #1).
        #expect(wrong.findings("pong-payload-mismatch").first?.anchor == .frame(index: 1))
    }

    /// The client gives up (its FIN 5 s after the request) before the server answered: the server is not blamed.
    @Test func aClientThatGivesUpFirstIsNoRejection() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.wait(5)
        c.fin(fromClient: true)
        c.fin(fromClient: false)
        #expect(!inspect(c.packets()).ruleIDs.contains("handshake-rejected-without-response"))
        // Look-alike: the server closes first, without a response (Server B of the teaching material).
        var d = Conversation()
        d.open()
        d.send(fromClient: true, WebSocketBytes.request())
        d.fin(fromClient: false)
        d.fin(fromClient: true)
        #expect(inspect(d.packets()).ruleIDs.contains("handshake-rejected-without-response"))
    }

    /// A capture that simply stops inside a frame or a fragmented message blames nobody: a note, not a violation.
    @Test func aCaptureEndIsNotAViolation() {
        // 81 0a + "Hel": a text frame declaring 10 bytes, 3 captured; 01 02 "lo": a fragment whose message never ends.
        let cutFrame = upgraded { c in c.send(fromClient: false, [0x81, 0x0a] + Array("Hel".utf8)) }
        #expect(cutFrame.ruleIDs == ["input-ended", "cleartext-websocket"])
        #expect(cutFrame.findings("input-ended").allSatisfy { $0.severity == Severity.note })
        let openMessage = upgraded { c in c.send(fromClient: false, TestFrames.text("lo", fromClient: false, fin: false)) }
        #expect(openMessage.ruleIDs == ["input-ended", "cleartext-websocket"])
        // The server's FIN inside its own frame: the frame never finished, an error.
        let finCut = upgraded { c in
            c.send(fromClient: false, [0x81, 0x0a] + Array("Hel".utf8))
            c.fin(fromClient: false)
        }
        let truncated = finCut.findings("truncated-frame")
        #expect(truncated.count == 1 && truncated[0].severity == .error)
        #expect(truncated[0].message == "This frame never finished: the server closed TCP (FIN) inside it (payload needs 10 bytes, 3 present).")
        // The server's FIN with its fragmented message open: message-unfinished, a warning.
        let finOpen = upgraded { c in
            c.send(fromClient: false, TestFrames.text("lo", fromClient: false, fin: false))
            c.fin(fromClient: false)
        }
        #expect(finOpen.ruleIDs.contains("message-unfinished") && !finOpen.ruleIDs.contains("input-ended"))
        // The client's reset cuts the server's frame: the server is not blamed for it.
        let peerReset = upgraded { c in
            c.send(fromClient: false, [0x81, 0x0a] + Array("Hel".utf8))
            c.reset(fromClient: true)
        }
        #expect(!peerReset.ruleIDs.contains("truncated-frame"))
        #expect(peerReset.findings("input-ended").first?.message.contains("the client reset the connection (RST)") == true)
    }

    /// Sections and severities that once pointed at the wrong place.
    @Test func findingsCiteWhatTheyConcern() {
        // 88 05 03 e8 c0 af 41: a Close 1000 whose reason starts with the overlong c0 af.
        let close = FrameCollector.decode([0x88, 0x05, 0x03, 0xE8, 0xC0, 0xAF, 0x41]).frames[0].diagnostics
        #expect(close.map(\.section) == ["RFC 6455 §5.5.1, §7.1.6"])
        // 81 02 c0 af: a text frame of the same two bytes.
        let text = FrameCollector.decode([0x81, 0x02, 0xC0, 0xAF]).frames[0].diagnostics
        #expect(text.map(\.section) == ["RFC 6455 §5.6, §8.1"])
        #expect(Rule.legacyHixieHandshake.severity == .note && Rule.legacyHixieHandshake.section.hasPrefix("draft-hixie-"))
        #expect(Rule.legacyHixieHeader.section.hasPrefix("draft-hixie-"))
        for limit in [Rule.connectionEvicted, .messageSizeLimit] {
            #expect(limit.severity == .note && limit.section.hasPrefix("wsinspect limit ("))
        }
    }
}

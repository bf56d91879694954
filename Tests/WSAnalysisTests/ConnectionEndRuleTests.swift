import Testing
import WSAnalysis
import WSCapture
import WSTestSupport
import WSWire

/// How connections end (RFC 6455 §5.5.1, §7.1.1, §7.1.7, §4.1): who closes TCP first and when, with FIN or RST, with or
/// without a Close after a bad frame, and frames where no 101 opened the connection. Each rule fires on one capture
/// and stays silent on a look-alike.
@Suite struct ConnectionEndRuleTests {
    /// The close handshake, the client first.
    static func closeHandshake(_ c: inout Conversation) {
        c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
        c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
    }

    @Test func theServerClosesTCPFirstAtOnce() {
        let good = upgraded { c in
            Self.closeHandshake(&c)
            c.close()   // the server's FIN first
        }
        #expect(good.ruleIDs == plainWS)
    }

    /// CL-10: the first FIN after the close handshake is the client's.
    @Test func clientClosedTCPFirst() {
        let result = upgraded { c in
            Self.closeHandshake(&c)
            c.fin(fromClient: true)
            c.fin(fromClient: false)
        }
        #expect(result.ruleIDs == plainWS.union(["client-closed-tcp-first"]))
        #expect(result.findings("client-closed-tcp-first").first?.severity == .warning)
        // A client that waited longer than --close-timeout for the server's FIN may close first: then the server is late.
        let waited = upgraded { c in
            Self.closeHandshake(&c)
            c.wait(3)
            c.fin(fromClient: true)
            c.fin(fromClient: false)
        }
        #expect(waited.ruleIDs == plainWS.union(["tcp-not-closed-after-close"]))
        #expect(waited.findings("tcp-not-closed-after-close").first?.message.hasPrefix("The server closed TCP 3.0") == true)
    }

    /// CL-9: the server does not close TCP at once after the close handshake.
    @Test func tcpNotClosedAfterClose() {
        let late = upgraded { c in
            Self.closeHandshake(&c)
            c.wait(3)
            c.close()
        }
        #expect(late.ruleIDs == plainWS.union(["tcp-not-closed-after-close"]))
        #expect(late.findings("tcp-not-closed-after-close").first?.message.hasPrefix("The server closed TCP 3.0") == true)
        // The threshold is an option: with --close-timeout 5 the same capture is fine.
        let patient = upgraded(timing: TimingThresholds(close: 5)) { c in
            Self.closeHandshake(&c)
            c.wait(3)
            c.close()
        }
        #expect(patient.ruleIDs == plainWS)
        // Still open when the capture ends, 3 s after the close handshake (an ACK shows the capture went on).
        let unclosed = upgraded { c in
            Self.closeHandshake(&c)
            c.wait(3)
            c.acknowledge(fromClient: true)
        }
        #expect(unclosed.findings("tcp-not-closed-after-close").first?.message.contains("when the capture ended") == true)
        // …but a capture that ends right after the handshake says nothing about it.
        let short = upgraded { c in Self.closeHandshake(&c) }
        #expect(short.ruleIDs == plainWS)
    }

    /// CL-11: TCP is reset instead of closed with FIN.
    @Test func tcpResetClose() {
        let reset = upgraded { c in
            Self.closeHandshake(&c)
            c.reset(fromClient: false)
        }
        #expect(reset.ruleIDs == plainWS.union(["tcp-reset-close"]))
        #expect(reset.findings("tcp-reset-close").first?.message.hasPrefix("The server reset the connection (RST)") == true)
        #expect(reset.diagnostics.first { $0.diagnostic.rule == .tcpResetClose }?.sender == .server)
    }

    /// FR-12: after a frame that obliges it to fail the connection, the server closes TCP without a Close frame.
    @Test func failedWithoutClose() {
        // 81 02 "hi" from the client: unmasked (RFC 6455 §5.1), which the server must fail the connection for.
        let unmasked = WebSocketBytes.frame(opcode: 1, payload: Array("hi".utf8))
        let silent = upgraded { c in
            c.send(fromClient: true, unmasked)
            c.fin(fromClient: false)
            c.fin(fromClient: true)
        }
        #expect(silent.ruleIDs.contains("failed-without-close"))
        #expect(silent.diagnostics.first { $0.diagnostic.rule == .failedWithoutClose }?.sender == .server)
        // Look-alike: the server fails the connection properly, with Close 1002 first.
        let proper = upgraded { c in
            c.send(fromClient: true, unmasked)
            c.send(fromClient: false, TestFrames.close(1002, "masking", fromClient: false))
            c.send(fromClient: true, TestFrames.close(1002, fromClient: true))
            c.close()
        }
        #expect(!proper.ruleIDs.contains("failed-without-close"))
        // Nor is a server blamed that simply closes without any bad frame before (that is an abnormal closure only).
        let noViolation = upgraded { c in
            c.send(fromClient: true, TestFrames.text("hi", fromClient: true))
            c.close()
        }
        #expect(!noViolation.ruleIDs.contains("failed-without-close"))
    }

    /// HS-17: frames after a response other than 101: the connection is still HTTP.
    @Test func frameBeforeOpen() {
        let refusal = Array("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".utf8)
        let frames = upgraded(response: refusal) { c in
            c.send(fromClient: true, TestFrames.text("let me in", fromClient: true))
            c.close()
        }
        #expect(frames.ruleIDs.contains("frame-before-open") && frames.ruleIDs.contains("upgrade-refused"))
        #expect(frames.findings("frame-before-open").first?.severity == .error)
        #expect(frames.summaries[0].clientDirection.accounting.isBalanced)
        // Look-alike: the client goes on with HTTP (keep-alive) after the refusal.
        let http = upgraded(response: refusal) { c in
            c.send(fromClient: true, Array("GET /other HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".utf8))
            c.close()
        }
        #expect(http.ruleIDs.contains("upgrade-refused") && !http.ruleIDs.contains("frame-before-open"))
    }

    /// PN-9: a client that leaves right after a 101 with client_no_context_takeover, or closes with 1010 at once.
    @Test func clientRejectedClientNoContextTakeover() {
        let offer = WebSocketBytes.request(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n")
        let cnct = WebSocketBytes.response(extra: "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n")
        let plain = WebSocketBytes.response(extra: "Sec-WebSocket-Extensions: permessage-deflate\r\n")
        let leaves = upgraded(request: offer, response: cnct) { c in
            c.fin(fromClient: true)
            c.fin(fromClient: false)
        }
        #expect(leaves.ruleIDs.contains("pmd-client-rejected-cnct"))
        let closes1010 = upgraded(request: offer, response: cnct) { c in
            c.send(fromClient: true, TestFrames.close(1010, "permessage-deflate", fromClient: true))
        }
        #expect(closes1010.ruleIDs.contains("pmd-client-rejected-cnct") && !closes1010.ruleIDs.contains("close-1010-misuse"))
        // Look-alikes: the same departures after a 101 without the parameter; a client that uses the connection.
        let leavesPlain = upgraded(request: offer, response: plain) { c in
            c.fin(fromClient: true)
            c.fin(fromClient: false)
        }
        #expect(!leavesPlain.ruleIDs.contains("pmd-client-rejected-cnct"))
        let uses = upgraded(request: offer, response: cnct) { c in
            c.send(fromClient: true, TestFrames.text("fine", fromClient: true))
            Self.closeHandshake(&c)
            c.close()
        }
        #expect(!uses.ruleIDs.contains("pmd-client-rejected-cnct"))
    }
}

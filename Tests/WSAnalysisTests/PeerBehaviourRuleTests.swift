import Testing
import WSAnalysis
import WSCapture
import WSStream
import WSTestSupport
import WSWire

/// The partly observable rules about how a peer behaves (checklist CF-4, CL-5, CL-8, FR-9, FR-11, FR-13, FG-3): each
/// is a warning that says what it cannot know, fires on one capture and stays silent on a look-alike.
@Suite struct PeerBehaviourRuleTests {
    /// CF-4: a pong later than --pong-timeout while the answerer keeps sending other frames.
    @Test func pongLate() {
        func run(otherFrames: Bool, wait: Double, timing: TimingThresholds = TimingThresholds()) -> EventCollector {
            upgraded(timing: timing) { c in
                c.send(fromClient: true, TestFrames.client(opcode: 9, Array("are you there".utf8)))
                if otherFrames { c.send(fromClient: false, TestFrames.text("busy", fromClient: false)) }
                c.wait(wait)
                if otherFrames { c.send(fromClient: false, TestFrames.text("still busy", fromClient: false)) }
                c.send(fromClient: false, TestFrames.server(opcode: 10, Array("are you there".utf8)))
            }
        }
        #expect(run(otherFrames: true, wait: 2).ruleIDs.contains("pong-late"))
        // A pong after the same wait with nothing else sent: the network may have held it up.
        #expect(!run(otherFrames: false, wait: 2).ruleIDs.contains("pong-late"))
        #expect(!run(otherFrames: true, wait: 0.2).ruleIDs.contains("pong-late"))
        #expect(!run(otherFrames: true, wait: 2, timing: TimingThresholds(pong: 5)).ruleIDs.contains("pong-late"))
    }

    /// CL-8: the answer to a Close comes late, or after a new message.
    @Test func closeAnswerLate() {
        let slow = upgraded { c in
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.wait(3)
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
        }
        #expect(slow.ruleIDs.contains("close-answer-late"))
        let prompt = upgraded { c in
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.wait(0.1)
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
        }
        #expect(!prompt.ruleIDs.contains("close-answer-late"))
        let newMessage = upgraded { c in
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.send(fromClient: false, TestFrames.text("one more thing", fromClient: false))
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
        }
        #expect(newMessage.ruleIDs.contains("close-answer-late"))
        // Finishing a message begun before the Close is allowed (RFC 6455 §5.5.1).
        let finishing = upgraded { c in
            c.send(fromClient: false, TestFrames.text("first half, ", fromClient: false, fin: false))
            c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
            c.send(fromClient: false, TestFrames.server(opcode: 0, Array("second half".utf8)))
            c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
        }
        #expect(!finishing.ruleIDs.contains("close-answer-late"))
    }

    /// CL-5: 1010 from a server, or without the extensions it needed.
    @Test func close1010Misuse() {
        let fromServer = upgraded { c in c.send(fromClient: false, TestFrames.close(1010, "permessage-deflate", fromClient: false)) }
        #expect(fromServer.findings("close-1010-misuse").first?.message.contains("a server sends it") == true)
        let noReason = upgraded { c in c.send(fromClient: true, TestFrames.close(1010, fromClient: true)) }
        #expect(noReason.findings("close-1010-misuse").first?.message.contains("does not name the extensions") == true)
        let proper = upgraded { c in c.send(fromClient: true, TestFrames.close(1010, "permessage-deflate", fromClient: true)) }
        #expect(!proper.ruleIDs.contains("close-1010-misuse"))
    }

    /// FR-9: masking keys that repeat or count.
    @Test func maskKeyPredictable() {
        func keys(_ keys: [[UInt8]]) -> EventCollector {
            upgraded { c in
                for (i, key) in keys.enumerated() {
                    c.send(fromClient: true, WebSocketBytes.frame(opcode: 1, key: key, payload: Array("frame \(i)".utf8)))
                }
            }
        }
        // The same key again is mask-key-reused (the frame decoder's, frame by frame), not reported twice.
        let repeated = keys([[0x37, 0xfa, 0x21, 0x3d], [0x37, 0xfa, 0x21, 0x3d]])
        #expect(repeated.findings("mask-key-reused").count == 1)
        #expect(repeated.findings("mask-key-predictable").isEmpty)
        // 01020304, 01020305, 01020306: a counter.
        let counter = keys([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 6]])
        #expect(counter.findings("mask-key-predictable").first?.message.contains("constant step of 0x1") == true)
        // Two steps of a counter are not yet a pattern; random keys never are.
        #expect(!keys([[1, 2, 3, 4], [1, 2, 3, 5]]).ruleIDs.contains("mask-key-predictable"))
        #expect(!keys([[0x37, 0xfa, 0x21, 0x3d], [0x9c, 0x01, 0x5e, 0xe2], [0x4b, 0x77, 0xd0, 0x18]]).ruleIDs.contains("mask-key-predictable"))
    }

    /// FR-11: the receiver of a frame it must fail the connection for goes on sending, well after it arrived.
    @Test func peerContinuedAfterViolation() {
        // 81 03 "bad": an unmasked client frame (RFC 6455 §5.1).
        let unmasked = WebSocketBytes.frame(opcode: 1, payload: Array("bad".utf8))
        let goesOn = upgraded { c in
            c.send(fromClient: true, unmasked)
            c.wait(2)
            c.send(fromClient: false, TestFrames.text("as if nothing happened", fromClient: false))
        }
        #expect(goesOn.ruleIDs.contains("peer-continued-after-violation"))
        // Frames the server sent before it could have read the bad one are not held against it.
        let inFlight = upgraded { c in
            c.send(fromClient: true, unmasked)
            c.send(fromClient: false, TestFrames.text("crossing", fromClient: false))
        }
        #expect(!inFlight.ruleIDs.contains("peer-continued-after-violation"))
        let fails = upgraded { c in
            c.send(fromClient: true, unmasked)
            c.wait(2)
            c.send(fromClient: false, TestFrames.close(1002, fromClient: false))
        }
        #expect(!fails.ruleIDs.contains("peer-continued-after-violation"))
    }

    /// FG-3: the peer closes with 1002 right after a valid fragmented message (or a ping between fragments).
    @Test func peerRejectedValidFragmentation() {
        func run(_ fragments: (inout Conversation) -> Void, closeCode: UInt16) -> EventCollector {
            upgraded { c in
                fragments(&c)
                c.send(fromClient: false, TestFrames.close(closeCode, fromClient: false))
            }
        }
        let fragmented: (inout Conversation) -> Void = { c in
            c.send(fromClient: true, TestFrames.text("Hel", fromClient: true, fin: false))
            c.send(fromClient: true, TestFrames.client(opcode: 0, Array("lo".utf8)))
        }
        let pingBetween: (inout Conversation) -> Void = { c in
            c.send(fromClient: true, TestFrames.text("Hel", fromClient: true, fin: false))
            c.send(fromClient: true, TestFrames.client(opcode: 9, []))
            c.send(fromClient: true, TestFrames.client(opcode: 0, Array("lo".utf8)))
        }
        #expect(run(fragmented, closeCode: 1002).ruleIDs.contains("peer-rejected-valid-fragmentation"))
        #expect(run(pingBetween, closeCode: 1003).findings("peer-rejected-valid-fragmentation").first?.message.contains("control frame between") == true)
        // Look-alikes: a normal closure; an unfragmented message; a fragmented message that is invalid (c3 then 28).
        #expect(!run(fragmented, closeCode: 1000).ruleIDs.contains("peer-rejected-valid-fragmentation"))
        #expect(!run({ c in c.send(fromClient: true, TestFrames.text("Hello", fromClient: true)) }, closeCode: 1002)
            .ruleIDs.contains("peer-rejected-valid-fragmentation"))
        let invalid: (inout Conversation) -> Void = { c in
            c.send(fromClient: true, TestFrames.client(fin: false, opcode: 1, [0xC3]))
            c.send(fromClient: true, TestFrames.client(opcode: 0, [0x28]))
        }
        #expect(!run(invalid, closeCode: 1007).ruleIDs.contains("peer-rejected-valid-fragmentation"))
    }

    /// FR-13: plain ws is a warning between hosts, a note on loopback (and nothing inside TLS: TLSCaptureTests).
    @Test func cleartextWebSocket() {
        var c = Conversation(client: Endpoint(address: IPAddress(10, 0, 0, 1), port: 40000), server: Endpoint(address: IPAddress(10, 0, 0, 2), port: 80))
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(host: "10.0.0.2"))
        c.send(fromClient: false, WebSocketBytes.response())
        let between = inspect(c.packets()).findings("cleartext-websocket")
        #expect(between.count == 1 && between[0].severity == .warning)
        let loopback = upgraded().findings("cleartext-websocket")
        #expect(loopback.count == 1 && loopback[0].severity == .note && loopback[0].message.contains("on loopback"))
    }
}

import Foundation
import Testing
import WSCapture
import WSTestSupport

/// Frames and the TCP segments that carried them (issue #13 item 6), and what each endpoint's API reported at the
/// close (item 7).
@Suite struct SegmentsAndCloseEventTests {
    static func records(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Two small frames in one segment, then a 3000-byte frame cut into segments of 1200 bytes (three segments).
    static func capture() throws -> String {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: false, WebSocketBytes.text("one", masked: false) + WebSocketBytes.text("two", masked: false))
        c.send(fromClient: false, WebSocketBytes.frame(opcode: 2, payload: Array(repeating: 7, count: 3000)), segmentSize: 1200)
        c.close()
        return try CaptureFileWriter.write(c.packets(), linkType: 1)
    }

    @Test func framesKnowTheirLastPacketAndHowManySegmentsCarriedThem() throws {
        let result = try CLI.run(["--json", try Self.capture()])
        let frames = Self.records(result.stdout).filter { $0["kind"] as? String == "frame" }
        #expect(frames.count == 3)
        // Packets: 1-3 TCP handshake, 4 request, 5 response, 6 "one"+"two", 7-9 the big frame.
        #expect(frames.map { $0["packet"] as? Int } == [6, 6, 7])
        #expect(frames.map { $0["last_packet"] as? Int } == [6, 6, 9])
        #expect(frames.map { $0["segments"] as? Int } == [1, 1, 3])
    }

    @Test func theTextViewsShowThePackets() throws {
        let file = try Self.capture()
        let text = try CLI.run(["--color", "never", file]).stdout
        #expect(text.contains("pkt 7–9"))
        let verbose = try CLI.run(["-v", "--color", "never", file]).stdout
        #expect(verbose.contains("TCP: this frame spans 3 segments, packets 7–9"))
        #expect(verbose.contains("TCP: carried by one segment, packet 6, with the frame after it ("))
        #expect(verbose.contains("TCP: carried by one segment, packet 6, with frame #0 before it ("))
        let segments = try CLI.run(["--segments", "--color", "never", file]).stdout
        #expect(segments.contains("#0 whole (5 B), #1 whole (5 B)  ← 2 frames in one segment"))
        #expect(segments.contains("#2 bytes 0–1199 of 3004"))
        #expect(segments.contains("#2 bytes 2400–3003 of 3004"))
        #expect(try CLI.run(["--segments", "--json", file]).status == 2)
    }

    /// `-v` names every frame that shared a segment with a frame, not just the one before it: three small frames and
    /// the start of a fourth in one segment, the fourth ending two segments later.
    @Test func theSegmentNoteNamesEveryFrameThatSharedTheSegment() throws {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        // 81 01 "a", 81 01 "b", 81 01 "c" (3 bytes each), then 82 7e 0b b8 + 3000 bytes: 3013 bytes in 1200-byte
        // segments, so packet 6 holds the three texts and the binary frame's first 1191 bytes; packets 7 and 8 the rest.
        c.send(fromClient: false, WebSocketBytes.text("a", masked: false) + WebSocketBytes.text("b", masked: false)
               + WebSocketBytes.text("c", masked: false) + WebSocketBytes.frame(opcode: 2, payload: Array(repeating: 7, count: 3000)),
               segmentSize: 1200)
        c.close()
        let verbose = try CLI.run(["-v", "--color", "never", try CaptureFileWriter.write(c.packets(), linkType: 1)]).stdout
        let notes = verbose.split(separator: "\n").filter { $0.hasPrefix("      TCP: ") }.map { String($0.dropFirst(6)) }
        let why = " (several frames in one segment: one read is not one frame)"
        #expect(notes == [
            "TCP: carried by one segment, packet 6, with the frame after it" + why,
            "TCP: carried by one segment, packet 6, with frame #0 before it and the frame after it" + why,
            "TCP: carried by one segment, packet 6, with frames #0–#1 before it and the frame after it" + why,
            "TCP: this frame spans 3 segments, packets 6–8; packet 6 also carried frames #0–#2 before it" + why,
        ])
    }

    /// Samples/README.md says how python-echo.pcap's large frames were cut: in loopback segments of at most 32 768
    /// bytes, three for each 70 000-byte frame. The capture agrees.
    @Test func theSampleReadmeSaysHowPythonEchoWasSegmented() throws {
        let text = try CLI.run(["--segments", "--color", "never", CLI.packageRoot.appendingPathComponent("Samples/python-echo.pcap").path]).stdout
        // "  C→S      16  +0.010871  32768  #8 bytes 0–32767 of 70014": the fourth column is the segment's size
        let sizes = text.split(separator: "\n").filter { ($0.hasPrefix("  C→S ") || $0.hasPrefix("  S→C ")) && $0.contains(" #") }
            .compactMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[3]) }
        #expect(sizes.max() == 32768 && sizes.filter { $0 == 32768 }.count == 4)
        #expect(text.split(separator: "\n").filter { $0.contains("of 70014") || $0.contains("of 70010") }.count == 6)
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/README.md"), encoding: .utf8)
        #expect(readme.contains("loopback segments of at most 32 768 bytes (three segments each"))
    }

    /// A close event as "code/reason/clean".
    static func event(_ summary: [String: Any], _ key: String) -> String? {
        guard let event = summary[key] as? [String: Any] else { return nil }
        return "\(event["code"] as! Int)/\(event["reason"] as! String)/\(event["was_clean"] as! Bool)"
    }

    static func closing(_ build: (inout Conversation) -> Void) throws -> [String: Any] {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        build(&c)
        let result = try CLI.run(["--json", try CaptureFileWriter.write(c.packets(), linkType: 1)])
        return Self.records(result.stdout).first { $0["kind"] as? String == "summary" }!
    }

    @Test func closeEventsFor1000And1005And1006() throws {
        // A clean close: the client sends 1000 "bye", the server answers 1000, TCP closes.
        let clean = try Self.closing { c in
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: [1, 2, 3, 4], payload: [0x03, 0xE8] + Array("bye".utf8)))
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8]))
            c.close()
        }
        #expect(Self.event(clean, "server_close_event") == "1000/bye/true")
        #expect(Self.event(clean, "client_close_event") == "1000//true")
        // Close frames without a code: each API reports 1005.
        let empty = try Self.closing { c in
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: [1, 2, 3, 4], payload: []))
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 8, payload: []))
            c.close()
        }
        #expect(Self.event(empty, "client_close_event") == "1005//true")
        // TCP reset without any Close: 1006, not clean.
        let reset = try Self.closing { c in c.reset(fromClient: true) }
        #expect(Self.event(reset, "client_close_event") == "1006//false")
        // The capture ends with the connection open: not known.
        let open = try Self.closing { c in c.send(fromClient: true, WebSocketBytes.text("hi", masked: true)) }
        #expect(open["client_close_event"] is NSNull)
    }

    /// A failed opening handshake never opens the client's API: a browser fires error, then a CloseEvent with 1006.
    @Test func aFailedHandshakeGivesTheClientAnAbnormalClose() throws {
        func summary(_ build: (inout Conversation) -> Void) throws -> [String: Any] {
            var c = Conversation()
            c.open()
            c.send(fromClient: true, WebSocketBytes.request())
            build(&c)
            let result = try CLI.run(["--json", try CaptureFileWriter.write(c.packets(), linkType: 1)])
            return Self.records(result.stdout).first { $0["kind"] as? String == "summary" }!
        }
        // The server refuses with 400 and closes.
        let refused = try summary { c in
            c.send(fromClient: false, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
            c.close()
        }
        #expect(Self.event(refused, "client_close_event") == "1006//false")
        #expect(refused["server_close_event"] is NSNull)
        // The server closes without answering (tutorial Server B).
        let unanswered = try summary { c in c.close() }
        #expect(Self.event(unanswered, "client_close_event") == "1006//false")
        // The capture ends while the request waits: nothing is known yet.
        let waiting = try summary { _ in }
        #expect(waiting["client_close_event"] is NSNull)
        let text = try CLI.run(["--color", "never", "--stream", "0",
                                CLI.packageRoot.appendingPathComponent("Samples/tutorial-server-b.pcap").path]).stdout
        #expect(text.contains("  client's API: onerror ×1, CloseEvent {code: 1006, reason: \"\", wasClean: false} (the opening handshake failed: no onopen)"))
        #expect(!text.contains("server's API"))
    }

    @Test func theTextSummaryShowsTheBrowsersView() throws {
        let text = try CLI.run(["--color", "never", CLI.packageRoot.appendingPathComponent("Samples/python-echo.pcap").path]).stdout
        #expect(text.contains("client's API: onopen ×1, onmessage ×6, CloseEvent {code: 1000, reason: \"bye\", wasClean: true}"))
    }

    @Test func theCloseCodeRegistry() throws {
        let text = try CLI.run(["close-codes", "--color", "never"]).stdout
        let line1005 = text.split(separator: "\n").first { $0.hasPrefix("1005") }
        #expect(line1005?.contains("no status received") == true && line1005?.contains("never") == true)
        let json = Self.records(try CLI.run(["close-codes", "--json"]).stdout)
        #expect(json.count == 16 + 4)
        let code1006 = json.first { $0["code"] as? Int == 1006 }
        #expect(code1006?["on_wire"] as? Bool == false && code1006?["sent_by"] as? String == "nobody")
        #expect(json.first { $0["code"] as? Int == 1010 }?["sent_by"] as? String == "client")
        #expect(json.first { $0["code"] as? Int == 4000 }?["to"] as? Int == 4999)
    }
}

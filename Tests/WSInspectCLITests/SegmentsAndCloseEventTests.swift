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
        #expect(verbose.contains("packet 6 also carried frame #0"))
        let segments = try CLI.run(["--segments", "--color", "never", file]).stdout
        #expect(segments.contains("#0 whole (5 B), #1 whole (5 B)  ← 2 frames in one segment"))
        #expect(segments.contains("#2 bytes 0–1199 of 3004"))
        #expect(segments.contains("#2 bytes 2400–3003 of 3004"))
        #expect(try CLI.run(["--segments", "--json", file]).status == 2)
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

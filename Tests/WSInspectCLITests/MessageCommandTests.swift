import Foundation
import Testing
import WSTestSupport

@Suite struct MessageCommandTests {
    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/\(name)").path }

    static func records(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test(arguments: [
        "c1 07 f2 48 cd c9 c9 07 00",
        "41 03 f2 48 cd 80 04 c9 c9 07 00",
        "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00",
        "c1 08 f3 48 cd c9 c9 07 00 00",
        "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00",
    ])
    func deflateInflatesTheRFC7692Examples(hex: String) throws {
        let result = try CLI.run(["frame", "--deflate", "--json", hex])
        #expect(result.status == 0)
        let message = Self.records(result.stdout).last!
        #expect(message["kind"] as? String == "message")
        #expect(message["text"] as? String == "Hello")
        #expect(message["compressed"] as? Bool == true)
    }

    @Test func deflateViewShowsCompressedBytesTheTailAndTheResult() throws {
        let result = try CLI.run(["frame", "--deflate", "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"])
        #expect(result.stdout.contains("Decompression  (RFC 7692 §7.2.2)"))
        #expect(result.stdout.contains("0000  f2 48 cd c9 c9 07 00"))
        #expect(result.stdout.contains("+ 00 00 ff ff appended by the receiver"))
        #expect(result.stdout.components(separatedBy: "\"Hello\"").count - 1 == 2)
        // Without context takeover the second "Hello" cannot be inflated.
        let fresh = try CLI.run(["frame", "--deflate", "--no-context-takeover", "--json", "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"])
        #expect(fresh.stdout.contains("pmd-context-takeover-violated"))
    }

    @Test func withoutDeflateRSV1IsAnError() throws {
        let result = try CLI.run(["frame", "--json", "c1 07 f2 48 cd c9 c9 07 00"])
        #expect(result.stdout.contains("\"rule\":\"rsv1-without-extension\""))
        // The message is shown as sent: not inflated, since nothing says the bytes are compressed.
        #expect(result.stdout.contains("\"kind\":\"message\"") && !result.stdout.contains("\"compressed\":true"))
        // c1 08 "rsv1 set": RSV1 announces a transformation no extension defines, so the bytes, readable as they look,
        // are not known to be text: the frame and the message give them as bytes, as Docs/json.md says.
        let records = Self.records(try CLI.run(["frame", "--json", "c1 08 72 73 76 31 20 73 65 74"]).stdout)
        #expect(records.map { $0["text"] is NSNull } == [true, true])
        #expect(records[1]["data_hex"] as? String == "7273763120736574")
        #expect(try CLI.run(["--messages", "--color", "never", Self.sample("violations.pcap")]).stdout
            .contains("message 4 · C→S text, 8 B: 7273763120736574"))
        #expect(try CLI.run(["frame", "--window-bits", "9", "81 00"]).status == 2)
    }

    @Test func messagesOnlyView() throws {
        let result = try CLI.run(["--messages", Self.sample("fragments.pcap")])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("[0] +") }
        #expect(lines.count == 8)
        #expect(lines[0].contains("message 0 · C→S text, 3 frames (#0–#3), 5 B: \"Hello\""))
        #expect(!result.stdout.split(separator: "\n").contains { $0.hasPrefix("[0] #") || $0.hasPrefix("[0]   #") })
    }

    @Test func fragmentedMessagesAreListedWithTheirFrames() throws {
        let result = try CLI.run([Self.sample("fragments.pcap")])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = lines.firstIndex { $0.contains("▶ message 0") }!
        #expect(lines[header + 1].contains("#0") && lines[header + 2].contains("ping") && lines[header + 3].contains("continuation"))
    }

    /// violations.pcap: the server's text "first half" (#12, FIN=0), the client's orphan continuation (#13), then the
    /// server's "intruder" (#14, a new text message that interrupts the first). Every frame prints in capture order;
    /// the unfinished message lists only its own frame, and the intruder is a message of its own.
    @Test func anInterruptedMessageListsOnlyItsFramesInCaptureOrder() throws {
        let lines = try CLI.run(["--color", "never", Self.sample("violations.pcap")]).stdout.split(separator: "\n").map(String.init)
        let frames = lines.compactMap { line -> Int? in
            guard line.hasPrefix("[0] #") || line.hasPrefix("[0]   #") else { return nil }
            return Int(line.drop { $0 != "#" }.dropFirst().prefix { $0.isNumber })
        }
        #expect(frames == Array(0...17))
        let message = lines.firstIndex { $0.hasPrefix("[0] ▶ message 6 · S→C text, 10 B, UNFINISHED") }!
        #expect(lines[message + 2].hasPrefix("[0]   #12 "))
        #expect(lines[message + 3].hasPrefix("[0] #13 "))
        #expect(lines[message + 5].hasPrefix("[0] #14 "))   // not indented: not part of message 6
    }

    /// While a fragmented message is open, the other direction's frames wait with it, so that they print where they
    /// happened: between its fragments, not before the message.
    @Test func theOtherDirectionPrintsBetweenTheFragments() throws {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: true, WebSocketBytes.text("Hel", masked: true, fin: false))                       // #0 text, FIN=0
        c.send(fromClient: false, WebSocketBytes.text("news", masked: false))                                // #1 the server's own message
        c.send(fromClient: true, WebSocketBytes.frame(opcode: 0, key: [1, 2, 3, 4], payload: Array("lo".utf8)))  // #2 continuation, FIN=1
        c.close()
        let text = try CLI.run(["--color", "never", try CaptureFileWriter.write(c.packets(), linkType: 1)]).stdout
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("[0]") && !$0.contains("[cleartext-websocket]") }.map { String($0.prefix(10)) }
        #expect(lines == ["[0] ▶ mess", "[0]   #0  ", "[0] #1    ", "[0]   #2  "])
    }

    /// Past 256 held frames the lines are printed as they come; the message's line then follows its frames.
    @Test func aLongFragmentedMessageIsPrintedAsItComes() throws {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        // 300 frames of one byte: "a" with FIN=0, then 298 continuations with FIN=0, then one with FIN=1
        var bytes = WebSocketBytes.text("a", masked: true, fin: false)
        for i in 1..<300 { bytes += WebSocketBytes.frame(fin: i == 299, opcode: 0, key: [1, 2, 3, 4], payload: [0x61]) }
        c.send(fromClient: true, bytes)
        c.close()
        let text = try CLI.run(["--color", "never", try CaptureFileWriter.write(c.packets(), linkType: 1)]).stdout
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("[0]") && !$0.contains("[cleartext-websocket]") }
        #expect(lines.count == 301)
        #expect(lines[0].hasPrefix("[0]   #0 ") && lines[299].hasPrefix("[0]   #299 "))
        #expect(lines[300].hasPrefix("[0] ▶ message 0 · C→S text, 300 frames (#0–#299), 300 B"))
    }

    @Test func maxMessageSizeStopsInflation() throws {
        let result = try CLI.run(["--json", "--max-message-size", "1K", Self.sample("python-deflate.pcap")])
        let messages = Self.records(result.stdout).filter { $0["kind"] as? String == "message" }
        let big = messages.first { ($0["wire_length"] as? Int ?? 0) > 700 }!
        #expect(big["length"] as? Int == 1024)
        #expect((big["diagnostics"] as? [[String: Any]])?.first?["rule"] as? String == "message-size-limit")
    }

    @Test func summaryReportsCompressionCloseAndRoundTrips() throws {
        let deflate = Self.records(try CLI.run(["--json", Self.sample("python-deflate.pcap")]).stdout)
        let summary = deflate.first { $0["kind"] as? String == "summary" }!
        let client = (summary["directions"] as! [String: Any])["client"] as! [String: Any]
        #expect(client["compressed_messages"] as? Int == 8)
        #expect((client["inflated_bytes"] as? Int ?? 0) > (client["compressed_bytes"] as? Int ?? 0))
        let close = summary["close"] as! [String: Any]
        #expect(close["first_by"] as? String == "client" && close["answered"] as? Bool == true)
        let echo = Self.records(try CLI.run(["--json", Self.sample("python-echo.pcap")]).stdout)
        let rtt = ((echo.first { $0["kind"] as? String == "summary" }!["directions"] as! [String: Any])["client"] as! [String: Any])["ping_rtt_ms"] as? [String: Any]
        #expect(rtt?["count"] as? Int == 1)
        let reset = Self.records(try CLI.run(["--json", Self.sample("close-reset.pcap")]).stdout)
        #expect(reset.first { $0["kind"] as? String == "summary" }?["tcp_end"] as? String == "reset by client")
    }

    @Test func contextTakeoverVersusNoContextTakeoverInRealCaptures() throws {
        func repeats(_ name: String) throws -> [Int] {
            Self.records(try CLI.run(["--json", Self.sample(name)]).stdout)
                .filter { $0["kind"] as? String == "message" && $0["from"] as? String == "client" && ($0["text"] as? String ?? "").hasPrefix("the same message") }
                .map { $0["wire_length"] as! Int }
        }
        let takeover = try repeats("python-deflate.pcap")
        let fresh = try repeats("python-deflate-cnct.pcap")
        #expect(takeover.count == 2 && takeover[1] < takeover[0])
        #expect(fresh.count == 2 && fresh[1] == fresh[0])
    }
}

import Foundation
import Testing

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

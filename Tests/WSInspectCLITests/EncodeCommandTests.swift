import Foundation
import Testing

@Suite struct EncodeCommandTests {
    @Test func theTutorialsMaskedNihaoFrame() throws {
        // The browser's "你好" from the tutorials: masked with af 87 53 b4.
        let result = try CLI.run(["encode", "--text", "你好", "--mask", "af8753b4", "--color", "never"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Encoded: 81 86 af 87 53 b4 4b 3a f3 51 0a 3a\n"))
        #expect(result.stdout.contains("Unmasking  (RFC 6455 §5.3)"))
        #expect(result.stdout.contains("你 1/3 (UTF-8 lead byte)"))
    }

    @Test func rfc7692sCompressedHello() throws {
        // RFC 7692 §7.2.3.1: "Hello" compressed, from a server: c1 07 f2 48 cd c9 c9 07 00.
        let result = try CLI.run(["encode", "--text", "Hello", "--from", "server", "--deflate", "--color", "never"])
        #expect(result.stdout.hasPrefix("Encoded: c1 07 f2 48 cd c9 c9 07 00\n"))
        #expect(result.stdout.contains("= inflated, 5 bytes"))
    }

    @Test func jsonHasTheFrameAndMessageRecordsAndTheBytes() throws {
        let result = try CLI.run(["encode", "--text", "Hello", "--fragment", "2", "--mask", "01020304", "--json"])
        let records = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(records.map { $0["kind"] as! String } == ["frame", "frame", "message", "encoded"])
        // 01 83 01020304 + "Hel" masked, 80 82 01020304 + "lo" masked.
        #expect(records[3]["hex"] as? String == "01830102030449676f8082010203046d6d")
        #expect(records[2]["text"] as? String == "Hello" && records[2]["frames"] as? Int == 2)
        // The same bytes through frame --json give the same frame and message records.
        let frame = try CLI.run(["frame", "--json", "--from", "client", "01830102030449676f8082010203046d6d"])
        #expect(frame.stdout.split(separator: "\n").map(String.init) == result.stdout.split(separator: "\n").dropLast().map(String.init))
    }

    @Test func controlFramesAndTheEmptyClose() throws {
        let close = try CLI.run(["encode", "--close", "1000", "--reason", "bye", "--from", "server", "--color", "never"])
        #expect(close.stdout.hasPrefix("Encoded: 88 05 03 e8 62 79 65\n"))
        let empty = try CLI.run(["encode", "--close", "--from", "server", "--color", "never"])
        #expect(empty.stdout.hasPrefix("Encoded: 88 00\n") && empty.stdout.contains("(empty payload)"))
        let ping = try CLI.run(["encode", "--ping", "hi", "--from", "server", "--json"])
        #expect(ping.stdout.contains("\"hex\":\"89026869\""))
    }

    @Test func aRandomKeyIsPrintedAndBreakingOptionsAreExplained() throws {
        let random = try CLI.run(["encode", "--text", "x", "--color", "never"])
        #expect(random.stdout.contains("chosen at random as a client must (--mask "))
        let unmasked = try CLI.run(["encode", "--text", "x", "--no-mask", "--color", "never"])
        #expect(unmasked.status == 0)
        #expect(unmasked.stdout.contains("built to break the rules on purpose") && unmasked.stdout.contains("[client-frame-unmasked]"))
        let long = try CLI.run(["encode", "--text", "x", "--from", "server", "--length-form", "64", "--json"])
        #expect(long.stdout.contains("non-minimal-length") && long.stdout.contains("\"breaks_rules\":true"))
    }

    @Test func badUsageIsOneLineAndExit2() throws {
        for arguments in [["encode"], ["encode", "--text", "a", "--binary", "00"], ["encode", "--ping", "--fragment", "2"],
                          ["encode", "--text", "a", "--mask", "xyz"], ["encode", "--close", "abc"], ["encode", "--text", "a", "--length-form", "32"]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }
}

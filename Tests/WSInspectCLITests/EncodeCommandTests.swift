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
        // 7 compressed bytes for 5: said as an expansion, not as "compressed to 140%"
        #expect(result.stdout.contains("= inflated, 5 bytes (grew to 140% of the original: DEFLATE made it larger):"))
        #expect(!result.stdout.contains("compressed to 140%"))
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
        #expect(unmasked.stdout.contains("built as asked, breaking a rule: client-frame-unmasked (RFC 6455 §5.1, §5.3)")
                && unmasked.stdout.contains("[client-frame-unmasked]"))
        let long = try CLI.run(["encode", "--text", "x", "--from", "server", "--length-form", "64", "--json"])
        #expect(long.stdout.contains("non-minimal-length") && long.stdout.contains("\"breaks_rules\":true"))
    }

    /// `-` reads the payload from standard input: hex for --binary, text for --text; large payloads too.
    @Test func aDashReadsThePayloadFromStandardInput() throws {
        // 00 ff: two bytes, in hex on standard input
        let binary = try CLI.run(["encode", "--binary", "-", "--from", "server", "--color", "never"], stdin: "00 ff\n")
        #expect(binary.status == 0 && binary.stdout.hasPrefix("Encoded: 82 02 00 ff\n"))
        // "hé" (68 c3 a9) as text, byte for byte
        let text = try CLI.run(["encode", "--text", "-", "--from", "server", "--color", "never"], stdin: "hé")
        #expect(text.stdout.hasPrefix("Encoded: 81 03 68 c3 a9\n"))
        // 200 000 bytes: far more than an argument may hold; the 64-bit length form says 00 00 00 00 00 03 0d 40
        let large = try CLI.run(["encode", "--binary", "-", "--from", "server", "--json"],
                                stdin: String(repeating: "ab", count: 200_000), timeout: 120)
        #expect(large.status == 0)
        #expect(large.stdout.contains("\"hex\":\"827f0000000000030d40abab"))
    }

    /// No bytes is an error with its own line, never a silent `82 00`; `[]` is the explicit empty binary message.
    @Test func noBytesIsRefusedUnlessSaidOnPurpose() throws {
        for (arguments, stdin, message) in [
            (["encode", "--binary", "-"], "", "wsinspect: --binary -: no bytes given: standard input is empty (an empty binary message is --binary '[]')\n"),
            (["encode", "--binary", ""], nil, "wsinspect: --binary: no bytes given: the argument is empty (an empty binary message is --binary '[]')\n"),
            (["encode", "--text", "-"], "", "wsinspect: --text -: no text given: standard input is empty (an empty text message is --text '')\n"),
        ] as [([String], String?, String)] {
            let result = try CLI.run(arguments, stdin: stdin)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr == message)
            #expect(result.stdout.isEmpty)
        }
        // ff: a byte that is never UTF-8, refused as text
        let notText = try CLI.runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "printf '\\377' | \"\(CLI.binary.path)\" encode --text -"])
        #expect(notText.status == 2 && notText.stderr.hasPrefix("wsinspect: --text -: standard input is not UTF-8 (byte 0: invalid byte)"))
        let empty = try CLI.run(["encode", "--binary", "[]", "--from", "server", "--color", "never"])
        #expect(empty.status == 0 && empty.stdout.hasPrefix("Encoded: 82 00\n"))
        let emptyText = try CLI.run(["encode", "--text", "", "--from", "server", "--color", "never"])
        #expect(emptyText.status == 0 && emptyText.stdout.hasPrefix("Encoded: 81 00\n"))
    }

    /// Every frame that breaks a rule is built as asked and gets the line, each rule with its id and section,
    /// whichever option or value made it so: the analysis decides.
    @Test func everyRuleBreakingFrameIsMarked() throws {
        let line = "built as asked, breaking"
        // 88 02 03 ed: a close carrying 1005, a code that is never sent
        let code1005 = try CLI.run(["encode", "--close", "1005", "--from", "server", "--color", "never"])
        #expect(code1005.status == 0 && code1005.stdout.hasPrefix("Encoded: 88 02 03 ed\n"))
        #expect(code1005.stdout.contains("  built as asked, breaking a rule: invalid-close-code (RFC 6455 §7.4); the findings below")
                && code1005.stdout.contains("[invalid-close-code]"))
        // 88 7e 00 7e …: a 126-byte close payload (code + 124 bytes of reason), one byte past the 125 of a control frame
        let long = try CLI.run(["encode", "--close", "1000", "--reason", String(repeating: "x", count: 124), "--from", "server", "--json"])
        #expect(long.stdout.contains("control-frame-too-long") && long.stdout.contains("\"breaks_rules\":true"))
        let longText = try CLI.run(["encode", "--close", "1000", "--reason", String(repeating: "x", count: 124), "--from", "server", "--color", "never"])
        #expect(longText.stdout.hasPrefix("Encoded: 88 7e 00 7e 03 e8 78")
                && longText.stdout.contains("breaking a rule: control-frame-too-long (RFC 6455 §5.5)"))
        let fine = try CLI.run(["encode", "--close", "1000", "--reason", "bye", "--from", "server", "--json"])
        #expect(fine.stdout.contains("\"breaks_rules\":false"))
        let clean = try CLI.run(["encode", "--close", "1000", "--reason", "bye", "--from", "server", "--color", "never"])
        #expect(!clean.stdout.contains(line))
    }

    /// One --mask key on several frames is reproducible but not what a client does: mask-key-reused says so.
    @Test func aReusedMaskingKeyIsNoted() throws {
        // 01 83 37 fa 21 3d …: "Hel" masked with 37fa213d; 80 82 37 fa 21 3d …: "lo" masked with the same key
        let result = try CLI.run(["encode", "--text", "Hello", "--fragment", "2", "--mask", "37fa213d", "--color", "never"])
        #expect(result.stdout.hasPrefix("Encoded: 01 83 37 fa 21 3d 7f 9f 4d 80 82 37 fa 21 3d 5b 95\n"))
        #expect(result.stdout.contains("masking key 37fa213d (--mask) on all 2 frames, reproducible; a real client picks a fresh unpredictable key for every frame"))
        #expect(result.stdout.contains("built as asked, breaking a rule: mask-key-reused (RFC 6455 §5.3, §10.3)"))
        #expect(result.stdout.contains("warning [mask-key-reused]"))
        let one = try CLI.run(["encode", "--text", "Hello", "--mask", "37fa213d", "--color", "never"])
        #expect(one.stdout.contains("  masking key 37fa213d (--mask)\n"))
    }

    /// An unmasked client frame: MASK's row says what is wrong, not that the frame goes from server to client.
    @Test func anUnmaskedClientFramesMaskRowIsTrue() throws {
        let result = try CLI.run(["encode", "--text", "你好", "--no-mask", "--color", "never"])
        #expect(result.stdout.contains("payload is not masked, but a client must mask every frame it sends (RFC 6455 §5.1)"))
        #expect(!result.stdout.contains("server to client"))
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

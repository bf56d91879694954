import Foundation
import Testing

@Suite struct FrameCommandTests {
    static let nihao = "81 86 af 87 53 b4 4b 3a f3 51 0a 3a"

    @Test func nihaoOutputMatchesTheGoldenFile() throws {
        let result = try CLI.run(["frame"] + Self.nihao.split(separator: " ").map(String.init))
        #expect(result.status == 0)
        let golden = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/WSReportTests/Golden/nihao.txt"), encoding: .utf8)
        #expect(result.stdout == golden)
    }

    @Test func hexFromStandardInput() throws {
        let result = try CLI.run(["frame", "--json"], stdin: "<Buffer \(Self.nihao)>\n")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)   // the frame, and the message it carries
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(object["text"] as? String == "你好")
        #expect(object["masking_key"] as? String == "af8753b4")
        #expect(object["payload_hex"] as? String == "e4bda0e5a5bd")
        #expect(object["length_form"] as? String == "7-bit")
        #expect(object["from"] is NSNull)
    }

    @Test func severalFramesBackToBack() throws {
        // fragmented "Hel" + "lo" (RFC 6455 §5.7)
        let result = try CLI.run(["frame", "--json", "010348656c80026c6f"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)   // two frames, one message
        #expect(lines[2].contains("\"kind\":\"message\"") && lines[2].contains("\"text\":\"Hello\""))
        #expect(result.status == 0)
    }

    /// Pasted frames go through the same message layer as a capture's, with or without --deflate.
    @Test func messageRulesApplyToPastedFrames() throws {
        // 01 01 41: text "A", not final; 81 01 42: a new text frame "B" while that message is still open.
        let interleaved = try CLI.run(["frame", "01", "01", "41", "81", "01", "42"])
        #expect(interleaved.stdout.contains("[data-frame-during-fragmented-message]"))
        #expect(interleaved.stdout.contains("[message-unfinished]"))
        // 80 01 41: a final continuation frame with nothing to continue.
        let orphan = try CLI.run(["frame", "--json", "80", "01", "41"])
        let frame = try JSONSerialization.jsonObject(with: Data(orphan.stdout.utf8)) as! [String: Any]
        #expect((frame["diagnostics"] as! [[String: Any]]).map { $0["rule"] as! String } == ["unexpected-continuation"])
    }

    /// A message interrupted by a new data frame is reported, with its finding, beside the message that interrupts it.
    @Test func anInterruptedMessageIsNotDropped() throws {
        let result = try CLI.run(["frame", "--deflate", "--json", "01", "01", "41", "81", "01", "42"])
        let records = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let messages = records.filter { $0["kind"] as? String == "message" }
        #expect(messages.compactMap { $0["text"] as? String } == ["A", "B"])
        #expect((messages[0]["diagnostics"] as! [[String: Any]]).map { $0["rule"] as! String } == ["message-unfinished"])
        #expect(messages[0]["complete"] as? Bool == false && messages[1]["complete"] as? Bool == true)
    }

    @Test func truncatedFrameExitsOneAfterPrinting() throws {
        // 81 0a = text of 10 bytes, only 3 present
        let result = try CLI.run(["frame", "81", "0a", "48", "65", "6c"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("payload needs 10 bytes, 3 present"))
        #expect(result.stdout.contains("\"Hel\""))
    }

    @Test func badHexExitsTwoWithItsPosition() throws {
        let result = try CLI.run(["frame", "81", "8g"])
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: bad hex input: not a hex digit: 'g' at line 1, column 5\n")
        #expect(result.stdout.isEmpty)
        let odd = try CLI.run(["frame", "818"])
        #expect(odd.status == 2)
        #expect(odd.stderr.contains("odd number of hex digits"))
    }

    @Test func emptyInputExitsTwo() throws {
        let result = try CLI.run(["frame"], stdin: "   \n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("no bytes given"))
    }

    @Test func fromEnablesTheMaskingRulesAndStrictFailsOnErrors() throws {
        // unmasked text frame claimed to come from a client
        let lenient = try CLI.run(["frame", "--from", "client", "--json", "81 01 41"])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("\"rule\":\"client-frame-unmasked\""))
        let strict = try CLI.run(["frame", "--from", "client", "--strict", "81 01 41"])
        #expect(strict.status == 1)
        let server = try CLI.run(["frame", "--from", "server", "--strict", "81 01 41"])
        #expect(server.status == 0)
    }

    @Test func allShowsEveryByte() throws {
        let payload = String(repeating: "78 ", count: 20)
        let short = try CLI.run(["frame", "81 94 00 00 00 01 " + payload])
        #expect(short.stdout.contains("… 4 more bytes (--all shows every byte)"))
        let all = try CLI.run(["frame", "--all", "81 94 00 00 00 01 " + payload])
        #expect(!all.stdout.contains("more bytes"))
    }

    @Test func colourFollowsTheFlagAndNoColor() throws {
        let always = try CLI.run(["frame", "--color", "always", Self.nihao])
        #expect(always.stdout.contains("\u{1B}["))
        let never = try CLI.run(["frame", "--color", "never", Self.nihao])
        #expect(!never.stdout.contains("\u{1B}["))
        // auto: standard output is a pipe here, so no colour
        let auto = try CLI.run(["frame", Self.nihao])
        #expect(!auto.stdout.contains("\u{1B}["))
    }

    @Test func payloadControlCharactersAreEscaped() throws {
        // text frame carrying ESC ] 0 ; x BEL (an OSC title sequence)
        let result = try CLI.run(["frame", "81 06 1b 5d 30 3b 78 07"])
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{07}"))
        #expect(result.stdout.contains("\\x1b]0;x\\x07"))
    }

    @Test func badOptionIsAUsageError() throws {
        let result = try CLI.run(["frame", "--from", "martian", "81 00"])
        #expect(result.status == 2)
        let unknown = try CLI.run(["frame", "--no-such-flag"])
        #expect(unknown.status == 2)
    }
}

@Suite struct AcceptCommandTests {
    @Test func derivationStepByStep() throws {
        let result = try CLI.run(["accept", "dGhlIHNhbXBsZSBub25jZQ==", "--expect", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])
        #expect(result.status == 0)
        #expect(result.stdout.contains("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
        #expect(result.stdout.contains("b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea"))
        #expect(result.stdout.contains("✓ match"))
    }

    @Test func mismatchExitsOne() throws {
        let result = try CLI.run(["accept", "dGhlIHNhbXBsZSBub25jZQ==", "--expect", "wrong="])
        #expect(result.status == 1)
        #expect(result.stdout.contains("✗ mismatch"))
        #expect(result.stdout.contains("accept-mismatch"))
    }

    @Test func jsonOutput() throws {
        let result = try CLI.run(["accept", "--json", "In1aAp/ya9Lkv+tsUtXLXQ==", "--expect", "HBMDBbZMiS59r3aAITpGtJ64Mfc="])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["accept"] as? String == "HBMDBbZMiS59r3aAITpGtJ64Mfc=")
        #expect(object["match"] as? Bool == true)
        #expect(object["key_bytes"] as? Int == 16)
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("EXIT CODES"))
    }
}

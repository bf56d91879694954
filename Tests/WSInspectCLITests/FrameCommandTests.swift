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

    /// `frame -` reads standard input, as no argument does.
    @Test func aDashReadsStandardInput() throws {
        // 81 00: an empty text frame
        let result = try CLI.run(["frame", "-", "--color", "never"], stdin: "81 00\n")
        #expect(result.status == 0 && result.stdout.hasPrefix("Frame #0 · input bytes 0-1 · text, FIN, unmasked, 0-byte payload\n"))
        let empty = try CLI.run(["frame", "-"], stdin: "")
        #expect(empty.status == 2 && empty.stderr.contains("no bytes given"))
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

    /// A close reason with the bytes FF FE: FF is a byte UTF-8 never uses, not "a code point above U+10FFFF".
    @Test func anInvalidByteInACloseReasonIsNamedAsSuch() throws {
        // 88 04: close, 4 bytes; 03 e8: code 1000; ff fe: the reason, two bytes that never appear in UTF-8
        let result = try CLI.run(["frame", "--from", "server", "88 04 03 e8 ff fe"])
        #expect(result.stdout.contains("at byte 2 of the payload (invalid byte): 0xFF never appears in UTF-8"))
        #expect(!result.stdout.contains("U+10FFFF"))
    }

    /// The position of invalid UTF-8 is the first byte of the bad sequence, in a frame and in a message of fragments.
    @Test func invalidUTF8IsPlacedAtTheStartOfItsSequence() throws {
        // 81 05 63 61 66 e9 20: "caf" then E9 20 (Latin-1 "é" and a space): E9 at payload byte 3 starts the bad sequence
        let frame = try CLI.run(["frame", "--from", "server", "81 05 63 61 66 e9 20"]).stdout
        #expect(frame.contains("not valid UTF-8 at payload byte 3 (truncated sequence): 0xE9 starts a 3-byte character, but 0x20 is not"))
        // 01 02 61 e0 | 80 02 80 af: "a", then E0 80 AF (an overlong "/") split between the two fragments: byte 1
        let message = try CLI.run(["frame", "--from", "server", "01 02 61 e0 80 02 80 af"]).stdout
        #expect(message.contains("not valid UTF-8 across its 2 fragments, at byte 1 of the message (overlong encoding): 0xE0 0x80 is an overlong encoding"))
    }

    /// Pasted frames are numbered from 0, as a capture's and JSON's, so that a finding's "frame #0" is "Frame #0".
    @Test func framesAndMessagesAreNumberedFromZeroEverywhere() throws {
        // 01 03 "Hel" (text, not final), 81 02 "hi" (a new text frame interrupting it), 80 02 "lo" (an orphan continuation)
        let result = try CLI.run(["frame", "--color", "never", "01 03 48 65 6c 81 02 68 69 80 02 6c 6f"])
        let headers = result.stdout.split(separator: "\n").filter { $0.hasPrefix("Frame ") || $0.hasPrefix("Message ") }
        #expect(headers == ["Frame #0 · input bytes 0-4 · text, not final, unmasked, 3-byte payload",
                            "Frame #1 · input bytes 5-8 · text, FIN, unmasked, 2-byte payload",
                            "Message 0  (RFC 6455 §5.4)",
                            "Frame #2 · input bytes 9-12 · continuation, FIN, unmasked, 2-byte payload"])
        #expect(result.stdout.contains("(from frame #0) was still open"))
        #expect(result.stdout.contains("  text, frame #0, 3 bytes, INCOMPLETE"))
        // The JSON message records say the same: message 0 is frame #0.
        let json = try CLI.run(["frame", "--json", "01 03 48 65 6c 81 02 68 69 80 02 6c 6f"]).stdout
        #expect(json.contains("\"kind\":\"message\",\"from\":null,\"index\":0,") && json.contains("\"first_frame\":0,\"last_frame\":0"))
        // The frame records carry their numbers too, as a capture's do.
        let frames = json.split(separator: "\n").filter { $0.hasPrefix("{\"kind\":\"frame\"") }
        #expect(frames.map { $0.hasPrefix("{\"kind\":\"frame\",\"index\":") } == [true, true, true])
        #expect(frames.enumerated().allSatisfy { $0.element.hasPrefix("{\"kind\":\"frame\",\"index\":\($0.offset),") })
    }

    /// A continuation is shown as its message's type: binary as bytes, text as text with the cut characters marked.
    @Test func continuationsAreShownAsTheirMessagesType() throws {
        // 02 02 00 01: binary, not final; 80 01 02: its last fragment, the byte 02 (which alone would pass for text)
        let binary = try CLI.run(["frame", "--color", "never", "02 02 00 01 80 01 02"]).stdout
        #expect(binary.contains("  hex dump (continuing a binary message), 1 byte:\n    0000  02 "))
        #expect(!binary.contains("\"\\x02\""))
        // "你好" (e4 bd a0 e5 a5 bd) in three 2-byte fragments: 01 02 e4 bd, 00 02 a0 e5, 80 02 a5 bd
        let text = try CLI.run(["frame", "--color", "never", "01 02 e4 bd 00 02 a0 e5 80 02 a5 bd"]).stdout
        #expect(text.contains("  text, 2 bytes:\n    e4 bd (a character the next frame finishes)\n"))
        #expect(text.contains("  text (continuing a text message), 2 bytes:\n    a0 (end of \"你\") + e5 (a character the next frame finishes)\n"))
        #expect(text.contains("  text (continuing a text message), 2 bytes:\n    a5 bd (end of \"好\")\n"))
        #expect(!text.contains("\\xe4"))
        // The split notes name the real frame numbers (a ping between fragments counts): 01 02 e4 bd, 89 00, 80 04 a0 e5 a5 bd
        let withPing = try CLI.run(["frame", "--color", "never", "01 02 e4 bd 89 00 80 04 a0 e5 a5 bd"]).stdout
        #expect(withPing.contains("its UTF-8 is split between frames: frame #2 starts inside \"你\" (e4 bd | a0)"))
    }

    /// The decompression section agrees with pmd-trailer-not-removed, and counts say "1 byte", not "1 bytes".
    @Test func theDecompressionSectionIsTrue() throws {
        // c1 0b: compressed "Hello" (f2 48 cd c9 c9 07 00) still followed by the sync-flush tail 00 00 ff ff
        let kept = try CLI.run(["frame", "--deflate", "--from", "server", "--color", "never", "c1 0b f2 48 cd c9 c9 07 00 00 00 ff ff"]).stdout
        #expect(kept.contains("+ 00 00 ff ff appended by the receiver (the sender should have removed this sync-flush tail, but the payload still ends in it: see the diagnostics)"))
        #expect(!kept.contains("(the sender removed this sync-flush tail)"))
        #expect(kept.contains("[pmd-trailer-not-removed]"))
        // RFC 7692 §7.2.3.2's second "Hello" (f2 00 11 00 00) read without context takeover: one byte inflates, then zlib fails
        let stopped = try CLI.run(["frame", "--deflate", "--no-context-takeover", "--from", "server", "--color", "never",
                                   "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"]).stdout
        #expect(stopped.contains("= inflated, 1 byte, stopped early:"))
        #expect(!stopped.contains("1 bytes") && !stopped.contains("500%"))
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

import Foundation
import Testing
import WSCapture
import WSTestSupport

/// Captures built to attack the reader: terminal control in every place text comes from, resource limits, floods.
/// Each runs the real binary.
@Suite struct HostileInputTests {
    /// One WebSocket connection: the handshake (with `requestExtra` headers and `path`), then client and server bytes.
    static func capture(path: String = "/chat", requestExtra: String = "", responseExtra: String = "",
                        client: [UInt8] = [], server: [UInt8] = [], port: UInt16 = 40000) throws -> String {
        var c = Conversation(client: .loopback(port), server: .loopback(8080))
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(path: path, extra: requestExtra))
        c.send(fromClient: false, WebSocketBytes.response(extra: responseExtra))
        if !client.isEmpty { c.send(fromClient: true, client, segmentSize: 60_000) }
        if !server.isEmpty { c.send(fromClient: false, server, segmentSize: 60_000) }
        c.close()
        return try CaptureFileWriter.write(c.packets(), linkType: 1)
    }

    /// Text that tries to take over a terminal: CSI (clear screen, recolour), OSC (window title, hyperlink), a bare
    /// carriage return that would overwrite the line, backspace and bell, the 8-bit CSI (U+009B), and a Unicode
    /// right-to-left override that would reverse what follows.
    static let hostile = "A\u{1B}[2J\u{1B}[31mred\u{1B}]0;owned\u{07}\u{1B}]8;;http://evil\u{1B}\\link\rX\u{08}\u{07}\u{9B}1m\u{202E}txt.exe\u{2066}Z"

    /// Bytes that must never reach standard output: ESC, BEL, BS, CR, the C1 CSI (UTF-8 C2 9B), RLO (E2 80 AE),
    /// LRI (E2 81 A6).
    static func unsafeSequences(in output: String) -> [String] {
        let bytes = Array(output.utf8)
        var found: [String] = []
        for (name, sequence) in [("ESC", [0x1B]), ("BEL", [0x07]), ("BS", [0x08]), ("CR", [0x0D]), ("C1 CSI", [0xC2, 0x9B]),
                                 ("RLO", [0xE2, 0x80, 0xAE]), ("LRI", [0xE2, 0x81, 0xA6])] as [(String, [UInt8])] {
            if bytes.indices.contains(where: { bytes[$0...].starts(with: sequence) }) { found.append(name) }
        }
        return found
    }

    @Test func controlSequencesFromTheCaptureAreEscapedInEveryView() throws {
        let reason = Array(Self.hostile.utf8)
        let file = try Self.capture(
            path: "/chat?q=\(Self.hostile.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)\u{1B}[5m",
            requestExtra: "User-Agent: \(Self.hostile)\r\nSec-WebSocket-Protocol: chat\u{1B}[8m\r\n",
            responseExtra: "Server: \(Self.hostile)\r\n",
            client: WebSocketBytes.text(Self.hostile, masked: true)
                + WebSocketBytes.frame(opcode: 2, key: [1, 2, 3, 4], payload: Array(Self.hostile.utf8))
                + WebSocketBytes.frame(opcode: 8, key: [9, 9, 9, 9], payload: [0x03, 0xE8] + reason),
            server: WebSocketBytes.text(Self.hostile, masked: false)
                + WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8] + reason))
        for mode in [[], ["-v"], ["--messages"], ["--summary"]] {
            let result = try CLI.run([file, "--color", "never"] + mode)
            #expect(result.status == 0, "\(mode)")
            #expect(Self.unsafeSequences(in: result.stdout).isEmpty, "\(mode): \(Self.unsafeSequences(in: result.stdout))")
            #expect(Self.unsafeSequences(in: result.stderr).isEmpty, "\(mode)")
        }
        // What the reader sees instead: every escape spelled out.
        let shown = try CLI.run([file, "--color", "never", "-v"]).stdout
        #expect(shown.contains("A\\x1b[2J\\x1b[31mred\\x1b]0;owned\\x07"))
        #expect(shown.contains("\\r"))
        #expect(shown.contains("\\u{9b}1m\\u{202e}txt.exe\\u{2066}Z"))
        // JSON keeps the exact text, as valid JSON with the control characters escaped.
        let json = try CLI.run([file, "--json", "-v"])
        #expect(Self.unsafeSequences(in: json.stdout).filter { $0 != "RLO" && $0 != "LRI" }.isEmpty)
        var texts: [String] = []
        for line in json.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line.prefix(80))")
            if let text = object?["text"] as? String { texts.append(text) }
        }
        #expect(texts.contains(Self.hostile))
    }

    @Test func hostileFileNamesAreEscapedInErrors() throws {
        let result = try CLI.run(["/tmp/no-such-\u{1B}]0;owned\u{07}\u{202E}.pcap"])
        #expect(result.status == 2)
        #expect(Self.unsafeSequences(in: result.stderr).isEmpty, "\(result.stderr)")
        #expect(result.stderr.contains("\\x1b]0;owned\\x07\\u{202e}.pcap"))
        // A capture whose name is hostile: the name is shown escaped in the report too.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let named = directory.appendingPathComponent("cap\u{1B}[2J\u{202E}.pcap")
        try FileManager.default.copyItem(atPath: CaptureCommandTests.sample("python-echo.pcap"), toPath: named.path)
        for mode in [[], ["--summary"], ["-v"]] {
            let report = try CLI.run([named.path, "--color", "never"] + mode)
            #expect(report.status == 0)
            #expect(Self.unsafeSequences(in: report.stdout).isEmpty, "\(mode)")
        }
    }

    @Test func jsonStaysValidForArbitraryPayloadBytes() throws {
        // Every byte value, invalid UTF-8 (lone continuation bytes, overlongs, surrogates, a cut character) in text
        // frames, a close reason and a header.
        var random = SystemRandomNumberGenerator()
        var frames: [UInt8] = []
        let invalid: [[UInt8]] = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xBD], Array(0...255)]
        for bytes in invalid { frames += WebSocketBytes.frame(opcode: 1, payload: bytes) }
        for _ in 0..<50 {
            frames += WebSocketBytes.frame(opcode: 1, payload: (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        frames += WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8, 0xFF, 0x00, 0x1B, 0xC3])
        let file = try Self.capture(responseExtra: "X-Odd: \u{7F}\u{1}\u{1F}\r\n", server: frames)
        let result = try CLI.run([file, "--json", "-v"])
        #expect(result.status == 0)
        var count = 0
        for line in result.stdout.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "invalid JSON: \(line.prefix(120))")
            count += 1
        }
        #expect(count > 60)
    }

    @Test func aMillionTinyFramesDecodeInOnePass() throws {
        // 1,000,000 empty unmasked text frames (81 00) from the server: 2 MB in segments of 60,000 bytes, each
        // holding 30,000 frames. Decoded iteratively, in a bounded time.
        let frames = (0..<2_000_000).map { $0 % 2 == 0 ? UInt8(0x81) : UInt8(0x00) }
        let file = try Self.capture(server: frames)
        let result = try CLI.run([file, "--summary", "--json"], timeout: 120)
        #expect(result.status == 0)
        let totals = try JSONSerialization.jsonObject(with: Data(result.stdout.split(separator: "\n").last!.utf8)) as! [String: Any]
        #expect(totals["frames"] as? Int == 1_000_000)
    }

    @Test func tooManyOpenConnectionsEvictTheIdlest() throws {
        // Three WebSocket connections open at once (none closes) with --max-connections 2: the first, idle since its
        // handshake, is evicted when the third opens.
        var packets: [CaptureFileWriter.Packet] = []
        var conversations = (0..<3).map { Conversation(client: .loopback(UInt16(45000 + $0)), server: .loopback(8080)) }
        for i in 0..<3 {
            let before = conversations[i].segments.count
            conversations[i].open()
            conversations[i].send(fromClient: true, WebSocketBytes.request())
            conversations[i].send(fromClient: false, WebSocketBytes.response())
            conversations[i].send(fromClient: true, WebSocketBytes.text("hi \(i)", masked: true))
            packets += conversations[i].packets(Array(conversations[i].segments[before...]))
        }
        let file = try CaptureFileWriter.write(packets, linkType: 1)
        let result = try CLI.run([file, "--json", "--max-connections", "2"])
        #expect(result.status == 0)
        let evicted = result.stdout.split(separator: "\n").filter { $0.contains("\"rule\":\"connection-evicted\"") }
        #expect(evicted.count == 1)
        #expect(evicted.first?.contains("\"stream\":0") == true)
        #expect(try CLI.run([file, "--json"]).stdout.contains("connection-evicted") == false)
        #expect(try CLI.run([file, "--max-connections", "0"]).stderr.contains("--max-connections must be at least 1"))
    }

    @Test func anHTTPHeadPastTheLimitIsGivenUp() throws {
        let long = String(repeating: "x", count: 3_000)
        let file = try Self.capture(requestExtra: "X-Long: \(long)\r\n", client: WebSocketBytes.text("hi", masked: true))
        let limited = try CLI.run([file, "--max-http-head", "2K", "--color", "never"])
        #expect(limited.stdout.contains("An HTTP head runs past 2048 bytes (--max-http-head)"))
        #expect(!limited.stdout.contains("\"hi\""))
        let normal = try CLI.run([file, "--color", "never"])
        #expect(normal.stdout.contains("\"hi\""))
    }

    @Test func damagedTimestampsAreCarriedNotTrapped() throws {
        // Records whose sub-second field is 4294967295 (µs) or a time that runs backwards: a bit-flipped capture
        // trapped in the time arithmetic (found by CorruptedCaptureTests).
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: true, WebSocketBytes.text("hi", masked: true))
        var packets = c.packets()
        packets[4] = CaptureFileWriter.Packet(seconds: 5, nanoseconds: .max, bytes: packets[4].bytes)
        packets[5] = CaptureFileWriter.Packet(seconds: 0, nanoseconds: 0, bytes: packets[5].bytes)
        let file = try CaptureFileWriter.write(packets, linkType: 1)
        for mode in [["-v"], ["--json"]] {
            let result = try CLI.run([file] + mode)
            #expect(result.status == 0, "\(mode): \(result.stderr.prefix(300))")
            #expect(result.stdout.contains("hi"))
        }
    }

    @Test func pastedFramesAndKeysAreEscapedToo() throws {
        // `frame` with a text frame carrying the hostile text (unmasked and masked), `accept` with a hostile key.
        let payload = Array(Self.hostile.utf8)
        for frame in [WebSocketBytes.frame(opcode: 1, payload: payload), WebSocketBytes.frame(opcode: 1, key: [1, 2, 3, 4], payload: payload)] {
            let hex = frame.map { String(format: "%02x", $0) }.joined(separator: " ")
            for mode in [[], ["--all"], ["--deflate"]] {
                let result = try CLI.run(["frame", "--color", "never"] + mode + [hex])
                #expect(Self.unsafeSequences(in: result.stdout).isEmpty, "\(mode)")
            }
        }
        let accept = try CLI.run(["accept", "--color", "never", Self.hostile])
        #expect(Self.unsafeSequences(in: accept.stdout + accept.stderr).isEmpty)
    }

    @Test func hugeDeclaredLengthsCostNothingInACapture() throws {
        // Server frames claiming 2^63 and 2^63-1 payload bytes, then the capture ends: two diagnostics, no buffer.
        for length in [UInt64(1) << 63, (UInt64(1) << 63) - 1] {
            var frame: [UInt8] = [0x82, 0x7F]
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((length >> UInt64(shift)) & 0xFF)) }
            let file = try Self.capture(server: frame + [1, 2, 3])
            let result = try CLI.run([file, "--json"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("\"truncated-frame\""))
            #expect(result.stdout.contains("\"length-msb-set\"") == (length >> 63 == 1))
            #expect(result.stdout.contains("\"payload_length\":\(length)"))
        }
    }
}

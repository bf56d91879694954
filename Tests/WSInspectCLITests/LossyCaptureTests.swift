import Foundation
import Testing
import WSTestSupport

/// Generated captures with packets left out, scored against what the generator sent (`wsinspect-capgen --truth`):
/// the frames that survived come out exactly, none is invented, no peer is accused, every output line is well formed.
@Suite struct LossyCaptureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let loss: Double
        let seed: Int
        let deflate: Bool
        /// Surviving frames that must come out exactly.
        let exact: Double
        var testDescription: String { "\(Int(loss * 100)) % loss, seed \(seed)\(deflate ? ", deflate" : "")" }
    }

    /// Generates a lossy capture and its truth; returns their paths.
    static func generate(_ c: Case, size: String = "6M") throws -> (capture: URL, truth: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let capture = directory.appendingPathComponent("capture.pcap"), truth = directory.appendingPathComponent("truth.jsonl")
        let result = try CLI.runProcess(CaptureGeneratorTests.capgen, [
            "--size", size, "--connections", "40", "--seed", "\(c.seed)", "--drop-fraction", "\(c.loss)",
            "--drop-seed", "\(c.seed)", "--out", capture.path, "--truth", truth.path] + (c.deflate ? ["--deflate"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        return (capture, truth)
    }

    @Test(arguments: [
        Case(loss: 0.02, seed: 1, deflate: false, exact: 0.99),
        Case(loss: 0.1, seed: 2, deflate: false, exact: 0.98),
        Case(loss: 0.3, seed: 3, deflate: false, exact: 0.95),
        Case(loss: 0.3, seed: 4, deflate: false, exact: 0.95),
        Case(loss: 0.3, seed: 5, deflate: true, exact: 0.95),
    ])
    func survivingFramesComeOutExactlyAndNothingIsInvented(_ c: Case) throws {
        let files = try Self.generate(c)
        defer { try? FileManager.default.removeItem(at: files.capture.deletingLastPathComponent()) }
        let output = try CLI.run(["--json", "--max-payload", "16", files.capture.path], timeout: 120)
        #expect(output.status == 0, "\(output.stderr)")
        let score = try LossScore(truth: String(contentsOf: files.truth, encoding: .utf8), output: output.stdoutBytes)
        #expect(score.surviving > 500)
        #expect(score.exactFraction >= c.exact, "\(score.report)")
        // 0.1 % of ~1 000 surviving frames is one frame.
        #expect(score.invented <= max(1, score.surviving / 1000), "\(score.report)")
        #expect(score.errors <= max(1, score.surviving / 1000), "\(score.report)")
        #expect(score.invalidLines == 0 && score.unbalancedSummaries == 0, "\(score.report)")
    }

    @Test func everyOutputModeIsWellFormedOnALossyCapture() throws {
        for deflate in [false, true] {
            let files = try Self.generate(Case(loss: 0.3, seed: 9, deflate: deflate, exact: 0), size: "3M")
            defer { try? FileManager.default.removeItem(at: files.capture.deletingLastPathComponent()) }
            let modes: [[String]] = [["--json"], ["--json", "-v"], ["--json", "--max-payload", "7"], [], ["-v"],
                                     ["--messages"], ["--summary"], ["--max-payload", "5"], ["--json", "--summary"]]
            for mode in modes {
                let result = try CLI.run(mode + [files.capture.path], timeout: 120)
                #expect(result.status == 0, "\(mode): \(result.stderr)")
                for line in result.stdoutBytes.split(separator: UInt8(ascii: "\n")) {
                    guard let text = String(validating: line, as: UTF8.self) else {
                        Issue.record("\(mode): a line is not valid UTF-8: \(Array(line.prefix(80)))")
                        break
                    }
                    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" }, "\(mode): a control character in \(text.prefix(120))")
                    if mode.contains("--json") {
                        let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                        #expect(object != nil, "\(mode): not a JSON object: \(text.prefix(120))")
                        if let object, object["kind"] as? String == "message" {
                            // Exactly one of text and data_hex carries the payload.
                            #expect((object["text"] is String) != (object["data_hex"] is String), "\(text.prefix(200))")
                        }
                    }
                }
            }
        }
    }

    /// python-echo.pcap without its first seven packets (SYN, handshake and the 101): a connection first seen
    /// mid-stream. Its frames print in time order, and the notes say what happened.
    @Test func aConnectionFirstSeenMidStreamPrintsInTimeOrder() throws {
        let original = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/python-echo.pcap"))
        let cut = try PcapRecords.dropping(first: 7, of: Array(original))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("midstream-\(UUID().uuidString).pcap")
        try Data(cut).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let json = try CLI.run(["--json", path.path])
        let records = json.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let frames = records.filter { $0["kind"] as? String == "frame" }
        #expect(frames.count == 16)
        let packets = frames.compactMap { $0["packet"] as? Int }
        #expect(packets == packets.sorted(), "frames out of time order: \(packets)")
        #expect(frames.compactMap { $0["text"] as? String }.prefix(4) == ["Hello", "Hello", "你好", "你好"])
        let notes = records.filter { $0["rule"] as? String == "stream-resynchronised" }.compactMap { $0["message"] as? String }
        #expect(notes.count == 2 && notes.allSatisfy { $0.hasPrefix("First seen mid-stream; decoding starts at the first proven frame boundary") })
        #expect(!json.stdout.contains("lost bytes"))
    }

    /// A connection through its upgrade.
    static func upgraded() -> Conversation {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        return c
    }

    @Test func httpHeadBytesThatAreNotUTF8AreShownEscaped() throws {
        // A request target with byte ff and a header value with byte e9 (Latin-1 é).
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("GET /caf".utf8) + [0xFF] + Array(" HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(WebSocketBytes.key)\r\nSec-WebSocket-Version: 13\r\nUser-Agent: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8))
        c.send(fromClient: false, WebSocketBytes.response())
        let path = try CaptureFileWriter.write(c.packets(), linkType: 1)
        let text = try CLI.run(["-v", path])
        #expect(text.stdout.contains("GET /caf\\xff HTTP/1.1"))
        #expect(text.stdout.contains("User-Agent: caf\\xe9"))
        #expect(!text.stdout.contains("\u{FFFD}"))
        let json = try CLI.run(["--json", path])
        let handshake = json.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { $0["kind"] as? String == "handshake" }
        #expect(handshake?["request_line"] as? String == "GET /caf\\xff HTTP/1.1")
    }

    @Test func theTextViewCutsAtACharacterBoundary() throws {
        // 你好 is e4 bd a0 e5 a5 bd: four bytes keep 你 and the first byte of 好, which must not print as \xe5.
        let result = try CLI.run(["--max-payload", "4", CLI.packageRoot.appendingPathComponent("Samples/python-echo.pcap").path])
        #expect(result.stdout.contains("\"你\"…"))
        #expect(!result.stdout.contains("\\xe5"))
    }

    @Test func aConnectionLastsUntilItsLatestPacket() throws {
        // The last packet (an ACK) comes ten seconds after the data: the connection lasts ten seconds, however the
        // capture orders its packets.
        var c = Self.upgraded()
        c.send(fromClient: true, WebSocketBytes.text("hi", masked: true))
        c.acknowledge(fromClient: false)
        var packets = c.packets()
        packets[packets.count - 1].seconds += 10
        packets.insert(packets.removeLast(), at: packets.count - 2)   // and out of order
        let path = try CaptureFileWriter.write(packets, linkType: 1)
        let result = try CLI.run(["--json", path])
        let summary = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { $0["kind"] as? String == "summary" }
        let duration = summary?["duration"] as? Double ?? 0
        #expect(duration > 10 && duration < 10.1, "duration \(duration)")
    }

    @Test func unfinishedFramesAtTheEndPrintInTimeOrder() throws {
        // The server starts a 100-byte frame (10 bytes arrive), then the client starts one; the capture ends.
        var c = Self.upgraded()
        c.send(fromClient: false, [0x82, 0x64] + [UInt8](repeating: 1, count: 10))
        c.send(fromClient: true, [0x82, 0xE4, 1, 2, 3, 4] + [UInt8](repeating: 2, count: 10))
        let path = try CaptureFileWriter.write(c.packets(), linkType: 1)
        let result = try CLI.run([path])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains("INCOMPLETE") }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("S→C") == true && lines.last?.contains("C→S") == true)
    }
}

/// Classic pcap files taken apart record by record.
enum PcapRecords {
    struct Malformed: Error {}

    /// The file without its first `count` packets (little-endian classic pcap).
    static func dropping(first count: Int, of file: [UInt8]) throws -> [UInt8] {
        guard file.count >= 24 else { throw Malformed() }
        var out = Array(file[0..<24])
        var offset = 24, index = 0
        while offset + 16 <= file.count {
            let length = Int(file[offset + 8]) | Int(file[offset + 9]) << 8 | Int(file[offset + 10]) << 16 | Int(file[offset + 11]) << 24
            guard offset + 16 + length <= file.count else { throw Malformed() }
            if index >= count { out += file[offset..<(offset + 16 + length)] }
            offset += 16 + length
            index += 1
        }
        return out
    }
}

import Foundation
import Testing

/// Samples/violations.pcap: a client and a server (Samples/scripts/violations_peers.py, raw sockets) that complete a
/// correct opening handshake (no extension negotiated) and then, in lock step, write frames that break RFC 6455's
/// frame- and message-level rules, one violation per frame, between a few correct frames. Neither fails the
/// connection, so every frame is on the wire. Their log (Samples/violations.log.jsonl) has one entry per frame written,
/// with its header fields, its unmasked payload, the exact bytes, and the rule ids wsinspect must report (`expect`).
/// These tests hold wsinspect's JSON output to that: each violation is reported on its own frame with the right rule,
/// the correct frames are not blamed, and nothing else is reported.
///
/// The script is lock step, so the frames are in script order: frame index N (stream 0) is the log's step N + 1.
@Suite struct ViolationsSampleTests {
    static let sample = "Samples/violations.pcap"

    /// A deliberate violation: the frame at `index` in stream 0 and the one rule wsinspect must report for it, on the
    /// frame itself or (`onMessage`) on the message the frame starts.
    struct Violation: CustomTestStringConvertible, Sendable {
        let index: Int
        let rule: String
        var onMessage = false
        var testDescription: String { "frame #\(index): \(rule)" }
    }

    /// Bytes as written, `<key>` standing for the client's random masking key (payloads shown unmasked).
    static let violations: [Violation] = [
        // C→S 81 08 "unmasked": FIN, text, MASK=0, length 8 — a client frame sent without a masking key.
        Violation(index: 4, rule: "client-frame-unmasked"),
        // S→C 81 86 <key> "masked": FIN, text, MASK=1, length 6 — the server masks its frame.
        Violation(index: 5, rule: "server-frame-masked"),
        // C→S c1 88 <key> "rsv1 set": FIN, RSV1=1, text — RSV1 set, but the handshake negotiated no extension.
        Violation(index: 6, rule: "rsv1-without-extension"),
        // S→C 8a 7e 00 7e + 126 bytes: FIN, pong, 16-bit length 126 — one byte over the 125 a control frame may carry.
        Violation(index: 7, rule: "control-frame-too-long"),
        // C→S 83 88 <key> "opcode 3": FIN, opcode 0x3 — an opcode reserved for future data frames.
        Violation(index: 8, rule: "reserved-opcode"),
        // S→C 09 0b "half a ping": FIN=0, ping — a control frame claiming that more fragments follow.
        Violation(index: 9, rule: "control-frame-fragmented"),
        // C→S 81 8c <key> 63 61 66 e9 20 61 75 20 6c 61 69 74: FIN, text, "café au lait" in Latin-1 — E9 opens a
        // 3-byte UTF-8 sequence and a space (20) follows.
        Violation(index: 11, rule: "invalid-utf8"),
        // S→C 01 0a "first half": FIN=0, text — the start of a message that frame #14 interrupts: it never finishes.
        Violation(index: 12, rule: "message-unfinished", onMessage: true),
        // C→S 80 86 <key> "orphan": FIN, continuation — no fragmented message is open in this direction.
        Violation(index: 13, rule: "unexpected-continuation"),
        // S→C 81 08 "intruder": FIN, text — a new message while #12's fragmented message is still open.
        Violation(index: 14, rule: "data-frame-during-fragmented-message"),
        // C→S 81 fe 00 05 <key> "short": FIN, text, length 5 in the 16-bit form — it fits the 7-bit form.
        Violation(index: 15, rule: "non-minimal-length"),
        // C→S 88 92 <key> 03 ed "1005 is API-only": FIN, close, code 1005 (no status received) — API-only, never
        // sent in a Close frame.
        Violation(index: 16, rule: "invalid-close-code"),
        // S→C 88 09 03 e8 62 79 65 20 ed a0 80: FIN, close 1000 (the answer), reason "bye " + ED A0 80 — the UTF-16
        // surrogate U+D800 encoded as if it were a character, which UTF-8 forbids.
        Violation(index: 17, rule: "invalid-utf8"),
    ]

    /// The correct frames: #0 C→S text "你好" (masked, e4 bd a0 e5 a5 bd), #1 S→C its echo (81 06, unmasked),
    /// #2 C→S ping "are you there" (89 8d <key>), #3 S→C pong with the same 13 bytes (8a 0d), #10 C→S pong
    /// "half a ping" (8a 8b <key>) answering #9.
    static let correct = [0, 1, 2, 3, 10]

    static func records() throws -> [[String: Any]] {
        let result = try CLI.run(["--json", sample], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func log() throws -> [[String: Any]] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/violations.log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func frame(_ index: Int, in records: [[String: Any]]) throws -> [String: Any] {
        try #require(records.first { $0["kind"] as? String == "frame" && $0["stream"] as? Int == 0 && $0["index"] as? Int == index },
                     "no frame #\(index) in stream 0")
    }

    /// The message records of stream 0 that the frame at `index` belongs to (none for a control frame or a frame that
    /// continues nothing).
    static func messages(containing index: Int, from sender: String, in records: [[String: Any]]) -> [[String: Any]] {
        records.filter {
            $0["kind"] as? String == "message" && $0["stream"] as? Int == 0 && $0["from"] as? String == sender
                && ($0["first_frame"] as? Int ?? .max) <= index && index <= ($0["last_frame"] as? Int ?? .min)
        }
    }

    static func rules(_ record: [String: Any]) -> [String] {
        (record["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
    }

    @Test(arguments: violations)
    func theViolationIsReportedOnItsFrame(violation: Violation) throws {
        let records = try Self.records()
        let frame = try Self.frame(violation.index, in: records)
        let sender = try #require(frame["from"] as? String)
        let messageRules = Self.messages(containing: violation.index, from: sender, in: records).flatMap(Self.rules)
        if violation.onMessage {
            #expect(Self.rules(frame).isEmpty, "frame #\(violation.index): \(Self.rules(frame))")
            #expect(messageRules == [violation.rule], "frame #\(violation.index)'s message: \(messageRules)")
        } else {
            // Exactly the one rule: the frame breaks nothing else, and its message (if any) is not blamed for it.
            #expect(Self.rules(frame) == [violation.rule], "frame #\(violation.index): \(Self.rules(frame))")
            #expect(messageRules.isEmpty, "frame #\(violation.index)'s message: \(messageRules)")
        }
    }

    @Test(arguments: correct)
    func aCorrectFrameIsNotBlamed(index: Int) throws {
        let records = try Self.records()
        let frame = try Self.frame(index, in: records)
        #expect(Self.rules(frame).isEmpty, "frame #\(index): \(Self.rules(frame))")
        let sender = try #require(frame["from"] as? String)
        for message in Self.messages(containing: index, from: sender, in: records) {
            #expect(Self.rules(message).isEmpty, "frame #\(index)'s message: \(Self.rules(message))")
        }
    }

    /// The frames wsinspect decoded are the ones the peers logged, step by step, and the log's `expect` says the same
    /// as the tables above.
    @Test func theFramesAreTheOnesThePeersWrote() throws {
        let records = try Self.records()
        let log = try Self.log()
        let frames = records.filter { $0["kind"] as? String == "frame" }
        try #require(frames.count == log.count, "\(frames.count) frames, \(log.count) logged")
        #expect(Set(Self.violations.map(\.index)).union(Self.correct) == Set(0..<log.count))
        for (index, entry) in log.enumerated() {
            #expect(entry["step"] as? Int == index + 1)
            let frame = try Self.frame(index, in: records)
            for key in ["fin", "rsv1", "opcode", "masked", "length_form", "payload_hex"] {
                #expect("\(frame[key] ?? "nil")" == "\(entry[key] ?? "nil")", "frame #\(index) \(key)")
            }
            #expect(frame["from"] as? String == entry["peer"] as? String, "frame #\(index) from")
            // The masking key is the 4 bytes after the length in the bytes written.
            if entry["masked"] as? Bool == true, let wire = entry["wire_hex"] as? String {
                let keyStart = 4 + (entry["length_form"] as? String == "16-bit" ? 4 : 0)
                let key = wire.dropFirst(keyStart).prefix(8)
                #expect(frame["masking_key"] as? String == String(key), "frame #\(index) masking key")
            }
            let expected = Self.violations.first { $0.index == index }.map { [$0.rule] } ?? []
            #expect(entry["expect"] as? [String] == expected, "step \(index + 1): the log expects \(entry["expect"] ?? "nil")")
        }
    }

    /// Nothing outside the deliberate violations is reported: the handshake is clean, the one connection-level finding
    /// is the note that the peers talk plain ws on loopback (the close is answered, the pings are answered), and the
    /// totals are the table's.
    @Test func nothingElseIsReported() throws {
        let records = try Self.records()
        let handshake = try #require(records.first { $0["kind"] as? String == "handshake" })
        #expect(Self.rules(handshake).isEmpty, "handshake: \(Self.rules(handshake))")
        #expect(handshake["accept_valid"] as? Bool == true)
        #expect((handshake["extensions"] as? [Any])?.isEmpty == true)
        let loose = records.filter { $0["kind"] as? String == "diagnostic" }
        #expect(loose.map { $0["rule"] as? String } == ["cleartext-websocket"], "diagnostics outside frames and messages: \(loose)")
        #expect(loose.first?["severity"] as? String == "note")

        let summary = try #require(records.first { $0["kind"] as? String == "summary" })
        let counts = try #require(summary["diagnostics"] as? [String: Int])
        var expected: [String: Int] = [:]
        for violation in Self.violations { expected[violation.rule, default: 0] += 1 }
        expected["cleartext-websocket"] = 1
        #expect(counts == expected)
        let close = try #require(summary["close"] as? [String: Any])
        #expect(close["first_by"] as? String == "client")
        #expect(close["code"] as? Int == 1005)
        #expect(close["answered"] as? Bool == true)
        #expect(close["answer_code"] as? Int == 1000)

        let capture = try #require(records.first { $0["kind"] as? String == "capture" })
        #expect(capture["frames"] as? Int == 18)
        #expect(capture["diagnostics"] as? [String: Int] == ["error": 12, "warning": 1, "note": 1])
    }
}

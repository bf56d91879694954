import Foundation
import Testing

/// End-to-end tests over every capture in Samples/: the JSON output must equal the checked-in expectation frame by
/// frame, and the decoded messages must equal what the peers logged they sent.
@Suite struct SampleTests {
    static let samples: [String] = {
        let directory = CLI.packageRoot.appendingPathComponent("Samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }()

    static func path(_ sample: String) -> String { "Samples/" + sample }

    static func stem(_ sample: String) -> String {
        sample.replacingOccurrences(of: ".pcapng", with: "").replacingOccurrences(of: ".pcap", with: "")
    }

    /// `--keylog Samples/NAME.keys` for a wss sample (its peers wrote the key log), else nothing.
    static func keylog(_ sample: String) -> [String] {
        let keys = "Samples/\(stem(sample)).keys"
        return FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent(keys).path) ? ["--keylog", keys] : []
    }

    @Test func thereAreSamples() {
        #expect(Self.samples.count >= 10)
    }

    @Test(arguments: samples)
    func jsonOutputMatchesTheExpectedFile(sample: String) throws {
        let result = try CLI.run(["--json"] + Self.keylog(sample) + [Self.path(sample)], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let expectedURL = CLI.packageRoot.appendingPathComponent("Tests/WSInspectCLITests/Expected/\(Self.stem(sample)).jsonl")
        if ProcessInfo.processInfo.environment["WSINSPECT_UPDATE_GOLDEN"] == "1" {
            try result.stdout.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let actual = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (a, e)) in zip(actual, expected).enumerated() where a != e {
            Issue.record("\(sample): line \(index + 1) differs\n  actual:   \(a.prefix(300))\n  expected: \(e.prefix(300))")
            break
        }
        #expect(actual.count == expected.count, "\(sample): \(actual.count) lines, expected \(expected.count)")
    }

    /// The truth for a sample is what its peers logged they sent.
    @Test(arguments: samples)
    func decodedMessagesAreWhatThePeersSent(sample: String) throws {
        let logURL = CLI.packageRoot.appendingPathComponent("Samples/\(Self.stem(sample)).log.jsonl")
        guard let log = try? String(contentsOf: logURL, encoding: .utf8) else { return }
        let result = try CLI.run(["--json"] + Self.keylog(sample) + [Self.path(sample)], directory: CLI.packageRoot)
        var records = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        // Through a proxy the same messages also pass on the proxy's own connection to the server: the peers' log is
        // compared with the client's tunnel (the connection with a `proxy` hop).
        if let tunnel = records.first(where: { $0["kind"] as? String == "connection" && $0["proxy"] != nil })?["stream"] as? Int {
            records = records.filter { $0["stream"] as? Int == tunnel }
        }
        for peer in ["client", "server"] {
            let sent = log.split(separator: "\n")
                .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
                .filter { $0["peer"] as? String == peer && ["text", "binary"].contains($0["kind"] as? String ?? "") }
                .map(Self.describeLogged)
            let decoded = records
                .filter { $0["kind"] as? String == "message" && $0["from"] as? String == peer }
                .map(Self.describeMessage)
            #expect(decoded.sorted() == sent.sorted(), "\(sample) \(peer): decoded messages differ from the peer's log")
            if !sample.hasPrefix("concurrent") {
                #expect(decoded == sent, "\(sample) \(peer): order differs")
            }
        }
    }

    static func describeLogged(_ entry: [String: Any]) -> String {
        if let sha = entry["sha256"] as? String { return "\(entry["kind"]!):\(entry["length"]!):\(sha)" }
        // Text sent with RSV1 and no extension (violations.pcap) is of unknown encoding: shown by its bytes.
        if entry["rsv1"] as? Bool == true, let hex = entry["payload_hex"] as? String { return "text-bytes:" + hex }
        if let text = entry["text"] as? String { return "text:" + text }
        // A text message that is not valid UTF-8 (violations.pcap) is logged by its bytes.
        if entry["kind"] as? String == "text", let hex = entry["hex"] as? String { return "text-bytes:" + hex }
        return "binary:" + (entry["hex"] as? String ?? "")
    }

    /// A message record as `kind:payload` (text, or hex for binary; over 1 KiB by length and SHA-256).
    static func describeMessage(_ message: [String: Any]) -> String {
        let kind = message["opcode"] as? Int == 1 ? "text" : "binary"
        // Text that is not valid UTF-8 comes as data_hex, compared with the bytes the peer logged.
        if kind == "text", !(message["text"] is String), let hex = message["data_hex"] as? String, hex.count <= 2048 {
            return "text-bytes:" + hex
        }
        let bytes: [UInt8]
        if kind == "text" {
            bytes = Array((message["text"] as? String ?? "<not text>").utf8)
        } else {
            let digits = Array((message["data_hex"] as? String ?? "").utf8).map { $0 <= 57 ? $0 - 48 : $0 - 87 }
            bytes = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        if bytes.count > 1024 { return "\(kind):\(bytes.count):\(SHA256Hex.of(bytes))" }
        return kind == "text" ? "text:" + String(decoding: bytes, as: UTF8.self) : "binary:" + hex
    }

    /// Cross-check with tshark (when installed): the same frames with the same opcodes and payload lengths.
    @Test(arguments: samples)
    func tsharkSeesTheSameFrames(sample: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") else { return }
        let keys = Self.keylog(sample)
        let tlsOption = keys.isEmpty ? [] : ["-o", "tls.keylog_file:" + keys[1]]
        let tshark = try CLI.runTool("/usr/bin/tshark", ["-r", Self.path(sample)] + tlsOption + ["-Y", "websocket", "-T", "fields",
                                                        "-e", "tcp.stream",
                                                        "-e", "websocket.opcode", "-e", "websocket.payload_length",
                                                        "-e", "websocket.payload_length_ext_16", "-e", "websocket.payload_length_ext_64"],
                                     directory: CLI.packageRoot)
        var theirs: [String] = []
        var theirStreams = Set<Int>()
        for line in tshark.split(separator: "\n") {
            var columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            // tshark does not follow a plain ws:// connection inside a CONNECT tunnel: only the streams it decodes
            // are compared.
            if let stream = Int(columns.removeFirst()) { theirStreams.insert(stream) }
            let opcodes = columns[0].split(separator: ",")
            var lengths = columns.count > 1 ? columns[1].split(separator: ",").map(String.init) : []
            // tshark lists the 7-bit field; 126 and 127 defer to the 16- and 64-bit fields, in frame order.
            var ext16 = columns.count > 2 ? columns[2].split(separator: ",").map(String.init) : []
            var ext64 = columns.count > 3 ? columns[3].split(separator: ",").map(String.init) : []
            for i in lengths.indices {
                if lengths[i] == "126", !ext16.isEmpty { lengths[i] = ext16.removeFirst() }
                else if lengths[i] == "127", !ext64.isEmpty { lengths[i] = ext64.removeFirst() }
            }
            for (i, opcode) in opcodes.enumerated() { theirs.append("\(opcode)/\(i < lengths.count ? lengths[i] : "?")") }
        }
        let result = try CLI.run(["--json"] + keys + [Self.path(sample)], directory: CLI.packageRoot)
        let ours = result.stdout.split(separator: "\n")
            .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { $0["kind"] as? String == "frame" && theirStreams.contains($0["stream"] as? Int ?? -1) }
            .map { "\($0["opcode"]!)/\($0["payload_length"]!)" }
        #expect(ours == theirs, "\(sample): wsinspect and tshark disagree")
    }
}

@Suite struct JSONDocumentationTests {
    /// Every key wsinspect writes (in any sample, and for pasted frames) is documented in Docs/json.md.
    @Test func everyKeyIsDocumented() throws {
        let doc = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Docs/json.md"), encoding: .utf8)
        var keys = Set<String>()
        func collect(_ value: Any, nestedIn parent: String?) {
            // JSON values a payload view read from the application's messages have the application's keys.
            if ["value", "args", "data", "payload", "variables"].contains(parent ?? "") { return }
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    // Maps keyed by data (rule ids, opcode names, directions) are documented by their parent.
                    if !["frames_by_opcode", "diagnostics", "directions"].contains(parent ?? "") { keys.insert(key) }
                    collect(child, nestedIn: key)
                }
            } else if let array = value as? [Any] {
                for child in array { collect(child, nestedIn: parent) }
            }
        }
        var outputs = try SampleTests.samples.map {
            try CLI.run(["--json", "-v"] + SampleTests.keylog($0) + [SampleTests.path($0)], directory: CLI.packageRoot).stdout
        }
        outputs.append(try CLI.run(["frame", "--json", "81 86 af 87 53 b4 4b 3a f3 51 0a 3a 81"]).stdout)
        outputs.append(try CLI.run(["accept", "--json", "dGhlIHNhbXBsZSBub25jZQ=="]).stdout)
        for output in outputs {
            for line in output.split(separator: "\n") {
                collect(try JSONSerialization.jsonObject(with: Data(line.utf8)), nestedIn: nil)
            }
        }
        for key in keys.sorted() {
            #expect(doc.contains("`\(key)`"), "Docs/json.md does not document the key \(key)")
        }
    }
}

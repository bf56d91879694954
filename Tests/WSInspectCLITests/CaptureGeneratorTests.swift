import Foundation
import Testing

/// The benchmark's capture generator (`wsinspect-capgen`): deterministic, and what it writes is a valid capture that
/// wsinspect (and tshark, when installed) decode without complaint.
@Suite struct CaptureGeneratorTests {
    static var capgen: URL { CLI.binary.deletingLastPathComponent().appendingPathComponent("wsinspect-capgen") }

    static func generate(_ arguments: [String]) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capgen-\(UUID().uuidString).pcap")
        let result = try CLI.runProcess(capgen, ["--out", out.path] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    static func records(_ capture: URL) throws -> [[String: Any]] {
        let result = try CLI.run(["--json", "--max-payload", "0", capture.path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func theSameSeedWritesTheSameBytes() throws {
        let a = try Self.generate(["--size", "512K", "--seed", "7", "--connections", "20"])
        let b = try Self.generate(["--size", "512K", "--seed", "7", "--connections", "20"])
        let c = try Self.generate(["--size", "512K", "--seed", "8", "--connections", "20"])
        defer { for url in [a, b, c] { try? FileManager.default.removeItem(at: url) } }
        let bytes = try Data(contentsOf: a)
        #expect(bytes.count >= 512 << 10)
        #expect(bytes == (try Data(contentsOf: b)))
        #expect(bytes != (try Data(contentsOf: c)))
    }

    /// Real handshakes with correct Accept keys, masked client frames, every length form, fragments, pings: nothing
    /// for wsinspect to flag but the frames the size limit cut at the end of the file (`input-ended`: the capture
    /// stops, nobody is blamed) and the note that the connections are plain ws on loopback.
    @Test func theCaptureDecodesCleanly() throws {
        let capture = try Self.generate(["--size", "2M", "--connections", "30"])
        defer { try? FileManager.default.removeItem(at: capture) }
        let records = try Self.records(capture)
        let frames = records.filter { $0["kind"] as? String == "frame" }
        let rules = records.compactMap { $0["rule"] as? String }
            + frames.flatMap { ($0["diagnostics"] as! [[String: Any]]).map { $0["rule"] as! String } }
        #expect(Set(rules).isSubset(of: ["input-ended", "cleartext-websocket"]), "unexpected findings: \(Set(rules))")
        let handshakes = records.filter { $0["kind"] as? String == "handshake" }
        #expect(handshakes.count >= 25)
        // The generator opens its connections side by side from one address: concurrent-connecting, a warning that
        // says clients behind one NAT address look the same. Nothing else.
        let handshakeRules = Set(handshakes.flatMap { ($0["diagnostics"] as! [[String: Any]]).map { $0["rule"] as! String } })
        #expect(handshakeRules.isSubset(of: ["concurrent-connecting"]), "\(handshakeRules)")
        let forms = Set(frames.compactMap { $0["length_form"] as? String })
        #expect(forms == ["7-bit", "16-bit", "64-bit"])
        #expect(frames.contains { $0["opcode"] as? Int == 0 })            // continuation: fragmented messages
        #expect(frames.contains { $0["opcode"] as? Int == 9 })            // pings
        #expect(frames.filter { $0["from"] as? String == "client" }.allSatisfy { $0["masked"] as? Bool == true })
    }

    @Test func deflateCapturesInflate() throws {
        let capture = try Self.generate(["--size", "1M", "--connections", "20", "--deflate"])
        defer { try? FileManager.default.removeItem(at: capture) }
        let messages = try Self.records(capture).filter { $0["kind"] as? String == "message" }
        #expect(messages.count > 50)
        #expect(messages.allSatisfy { $0["compressed"] as? Bool == true })
        #expect(messages.allSatisfy { ($0["diagnostics"] as! [Any]).isEmpty })
    }

    /// tshark (when installed) finds the same complete frames: opcodes and payload lengths, as multisets (the two tools
    /// may order frames of interleaved connections differently within a packet).
    @Test func tsharkSeesTheSameFrames() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") else { return }
        let capture = try Self.generate(["--size", "1M", "--connections", "20"])
        defer { try? FileManager.default.removeItem(at: capture) }
        let tshark = try CLI.runTool("/usr/bin/tshark", ["-r", capture.path, "-Y", "websocket", "-T", "fields",
                                                        "-e", "websocket.opcode", "-e", "websocket.payload_length",
                                                        "-e", "websocket.payload_length_ext_16", "-e", "websocket.payload_length_ext_64"])
        var theirs: [String] = []
        for line in tshark.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.split(separator: ",").map(String.init) }
            var lengths = columns.count > 1 ? columns[1] : []
            var ext16 = columns.count > 2 ? columns[2] : []
            var ext64 = columns.count > 3 ? columns[3] : []
            for i in lengths.indices {
                if lengths[i] == "126", !ext16.isEmpty { lengths[i] = ext16.removeFirst() }
                else if lengths[i] == "127", !ext64.isEmpty { lengths[i] = ext64.removeFirst() }
            }
            for (i, opcode) in columns[0].enumerated() { theirs.append("\(opcode)/\(i < lengths.count ? lengths[i] : "?")") }
        }
        let ours = try Self.records(capture)
            .filter { $0["kind"] as? String == "frame" && $0["complete"] as? Bool == true }
            .map { "\($0["opcode"]!)/\($0["payload_length"]!)" }
        #expect(ours.count > 100)
        #expect(ours.sorted() == theirs.sorted())
    }
}

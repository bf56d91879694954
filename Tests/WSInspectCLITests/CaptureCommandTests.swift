import Foundation
import Testing
import WSTestSupport

@Suite struct CaptureCommandTests {
    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/\(name)").path }

    @Test func defaultCommandReadsACapture() throws {
        let result = try CLI.run([Self.sample("python-echo.pcap")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("━━ Connection 0 ━━"))
        #expect(result.stdout.contains("✓ matches"))
        #expect(result.stdout.contains("── Summary of connection 0"))
    }

    @Test func filterAfterTheFileAndOptionsAnywhere() throws {
        let none = try CLI.run([Self.sample("python-echo.pcap"), "tcp", "port", "1", "--json"])
        #expect(none.status == 0)
        #expect(!none.stdout.contains("\"kind\":\"frame\""))
        let all = try CLI.run(["--json", Self.sample("python-echo.pcap"), "tcp"])
        #expect(all.stdout.contains("\"kind\":\"frame\""))
    }

    @Test func standardInput() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.sample("node-ws.pcap")))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stdin-\(UUID().uuidString).pcap")
        try bytes.write(to: path)
        let result = try CLI.runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "\"\(CLI.binary.path)\" --json - < \"\(path.path)\""])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"text\":\"Hello from Node\""))
    }

    @Test func countStopsAfterNFramesAndStreamSelectsOneConnection() throws {
        let limited = try CLI.run(["--json", "-c", "3", Self.sample("concurrent.pcap")])
        #expect(limited.stdout.components(separatedBy: "\"kind\":\"frame\"").count - 1 == 3)
        #expect(limited.stdout.contains("\"stopped_by_limit\":true"))
        let one = try CLI.run(["--json", "--stream", "1", Self.sample("concurrent.pcap")])
        let streams = Set(one.stdout.split(separator: "\n").compactMap { line -> Int? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["stream"] as? Int
        })
        #expect(streams == [1])
    }

    /// With --stream the capture's totals (packets, TCP connections) and the followed connection's (WebSockets,
    /// frames, findings) are told apart, so that no number stands for both.
    @Test func theTotalsSayWhatStreamFiltered() throws {
        // --width 400: each total line whole, as one line
        let one = try CLI.run(["--color", "never", "--width", "400", "--stream", "0", Self.sample("tutorial-server-b.pcap")]).stdout
        #expect(one.contains("22 packets, 22 TCP segments, 2 TCP connections; stream 0 only (--stream): 0 WebSocket connections, 0 frames, 0 errors, 1 warning, 0 notes"))
        let all = try CLI.run(["--color", "never", "--width", "400", Self.sample("tutorial-server-b.pcap")]).stdout
        #expect(all.contains("22 packets, 22 TCP segments, 2 TCP connections, 1 WebSocket connection, 4 frames; 0 errors, 2 warnings, 1 note"))
        let json = try CLI.run(["--json", "--stream", "0", Self.sample("tutorial-server-b.pcap")]).stdout
        let capture = json.split(separator: "\n").last.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(capture?["only_stream"] as? Int == 0 && capture?["tcp_connections"] as? Int == 2)
        let unfiltered = try CLI.run(["--json", Self.sample("tutorial-server-b.pcap")]).stdout
        #expect(!unfiltered.contains("only_stream"))
    }

    /// Handshakes of several connections may follow one another (a proxy's two connections): each names its own.
    @Test func eachHandshakeNamesItsConnection() throws {
        let text = try CLI.run(["--color", "never", Self.sample("ws-connect-proxy.pcap")]).stdout
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("Handshake") }
        #expect(headings == ["Handshake of connection 1  (RFC 6455 §4)", "Handshake of connection 0  (RFC 6455 §4)"])
    }

    @Test func verboseShowsTheAnatomyOfEveryFrame() throws {
        let result = try CLI.run(["-v", Self.sample("node-ws.pcap")])
        #expect(result.stdout.components(separatedBy: "Header bits").count - 1 == 10)
    }

    @Test func wsPortDecodesAConnectionWithoutItsHandshake() throws {
        // Drop the first six packets (TCP handshake, upgrade request and response) of a sample.
        let cut = try Self.withoutFirstPackets(6, of: "node-ws.pcap")
        let result = try CLI.run(["--json", "--no-heuristic", "--ws-port", try Self.serverPort("node-ws.pcap"), cut])
        #expect(result.stdout.contains("\"detection\":\"ws-port\""))
        #expect(result.stdout.contains("\"text\":\"Hello from Node\""))
    }

    @Test func strictTurnsErrorsIntoExitOne() throws {
        #expect(try CLI.run([Self.sample("tutorial-server-a.pcap")]).status == 0)
        #expect(try CLI.run(["--strict", Self.sample("tutorial-server-a.pcap")]).status == 1)
        #expect(try CLI.run(["--strict", Self.sample("python-echo.pcap")]).status == 0)
    }

    @Test func unreadableInputsAreOneLineErrorsWithExitTwo() throws {
        let missing = try CLI.run(["/no/such/file.pcap"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("wsinspect: cannot read capture /no/such/file.pcap"))
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("text-\(UUID().uuidString).pcap")
        try Data("not a capture at all".utf8).write(to: text)
        let notCapture = try CLI.run([text.path])
        #expect(notCapture.status == 2)
        #expect(notCapture.stderr.split(separator: "\n").count == 1)
        let badFilter = try CLI.run([Self.sample("python-echo.pcap"), "tcp", "port", "banana"])
        #expect(badFilter.status == 2)
        #expect(badFilter.stderr.hasPrefix("wsinspect: bad capture filter \"tcp port banana\""))
        let wifi = try CaptureFileWriter.write([CaptureFileWriter.Packet(seconds: 1, nanoseconds: 0, bytes: [0, 0])], linkType: 105)
        let link = try CLI.run([wifi])
        #expect(link.status == 2)
        #expect(link.stderr.hasPrefix("wsinspect: unsupported link type 105 (IEEE802_11)"))
    }

    @Test func truncatedCaptureShowsEverythingBeforeTheDamage() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.sample("node-ws.pcap")))
        bytes.removeLast(30)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).pcap")
        try bytes.write(to: url)
        let result = try CLI.run([url.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"Hello from Node\""))
        #expect(result.stderr.hasPrefix("wsinspect: capture truncated at packet 20"))
    }

    // MARK: - Helpers

    /// A copy of a sample without its first `count` packets (classic pcap, little-endian).
    static func withoutFirstPackets(_ count: Int, of name: String) throws -> String {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sample(name))))
        let offset = CorruptedCaptureTests.recordOffsets(bytes)[count]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mid-\(UUID().uuidString).pcap")
        try Data(bytes[0..<24] + bytes[offset...]).write(to: url)
        return url.path
    }

    static func serverPort(_ name: String) throws -> String {
        let result = try CLI.run(["--json", sample(name)])
        let connection = result.stdout.split(separator: "\n").first { $0.contains("\"kind\":\"connection\"") }!
        let object = try JSONSerialization.jsonObject(with: Data(connection.utf8)) as! [String: Any]
        return String((object["server"] as! String).split(separator: ":").last!)
    }
}

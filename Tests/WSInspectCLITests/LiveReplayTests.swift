import Foundation
import Testing

/// `wsinspect live` against captures replayed on lo at full speed (`tcpreplay --topspeed`): it must see every packet
/// and decode exactly the frames an offline read of the same capture finds. Needs root and tcpreplay
/// (scripts/setup.sh installs it). Serialized: every replay uses port 8080.
@Suite(.serialized) struct LiveReplayTests {
    static func generate(size: String, connections: Int) throws -> URL {
        let capture = LiveRun.temporary(".pcap")
        let result = try CLI.runProcess(CaptureGeneratorTests.capgen,
                                        ["--size", size, "--connections", "\(connections)", "--out", capture.path])
        #expect(result.status == 0, "\(result.stderr)")
        return capture
    }

    static func offline(_ capture: URL) throws -> JSONLines {
        let result = try CLI.run([capture.path, "--json", "--max-payload", "16"])
        #expect(result.status == 0, "\(result.stderr)")
        return JSONLines(result.stdout)
    }

    /// 20 MB of WebSocket traffic at full speed: no kernel drop, every packet, the frames of an offline read, and a
    /// `-w` file that decodes to the same frames.
    @Test(.enabled(if: LiveRun.canReplay, "needs root and tcpreplay"), .timeLimit(.minutes(1)))
    func decodesEveryFrameOfAFullSpeedReplay() throws {
        let capture = try Self.generate(size: "20M", connections: 50)
        let written = LiveRun.temporary("-written.pcap")
        defer { for url in [capture, written] { try? FileManager.default.removeItem(at: url) } }
        let expected = try Self.offline(capture)
        #expect(expected.frames.count > 3_000)

        let live = try LiveRun.start(["live", "-i", "lo", "--json", "--max-payload", "16", "-B", "256M", "-w", written.path,
                                      "tcp", "port", "8080"])
        #expect(live.greeting.contains("kernel buffer 256 MiB"), "\(live.greeting)")
        try LiveRun.replay(capture)
        let result = live.interrupt()
        #expect(result.status == 0, "\(result.stderr)")

        let seen = JSONLines(result.stdout)
        #expect(seen.kernelDrops == 0)
        #expect(seen.capture?["packets"] as? Int == expected.capture?["packets"] as? Int)
        #expect(seen.frames.count == expected.frames.count)
        #expect(seen.frameMultiset == expected.frameMultiset)
        #expect(seen.capture?["frames"] as? Int == expected.capture?["frames"] as? Int)

        let reread = try Self.offline(written)
        #expect(reread.frames.count == expected.frames.count)
        #expect(reread.frameMultiset == expected.frameMultiset)
    }

    /// Ctrl-C the moment a burst has been sent: what the kernel already holds (including a block it has not handed
    /// over yet) is decoded, not discarded.
    @Test(.enabled(if: LiveRun.canReplay, "needs root and tcpreplay"), .timeLimit(.minutes(1)))
    func ctrlCRightAfterABurstStillDecodesTheBurst() throws {
        let capture = try Self.generate(size: "2M", connections: 30)
        defer { try? FileManager.default.removeItem(at: capture) }
        let expected = try Self.offline(capture)

        let live = try LiveRun.start(["live", "-i", "lo", "--json", "--max-payload", "16", "tcp", "port", "8080"])
        try LiveRun.replay(capture)
        let result = live.interrupt()
        #expect(result.status == 0, "\(result.stderr)")

        let seen = JSONLines(result.stdout)
        #expect(seen.kernelDrops == 0)
        #expect(seen.frames.count == expected.frames.count)
        #expect(seen.frameMultiset == expected.frameMultiset)
    }

    /// Output is written whenever the analysis has caught up with the capture, not only at the end: the frames of a
    /// burst appear while wsinspect is still listening.
    @Test(.enabled(if: LiveRun.canReplay, "needs root and tcpreplay"), .timeLimit(.minutes(1)))
    func outputAppearsOnceTheAnalysisCatchesUp() throws {
        let capture = try Self.generate(size: "1M", connections: 20)
        defer { try? FileManager.default.removeItem(at: capture) }
        // Frames that the end of the capture cut are reported only when the capture ends.
        let expected = try Self.offline(capture).frames.filter { $0["complete"] as? Bool == true }.count

        let live = try LiveRun.start(["live", "-i", "lo", "--json", "tcp", "port", "8080"])
        try LiveRun.replay(capture)
        let deadline = Date().addingTimeInterval(10)
        var shown = 0
        while shown < expected && Date() < deadline {
            usleep(20_000)
            shown = JSONLines(live.printed).frames.filter { $0["complete"] as? Bool == true }.count
        }
        #expect(live.process.isRunning)
        #expect(shown == expected)
        #expect(live.interrupt().status == 0)
    }

    /// `-c N` on a live capture: N frames, then it stops by itself, after decoding what was already captured.
    @Test(.enabled(if: LiveRun.canReplay, "needs root and tcpreplay"), .timeLimit(.minutes(1)))
    func frameLimitStopsTheCaptureByItself() throws {
        let capture = try Self.generate(size: "1M", connections: 20)
        defer { try? FileManager.default.removeItem(at: capture) }

        let live = try LiveRun.start(["live", "-i", "lo", "--json", "-c", "100", "tcp", "port", "8080"])
        try LiveRun.replay(capture)
        let result = live.finish(within: 10)
        #expect(result.status == 0, "\(result.stderr)")
        let seen = JSONLines(result.stdout)
        #expect(seen.frames.count == 100)
        #expect(seen.capture?["stopped_by_limit"] as? Bool == true)
        #expect(seen.kernelDrops == 0)
    }

    /// `live --keylog` with a key log that is empty when the capture starts and written while it runs (as a browser
    /// writes SSLKEYLOGFILE): the wss sample replayed on lo is decrypted like an offline read with the full log.
    @Test(.enabled(if: LiveRun.canReplay, "needs root and tcpreplay"), .timeLimit(.minutes(1)))
    func aGrowingKeyLogDecryptsALiveWssCapture() throws {
        let sample = CLI.packageRoot.appendingPathComponent("Samples/wss-tls13.pcap")
        let keys = CLI.packageRoot.appendingPathComponent("Samples/wss-tls13.keys")
        let offline = try CLI.run(["--json", "--keylog", keys.path, sample.path])
        let expected = JSONLines(offline.stdout)
        #expect(expected.frames.count == 34)

        let growing = LiveRun.temporary(".keys")
        defer { try? FileManager.default.removeItem(at: growing) }
        try "".write(to: growing, atomically: true, encoding: .utf8)
        let live = try LiveRun.start(["live", "-i", "lo", "--json", "--keylog", growing.path, "tcp", "port", "18400"])
        try String(contentsOf: keys, encoding: .utf8).write(to: growing, atomically: false, encoding: .utf8)
        try LiveRun.replay(sample)
        let result = live.interrupt()
        #expect(result.status == 0, "\(result.stderr)")
        let seen = JSONLines(result.stdout)
        #expect(seen.frames.count == expected.frames.count)
        #expect(seen.frameMultiset == expected.frameMultiset)
    }

    /// `live --html FILE`: the report is written when the capture stops (Ctrl-C), with every frame an offline read
    /// finds, numbered as in the JSON records.
    @Test(.enabled(if: LiveRun.canReplay, "needs root and tcpreplay"), .timeLimit(.minutes(1)))
    func anHTMLReportIsWrittenWhenTheLiveCaptureStops() throws {
        let sample = CLI.packageRoot.appendingPathComponent("Samples/python-echo.pcap")
        let expected = try Self.offline(sample).frames.map { "\($0["stream"] as! Int)/\($0["index"] as! Int)" }
        #expect(expected.count == 16)
        let report = LiveRun.temporary(".html")
        defer { try? FileManager.default.removeItem(at: report) }
        let live = try LiveRun.start(["live", "-i", "lo", "--html", report.path, "tcp", "port", "44821"])
        try LiveRun.replay(sample)
        let early = (try? Data(contentsOf: report)) ?? Data()
        #expect(early.isEmpty, "written before the capture stopped")
        let result = live.interrupt()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wsinspect: HTML report written to \(report.path): 16 frames"))
        let html = try String(contentsOf: report, encoding: .utf8)
        let start = try #require(html.range(of: #"<script type="application/json" id="wsinspect-data">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        var seen: [String] = []
        for connection in data["connections"] as? [[String: Any]] ?? [] {
            for frame in connection["frames"] as? [[Any]] ?? [] { seen.append("\(connection["stream"] as! Int)/\(frame[0] as! Int)") }
        }
        #expect(seen.sorted() == expected.sorted())
        #expect((data["capture"] as? [String])?.first?.contains("16 frames") == true)
    }
}

import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A running `wsinspect live` for tests: started and waited for until it listens; its standard output goes to a
/// file (not a terminal, as in a pipeline), so that a large output never blocks it.
struct LiveRun {
    let process: Process
    let output: URL
    private let errors: Pipe
    /// What it said on standard error while starting.
    let greeting: String

    /// True when this machine can capture on lo and replay captures there.
    static var canReplay: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: tcpreplay.path)
    }

    static let tcpreplay = URL(fileURLWithPath: "/usr/bin/tcpreplay")

    static func temporary(_ suffix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)\(suffix)")
    }

    /// Starts `wsinspect ARGUMENTS` and returns once it says it is listening (or has exited).
    static func start(_ arguments: [String]) throws -> LiveRun {
        let output = temporary(".out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var said = ""
        let deadline = Date().addingTimeInterval(15)
        while !said.contains("Ctrl-C stops") && Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        return LiveRun(process: process, output: output, errors: errors, greeting: said)
    }

    /// Replays a capture at full speed on lo.
    static func replay(_ capture: URL) throws {
        let result = try CLI.runProcess(tcpreplay, ["--topspeed", "-i", "lo", capture.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// What the run printed so far.
    var printed: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits (at most `seconds`) for the process to end on its own; SIGKILL after that.
    func finish(within seconds: TimeInterval = 30) -> (status: Int32, stdout: String, stderr: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            Issue.record("wsinspect did not stop within \(seconds) s")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let stderr = greeting + String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        defer { try? FileManager.default.removeItem(at: output) }
        return (process.terminationStatus, printed, stderr)
    }

    /// Ctrl-C, then `finish`.
    func interrupt() -> (status: Int32, stdout: String, stderr: String) {
        kill(process.processIdentifier, SIGINT)
        return finish()
    }
}

/// JSON Lines output taken apart for comparisons.
struct JSONLines {
    let records: [[String: Any]]

    init(_ text: String) {
        records = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    var frames: [[String: Any]] { records.filter { $0["kind"] as? String == "frame" } }

    /// Every frame as (sender, opcode, payload length, masking key), counted: equal for the same frames in any order.
    var frameMultiset: [String: Int] {
        var counts: [String: Int] = [:]
        for frame in frames {
            let key = "\(frame["from"] ?? "-") \(frame["opcode"] ?? "-") \(frame["payload_length"] ?? "-") \(frame["masking_key"] as? String ?? "-")"
            counts[key, default: 0] += 1
        }
        return counts
    }

    /// The `capture` record (the totals, last).
    var capture: [String: Any]? { records.last { $0["kind"] as? String == "capture" } }

    var kernelDrops: Int? { (capture?["dropped"] as? [String: Any])?["kernel"] as? Int }
}

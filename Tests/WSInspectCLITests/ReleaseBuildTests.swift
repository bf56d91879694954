import Foundation
import Testing

/// Release builds use unsafe optimisation flags (`-assume-single-threaded`, unchecked exclusivity, cross-module
/// optimisation; Package.swift) that debug builds and the rest of the tests do not: a race or an exclusivity violation
/// they hide would show only there. This runs the release binary that `make test` builds on samples and generated
/// captures (lossy, permessage-deflate) in every output mode and requires its output to be the debug build's, byte for
/// byte.
@Suite struct ReleaseBuildTests {
    static var release: URL { CLI.packageRoot.appendingPathComponent(".build/release/wsinspect") }
    static var releaseExists: Bool { FileManager.default.isExecutableFile(atPath: release.path) }

    @Test(.enabled(if: releaseExists, "no release build (make test builds one)"), .timeLimit(.minutes(5)))
    func releaseOutputIsTheDebugOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("release-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var captures = ["python-echo.pcap", "python-deflate.pcap", "fragments-deflate.pcap", "concurrent.pcap", "node-ws.pcap"]
            .map { CLI.packageRoot.appendingPathComponent("Samples/\($0)").path }
        for (name, extra) in [("lossy", ["--drop-fraction", "0.1", "--drop-seed", "3"]), ("deflate", ["--deflate"])] {
            let path = directory.appendingPathComponent("\(name).pcap").path
            let made = try CLI.runProcess(CaptureGeneratorTests.capgen, ["--size", "3M", "--connections", "30", "--out", path] + extra)
            #expect(made.status == 0, "\(made.stderr)")
            captures.append(path)
        }
        let modes: [[String]] = [["--json"], ["--json", "-v"], ["-v"], ["--messages"], ["--summary"], ["--max-payload", "9"]]
        for capture in captures {
            for mode in modes {
                let debug = try CLI.run(mode + [capture], timeout: 120)
                let optimised = try CLI.runProcess(Self.release, mode + [capture], timeout: 120)
                #expect(debug.status == optimised.status, "\(capture) \(mode)")
                // Compared outside #expect: on a mismatch it would diff hundreds of kilobytes byte by byte.
                let same = debug.stdoutBytes == optimised.stdoutBytes
                #expect(same, "release output differs: \(capture) \(mode) (\(debug.stdoutBytes.count) vs \(optimised.stdoutBytes.count) bytes)")
            }
        }
        let pasted = ["frame", "--deflate", "--json", "41", "03", "f2", "48", "cd", "80", "04", "c9", "c9", "07", "00"]
        #expect(try CLI.run(pasted).stdoutBytes == CLI.runProcess(Self.release, pasted).stdoutBytes)
    }
}

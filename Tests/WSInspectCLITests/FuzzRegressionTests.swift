import Foundation
import Testing

/// Replays, through the fuzzing harnesses built without libFuzzer, every input that once crashed one of them
/// (Fuzz/regressions/HARNESS/) and every sample capture (as a smoke test of each harness).
@Suite struct FuzzRegressionTests {
    static let harnesses = ["frame", "hex", "http", "extensions", "inflate", "pipeline", "boundary", "walk",
                            "json", "socketio", "stomp", "mqtt", "graphql", "views"]

    static var replayer: URL { CLI.binary.deletingLastPathComponent().appendingPathComponent("wsinspect-fuzz") }

    @Test(arguments: harnesses)
    func savedInputsAndSamplesReplayCleanly(harness: String) throws {
        let root = CLI.packageRoot
        var inputs: [String] = []
        let saved = root.appendingPathComponent("Fuzz/regressions/\(harness)")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: saved.path)) ?? [] where !name.hasPrefix(".") {
            inputs.append(saved.appendingPathComponent(name).path)
        }
        let samples = root.appendingPathComponent("Samples")
        for name in try FileManager.default.contentsOfDirectory(atPath: samples.path)
        where name.hasSuffix(".pcap") || name.hasSuffix(".pcapng") {
            inputs.append(samples.appendingPathComponent(name).path)
        }
        let result = try CLI.runProcess(Self.replayer, [harness] + inputs, timeout: 120)
        #expect(result.status == 0, "\(harness): \(result.stderr.prefix(500))")
    }
}

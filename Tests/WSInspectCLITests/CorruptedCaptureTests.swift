import Foundation
import Testing
import WSTestSupport

/// Damaged variants of every sample, each run through the real binary under a time and memory limit: truncation at
/// every record boundary and inside every record, bit flips, shuffled, dropped and duplicated records, garbage
/// appended. Zero crashes, zero hangs; a cut inside a record still shows everything before it and names the packet.
@Suite struct CorruptedCaptureTests {
    /// Where each record starts (classic pcap: 24-byte file header, 16-byte record headers; pcapng: blocks).
    static func recordOffsets(_ bytes: [UInt8]) -> [Int] {
        func u32(_ at: Int, big: Bool) -> Int {
            let b = bytes[at..<at + 4].map(Int.init)
            return big ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
        }
        var offsets: [Int] = []
        if bytes.starts(with: [0x0A, 0x0D, 0x0D, 0x0A]) {
            let big = bytes[8] == 0x1A
            var at = 0
            while at + 12 <= bytes.count {
                offsets.append(at)
                let length = u32(at + 4, big: big)
                guard length >= 12 else { break }
                at += length
            }
        } else {
            let big = bytes[0] == 0xA1
            var at = 24
            while at + 16 <= bytes.count {
                offsets.append(at)
                at += 16 + u32(at + 8, big: big)
            }
        }
        return offsets
    }

    struct Variant: Sendable {
        let name: String
        let bytes: [UInt8]
        /// For a cut inside record `packet` (1-based), the clean cut before it, whose frames must all still be shown.
        var cleanPrefix: [UInt8]? = nil
        var packet: Int? = nil
    }

    static func variants(of sample: String) throws -> [Variant] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sample)))
        let offsets = recordOffsets(bytes)
        let pcapng = bytes.starts(with: [0x0A, 0x0D, 0x0D, 0x0A])
        var out: [Variant] = []
        // Truncations: at every boundary, 5 bytes into a record header, and in the middle of a record's data.
        for (index, start) in offsets.enumerated() {
            let end = index + 1 < offsets.count ? offsets[index + 1] : bytes.count
            out.append(Variant(name: "cut at record \(index + 1)", bytes: Array(bytes[..<start])))
            for inside in Set([start + 5, (start + end) / 2]) where inside < end {
                // pcapng: the first records are the section and interface blocks, not packets.
                out.append(Variant(name: "cut inside record \(index + 1) at byte \(inside)", bytes: Array(bytes[..<inside]),
                                   cleanPrefix: pcapng ? nil : Array(bytes[..<start]), packet: pcapng ? nil : index + 1))
            }
        }
        // Seeded from the sample's name, so that a failing variant can be made again.
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: sample.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
        for round in 0..<20 {
            var flipped = bytes
            for _ in 0..<(1 + round % 10) {
                let bit = Int.random(in: 0..<(bytes.count * 8), using: &random)
                flipped[bit / 8] ^= 1 << (bit % 8)
            }
            out.append(Variant(name: "bit flips round \(round)", bytes: flipped))
        }
        if !pcapng && offsets.count > 2 {
            let header = Array(bytes[..<24])
            let records = offsets.indices.map { i in Array(bytes[offsets[i]..<(i + 1 < offsets.count ? offsets[i + 1] : bytes.count)]) }
            out.append(Variant(name: "shuffled", bytes: header + records.shuffled(using: &random).flatMap { $0 }))
            out.append(Variant(name: "reversed", bytes: header + records.reversed().flatMap { $0 }))
            out.append(Variant(name: "every third dropped", bytes: header + records.enumerated().filter { $0.offset % 3 != 1 }.flatMap { $0.element }))
            out.append(Variant(name: "every record twice", bytes: header + records.flatMap { $0 + $0 }))
        }
        out.append(Variant(name: "garbage appended", bytes: bytes + (0..<100).map { _ in UInt8.random(in: 0...255, using: &random) }))
        out.append(Variant(name: "garbage header", bytes: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) } + bytes))
        return out
    }

    /// Runs the binary on bytes with a 20-second limit and a 2 GiB address-space limit.
    static func run(_ bytes: [UInt8], arguments: [String], in directory: URL) throws -> CLI.Result {
        let file = directory.appendingPathComponent("variant-\(UUID().uuidString).pcap")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let command = "ulimit -v 2097152; exec \"$0\" \"$@\""
        return try CLI.runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", command, CLI.binary.path, file.path] + arguments,
                                  timeout: 20)
    }

    static var samples: [String] {
        let directory = CLI.packageRoot.appendingPathComponent("Samples")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
            .map { directory.appendingPathComponent($0).path }
    }

    @Test(arguments: samples)
    func damagedVariantsNeverCrashOrHang(sample: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let variants = try Self.variants(of: sample)
        let name = URL(fileURLWithPath: sample).lastPathComponent
        nonisolated(unsafe) var problems: [String] = []
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: variants.count) { i in
            let variant = variants[i]
            let mode = i % 2 == 0 ? ["--json"] : ["-v", "--color", "never"]
            var problem: String?
            do {
                let result = try Self.run(variant.bytes, arguments: mode, in: directory)
                if ![0, 1, 2].contains(result.status) {
                    problem = "exit \(result.status) (crash or signal)"
                } else if result.status != 0 && result.stderr.split(separator: "\n").count != 1 {
                    problem = "exit \(result.status) without a one-line error: \(result.stderr.prefix(200))"
                } else if let packet = variant.packet, let prefix = variant.cleanPrefix, mode == ["--json"] {
                    // A cut inside a record: everything before it, then the damage named.
                    let clean = try Self.run(prefix, arguments: mode, in: directory)
                    // The two runs read differently named files: compare frames without their `file` key.
                    let frames = { (text: String) in
                        text.split(separator: "\n").filter { $0.contains("\"kind\":\"frame\"") }.map {
                            $0.replacingOccurrences(of: #""file":"[^"]*","#, with: "", options: .regularExpression)
                        }
                    }
                    if result.status != 1 || !result.stderr.contains("capture truncated at packet \(packet)") {
                        problem = "cut not reported: exit \(result.status), \(result.stderr)"
                    } else if frames(result.stdout) != frames(clean.stdout) {
                        problem = "frames before the damage differ from the clean cut"
                    }
                }
            } catch {
                problem = "\(error)"   // timed out
            }
            if let problem {
                // Kept for reproduction: $TMPDIR/wsinspect-damaged-failures/SAMPLE-VARIANT.pcap
                let failures = FileManager.default.temporaryDirectory.appendingPathComponent("wsinspect-damaged-failures")
                try? FileManager.default.createDirectory(at: failures, withIntermediateDirectories: true)
                try? Data(variant.bytes).write(to: failures.appendingPathComponent("\(name)-\(variant.name.replacingOccurrences(of: " ", with: "-")).pcap"))
                lock.lock()
                problems.append("\(name), \(variant.name) \(mode): \(problem)")
                lock.unlock()
            }
        }
        #expect(problems.isEmpty, "\(problems.count) of \(variants.count) variants:\n\(problems.prefix(10).joined(separator: "\n"))")
    }
}

import Foundation

/// The generator's command line.
///
///   wsinspect-capgen --size 100M --out FILE [--connections N] [--seed N] [--deflate] [--payloads FILE]
///                    [--drop-fraction F --drop-seed N] [--truth FILE]
///   wsinspect-capgen score TRUTH OUTPUT   (OUTPUT: `wsinspect --json --max-payload 16` of the capture)
struct GeneratorOptions {
    var size: UInt64 = 100 << 20
    var out = "capture.pcap"
    var connections = 200
    var seed: UInt64 = 1
    var deflate = false
    var payloads: String?
    /// Fraction of packets (0-1) left out of the file, chosen by `dropSeed` independently of the traffic.
    var dropFraction = 0.0
    var dropSeed: UInt64 = 1
    /// Where to write what was sent: every frame with its place in its direction's stream and whether it survived.
    var truth: String?

    static let usage = """
        usage: wsinspect-capgen --size 100M --out FILE [--connections N] [--seed N] [--deflate] [--payloads FILE]
                                [--drop-fraction F] [--drop-seed N] [--truth FILE]
               wsinspect-capgen score TRUTH.jsonl OUTPUT.jsonl
        """

    init(_ arguments: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--size": size = GeneratorOptions.parseSize(value())
            case "--out": out = value()
            case "--connections": connections = Int(value()) ?? 200
            case "--seed": seed = UInt64(value()) ?? 1
            case "--deflate": deflate = true
            case "--payloads": payloads = value()
            case "--drop-fraction":
                let text = value()
                guard let fraction = Double(text), fraction >= 0, fraction < 1 else { fail("--drop-fraction must be in [0, 1): \(text)") }
                dropFraction = fraction
            case "--drop-seed": dropSeed = UInt64(value()) ?? 1
            case "--truth": truth = value()
            case "--help", "-h":
                print(Self.usage)
                exit(0)
            default: fail("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }

    static func parseSize(_ text: String) -> UInt64 {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.uppercased().last, let unit = units[last], let n = UInt64(text.dropLast()) { return n * unit }
        return UInt64(text) ?? { fail("bad size \(text)") }()
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("wsinspect-capgen: \(message)\n".utf8))
    exit(2)
}

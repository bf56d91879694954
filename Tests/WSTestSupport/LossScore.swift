import Foundation

/// Scores wsinspect's JSON Lines output (`--json --max-payload 16`) of a generated capture against the generator's
/// truth file (`wsinspect-capgen --truth`): which frames whose bytes all survived were decoded exactly, which output
/// frames were invented, how many error-level diagnostics accuse the (valid) peers, and whether every line is strict
/// UTF-8 JSON. Used by the lossy-capture tests and `Benchmarks/lossy.sh`.
public struct LossScore: Sendable {
    /// Truth frames whose bytes were all in the file.
    public private(set) var surviving = 0
    /// Surviving frames that the output has at their offset with the same header and payload, complete.
    public private(set) var exact = 0
    /// Output frames that are not frames of the traffic (no frame there, another header, or other payload bytes).
    public private(set) var invented = 0
    /// Output frames that are real frames at their right place but marked incomplete (a gap cut them).
    public private(set) var incomplete = 0
    /// Frames in the output.
    public private(set) var outputFrames = 0
    /// Error-level diagnostics anywhere in the output (the generated traffic breaks no rule).
    public private(set) var errors = 0
    public private(set) var warnings = 0
    /// Lines that are not strict UTF-8 or not a JSON object.
    public private(set) var invalidLines = 0
    /// Error and warning diagnostics by rule id.
    public private(set) var rules: [String: Int] = [:]
    /// Connection summaries whose byte accounting does not add up (`http + frames + skipped + gaps != stream`).
    public private(set) var unbalancedSummaries = 0
    /// Up to ten invented frames, for diagnosis.
    public private(set) var inventedExamples: [String] = []

    struct Expected {
        let headerLength: Int
        let payloadLength: Int
        let opcode: Int
        let fin: Bool
        let rsv: Int
        let key: String?
        let head: String
        let survived: Bool
    }

    struct Direction: Hashable {
        let client: String
        let from: String
    }

    public init(truth: String, output: Data) throws {
        var frames: [Direction: [UInt64: Expected]] = [:]
        var bases: [Direction: UInt64] = [:]
        // A connection's line comes before its frames' lines.
        var truthClients: [Int: String] = [:]
        for line in truth.split(separator: "\n") {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            switch record["kind"] as? String {
            case "connection":
                let client = record["client"] as! String
                truthClients[record["id"] as! Int] = client
                let base = record["base"] as! [String: Any]
                for side in ["client", "server"] {
                    if let value = base[side] as? NSNumber { bases[Direction(client: client, from: side)] = value.uint64Value }
                }
            case "frame":
                guard let client = truthClients[record["id"] as! Int] else { throw CocoaError(.coderReadCorrupt) }
                let expected = Expected(
                    headerLength: record["header_length"] as! Int, payloadLength: record["payload_length"] as! Int,
                    opcode: record["opcode"] as! Int, fin: record["fin"] as! Bool, rsv: record["rsv"] as! Int,
                    key: record["masking_key"] as? String, head: record["head_hex"] as! String,
                    survived: record["survived"] as! Bool)
                if expected.survived { surviving += 1 }
                frames[Direction(client: client, from: record["from"] as! String), default: [:]][(record["offset"] as! NSNumber).uint64Value] = expected
            default:
                break
            }
        }

        var clients: [Int: String] = [:]
        var matched: Set<String> = []
        for line in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard String(validating: line, as: UTF8.self) != nil,
                  let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                invalidLines += 1
                continue
            }
            count(record["diagnostics"] as? [[String: Any]] ?? [])
            if record["kind"] as? String == "diagnostic" { count([record]) }
            switch record["kind"] as? String {
            case "connection":
                clients[record["stream"] as! Int] = record["client"] as? String
            case "summary":
                for case let direction as [String: Any] in (record["directions"] as? [String: Any] ?? [:]).values {
                    let parts = ["http_bytes", "frame_bytes", "skipped_bytes", "gap_bytes"].map { (direction[$0] as? NSNumber)?.uint64Value ?? 0 }
                    if parts.reduce(0, +) != (direction["stream_bytes"] as? NSNumber)?.uint64Value { unbalancedSummaries += 1 }
                }
            case "frame":
                outputFrames += 1
                let stream = record["stream"] as! Int
                let from = record["from"] as! String
                let offset = (record["offset"] as! NSNumber).uint64Value
                guard let client = clients[stream] else { invent(record, "no connection record"); continue }
                let direction = Direction(client: client, from: from)
                guard let base = bases[direction], let expected = frames[direction]?[offset + base] else {
                    invent(record, "no frame at this offset"); continue
                }
                let rsv = ((record["rsv1"] as! Bool) ? 4 : 0) | ((record["rsv2"] as! Bool) ? 2 : 0) | ((record["rsv3"] as! Bool) ? 1 : 0)
                guard record["opcode"] as! Int == expected.opcode, record["fin"] as! Bool == expected.fin, rsv == expected.rsv,
                      record["masking_key"] as? String == expected.key,
                      (record["payload_length"] as! NSNumber).intValue == expected.payloadLength else {
                    invent(record, "another header"); continue
                }
                let identity = "\(client)/\(from)/\(offset + base)"
                guard !matched.contains(identity) else { invent(record, "reported twice"); continue }
                matched.insert(identity)
                if record["complete"] as? Bool == true {
                    let hex = record["payload_hex"] as? String ?? ""
                    if expected.survived && expected.head.hasPrefix(hex) && hex.count == min(expected.head.count, 32) {
                        exact += 1
                    } else {
                        invent(record, "payload differs")
                    }
                } else {
                    incomplete += 1
                }
            default:
                break
            }
        }
    }

    private mutating func count(_ diagnostics: [[String: Any]]) {
        for diagnostic in diagnostics {
            switch diagnostic["severity"] as? String {
            case "error": errors += 1
            case "warning": warnings += 1
            default: continue
            }
            rules[diagnostic["rule"] as? String ?? "?", default: 0] += 1
        }
    }

    private mutating func invent(_ record: [String: Any], _ why: String) {
        invented += 1
        if inventedExamples.count < 10 {
            inventedExamples.append("stream \(record["stream"] ?? "?") \(record["from"] ?? "?") offset \(record["offset"] ?? "?") opcode \(record["opcode"] ?? "?") length \(record["payload_length"] ?? "?"): \(why)")
        }
    }

    /// Share of surviving frames decoded exactly.
    public var exactFraction: Double { surviving == 0 ? 1 : Double(exact) / Double(surviving) }
    public var inventedFraction: Double { surviving == 0 ? 0 : Double(invented) / Double(surviving) }
    public var errorFraction: Double { surviving == 0 ? 0 : Double(errors) / Double(surviving) }

    /// A few lines for people.
    public var report: String {
        func percent(_ value: Double) -> String { String(format: "%.3f %%", value * 100) }
        var lines = [
            "surviving frames      \(surviving)",
            "decoded exactly       \(exact) (\(percent(exactFraction)))",
            "invented frames       \(invented) (\(percent(inventedFraction)) of surviving)",
            "error diagnostics     \(errors) (\(percent(errorFraction)) of surviving)",
            "warnings              \(warnings)",
            "incomplete frames     \(incomplete)",
            "output frames         \(outputFrames)",
            "invalid output lines  \(invalidLines)",
            "unbalanced summaries  \(unbalancedSummaries)",
        ]
        let top = rules.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }
        if !top.isEmpty { lines.append("rules                 " + top.joined(separator: ", ")) }
        for example in inventedExamples { lines.append("invented: " + example) }
        return lines.joined(separator: "\n")
    }
}

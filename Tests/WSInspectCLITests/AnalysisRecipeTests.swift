import Foundation
import Testing

/// Docs/analysis.md's recipes, run exactly as the doc prints them: each is the fenced block after a
/// `<!-- recipe: NAME -->` line, read from the doc itself, so the doc and the test cannot drift. The input is made by
/// the doc's own `input` recipe (every `Samples/*.pcap` through the built wsinspect, in a scratch directory that links
/// `Samples`); the DuckDB recipes run through `python3` with the `duckdb` package, the jq ones through bash. Every
/// result is compared with the same answer computed here from the JSON records, and where wsinspect keeps its own
/// count (a summary's `diagnostics` and `ping_rtt_ms`, a capture's `frames`) or the peers logged the truth
/// (Samples/*.log.jsonl), with that too.
///
/// scripts/setup.sh installs jq and the duckdb package. Without them the tests are skipped on a developer's machine,
/// never under CI (`CI` set), where a missing tool fails them.
@Suite struct AnalysisRecipeTests {
    static let doc = CLI.packageRoot.appendingPathComponent("Docs/analysis.md")
    static let queries = ["connections-by-bytes", "close-codes", "message-sizes", "rules-by-count", "ping-rtt"]
    static let views = ["duckdb-view", "duckdb-view-auto"]
    static let jqRecipes = ["jq-frames-by-opcode", "jq-close-frames", "jq-messages", "jq-rules"]

    // MARK: tools

    static let inCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "false" && value != "0"
    }()

    static func succeeds(_ arguments: [String]) -> Bool {
        (try? CLI.runProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 60).status) == 0
    }

    static let runDuckDB = inCI || succeeds(["python3", "-c", "import duckdb"])
    static let runJQ = inCI || succeeds(["jq", "--version"])

    // MARK: the recipes

    struct Recipe {
        let language: String
        let body: String
    }

    /// Every recipe of the doc by name: the fenced block after its marker line (blank lines between are allowed).
    static func recipes() throws -> [String: Recipe] {
        let lines = try String(contentsOf: doc, encoding: .utf8).components(separatedBy: "\n")
        let marker = try NSRegularExpression(pattern: #"^<!-- recipe: ([a-z0-9-]+) -->$"#)
        var recipes: [String: Recipe] = [:]
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let match = marker.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let range = Range(match.range(at: 1), in: line) else { continue }
            let name = String(line[range])
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
            guard index < lines.count, lines[index].hasPrefix("```") else {
                Issue.record("recipe \(name): no fenced block after its marker")
                continue
            }
            let language = String(lines[index].dropFirst(3))
            index += 1
            var body: [String] = []
            while index < lines.count, !lines[index].hasPrefix("```") {
                body.append(lines[index])
                index += 1
            }
            #expect(recipes[name] == nil, "recipe \(name) appears twice")
            recipes[name] = Recipe(language: language, body: body.joined(separator: "\n") + "\n")
        }
        return recipes
    }

    static func recipe(_ name: String) throws -> Recipe {
        try #require(try recipes()[name], "Docs/analysis.md has no recipe \(name)")
    }

    // MARK: the input

    struct Fixture: Sendable {
        let directory: URL
        let lines: [String]

        var records: [[String: Any]] {
            lines.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
        }
    }

    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wsinspect-analysis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func fixture(in directory: URL) throws -> Fixture {
        let text = try String(contentsOf: directory.appendingPathComponent("all.jsonl"), encoding: .utf8)
        return Fixture(directory: directory, lines: text.split(separator: "\n").map(String.init))
    }

    /// all.jsonl written by the doc's `input` recipe, run by bash in a scratch directory where `Samples` links to
    /// the package's samples (so `file` is `Samples/NAME.pcap`, as in the doc) and the built wsinspect is on PATH.
    static let samples: Result<Fixture, any Error> = Result {
        let directory = try scratchDirectory()
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("Samples"),
                                                   withDestinationURL: CLI.packageRoot.appendingPathComponent("Samples"))
        let input = try recipe("input")
        let bin = CLI.binary.deletingLastPathComponent().path
        let result = try CLI.runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", input.body],
                                        environment: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")],
                                        directory: directory, timeout: 300)
        guard result.status == 0 else { throw RecipeError.failed("input", result.stderr) }
        return try fixture(in: directory)
    }

    /// One capture without a finding and without `diagnostic` records: Samples/python-echo.pcap alone, less its one
    /// finding (the `cleartext-websocket` note every plain ws connection gets: its record and its counts).
    static let clean: Result<Fixture, any Error> = Result {
        let directory = try scratchDirectory()
        let result = try CLI.run(["--json", "Samples/python-echo.pcap"], directory: CLI.packageRoot)
        guard result.status == 0 else { throw RecipeError.failed("wsinspect", result.stderr) }
        let lines = result.stdout.split(separator: "\n").filter { !$0.contains("\"kind\":\"diagnostic\"") }.map {
            $0.replacingOccurrences(of: "\"diagnostics\":{\"cleartext-websocket\":1}", with: "\"diagnostics\":{}")
                .replacingOccurrences(of: "\"diagnostics\":{\"error\":0,\"warning\":0,\"note\":1}",
                                      with: "\"diagnostics\":{\"error\":0,\"warning\":0,\"note\":0}")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("all.jsonl"))
        return try fixture(in: directory)
    }

    enum RecipeError: Error { case failed(String, String) }

    // MARK: running

    /// A cell of a result, compared with a tolerance when it is a number with a fraction.
    enum Cell: Equatable, CustomStringConvertible {
        case null, int(Int), double(Double), string(String)

        init(_ value: Any?) {
            switch value {
            case nil, is NSNull: self = .null
            case let string as String: self = .string(string)
            case let int as Int: self = .int(int)
            case let double as Double: self = .double(double)
            default: self = .string("\(value!)")
            }
        }

        var double: Double? {
            switch self {
            case .int(let value): Double(value)
            case .double(let value): value
            default: nil
            }
        }

        static func == (a: Cell, b: Cell) -> Bool {
            switch (a, b) {
            case (.null, .null): return true
            case (.string(let x), .string(let y)): return x == y
            case (.int(let x), .int(let y)): return x == y
            default:
                guard let x = a.double, let y = b.double else { return false }
                return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
            }
        }

        var description: String {
            switch self {
            case .null: "NULL"
            case .int(let value): "\(value)"
            case .double(let value): "\(value)"
            case .string(let value): "\"\(value)\""
            }
        }
    }

    struct Table {
        let columns: [String]
        let rows: [[Cell]]
    }

    /// Runs the view recipe and then the query recipe in one DuckDB connection, in the fixture's directory (the
    /// recipes read `all.jsonl`), and returns the query's result.
    static func duckdb(_ view: String, _ query: String, in fixture: Fixture) throws -> Table {
        let sql = try recipe(view).body + recipe(query).body
        let script = """
            import duckdb, json, sys
            rel = duckdb.connect().execute(sys.stdin.read())
            print(json.dumps({"columns": [d[0] for d in rel.description], "rows": rel.fetchall()}, default=str))
            """
        let result = try CLI.runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script], stdin: sql,
                                        directory: fixture.directory, timeout: 120)
        guard result.status == 0 else { throw RecipeError.failed("\(view) + \(query)", result.stderr) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let columns = try #require(object["columns"] as? [String])
        let rows = try #require(object["rows"] as? [[Any]])
        return Table(columns: columns, rows: rows.map { $0.map(Cell.init) })
    }

    /// Runs a jq recipe with bash in the fixture's directory and returns what it printed.
    static func shell(_ name: String, in fixture: Fixture) throws -> String {
        let recipe = try recipe(name)
        #expect(recipe.language == "sh")
        let result = try CLI.runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", recipe.body], directory: fixture.directory)
        guard result.status == 0 else { throw RecipeError.failed(name, result.stderr) }
        return result.stdout
    }

    /// jq's `{"name": count, …}`.
    static func counts(_ output: String) throws -> [String: Int] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        return object.compactMapValues { $0 as? Int }
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    // MARK: reading records

    static func kind(_ records: [[String: Any]], _ kind: String) -> [[String: Any]] {
        records.filter { $0["kind"] as? String == kind }
    }

    /// The value at a path of keys (`nil` when a key is missing or a value is not an object on the way).
    static func value(_ record: [String: Any], _ path: String...) -> Any? {
        var current: Any? = record
        for key in path { current = (current as? [String: Any])?[key] }
        return current is NSNull ? nil : current
    }

    /// Every finding: the `diagnostics` arrays, and the `diagnostic` records.
    static func findings(_ records: [[String: Any]]) -> [(rule: String, severity: String)] {
        records.flatMap { record -> [(rule: String, severity: String)] in
            if record["kind"] as? String == "diagnostic" {
                return [(record["rule"] as? String ?? "?", record["severity"] as? String ?? "?")]
            }
            return (record["diagnostics"] as? [[String: Any]] ?? []).map { ($0["rule"] as? String ?? "?", $0["severity"] as? String ?? "?") }
        }
    }

    /// Each ping frame's round trip in ms: the first later pong (by `index`) of the same connection, from the other
    /// side, with the same payload — computed here, without SQL.
    static func roundTrips(_ records: [[String: Any]]) -> [Double] {
        let frames = kind(records, "frame")
        let pongs = frames.filter { $0["opcode_name"] as? String == "pong" }
        return frames.filter { $0["opcode_name"] as? String == "ping" }.compactMap { ping in
            let times = pongs.filter {
                $0["file"] as? String == ping["file"] as? String && $0["stream"] as? Int == ping["stream"] as? Int
                    && $0["from"] as? String != ping["from"] as? String && $0["payload_hex"] as? String == ping["payload_hex"] as? String
                    && ($0["index"] as? Int ?? -1) > (ping["index"] as? Int ?? 0)
            }.compactMap { $0["ts"] as? Double }
            guard let pong = times.min(), let sent = ping["ts"] as? Double else { return nil }
            return (pong - sent) * 1000
        }
    }

    /// `percentile_cont`: linear interpolation between the two nearest ranks.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// NULLs after every value, as the recipes' `NULLS LAST`.
    static func before<T: Comparable>(_ a: T?, _ b: T?) -> Bool? {
        switch (a, b) {
        case (nil, nil): return nil
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?): return x == y ? nil : x < y
        }
    }

    // MARK: each query's answer

    /// Checks one DuckDB query's result against the answer computed from the records.
    static func check(_ query: String, _ table: Table, _ records: [[String: Any]]) {
        switch query {
        case "connections-by-bytes":
            #expect(table.columns == ["file", "stream", "client", "server", "bytes", "payload_bytes"])
            let rows = kind(records, "summary").map { s -> [Cell] in
                let bytes = (value(s, "directions", "client", "stream_bytes") as? Int ?? 0) + (value(s, "directions", "server", "stream_bytes") as? Int ?? 0)
                let payload = (value(s, "directions", "client", "payload_bytes") as? Int ?? 0) + (value(s, "directions", "server", "payload_bytes") as? Int ?? 0)
                return [Cell(s["file"]), Cell(s["stream"]), Cell(s["client"]), Cell(s["server"]), .int(bytes), .int(payload)]
            }.sorted { a, b in
                if a[4].double != b[4].double { return a[4].double! > b[4].double! }
                if case .string(let x) = a[0], case .string(let y) = b[0], x != y { return x < y }
                return a[1].double! < b[1].double!
            }
            #expect(table.rows == Array(rows.prefix(10)), "\(table.rows)")

        case "close-codes":
            #expect(table.columns == ["first_by", "code", "answer_code", "connections"])
            struct Close: Hashable { let firstBy: String?, code: Int?, answer: Int? }
            var counts: [Close: Int] = [:]
            for s in kind(records, "summary") {
                counts[Close(firstBy: value(s, "close", "first_by") as? String, code: value(s, "close", "code") as? Int,
                             answer: value(s, "close", "answer_code") as? Int), default: 0] += 1
            }
            let rows = counts.sorted { a, b in
                if a.value != b.value { return a.value > b.value }
                return before(a.key.code, b.key.code) ?? before(a.key.answer, b.key.answer) ?? before(a.key.firstBy, b.key.firstBy) ?? false
            }.map { [Cell($0.key.firstBy), Cell($0.key.code), Cell($0.key.answer), .int($0.value)] }
            #expect(table.rows == rows, "\(table.rows)")

        case "message-sizes":
            #expect(table.columns == ["from_bytes", "to_bytes", "messages"])
            var counts: [Int: Int] = [:]
            for m in kind(records, "message") {
                let length = m["length"] as? Int ?? -1
                counts[length == 0 ? 0 : 1 << (Int.bitWidth - 1 - length.leadingZeroBitCount), default: 0] += 1
            }
            let rows = counts.keys.sorted().map { [Cell.int($0), .int(max(2 * $0 - 1, 0)), .int(counts[$0]!)] }
            #expect(table.rows == rows, "\(table.rows)")
            #expect(rows.reduce(0) { $0 + ($1[2].double.map(Int.init) ?? 0) } == kind(records, "message").count)

        case "rules-by-count":
            #expect(table.columns == ["rule", "severity", "findings"])
            var counts: [[String]: Int] = [:]
            for finding in findings(records) { counts[[finding.rule, finding.severity], default: 0] += 1 }
            let rows = counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key.lexicographicallyPrecedes(b.key) }
                .map { [Cell.string($0.key[0]), .string($0.key[1]), .int($0.value)] }
            #expect(table.rows == rows, "\(table.rows)")
            // wsinspect's own count: each summary counts its connection's findings by rule; capture-level findings
            // (stream null) are only in `diagnostic` records.
            var own: [String: Int] = [:]
            for s in kind(records, "summary") {
                for (rule, count) in s["diagnostics"] as? [String: Any] ?? [:] { own[rule, default: 0] += count as? Int ?? 0 }
            }
            for d in kind(records, "diagnostic") where d["stream"] is NSNull { own[d["rule"] as? String ?? "?", default: 0] += 1 }
            var recipe: [String: Int] = [:]
            for row in table.rows { if case .string(let rule) = row[0] { recipe[rule, default: 0] += Int(row[2].double ?? 0) } }
            #expect(recipe == own, "the recipe's counts differ from the summaries' diagnostics")

        case "ping-rtt":
            #expect(table.columns == ["pings", "p50_ms", "p90_ms", "p99_ms", "max_ms"])
            let rtt = roundTrips(records).sorted()
            guard let row = table.rows.first, table.rows.count == 1 else {
                Issue.record("ping-rtt: one row expected, got \(table.rows)")
                return
            }
            if rtt.isEmpty {
                #expect(row == [.int(0), .null, .null, .null, .null])
            } else {
                #expect(row == [.int(rtt.count), .double(percentile(rtt, 0.5)), .double(percentile(rtt, 0.9)),
                                .double(percentile(rtt, 0.99)), .double(rtt.last!)], "\(row)")
            }
            // wsinspect's own measurement: each side's answered pings, `ping_rtt_ms` rounded to 3 decimals.
            let own = kind(records, "summary").flatMap { s in ["client", "server"].compactMap { value(s, "directions", $0, "ping_rtt_ms") as? [String: Any] } }
            #expect(row[0] == .int(own.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }), "pings answered, by the summaries")
            if let ownMax = own.compactMap({ $0["max"] as? Double }).max(), let max = row[4].double {
                #expect(abs(max - ownMax) <= 0.0005 + 1e-9, "max \(max) ms, the summaries say \(ownMax) ms")
            }

        default:
            Issue.record("no check for \(query)")
        }
    }

    // MARK: tests

    @Test func everyRecipeInTheDocIsRunAndChecked() throws {
        let recipes = try Self.recipes()
        #expect(Set(recipes.keys) == Set(["input", "spark-view"] + Self.views + Self.queries + Self.jqRecipes))
        for name in Self.views + Self.queries { #expect(recipes[name]?.language == "sql", "\(name)") }
        for name in ["input"] + Self.jqRecipes { #expect(recipes[name]?.language == "sh", "\(name)") }
        for name in Self.views { #expect(recipes[name]?.body.contains("'all.jsonl'") == true, "\(name) reads all.jsonl") }
    }

    @Test func theInputRecipeWritesEveryCaptureWithItsFileName() throws {
        let records = try Self.samples.get().records
        let pcaps = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("Samples").path)
            .filter { $0.hasSuffix(".pcap") }.map { "Samples/" + $0 }.sorted()
        #expect(Self.kind(records, "capture").compactMap { $0["file"] as? String }.sorted() == pcaps)
        // The doc says every record carries `file` right after `kind`, and a connection's records their `stream`.
        let missing = records.filter { !($0["file"] is String) || ($0["kind"] as? String != "capture" && $0["stream"] == nil) }
        #expect(missing.isEmpty, "records without file or stream: \(missing.prefix(3))")
        #expect(try Self.samples.get().lines.allSatisfy { $0.range(of: #"^\{"kind":"[a-z-]+","file":"Samples/"#, options: .regularExpression) != nil })
    }

    @Test(.enabled(if: runDuckDB, "needs python3 with the duckdb package (scripts/setup.sh)"), arguments: queries, views)
    func duckdbRecipeOnTheSamples(query: String, view: String) throws {
        let fixture = try Self.samples.get()
        let table = try Self.duckdb(view, query, in: fixture)
        Self.check(query, table, fixture.records)
        #expect(!table.rows.isEmpty)
        // Facts of the samples (Samples/README.md).
        switch query {
        case "close-codes":
            #expect(table.rows.contains { $0.prefix(3) == [.string("client"), .int(4000), .int(4000)] }, "close-4000.pcap")
            #expect(table.rows.contains { $0.prefix(3) == [.string("client"), .int(1005), .int(1000)] }, "violations.pcap")
        case "rules-by-count":
            let log = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/violations.log.jsonl"), encoding: .utf8)
            let expected = Set(try Self.jsonLines(log).flatMap { $0["expect"] as? [String] ?? [] })
            let rules = Set(table.rows.compactMap { if case .string(let rule) = $0[0] { rule } else { nil } })
            #expect(expected.isSubset(of: rules), "violations.pcap's rules missing: \(expected.subtracting(rules))")
        case "ping-rtt":
            #expect(table.rows.first?.first?.double ?? 0 >= 4, "python-echo, fragments, violations (both ways) ping")
        default: break
        }
    }

    /// The declared view holds an input that lacks a kind and keys altogether (no `diagnostic` record, no `rule`).
    @Test(.enabled(if: runDuckDB, "needs python3 with the duckdb package (scripts/setup.sh)"), arguments: queries)
    func declaredViewOnACaptureWithoutFindings(query: String) throws {
        let fixture = try Self.clean.get()
        let table = try Self.duckdb("duckdb-view", query, in: fixture)
        Self.check(query, table, fixture.records)
        switch query {
        case "connections-by-bytes":
            // README: C→S 70590 and S→C 70562 bytes of stream, 70333 B of payload each way.
            #expect(table.rows == [[.string("Samples/python-echo.pcap"), .int(0), .string("127.0.0.1:56966"), .string("127.0.0.1:44821"),
                                    .int(70590 + 70562), .int(2 * 70333)]])
        case "close-codes": #expect(table.rows == [[.string("client"), .int(1000), .int(1000), .int(1)]])
        case "rules-by-count": #expect(table.rows.isEmpty)
        case "ping-rtt": #expect(table.rows.first?.first == .int(1))
        default: break
        }
    }

    @Test(.enabled(if: runJQ, "needs jq (scripts/setup.sh)"))
    func jqFramesByOpcode() throws {
        let fixture = try Self.samples.get()
        let output = try Self.shell("jq-frames-by-opcode", in: fixture)
        let counts = try Self.counts(output)
        var expected: [String: Int] = [:]
        for frame in Self.kind(fixture.records, "frame") { expected[frame["opcode_name"] as? String ?? "?", default: 0] += 1 }
        #expect(counts == expected)
        // wsinspect's own count of frames, per capture.
        #expect(counts.values.reduce(0, +) == Self.kind(fixture.records, "capture").reduce(0) { $0 + ($1["frames"] as? Int ?? 0) })
        #expect(counts["reserved-0x3", default: 0] >= 1, "violations.pcap sends a frame with opcode 0x3")
    }

    @Test(.enabled(if: runJQ, "needs jq (scripts/setup.sh)"))
    func jqCloseFrames() throws {
        let fixture = try Self.samples.get()
        let lines = try Self.jsonLines(try Self.shell("jq-close-frames", in: fixture))
        let keys = ["file", "stream", "from", "close_code", "close_reason"]
        let expected = Self.kind(fixture.records, "frame").filter { $0["opcode_name"] as? String == "close" }
        #expect(lines.map { line in keys.map { Cell(line[$0]) } } == expected.map { frame in keys.map { Cell(frame[$0]) } })
        #expect(lines.allSatisfy { Set($0.keys) == Set(keys) })
        let echo = lines.filter { $0["file"] as? String == "Samples/python-echo.pcap" }.map { [Cell($0["from"]), Cell($0["close_code"]), Cell($0["close_reason"])] }
        #expect(echo == [[.string("client"), .int(1000), .string("bye")], [.string("server"), .int(1000), .string("bye")]])
    }

    /// The messages of python-echo's connection are what its peers logged they sent (Samples/python-echo.log.jsonl).
    @Test(.enabled(if: runJQ, "needs jq (scripts/setup.sh)"))
    func jqMessagesOfAConnection() throws {
        let fixture = try Self.samples.get()
        let lines = try Self.jsonLines(try Self.shell("jq-messages", in: fixture))
        let log = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/python-echo.log.jsonl"), encoding: .utf8)
        let sent = try Self.jsonLines(log).filter { $0["kind"] as? String == "text" || $0["kind"] as? String == "binary" }
        #expect(lines.count == sent.count)
        #expect(lines.map { $0["index"] as? Int } == (0..<lines.count).map { Optional($0) })
        for (line, entry) in zip(lines, sent) {
            #expect(line["from"] as? String == entry["peer"] as? String)
            #expect(line["opcode_name"] as? String == entry["kind"] as? String)
            if let text = entry["text"] as? String {
                #expect(line["payload"] as? String == text)
            } else if let hex = entry["hex"] as? String {
                #expect(line["payload"] as? String == hex)
            } else {
                #expect(line["length"] as? Int == entry["length"] as? Int)
            }
        }
    }

    @Test(.enabled(if: runJQ, "needs jq (scripts/setup.sh)"))
    func jqRulesByCount() throws {
        let fixture = try Self.samples.get()
        let output = try Self.shell("jq-rules", in: fixture)
        let counts = try Self.counts(output)
        var expected: [String: Int] = [:]
        for finding in Self.findings(fixture.records) { expected[finding.rule, default: 0] += 1 }
        #expect(counts == expected)
        #expect(counts["invalid-utf8", default: 0] >= 2, "violations.pcap: Latin-1 text and a close reason that is not UTF-8")
    }

    /// The Spark schema in the doc declares the DuckDB view's columns, name for name and type for type.
    @Test func sparkSchemaMatchesTheDuckDBView() throws {
        let duck = try Self.recipe("duckdb-view").body
        let spark = try Self.recipe("spark-view")
        #expect(spark.language == "python")
        let entry = try NSRegularExpression(pattern: #""?([a-z_]+)"?\s*:\s*'([^']*)'"#)
        let duckColumns = entry.matches(in: duck, range: NSRange(duck.startIndex..., in: duck)).map { match in
            (String(duck[Range(match.range(at: 1), in: duck)!]), Self.normalised(String(duck[Range(match.range(at: 2), in: duck)!])))
        }
        let parts = spark.body.components(separatedBy: "\"\"\"")
        try #require(parts.count >= 3, "spark-view has no \"\"\"schema\"\"\"")
        var sparkColumns: [(String, String)] = []
        var depth = 0, current = ""
        for character in parts[1] + "," {
            if character == "<" { depth += 1 } else if character == ">" { depth -= 1 }
            if character == ",", depth == 0 {
                let field = current.trimmingCharacters(in: .whitespacesAndNewlines)
                let space = try #require(field.firstIndex(of: " "))
                sparkColumns.append((field[..<space].replacingOccurrences(of: "`", with: ""), Self.normalised(String(field[space...]))))
                current = ""
            } else {
                current.append(character)
            }
        }
        #expect(duckColumns.count >= 20)
        #expect(duckColumns.map(\.0) == sparkColumns.map(\.0))
        #expect(duckColumns.map(\.1) == sparkColumns.map(\.1))
    }

    /// A type in one spelling: Spark's `STRUCT<a: T>` as DuckDB's `STRUCT(a T)`, STRING and JSON as VARCHAR.
    static func normalised(_ type: String) -> String {
        type.replacingOccurrences(of: "<", with: "(").replacingOccurrences(of: ">", with: ")").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "STRING", with: "VARCHAR").replacingOccurrences(of: "JSON", with: "VARCHAR")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
    }
}

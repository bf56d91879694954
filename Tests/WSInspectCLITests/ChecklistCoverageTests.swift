import Foundation
import Testing

/// Docs/rfc-must-checklist.md (the project's checklist of wire-observable requirements, copied into the repository)
/// against the catalog: every `yes` and `partly` row has a rule in `wsinspect rules --json`, under the checklist's id
/// or under a rename that Docs/rules.md documents, and Docs/rules.md lists each row under its rule.
@Suite struct ChecklistCoverageTests {
    struct Row {
        let id: String
        let observable: String
        let ruleID: String
    }

    /// The checklist's rows: `| HC-1 | § | requirement | level | observable? | rule id | severity |`.
    static func rows() throws -> [Row] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Docs/rfc-must-checklist.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Row? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 8, cells[1].range(of: #"^[A-Z]+-[0-9]+$"#, options: .regularExpression) != nil else { return nil }
            let observable = cells[5].prefix { $0.isLetter }.lowercased()
            return Row(id: cells[1], observable: observable, ruleID: cells[6].trimmingCharacters(in: CharacterSet(charactersIn: "*`")))
        }
    }

    /// Docs/rules.md's renames: checklist id → wsinspect rule id.
    static func renames() throws -> [String: String] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Docs/rules.md"), encoding: .utf8)
        guard let start = text.range(of: "## Checklist ids realised under another id") else { return [:] }
        var renames: [String: String] = [:]
        for line in text[start.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[0].hasPrefix("`") else { continue }
            renames[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        }
        return renames
    }

    static func catalog() throws -> [[String: Any]] {
        let result = try CLI.run(["rules", "--json"])
        return result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func everyObservableRowHasARule() throws {
        let rows = try Self.rows()
        #expect(rows.filter { $0.observable == "yes" }.count == 73 && rows.filter { $0.observable == "partly" }.count == 26,
                "the checklist's totals (107 rows: 73 yes, 26 partly, 8 no)")
        let ids = Set(try Self.catalog().compactMap { $0["rule"] as? String })
        let renames = try Self.renames()
        for row in rows where row.observable == "yes" || row.observable == "partly" {
            let id = renames[row.ruleID] ?? row.ruleID
            #expect(ids.contains(id), "\(row.id) (\(row.observable)): no rule \(row.ruleID) in `wsinspect rules --json`")
        }
        // A rename is only for an id the catalog does not have.
        for (from, to) in renames {
            #expect(!ids.contains(from) && ids.contains(to), "rename \(from) → \(to)")
        }
    }

    /// Docs/rules.md says which rows each rule realises; each row is listed, under its rule, once.
    @Test func rulesMarkdownListsEveryRowUnderItsRule() throws {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Docs/rules.md"), encoding: .utf8)
        var listed: [String: String] = [:]   // row → rule id
        let catalog = text.components(separatedBy: "## Checklist ids realised under another id")[0]
        for line in catalog.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6 else { continue }
            let rule = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            for row in cells[4].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !row.isEmpty {
                #expect(listed[row] == nil, "\(row) listed twice")
                listed[row] = rule
            }
        }
        let renames = try Self.renames()
        let observable = try Self.rows().filter { $0.observable == "yes" || $0.observable == "partly" }
        for row in observable {
            #expect(listed[row.id] == (renames[row.ruleID] ?? row.ruleID), "\(row.id) is listed under \(listed[row.id] ?? "nothing")")
        }
        #expect(listed.count == observable.count)
        let yes = observable.filter { $0.observable == "yes" }.count, partly = observable.count - yes
        #expect(text.contains("**Checklist coverage: \(yes) of \(yes) `yes` rows and \(partly) of \(partly) `partly` rows.**"), "the coverage count")
    }
}

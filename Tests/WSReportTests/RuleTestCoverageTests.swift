import Foundation
import Testing
import WSWire

/// Every rule of the catalog is exercised by the tests: its id (`"rule-id"`) or its case (`.ruleCase`) appears in a
/// test source other than this one. (Each rule's tests make it fire and keep a look-alike silent; this test only
/// catches a rule added without any.)
@Suite struct RuleTestCoverageTests {
    @Test func everyRuleAppearsInATest() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        var sources = ""
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" && file.lastPathComponent != "RuleTestCoverageTests.swift" {
            sources += try String(contentsOf: file, encoding: .utf8)
        }
        for rule in Rule.allCases {
            let named = sources.contains("\"\(rule.id)\"") || sources.contains(".\(String(describing: rule))")
            #expect(named, "no test names \(rule.id)")
        }
    }
}

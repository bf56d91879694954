import Foundation
import Testing
import WSReport
import WSWire

@Suite struct RulesDocumentTests {
    @Test func docsRulesMarkdownAgreesWithTheCatalog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Docs/rules.md"), encoding: .utf8)
        #expect(file == RulesView.markdown(), "Docs/rules.md is stale: regenerate it with `wsinspect rules --markdown > Docs/rules.md`")
    }

    @Test func everyCatalogRuleIsListed() {
        let markdown = RulesView.markdown()
        for rule in RuleCatalog.all { #expect(markdown.contains("`\(rule.id)`")) }
    }
}

@Suite struct RuleCatalogCompletenessTests {
    /// Every `Rule(...)` declared in RuleCatalog.swift is also in `RuleCatalog.all` (so none escapes the docs).
    @Test func everyDeclaredRuleIsInTheCatalog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = try String(contentsOf: root.appendingPathComponent("Sources/WSWire/RuleCatalog.swift"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"Rule\("([a-z0-9-]+)""#)
        let declared = regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map {
            String(source[Range($0.range(at: 1), in: source)!])
        }
        #expect(!declared.isEmpty)
        #expect(Set(declared) == Set(RuleCatalog.all.map(\.id)))
        #expect(declared.count == RuleCatalog.all.count)
    }
}

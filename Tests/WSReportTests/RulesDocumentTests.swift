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
        for rule in Rule.allCases { #expect(markdown.contains("`\(rule.id)`")) }
    }
}

import WSWire

/// The rule catalog as text, Markdown (Docs/rules.md is this output) or JSON Lines.
public enum RulesView {
    public static func text(_ rules: [Rule] = Rule.allCases, style: Style = .plain) -> [String] {
        var table = TextTable(headers: ["rule", "severity", "section", "requirement"])
        for rule in rules {
            table.add([rule.id, style.severity(rule.severity.rawValue, rule.severity), rule.section, rule.summary])
        }
        return table.render(style: style)
    }

    /// Docs/rules.md (RulesDocument).
    public static func markdown(_ rules: [Rule] = Rule.allCases) -> String {
        RulesDocument.markdown(rules)
    }

    public static func json(_ rules: [Rule] = Rule.allCases) -> [UInt8] {
        var writer = JSONWriter()
        for rule in rules {
            writer.beginObject()
            writer.key(RuleKey.kind); writer.string("rule")
            writer.key(RuleKey.rule); writer.string(rule.id)
            writer.key(RuleKey.severity); writer.string(rule.severity.rawValue)
            writer.key(RuleKey.rfc); writer.string(rule.section)
            writer.key(RuleKey.summary); writer.string(rule.summary)
            writer.endObject()
            writer.newline()
        }
        return writer.bytes
    }
}

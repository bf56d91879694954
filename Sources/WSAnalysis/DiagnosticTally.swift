import WSWire

/// Findings counted by rule (each rule has its severity): the one count behind a connection's summary, the capture's
/// totals and `--strict`, fed where findings are made rather than by looking at what is emitted.
public struct DiagnosticTally: Sendable {
    public private(set) var byRule: [Rule: Int] = [:]

    public init() {}

    public mutating func add(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { byRule[diagnostic.rule, default: 0] += 1 }
    }

    /// Findings of one severity.
    public func count(_ severity: Severity) -> Int {
        byRule.reduce(0) { $0 + ($1.key.severity == severity ? $1.value : 0) }
    }

    /// Findings by severity, every severity present (0 when none).
    public var bySeverity: [Severity: Int] {
        var result: [Severity: Int] = [:]
        for severity in Severity.allCases { result[severity] = 0 }
        for (rule, count) in byRule { result[rule.severity, default: 0] += count }
        return result
    }

    /// `(rule id, severity, count)` sorted by rule id, as summaries list them.
    public var sortedByID: [(rule: String, severity: Severity, count: Int)] {
        byRule.map { (rule: $0.key.id, severity: $0.key.severity, count: $0.value) }.sorted { $0.rule < $1.rule }
    }
}

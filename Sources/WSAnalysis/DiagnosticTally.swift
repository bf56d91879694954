import WSWire

/// Findings counted by rule: the one count behind a connection's summary, the capture's totals and `--strict`, fed
/// where findings are made rather than by looking at what is emitted. A finding may be milder than its rule
/// (`cleartext-websocket` on loopback is a note), so severities are counted finding by finding.
public struct DiagnosticTally: Sendable {
    public private(set) var byRule: [Rule: Int] = [:]
    /// The most serious severity among each rule's findings.
    private var worst: [Rule: Severity] = [:]
    /// Findings by severity, indexed like `Severity.allCases`.
    private var severities = [0, 0, 0]

    public init() {}

    public mutating func add(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            byRule[diagnostic.rule, default: 0] += 1
            let severity = diagnostic.severity
            if let seen = worst[diagnostic.rule], seen >= severity {} else { worst[diagnostic.rule] = severity }
            severities[Self.index(severity)] += 1
        }
    }

    private static func index(_ severity: Severity) -> Int {
        switch severity {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    /// Findings of one severity.
    public func count(_ severity: Severity) -> Int {
        severities[Self.index(severity)]
    }

    /// Findings by severity, every severity present (0 when none).
    public var bySeverity: [Severity: Int] {
        var result: [Severity: Int] = [:]
        for severity in Severity.allCases { result[severity] = count(severity) }
        return result
    }

    /// `(rule id, severity, count)` sorted by rule id, as summaries list them (the severity: the most serious of the
    /// rule's findings).
    public var sortedByID: [(rule: String, severity: Severity, count: Int)] {
        byRule.map { (rule: $0.key.id, severity: worst[$0.key] ?? $0.key.severity, count: $0.value) }.sorted { $0.rule < $1.rule }
    }
}

/// How serious a finding is.
public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
    /// A MUST of the RFC is broken.
    case error
    /// A SHOULD is broken, or something is suspicious.
    case warning
    /// Worth knowing; nothing is wrong.
    case note

    private var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .note: return 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A finding: a rule, and one plain sentence about this particular case.
///
/// Diagnostics are records, not errors: decoding always continues after one.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public let rule: Rule
    /// What happened here, in words a student understands.
    public let message: String

    public init(_ rule: Rule, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var id: String { rule.id }
    public var severity: Severity { rule.severity }
    public var section: String { rule.section }

    public var description: String { "\(rule.severity.rawValue) [\(rule.id)] \(message) (\(rule.section))" }
}

extension Array where Element == Diagnostic {
    /// The most serious severity present, nil when empty.
    public var worstSeverity: Severity? { self.map(\.severity).max() }

    /// True when some diagnostic uses the rule.
    public func contains(_ rule: Rule) -> Bool { contains { $0.rule == rule } }
}

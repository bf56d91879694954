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

/// A finding: a rule, one plain sentence about this particular case, and where in its record it applies.
///
/// Diagnostics are records, not errors: decoding always continues after one.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public let rule: Rule
    /// What happened here, in words a student understands.
    public let message: String
    /// The field, bytes or header line the finding is about; nil when it is about its record as a whole.
    public let anchor: DiagnosticAnchor?

    /// `anchor` defaults to the rule's `defaultAnchor`.
    public init(_ rule: Rule, _ message: String, at anchor: DiagnosticAnchor? = nil) {
        self.rule = rule
        self.message = message
        self.anchor = anchor ?? rule.defaultAnchor
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

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
    /// Set when this finding is milder than its rule (`cleartext-websocket` on loopback is a note).
    private let severityOverride: Severity?
    /// Set when this finding concerns one part of its rule's requirement (an `invalid-utf8` Close reason cites
    /// §5.5.1 and §7.1.6, a text message §5.6 and §8.1).
    private let sectionOverride: String?

    /// `anchor` defaults to the rule's `defaultAnchor`; `severity` and `section` to the rule's.
    public init(_ rule: Rule, _ message: String, at anchor: DiagnosticAnchor? = nil, severity: Severity? = nil,
                section: String? = nil) {
        self.rule = rule
        self.message = message
        self.anchor = anchor ?? rule.defaultAnchor
        self.severityOverride = severity
        self.sectionOverride = section
    }

    public var id: String { rule.id }
    /// The severity of this finding: its rule's, unless the case is milder.
    public var severity: Severity { severityOverride ?? rule.severity }
    /// Where this finding's requirement is written: its rule's section, or the part of it this case concerns.
    public var section: String { sectionOverride ?? rule.section }

    public var description: String { "\(severity.rawValue) [\(rule.id)] \(message) (\(section))" }
}

extension Array where Element == Diagnostic {
    /// The most serious severity present, nil when empty.
    public var worstSeverity: Severity? { self.map(\.severity).max() }

    /// True when some diagnostic uses the rule.
    public func contains(_ rule: Rule) -> Bool { contains { $0.rule == rule } }
}

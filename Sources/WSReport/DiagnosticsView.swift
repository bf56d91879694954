import WSWire

/// Diagnostics as text: severity, rule id and RFC section on one line, the plain sentence under it.
public enum DiagnosticsView {
    public static func render(_ diagnostics: [Diagnostic], style: Style = .plain, indent: String = "") -> [String] {
        diagnostics.flatMap { diagnostic -> [String] in
            [indent + line(diagnostic, style: style), indent + "    " + TerminalText.escape(diagnostic.message)]
        }
    }

    /// `error  [control-frame-too-long]  RFC 6455 §5.5`
    public static func line(_ diagnostic: Diagnostic, style: Style = .plain) -> String {
        let label = diagnostic.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        return style.severity(label, diagnostic.severity) + " [" + style.bold(diagnostic.rule.id) + "]  " + diagnostic.section
    }

    /// One line per diagnostic, for inline use: `error [rule] message (RFC …)`.
    public static func compact(_ diagnostic: Diagnostic, style: Style = .plain) -> String {
        style.severity(diagnostic.severity.rawValue, diagnostic.severity) + " [" + diagnostic.rule.id + "] "
            + TerminalText.escape(diagnostic.message) + " (" + diagnostic.section + ")"
    }
}

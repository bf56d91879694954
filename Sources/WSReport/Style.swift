import WSWire

/// ANSI styling for terminal output; every method returns its input unchanged when colour is off.
public struct Style: Sendable {
    public let enabled: Bool
    /// The columns text output may take (`--width`, the terminal's); nil: unlimited. Tables shrink to it.
    public var width: Int?

    public init(enabled: Bool, width: Int? = nil) {
        self.enabled = enabled
        self.width = width
    }

    public static let plain = Style(enabled: false)

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func blue(_ text: String) -> String { wrap(text, "34") }
    public func magenta(_ text: String) -> String { wrap(text, "35") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }

    /// Colour for a severity: errors red, warnings yellow, notes cyan.
    public func severity(_ text: String, _ severity: Severity) -> String {
        switch severity {
        case .error: return red(text)
        case .warning: return yellow(text)
        case .note: return cyan(text)
        }
    }
}




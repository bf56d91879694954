/// One element of a Sec-WebSocket-Extensions list: `permessage-deflate; client_max_window_bits=10`.
public struct ExtensionElement: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public let name: String
        /// The value with quotes removed, nil when the parameter has none.
        public let value: String?
        /// True when the value was a quoted string.
        public let quoted: Bool
    }

    public let name: String
    public let parameters: [Parameter]
    /// The element as sent, trimmed.
    public let text: String

    /// Parses a whole header value (RFC 6455 §9.1 grammar). Syntax problems are returned as phrases.
    public static func parseList(_ value: String) -> (elements: [ExtensionElement], problems: [String]) {
        var elements: [ExtensionElement] = []
        var problems: [String] = []
        for item in HTTPHead.splitList(value) {
            let pieces = splitParameters(item)
            guard let first = pieces.first else { continue }
            let name = first.trimmingWhitespace
            if !HTTPHead.isToken(name) {
                problems.append("extension name \"\(name)\" is not a token")
            }
            var parameters: [Parameter] = []
            for piece in pieces.dropFirst() {
                let trimmed = piece.trimmingWhitespace
                if trimmed.isEmpty {
                    problems.append("empty parameter in \"\(item)\"")
                    continue
                }
                if let equals = trimmed.firstIndex(of: "=") {
                    let key = String(trimmed[..<equals]).trimmingWhitespace
                    var raw = String(trimmed[trimmed.index(after: equals)...]).trimmingWhitespace
                    var quoted = false
                    if raw.hasPrefix("\"") {
                        guard raw.count >= 2, raw.hasSuffix("\"") else {
                            problems.append("unterminated quoted value in \"\(trimmed)\"")
                            continue
                        }
                        raw = String(raw.dropFirst().dropLast()).replacingOccurrences(of: "\\", with: "")
                        quoted = true
                    }
                    if !HTTPHead.isToken(key) { problems.append("parameter name \"\(key)\" is not a token") }
                    if !HTTPHead.isToken(raw) {
                        problems.append("parameter \(key) has value \"\(raw)\", which is not a token\(quoted ? " once unquoted" : "")")
                    }
                    parameters.append(Parameter(name: key, value: raw, quoted: quoted))
                } else {
                    if !HTTPHead.isToken(trimmed) { problems.append("parameter name \"\(trimmed)\" is not a token") }
                    parameters.append(Parameter(name: trimmed, value: nil, quoted: false))
                }
            }
            elements.append(ExtensionElement(name: name, parameters: parameters, text: item.trimmingWhitespace))
        }
        return (elements, problems)
    }

    private static func splitParameters(_ item: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for c in item {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }
}

/// Where and why a message is not JSON.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the parsed bytes where the problem was found.
    public let offset: Int
    public let reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// What the parser made of some bytes: a value, or the error, and notes about what was accepted but changed.
public struct JSONParsed<Value: Sendable>: Sendable {
    public let value: Value?
    public let error: JSONError?
    public let notes: [String]
}

/// A strict RFC 8259 parser of untrusted bytes, written here rather than taken from Foundation: Foundation's
/// `JSONSerialization` turns objects into unordered dictionaries (the sender's key order is what a reader expects
/// to see), numbers into doubles (digits change), has no depth or size limit of its own, and accepts input RFC 8259
/// does not (Docs/views.md, "Decisions").
///
/// Strict means: one value with optional whitespace around it, nothing else; no comments, trailing commas, single
/// quotes, leading zeros, `NaN`, unescaped control characters or byte order mark; strings must be valid UTF-8.
/// Bounded: nesting deeper than `maxDepth` or more than `maxValues` values is an error, so that neither the stack
/// nor the tree can grow with the input beyond a limit. A lone UTF-16 surrogate escape (`\ud800`) is valid JSON
/// text but not a character: it becomes U+FFFD, with a note.
///
/// Three results from one grammar: `parse` builds a `JSONValue` tree (for the views that look inside messages),
/// `canonical` only rewrites the text into its canonical form (`JSONText`) in one pass without building anything
/// (for plain JSON messages, where the tree would be thrown away), `validate` only checks (for plain JSON messages
/// whose value is not shown).
public enum JSONParser {
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: ViewLimits = ViewLimits()) -> JSONParsed<JSONValue> {
        scan(bytes, limits: limits, mode: .tree) { value, _ in value }
    }

    public static func parse(_ bytes: [UInt8], limits: ViewLimits = ViewLimits()) -> JSONParsed<JSONValue> {
        bytes.withUnsafeBytes { parse($0, limits: limits) }
    }

    public static func canonical(_ bytes: UnsafeRawBufferPointer, limits: ViewLimits = ViewLimits()) -> JSONParsed<JSONText> {
        scan(bytes, limits: limits, mode: .canonical) { _, scanner in JSONText(canonical: scanner.out) }
    }

    public static func canonical(_ bytes: [UInt8], limits: ViewLimits = ViewLimits()) -> JSONParsed<JSONText> {
        bytes.withUnsafeBytes { canonical($0, limits: limits) }
    }

    /// Only checks: the same verdict, error and notes as the other two, without building or writing anything
    /// (for a plain JSON message whose value is not shown). `value` is true when the bytes are JSON.
    public static func validate(_ bytes: UnsafeRawBufferPointer, limits: ViewLimits = ViewLimits()) -> JSONParsed<Bool> {
        scan(bytes, limits: limits, mode: .validate) { _, _ in true }
    }

    public static func validate(_ bytes: [UInt8], limits: ViewLimits = ViewLimits()) -> JSONParsed<Bool> {
        bytes.withUnsafeBytes { validate($0, limits: limits) }
    }

    /// One document scanned in `mode`; `result` makes the value from what the scanner returned or wrote.
    private static func scan<Value>(_ bytes: UnsafeRawBufferPointer, limits: ViewLimits, mode: JSONScanner.Mode,
                                    result: (JSONValue, JSONScanner) -> Value) -> JSONParsed<Value> {
        var scanner = JSONScanner(bytes: bytes, limits: limits, mode: mode)
        if mode == .canonical { scanner.out.reserveCapacity(bytes.count) }
        do {
            let value = try scanner.document()
            return JSONParsed(value: result(value, scanner), error: nil, notes: scanner.notes)
        } catch {
            return JSONParsed(value: nil, error: error, notes: [])
        }
    }
}

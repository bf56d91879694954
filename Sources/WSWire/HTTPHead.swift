/// One header field of an HTTP/1.1 head, with the syntax facts the handshake rules need.
public struct HTTPHeaderField: Hashable, Sendable {
    /// The name as sent, without any whitespace before the colon.
    public let name: String
    /// The value with surrounding whitespace removed; folded continuation lines are joined with a space.
    public let value: String
    /// True when whitespace separated the name from the colon (`Connection : Upgrade`), which RFC 7230 §3.2.4 forbids.
    public let whitespaceBeforeColon: Bool
    /// True when the value continued on an obsolete folded line.
    public let folded: Bool
    /// The raw line as received (without CRLF), for display (bytes that are not UTF-8 appear as `\xNN`).
    public let line: String
    /// The line's bytes as received (folded lines joined by LF), so that a terminal view can escape them itself.
    public let lineBytes: [UInt8]
    /// The name in lower case, computed once (lookups compare with it).
    public let lowercasedName: String

    public init(name: String, value: String, whitespaceBeforeColon: Bool, folded: Bool, line: String, lineBytes: [UInt8]? = nil) {
        self.name = name
        self.value = value
        self.whitespaceBeforeColon = whitespaceBeforeColon
        self.folded = folded
        self.line = line
        self.lineBytes = lineBytes ?? Array(line.utf8)
        self.lowercasedName = name.lowercased()
    }
}

/// An HTTP/1.x request or response head: start line and header fields, up to and including the empty line.
public struct HTTPHead: Hashable, Sendable {
    /// The request or status line (bytes that are not UTF-8 appear as `\xNN`).
    public let startLine: String
    /// The start line's bytes as received.
    public let startLineBytes: [UInt8]
    public let fields: [HTTPHeaderField]
    /// Bytes the head occupies, including the final empty line.
    public let length: Int
    /// Syntax problems found while parsing (each a short phrase).
    public let problems: [String]

    /// Every value of a header, in order (names compare case-insensitively).
    public func values(_ name: String) -> [String] {
        let lower = name.lowercased()
        return fields.filter { $0.lowercasedName == lower }.map(\.value)
    }

    /// The header's values joined by ", ", or nil when absent.
    public func value(_ name: String) -> String? {
        let all = values(name)
        return all.isEmpty ? nil : all.joined(separator: ", ")
    }

    /// How many lines carry the header.
    public func count(_ name: String) -> Int { values(name).count }

    /// The comma-separated elements of a header across all its lines, trimmed, empty elements dropped.
    public func listElements(_ name: String) -> [String] {
        values(name).flatMap { HTTPHead.splitList($0) }
    }

    /// True when the header's list contains `token` (case-insensitive).
    public func listContains(_ name: String, _ token: String) -> Bool {
        listElements(name).contains { $0.caseInsensitiveCompare(token) }
    }

    /// Splits a comma list, respecting quoted strings.
    public static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in value {
            if escaped { current.append(c); escaped = false; continue }
            if quoted && c == "\\" { current.append(c); escaped = true; continue }
            if c == "\"" { quoted.toggle() }
            if c == "," && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// Splits a comma list as `splitList` does, but keeps empty elements (as empty strings).
    public static func splitListKeepingEmpty(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for c in value {
            if c == "\"" { quoted.toggle() }
            if c == "," && !quoted {
                parts.append(current.trimmingWhitespace)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current.trimmingWhitespace)
        return parts
    }

    /// The offset just past the empty line that ends a head in `bytes`, or nil when it has not arrived yet.
    /// Accepts CRLF CRLF and, leniently, LF LF.
    public static func endOfHead(in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        var i = start
        let n = bytes.count
        while i < n {
            if bytes[i] == 0x0A {
                if i + 1 < n && bytes[i + 1] == 0x0A { return i + 2 }
                if i + 2 < n && bytes[i + 1] == 0x0D && bytes[i + 2] == 0x0A { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// Parses a complete head (the bytes up to and including the empty line). Works on bytes; each line becomes a
    /// String once.
    public static func parse(_ bytes: [UInt8]) -> HTTPHead {
        var problems: [String] = []
        var lines: [ArraySlice<UInt8>] = []
        var bareLF = false
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 } else { bareLF = true }
            lines.append(bytes[start..<end])
            start = i + 1
            if lines.count > 1, lines.last!.isEmpty { break }   // the empty line ends the head
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        if bareLF { problems.append("lines end in a bare LF instead of CRLF") }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let startLine = lines.first.map { text($0) } ?? ""
        var fields: [HTTPHeaderField] = []
        for line in lines.dropFirst() {
            let raw = text(line)
            if let first = line.first, first == 0x20 || first == 0x09 {
                // obs-fold: continues the previous field's value.
                if let last = fields.popLast() {
                    fields.append(HTTPHeaderField(name: last.name, value: (last.value + " " + trim(line)).trimmingWhitespace,
                                                  whitespaceBeforeColon: last.whitespaceBeforeColon, folded: true,
                                                  line: last.line + "\n" + raw, lineBytes: last.lineBytes + [0x0A] + line))
                } else {
                    problems.append("a folded line comes before any header field")
                }
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                problems.append("header line without a colon: \"\(raw.prefix(60))\"")
                continue
            }
            var nameEnd = colon
            while nameEnd > line.startIndex, line[nameEnd - 1] == 0x20 || line[nameEnd - 1] == 0x09 { nameEnd -= 1 }
            let nameBytes = line[line.startIndex..<nameEnd]
            let name = text(nameBytes)
            if nameBytes.isEmpty || !nameBytes.allSatisfy(isTokenByte) {
                problems.append("header name \"\(name)\" is not a token")
            }
            fields.append(HTTPHeaderField(name: name, value: trim(line[(colon + 1)...]),
                                          whitespaceBeforeColon: nameEnd != colon, folded: false, line: raw,
                                          lineBytes: Array(line)))
        }
        return HTTPHead(startLine: startLine, startLineBytes: lines.first.map { Array($0) } ?? [], fields: fields,
                        length: bytes.count, problems: problems)
    }

    /// The bytes without leading and trailing spaces and tabs, as a String.
    private static func trim(_ bytes: ArraySlice<UInt8>) -> String {
        var lower = bytes.startIndex, upper = bytes.endIndex
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        return text(bytes[lower..<upper])
    }

    /// Head bytes as text: UTF-8 as it is; a byte that is not part of valid UTF-8 (header values may carry any
    /// octet, RFC 7230 §3.2.6 obs-text) becomes the four characters `\xNN`, so that the real bytes stay visible
    /// instead of turning into U+FFFD.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        // Heads are ASCII almost always: that needs no validation at all.
        if bytes.allSatisfy({ $0 < 0x80 }) || UTF8Validator.validate(Array(bytes)) == nil {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            // The longest valid prefix, then one escaped byte.
            var validEnd = rest.startIndex
            var validator = UTF8Validator()
            for index in rest.indices {
                validator.feed(CollectionOfOne(rest[index]).map { $0 })
                if !validator.isValidSoFar { break }
                if validator.isAtBoundary { validEnd = index + 1 }
            }
            out += String(decoding: rest[rest.startIndex..<validEnd], as: UTF8.self)
            rest = rest[validEnd...]
            if let bad = rest.first {
                out += "\\x" + Hex.byte(bad)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// RFC 7230 tchar, for a byte.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// RFC 7230 tchar.
    public static func isTokenCharacter(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue else { return false }
        return isTokenByte(ascii)
    }

    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }
}

/// `GET /chat HTTP/1.1`
public struct HTTPRequestLine: Hashable, Sendable {
    public let method: String
    public let target: String
    public let version: String

    public init?(_ line: String) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, parts[2].hasPrefix("HTTP/") else { return nil }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])
    }

    /// Major and minor version numbers, nil when not of the form HTTP/x.y.
    public var versionNumbers: (Int, Int)? { HTTPVersion.numbers(version) }
}

/// `HTTP/1.1 101 Switching Protocols`
public struct HTTPStatusLine: Hashable, Sendable {
    public let version: String
    public let status: Int
    public let reason: String
    /// False for `HTTP/1.1 101` without the space RFC 7230 §3.1.2 requires before the (possibly empty) reason.
    public let hasReasonSeparator: Bool

    public init?(_ line: String) {
        guard line.hasPrefix("HTTP/") else { return nil }
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[1].count == 3, let status = Int(parts[1]) else { return nil }
        version = String(parts[0])
        self.status = status
        reason = parts.count == 3 ? String(parts[2]) : ""
        hasReasonSeparator = parts.count == 3
    }
}

enum HTTPVersion {
    static func numbers(_ version: String) -> (Int, Int)? {
        guard version.hasPrefix("HTTP/") else { return nil }
        let digits = version.dropFirst(5).split(separator: ".")
        guard digits.count == 2, let major = Int(digits[0]), let minor = Int(digits[1]) else { return nil }
        return (major, minor)
    }
}

extension String {
    /// Removes leading and trailing spaces and tabs (HTTP's optional whitespace).
    public var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }

    func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}

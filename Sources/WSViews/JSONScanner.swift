/// The recursive-descent scanner behind every result. In tree mode it returns the values; otherwise `.null`
/// placeholders (and in canonical mode it appends the text to `out`).
struct JSONScanner {
    /// What the scanner makes: a tree, canonical text, or nothing (it only checks).
    enum Mode {
        case tree, canonical, validate
    }

    let bytes: UnsafeRawBufferPointer
    let limits: ViewLimits
    /// Tree mode: values are built.
    let building: Bool
    /// Canonical mode: text is written to `out`.
    let writing: Bool
    var i = 0
    var depth = 0
    var values = 0
    var surrogates = 0
    var out: [UInt8] = []
    /// A string's content while it is decoded (tree mode).
    var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, limits: ViewLimits, mode: Mode) {
        self.bytes = bytes
        self.limits = limits
        building = mode == .tree
        writing = mode == .canonical
    }

    var notes: [String] {
        surrogates == 0 ? [] : ["\(surrogates) lone UTF-16 surrogate escape\(surrogates == 1 ? "" : "s") (\\ud800-\\udfff without its pair) replaced by U+FFFD"]
    }

    mutating func document() throws(JSONError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw JSONError(offset: 0, reason: "a byte order mark (U+FEFF) precedes the value; RFC 8259 §8.1 forbids sending one")
        }
        skipWhitespace()
        guard i < bytes.count else {
            throw JSONError(offset: i, reason: bytes.isEmpty ? "the message is empty: no value" : "only whitespace: no value")
        }
        let value = try value()
        skipWhitespace()
        if i < bytes.count {
            throw JSONError(offset: i, reason: "\(describe(i)) after the end of the value; one message holds one JSON value")
        }
        return value
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i &+= 1
        }
    }

    /// `'x'` for printable ASCII, `byte 0xNN` otherwise, `the end` past the last byte.
    func describe(_ at: Int) -> String {
        guard at < bytes.count else { return "the end of the message" }
        let b = bytes[at]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + JSONEscaping.hex([b])
    }

    private mutating func value() throws(JSONError) -> JSONValue {
        values &+= 1
        if values > limits.maxValues {
            throw JSONError(offset: i, reason: "more than \(limits.maxValues) values (the view's limit)")
        }
        guard i < bytes.count else { throw JSONError(offset: i, reason: "the message ends where a value should start") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""):
            let s = try string()
            return building ? .string(s) : .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            throw JSONError(offset: i, reason: "\(describe(i)) where a value should start (an object, array, string, number, true, false or null)")
        }
    }

    private mutating func enter() throws(JSONError) {
        depth &+= 1
        if depth > limits.maxDepth {
            throw JSONError(offset: i, reason: "arrays and objects nested deeper than \(limits.maxDepth) (the view's limit)")
        }
    }

    private mutating func object() throws(JSONError) -> JSONValue {
        try enter()
        i &+= 1
        if writing { out.append(UInt8(ascii: "{")) }
        var members: [JSONMember] = []
        var afterComma = false
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
            i &+= 1
            if writing { out.append(UInt8(ascii: "}")) }
            depth &-= 1
            return building ? .object([]) : .null
        }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw JSONError(offset: i, reason: "\(describe(i)) where a member name (a string) should start" +
                                (afterComma && i < bytes.count && bytes[i] == UInt8(ascii: "}") ? "; RFC 8259 allows no trailing comma" : ""))
            }
            let key = try string()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw JSONError(offset: i, reason: "\(describe(i)) where ':' should follow the member name")
            }
            i &+= 1
            if writing { out.append(UInt8(ascii: ":")) }
            skipWhitespace()
            let value = try value()
            if building { members.append(JSONMember(key: key, value: value)) }
            skipWhitespace()
            guard i < bytes.count else { throw JSONError(offset: i, reason: "the message ends inside an object ('}' missing)") }
            if bytes[i] == UInt8(ascii: ",") {
                i &+= 1
                if writing { out.append(UInt8(ascii: ",")) }
                afterComma = true
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else {
                throw JSONError(offset: i, reason: "\(describe(i)) where ',' or '}' should follow a member")
            }
            i &+= 1
            if writing { out.append(UInt8(ascii: "}")) }
            depth &-= 1
            return building ? .object(members) : .null
        }
    }

    private mutating func array() throws(JSONError) -> JSONValue {
        try enter()
        i &+= 1
        if writing { out.append(UInt8(ascii: "[")) }
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
            i &+= 1
            if writing { out.append(UInt8(ascii: "]")) }
            depth &-= 1
            return building ? .array([]) : .null
        }
        while true {
            skipWhitespace()
            let value = try value()
            if building { elements.append(value) }
            skipWhitespace()
            guard i < bytes.count else { throw JSONError(offset: i, reason: "the message ends inside an array (']' missing)") }
            if bytes[i] == UInt8(ascii: ",") {
                i &+= 1
                if writing { out.append(UInt8(ascii: ",")) }
                skipWhitespace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                    throw JSONError(offset: i, reason: "']' right after ','; RFC 8259 allows no trailing comma")
                }
                continue
            }
            guard bytes[i] == UInt8(ascii: "]") else {
                throw JSONError(offset: i, reason: "\(describe(i)) where ',' or ']' should follow an element")
            }
            i &+= 1
            if writing { out.append(UInt8(ascii: "]")) }
            depth &-= 1
            return building ? .array(elements) : .null
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        for k in 0..<count where i + k >= bytes.count || bytes[i + k] != start[k] {
            throw JSONError(offset: i, reason: "\(describe(i)) starts neither true, false nor null")
        }
        if writing { out.append(contentsOf: UnsafeBufferPointer(start: start, count: count)) }
        i &+= count
    }

    private mutating func number() throws(JSONError) -> JSONValue {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i &+= 1 }
        guard i < bytes.count, isDigit(bytes[i]) else {
            throw JSONError(offset: i, reason: "\(describe(i)) where a digit should follow '-'")
        }
        if bytes[i] == UInt8(ascii: "0") {
            i &+= 1
            if i < bytes.count && isDigit(bytes[i]) {
                throw JSONError(offset: start, reason: "a number with a leading zero (RFC 8259 §6)")
            }
        } else {
            while i < bytes.count && isDigit(bytes[i]) { i &+= 1 }
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i &+= 1
            guard i < bytes.count, isDigit(bytes[i]) else {
                throw JSONError(offset: i, reason: "\(describe(i)) where a digit should follow the decimal point")
            }
            while i < bytes.count && isDigit(bytes[i]) { i &+= 1 }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i &+= 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i &+= 1 }
            guard i < bytes.count, isDigit(bytes[i]) else {
                throw JSONError(offset: i, reason: "\(describe(i)) where the exponent's digits should be")
            }
            while i < bytes.count && isDigit(bytes[i]) { i &+= 1 }
        }
        let digits = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        if writing { out.append(contentsOf: digits) }
        return building ? .number(String(decoding: digits, as: UTF8.self)) : .null
    }

    @inline(__always)
    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}

import Testing
@testable import WSViews

/// The strict RFC 8259 parser: what it accepts, what it refuses (and where), its canonical form, its limits.
@Suite struct JSONParserTests {
    func canonical(_ text: String) -> String? {
        JSONParser.canonical(Array(text.utf8)).value?.description
    }

    func error(_ bytes: [UInt8]) -> JSONError? {
        let tree = JSONParser.parse(bytes).error
        let flat = JSONParser.canonical(bytes).error
        let checked = JSONParser.validate(bytes).error
        #expect(tree == flat && flat == checked, "the tree, canonical and checking parsers disagree")
        return tree
    }

    func error(_ text: String) -> JSONError? { error(Array(text.utf8)) }

    @Test func everyKindOfValueParses() {
        let value = JSONParser.parse(Array(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": ""} "#.utf8)).value
        #expect(value == .object([
            JSONMember(key: "a", value: .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
            JSONMember(key: "b", value: .object([JSONMember(key: "c", value: .string("d"))])),
            JSONMember(key: "e", value: .string("")),
        ]))
    }

    @Test func scalarsAtTheTopLevelAreJSON() {
        // RFC 8259 §2: any value is a JSON text, not only objects and arrays.
        #expect(canonical("2") == "2")
        #expect(canonical(" \"x\" ") == "\"x\"")
        #expect(canonical("null") == "null")
    }

    @Test func theCanonicalFormIsCompactAndKeepsOrderDigitsAndDuplicates() {
        #expect(canonical("{ \"b\" : 1 ,\n\t\"a\" : [ ] , \"b\" : 1.50E+01 }") == #"{"b":1,"a":[],"b":1.50E+01}"#)
        #expect(canonical("123456789012345678901234567890") == "123456789012345678901234567890")
    }

    @Test func escapesAreRewrittenTheWayWsinspectWritesEveryString() {
        // \u0041 is "A" (unescaped); \/ is "/"; \b, \f and a raw DEL become \u escapes; \n stays \n.
        #expect(canonical(#""\u0041\/\b\f\n""#) == #""A/\u0008\u000c\n""#)
        // U+202E (RIGHT-TO-LEFT OVERRIDE) raw, as E2 80 AE, and U+0085 (a C1 control) as C2 85: both escaped.
        #expect(canonical("\"a\u{202E}b\u{85}c\"") == #""a\u202eb\u0085c""#)
        // A surrogate pair for U+1F600 becomes the character itself (F0 9F 98 80).
        #expect(canonical(#""\ud83d\ude00""#) == "\"😀\"")
        // Non-ASCII text passes through as UTF-8.
        #expect(canonical("\"你好\"") == "\"你好\"")
    }

    @Test func longPlainASCIIStringsAreReadAWordAtATimeWithoutMissingAnything() {
        // Every position of a quote, backslash, control character or non-ASCII byte in a long string, so that the
        // eight-byte scan meets each of them at each offset in its word.
        for position in 0..<20 {
            for special in ["\"", "\\", "\n", "\u{7F}", "é", "\u{202E}"] {
                var chars = Array(repeating: "a", count: 24)
                chars[position] = special == "\"" ? "\\\"" : special == "\\" ? "\\\\" : special == "\n" ? "\\n" : special
                let text = "\"" + chars.joined() + "\""
                let tree = JSONParser.parse(Array(text.utf8)).value
                #expect(tree?.text == JSONParser.canonical(Array(text.utf8)).value, "\(text)")
                #expect(JSONParser.validate(Array(text.utf8)).value == true)
            }
            // A raw control character at that position is an error found exactly there.
            var raw = Array("\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 24) + Array("\"".utf8)
            raw[position + 1] = 0x01
            #expect(error(raw)?.offset == position + 1)
        }
    }

    @Test func theTreeSerialisesToTheCanonicalForm() {
        let inputs = [#"{"a":"\u202e","b":[1,2,{"c":null}],"d":"\ud83d\ude00\t"}"#, "[\"\\u0000\", -0, 1e-7]"]
        for input in inputs {
            #expect(JSONParser.parse(Array(input.utf8)).value?.text == JSONParser.canonical(Array(input.utf8)).value)
        }
    }

    @Test func loneSurrogatesBecomeTheReplacementCharacterWithANote() {
        let parsed = JSONParser.canonical(Array(#"["\ud800", "\udc00x"]"#.utf8))
        #expect(parsed.value?.description == "[\"\u{FFFD}\",\"\u{FFFD}x\"]")
        #expect(parsed.notes == [#"2 lone UTF-16 surrogate escapes (\ud800-\udfff without its pair) replaced by U+FFFD"#])
    }

    @Test func whatRFC8259DoesNotAllowIsAnErrorWithItsPosition() {
        #expect(error("")?.reason == "the message is empty: no value")
        #expect(error("   ")?.offset == 3)
        #expect(error("{\"a\":1,}") == JSONError(offset: 7, reason: "'}' where a member name (a string) should start; RFC 8259 allows no trailing comma"))
        #expect(error("[1,]")?.offset == 3)
        #expect(error("[01]") == JSONError(offset: 1, reason: "a number with a leading zero (RFC 8259 §6)"))
        #expect(error("1.")?.offset == 2)
        #expect(error("1e")?.offset == 2)
        #expect(error("-")?.offset == 1)
        #expect(error("'a'")?.offset == 0)                  // single quotes
        #expect(error("NaN")?.offset == 0)
        #expect(error("tru")?.offset == 0)
        #expect(error("{a:1}")?.offset == 1)                // unquoted name
        #expect(error("{\"a\" 1}")?.offset == 5)            // ':' missing
        #expect(error("[1 2]")?.offset == 3)
        #expect(error("[1] [2]")?.offset == 4)              // two values
        #expect(error("42 is the answer")?.offset == 3)
        #expect(error("\"abc")?.offset == 0)               // never closed
        #expect(error("\"a\\x\"")?.offset == 2)            // \x is no escape
        #expect(error("\"\\u12g4\"")?.offset == 5)
        #expect(error("/* c */ 1")?.offset == 0)           // comments
    }

    @Test func rawControlCharactersAndInvalidUTF8InStringsAreErrors() {
        // "a<LF>b": a line feed must be escaped inside a string.
        #expect(error([0x22, 0x61, 0x0A, 0x62, 0x22]) == JSONError(offset: 2, reason: "control character U+000A inside a string; it must be escaped"))
        // C0 80: an overlong encoding of NUL.
        #expect(error([0x22, 0xC0, 0x80, 0x22])?.offset == 1)
        // ED A0 80: a UTF-16 surrogate encoded as UTF-8 (not allowed in UTF-8).
        #expect(error([0x22, 0xED, 0xA0, 0x80, 0x22])?.offset == 1)
        // F4 90 80 80: beyond U+10FFFF.
        #expect(error([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22])?.offset == 1)
        // E4 BD: the first two bytes of 你 (E4 BD A0), then the closing quote.
        #expect(error([0x22, 0xE4, 0xBD, 0x22])?.offset == 1)
        // A byte order mark (EF BB BF) before the value.
        #expect(error([0xEF, 0xBB, 0xBF, 0x31])?.offset == 0)
        // A byte that is not ASCII outside a string.
        #expect(error([0x5B, 0xFF, 0x5D])?.reason == "byte 0xff where a value should start (an object, array, string, number, true, false or null)")
    }

    @Test func nestingDeeperThanTheLimitIsAnErrorNotACrash() {
        var limits = ViewLimits()
        limits.maxDepth = 64
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(JSONParser.parse(deep, limits: limits).error?.offset == 64)
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(JSONParser.parse(Array(fine.utf8), limits: limits).value != nil)
        let over = "[" + fine + "]"
        #expect(JSONParser.parse(Array(over.utf8), limits: limits).error?.reason == "arrays and objects nested deeper than 64 (the view's limit)")
    }

    @Test func moreValuesThanTheLimitIsAnError() {
        var limits = ViewLimits()
        limits.maxValues = 10
        #expect(JSONParser.parse(Array("[1,2,3,4,5,6,7,8,9]".utf8), limits: limits).value != nil)      // 10 values with the array
        #expect(JSONParser.parse(Array("[1,2,3,4,5,6,7,8,9,10]".utf8), limits: limits).error?.offset == 19)
    }

    @Test func canonicalTextNeverHoldsWhatATerminalMustNotSee() {
        // Every scalar below 0x100 and the dangerous ones above, each escaped in a string.
        var scalars = (0..<0x100).compactMap(Unicode.Scalar.init)
        scalars += [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF].compactMap(Unicode.Scalar.init)
        let input = "\"" + scalars.map { uEscape($0.value) }.joined() + "\""
        let text = JSONParser.canonical(Array(input.utf8)).value!.description
        for scalar in text.unicodeScalars {
            #expect(!(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF].contains(scalar.value)),
                    "U+\(String(scalar.value, radix: 16)) left raw")
        }
    }
}

/// `\uXXXX` for a scalar value.
func uEscape(_ value: UInt32) -> String {
    let hex = String(value, radix: 16)
    return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}

import WSStream
import Foundation
import Testing
import WSReport
import WSWire

@Suite struct EscapingTests {
    @Test(arguments: [
        (Array("plain".utf8), "plain"),
        ([0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x52, 0x45, 0x44], "\\x1b[31mRED"),          // ANSI colour
        (Array("\u{1B}]0;owned\u{07}".utf8), "\\x1b]0;owned\\x07"),                   // OSC window title
        (Array("a\rb\nc\td".utf8), "a\\rb\\nc\\td"),
        (Array("back\\slash".utf8), "back\\\\slash"),
        (Array("abc\u{202E}fed".utf8), "abc\\u{202e}fed"),                           // bidi override
        (Array("\u{2066}x\u{2069}".utf8), "\\u{2066}x\\u{2069}"),                      // bidi isolates
        ([0xC2, 0x9B, 0x41], "\\u{9b}A"),                                             // C1 CSI
        ([0x41, 0xFF, 0xC3], "A\\xff\\xc3"),                                          // invalid UTF-8
        (Array("你好".utf8), "你好"),
        ([0x7F], "\\x7f"),
    ])
    func terminalEscaping(input: [UInt8], expected: String) {
        #expect(TerminalText.escape(input) == expected)
    }

    @Test func escapedTextHasNoControlBytes() {
        let all = (0...255).map { UInt8($0) }
        let escaped = TerminalText.escape(all)
        #expect(escaped.unicodeScalars.allSatisfy { !TerminalText.isUnsafe($0) })
    }

    @Test func displayWidthCountsWideCharactersTwice() {
        #expect(TerminalText.displayWidth("你好") == 4)
        #expect(TerminalText.displayWidth("abc") == 3)
        #expect(TerminalText.displayWidth("\u{1B}[1mab\u{1B}[0m") == 2)
    }

    @Test func jsonIsValidAndTerminalSafeForAnyString() throws {
        var writer = JSONWriter()
        writer.beginObject()
        let nasty = String(decoding: (0...255).map { UInt8($0) }, as: UTF8.self) + "\u{202E}\u{2028}\u{FEFF}\u{061C}\"\\"
        writer.key("s"); writer.string(nasty)
        writer.key("b"); writer.string(utf8: [0x41, 0xFF, 0x42])
        writer.key("n"); writer.int(-42)
        writer.key("u"); writer.int(UInt64.max)
        writer.key("t"); writer.timestamp(Timestamp(seconds: 1_732_250_000, nanoseconds: 1_234_000, digits: 6))
        writer.key("a"); writer.beginArray(); writer.int(1); writer.null(); writer.bool(true); writer.endArray()
        writer.endObject()
        let bytes = writer.bytes
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(object["s"] as? String == nasty)
        #expect(object["b"] as? String == "A\u{FFFD}B")
        #expect(object["n"] as? Int == -42)
        #expect((object["t"] as? NSNumber)?.doubleValue == 1_732_250_000.001234)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"t\":1732250000.001234"))
        #expect(text.contains("\"u\":18446744073709551615"))
        #expect(text.unicodeScalars.allSatisfy { !TerminalText.isUnsafe($0) })
    }

    @Test func frameJSONHasTheDocumentedKeysInOrder() throws {
        let frame = FrameCollector.decode([0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a]).frames[0]
        var writer = JSONWriter()
        writer.frame(frame, from: .client)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"kind":"frame","from":"client","offset":0,"fin":true,"rsv1":false,"rsv2":false,"rsv3":false,"opcode":1,"opcode_name":"text","masked":true,"length_form":"7-bit","payload_length":6,"compressed":false,"masking_key":"af8753b4","payload_hex":"e4bda0e5a5bd","payload_truncated":false,"text":"你好","close_code":null,"close_reason":null,"complete":true,"diagnostics":[]}"#)
    }

    @Test func payloadLimitCutsHexAndText() throws {
        let frame = FrameCollector.decode([0x81, 0x06] + Array("你好".utf8)).frames[0]
        var writer = JSONWriter()
        writer.frame(frame, from: .server, context: FrameRecordContext(payloadLimit: 4))
        let object = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as! [String: Any]
        #expect(object["payload_hex"] as? String == "e4bda0e5")
        #expect(object["payload_truncated"] as? Bool == true)
        #expect(object["text"] as? String == "你")
    }
}

import WSStream
import Foundation
import Testing
@testable import WSReport
import WSWire

/// The hand-rolled JSON writer's fast paths give what a straightforward encoding gives.
@Suite struct JSONWriterTests {
    static func written(_ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter(capacity: 8)   // tiny: every path must grow the buffer correctly
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func integers() {
        let values: [Int64] = [0, 5, 9, 10, 42, 99, 100, 101, 999, 1_000, 65_535, 1_700_000_000, Int64.max, -1, -10, Int64.min]
        for value in values {
            #expect(Self.written { $0.int(value) } == String(value))
        }
        #expect(Self.written { $0.int(UInt64.max) } == String(UInt64.max))
        #expect(Self.written { $0.beginArray(); $0.int(1); $0.int(22); $0.int(333); $0.endArray() } == "[1,22,333]")
    }

    @Test(arguments: [(Int8(6), Int32(123_456_000), "1700000000.123456"), (9, 5, "1700000000.000000005"),
                      (3, 999_000_000, "1700000000.999"), (0, 0, "1700000000"), (1, 900_000_000, "1700000000.9")])
    func timestamps(digits: Int8, nanoseconds: Int32, expected: String) {
        let time = Timestamp(seconds: 1_700_000_000, nanoseconds: nanoseconds, digits: digits)
        #expect(Self.written { $0.timestamp(time) } == expected)
    }

    @Test func hexOfBytesAndMaskingKeys() {
        #expect(Self.written { $0.hex([0x00, 0x0F, 0xA0, 0xFF]) } == "\"000fa0ff\"")
        #expect(Self.written { $0.hex(MaskingKey(0xAF, 0x87, 0x53, 0xB4)) } == "\"af8753b4\"")
        #expect(Self.written { $0.hex([UInt8]()) } == "\"\"")
        let long = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        #expect(Self.written { $0.hex(long[...]) } == "\"" + long.map { String(format: "%02x", $0) }.joined() + "\"")
    }

    /// Keys of every length (the short-copy paths handle 1-3, 4-7, 8-16 and longer).
    @Test func keysAndLiterals() {
        #expect(Self.written { $0.beginObject(); $0.key("a"); $0.string(literal: "frame"); $0.key("ts"); $0.null(); $0.endObject() }
                == #"{"a":"frame","ts":null}"#)
        #expect(Self.written { $0.beginObject(); $0.key("opcode"); $0.bool(true); $0.key("payload_length"); $0.bool(false)
                               $0.key("a_key_longer_than_sixteen"); $0.int(1); $0.endObject() }
                == #"{"opcode":true,"payload_length":false,"a_key_longer_than_sixteen":1}"#)
    }

    /// Names from wsinspect's tables skip the escaping scan; anything unusual still comes out escaped.
    @Test func namesFallBackToEscaping() {
        #expect(Self.written { $0.string(name: "reserved-0x3") } == "\"reserved-0x3\"")
        #expect(Self.written { $0.string(name: "quote\"and\\") } == #""quote\"and\\""#)
        #expect(Self.written { $0.string(name: "tab\there") } == #""tab\there""#)
        #expect(Self.written { $0.string(name: String(repeating: "x", count: 40)) } == "\"" + String(repeating: "x", count: 40) + "\"")
    }

    /// The eight-bytes-at-a-time scan finds a special byte wherever it sits in the word.
    @Test func escapingAtEveryPosition() throws {
        for position in 0..<20 {
            for special in ["\"", "\\", "\n", "\u{01}", "\u{7F}", "é", "\u{2028}"] {
                var text = String(repeating: "a", count: 20)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                let json = Self.written { $0.string(text) }
                let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as? String
                #expect(decoded == text, "\(special.unicodeScalars.map { $0.value }) at \(position)")
            }
        }
    }

    @Test func cFormatMatchesPrintf() {
        #expect(cFormat("%.6f s", 1.5) == "1.500000 s")
        #expect(cFormat("%.0f%%", 99.5) == "100%")
        #expect(cFormat("%04ld-%02ld", 2026, 3) == "2026-03")
        #expect(cFormat("%ld× %.3f", 2, 0.0005) == "2× 0.001")
        let long = cFormat("%.3f", 1e200)
        #expect(long.count > 128 && long.hasSuffix(".000"))
    }
}

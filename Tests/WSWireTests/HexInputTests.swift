import Testing
import WSWire

@Suite struct HexInputTests {
    /// A masked text frame from a client, FIN, 6 bytes: "你好" under key af8753b4.
    static let nihao: [UInt8] = [0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a]

    @Test(arguments: [
        "81 86 af 87 53 b4 4b 3a f3 51 0a 3a",
        "81 86 AF 87 53 B4 4B 3A F3 51 0A 3A",
        "8186af8753b44b3af3510a3a",                           // Wireshark "Copy as hex stream"
        "81:86:af:87:53:b4:4b:3a:f3:51:0a:3a",
        "0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a",
        "0X81,0X86,0XAF,0X87,0X53,0XB4,0X4B,0X3A,0XF3,0X51,0X0A,0X3A",
        "\\x81\\x86\\xaf\\x87\\x53\\xb4\\x4b\\x3a\\xf3\\x51\\x0a\\x3a",
        "b'\\x81\\x86\\xaf\\x87\\x53\\xb4\\x4b\\x3a\\xf3\\x51\\x0a\\x3a'",
        "<Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>",
        "  <Buffer 81 86 af 87 53 b4 4b 3a f3 51 0a 3a>\n",
        "81 86 af 87\n53 b4 4b 3a\r\nf3 51 0a 3a\n",
        "[0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a]",
        "{0x81,0x86,0xaf,0x87,0x53,0xb4,0x4b,0x3a,0xf3,0x51,0x0a,0x3a};",
        "8186 af87 53b4 4b3a f351 0a3a",
        "81-86-af-87-53-b4-4b-3a-f3-51-0a-3a",
    ])
    func everySpellingGivesTheSameBytes(text: String) throws {
        // the masked text frame "你好", spelled every plain way
        #expect(try HexInput.parse(text) == Self.nihao)
    }

    @Test func oddDigitCountNamesItsPosition() {
        // a text frame header (81) then a group of three digits: no byte boundary to trust
        #expect(throws: HexInput.Error(message: "odd number of hex digits in \"868\" (3 digits; each byte needs two)", line: 1, column: 4)) {
            try HexInput.parse("81 868 af")
        }
        #expect(throws: HexInput.Error.self) { try HexInput.parse("8186a") }
    }

    @Test func nonHexCharacterNamesItsPosition() {
        // a frame header (81 86) then a line with a letter that is not hex, and a CJK character
        #expect(throws: HexInput.Error(message: "not a hex digit: 'g'", line: 2, column: 4)) {
            try HexInput.parse("81 86\n53 g4")
        }
        #expect(throws: HexInput.Error(message: "not a hex digit: U+4F60", line: 1, column: 1)) {
            try HexInput.parse("你")
        }
    }

    @Test func abbreviatedNodeBufferIsExplained() throws {
        // Node printed three bytes of a frame and left out nine
        do {
            _ = try HexInput.parse("<Buffer 81 86 af ... 9 more bytes>")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("Node shortened this Buffer"))
        }
    }

    /// A hex stream in even groups is not a dump: an offset column is 4+ digits followed by a two-digit byte (or
    /// xxd's colon), so `8105 4865` and `0000 0000` stay plain hex.
    @Test func evenGroupsAreNotAnOffsetColumn() throws {
        // text frame "Hello" in groups of four, on one line and over two
        #expect(try HexInput.parse("8105 4865 6c6c 6f") == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(try HexInput.parse("8105\n48656c6c6f") == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        // a non-final continuation frame of length 0, twice: four zero bytes, none of them an offset
        #expect(try HexInput.parse("0000 0000") == [0, 0, 0, 0])
        #expect(try HexInput.parse("00 00 00 00") == [0, 0, 0, 0])
    }

    @Test func emptyInputGivesNoBytes() throws {
        // only whitespace: no frame at all
        #expect(try HexInput.parse("  \n ") == [])
    }
}

import Testing
@testable import WSWire

/// The frames the dumps below print. Their text is what the tools printed (xxd 2024-era vim, util-linux hexdump,
/// GNU od); Wireshark's is its "Copy as Hex Dump" layout.
enum PastedFrame {
    /// A final text frame, unmasked, 5 bytes: "Hello".
    static let hello: [UInt8] = [0x81, 0x05] + Array("Hello".utf8)
    /// A final text frame, unmasked, 23 bytes: "Hello, WebSocket world!" (two dump lines).
    static let world: [UInt8] = [0x81, 0x17] + Array("Hello, WebSocket world!".utf8)
    /// A final binary frame, unmasked, 16-bit length 64, 64 zero bytes (dumps print repeated lines as `*`).
    static let zeros: [UInt8] = [0x82, 0x7E, 0x00, 0x40] + [UInt8](repeating: 0, count: 64)
    /// A final text frame, unmasked, 32 bytes of hex-looking text "0123456789abcdef0123456789abcdef".
    static let hexText: [UInt8] = [0x81, 0x20] + Array("0123456789abcdef0123456789abcdef".utf8)
}

@Suite struct PasteFormatDumpTests {
    @Test func xxd() throws {
        // `printf '\x81\x05Hello' | xxd`: text frame "Hello"
        #expect(try HexInput.parse("00000000: 8105 4865 6c6c 6f                        ..Hello\n") == PastedFrame.hello)
        // two lines: text frame "Hello, WebSocket world!"
        #expect(try HexInput.parse("""
            00000000: 8117 4865 6c6c 6f2c 2057 6562 536f 636b  ..Hello, WebSock
            00000010: 6574 2077 6f72 6c64 21                   et world!
            """) == PastedFrame.world)
        // `xxd -g1` and `xxd -g4`: text frame "Hello"
        #expect(try HexInput.parse("00000000: 81 05 48 65 6c 6c 6f                             ..Hello") == PastedFrame.hello)
        #expect(try HexInput.parse("00000000: 81054865 6c6c6f                      ..Hello") == PastedFrame.hello)
    }

    @Test func xxdAutoskipStarIsExpanded() throws {
        // `xxd -a`: binary frame of 64 zero bytes; the `*` stands for lines 0x20 and 0x30
        #expect(try HexInput.parse("""
            00000000: 827e 0040 0000 0000 0000 0000 0000 0000  .~.@............
            00000010: 0000 0000 0000 0000 0000 0000 0000 0000  ................
            *
            00000040: 0000 0000                                ....
            """) == PastedFrame.zeros)
    }

    @Test func hexdumpCanonical() throws {
        // `hexdump -C`: text frame "Hello", then the offset-only line that is not a byte
        #expect(try HexInput.parse("""
            00000000  81 05 48 65 6c 6c 6f                              |..Hello|
            00000007
            """) == PastedFrame.hello)
        // two lines with the gap after the eighth byte: text frame "Hello, WebSocket world!"
        #expect(try HexInput.parse("""
            00000000  81 17 48 65 6c 6c 6f 2c  20 57 65 62 53 6f 63 6b  |..Hello, WebSock|
            00000010  65 74 20 77 6f 72 6c 64  21                       |et world!|
            00000019
            """) == PastedFrame.world)
        // `*` repeats line 0x10 up to 0x40: binary frame of 64 zero bytes
        #expect(try HexInput.parse("""
            00000000  82 7e 00 40 00 00 00 00  00 00 00 00 00 00 00 00  |.~.@............|
            00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|
            *
            00000040  00 00 00 00                                       |....|
            00000044
            """) == PastedFrame.zeros)
    }

    @Test func odWithHexOctalAndDecimalOffsets() throws {
        // `od -A x -t x1`: text frame "Hello"
        #expect(try HexInput.parse("000000 81 05 48 65 6c 6c 6f\n000007\n") == PastedFrame.hello)
        // `od -A x -t x1`, two lines: text frame "Hello, WebSocket world!"
        #expect(try HexInput.parse("""
            000000 81 17 48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b
            000010 65 74 20 77 6f 72 6c 64 21
            000019
            """) == PastedFrame.world)
        // `od -A x -t x1` with `*`: binary frame of 64 zero bytes
        #expect(try HexInput.parse("""
            000000 82 7e 00 40 00 00 00 00 00 00 00 00 00 00 00 00
            000010 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            *
            000040 00 00 00 00
            000044
            """) == PastedFrame.zeros)
        // `od -t x1` (octal offsets: 0000020 is 16, 0000100 is 64): the same frame
        #expect(try HexInput.parse("""
            0000000 82 7e 00 40 00 00 00 00 00 00 00 00 00 00 00 00
            0000020 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            *
            0000100 00 00 00 00
            0000104
            """) == PastedFrame.zeros)
        // `od -A d -t x1`: text frame "Hello, WebSocket world!"
        #expect(try HexInput.parse("""
            0000000 81 17 48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b
            0000016 65 74 20 77 6f 72 6c 64 21
            0000025
            """) == PastedFrame.world)
    }

    @Test func odWithItsTextColumn() throws {
        // `od -A x -t x1z`: text frame "Hello, WebSocket world!"; the >…< column is not bytes
        #expect(try HexInput.parse("""
            000000 81 17 48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b  >..Hello, WebSock<
            000010 65 74 20 77 6f 72 6c 64 21                       >et world!<
            000019
            """) == PastedFrame.world)
    }

    @Test func wiresharkCopyAsHexDump() throws {
        // one line: text frame "Hello"
        #expect(try HexInput.parse("0000   81 05 48 65 6c 6c 6f                              ..Hello") == PastedFrame.hello)
        // two lines: text frame "Hello, WebSocket world!"
        #expect(try HexInput.parse("""
            0000   81 17 48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b   ..Hello, WebSock
            0010   65 74 20 77 6f 72 6c 64 21                        et world!
            """) == PastedFrame.world)
    }

    /// The offset column is never a byte (it used to be read as `00 00`).
    @Test func offsetColumnIsNotABytePair() throws {
        // text frame "Hello", with and without the text column
        #expect(try HexInput.parse("0000   81 05 48 65 6c 6c 6f   ..Hello") == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(try HexInput.parse("0000   81 05 48 65 6c 6c 6f") == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    /// A text column that looks like hex (`ef0123456789abcd`) is told from bytes by matching the bytes it shows.
    @Test func textColumnThatLooksLikeHex() throws {
        // Wireshark: text frame "0123456789abcdef0123456789abcdef"; line 1's text column starts with a space (0x20)
        #expect(try HexInput.parse("""
            0000   81 20 30 31 32 33 34 35 36 37 38 39 61 62 63 64   . 0123456789abcd
            0010   65 66 30 31 32 33 34 35 36 37 38 39 61 62 63 64   ef0123456789abcd
            0020   65 66                                             ef
            """) == PastedFrame.hexText)
        // xxd of the four bytes "abcd" (not a frame): the column "abcd" is text, not two more bytes
        #expect(try HexInput.parse("00000000: 6162 6364                                abcd") == Array("abcd".utf8))
    }

    @Test func dumpsPastedOneAfterAnother() throws {
        // two xxd runs: text frame "Hello", then the same frame again (offset zero starts the second dump)
        #expect(try HexInput.parse("""
            00000000: 8105 4865 6c6c 6f                        ..Hello
            00000000: 8105 4865 6c6c 6f                        ..Hello
            """) == PastedFrame.hello + PastedFrame.hello)
    }

    @Test func partOfADumpIsConfirmedByItsColumns() throws {
        // xxd's second line alone (the colon confirms the offset): "et world!" as bytes
        #expect(try HexInput.parse("00000010: 6574 2077 6f72 6c64 21                   et world!") == Array("et world!".utf8))
        // od lines from offset 0x10 with a second offset confirming the first
        #expect(try HexInput.parse("000010 65 74 20 77 6f 72 6c 64 21\n000019") == Array("et world!".utf8))
    }

    @Test func offsetThatDoesNotCountTheBytesIsAnError() {
        // hexdump -C whose second line claims offset 0x20 after 16 bytes
        #expect(throws: HexInput.Error(message: "offset \"00000020\" does not count the 16 bytes before it (expected 00000010)", line: 2, column: 1)) {
            try HexInput.parse("""
                00000000  81 17 48 65 6c 6c 6f 2c  20 57 65 62 53 6f 63 6b  |..Hello, WebSock|
                00000020  65 74 20 77 6f 72 6c 64  21                       |et world!|
                """)
        }
    }

    @Test func textColumnThatDoesNotShowTheBytesIsAnError() {
        // xxd: text frame "Hellp" whose column says "Hello" (an edited byte)
        #expect(throws: HexInput.Error(message: "the text column \"..Hello\" does not show the bytes before it (expected \"..Hellp\")", line: 1, column: 52)) {
            try HexInput.parse("00000000: 8105 4865 6c6c 70                        ..Hello")
        }
        // hexdump -C with its last '|' cut off
        #expect(throws: HexInput.Error(message: "the text column \"|..Hello\" does not show the bytes before it (expected \"..Hello\")", line: 1, column: 61)) {
            try HexInput.parse("00000000  81 05 48 65 6c 6c 6f                              |..Hello\n00000007")
        }
    }

    @Test func starNeedsTheOffsetWhereTheRepetitionEnds() {
        // hexdump -C cut after its `*`
        #expect(throws: HexInput.Error(message: "the '*' on line 2 is not followed by the offset where the repetition ends", line: 2, column: 1)) {
            try HexInput.parse("00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\n")
        }
        // a `*` whose end is not a whole number of 16-byte lines
        #expect(throws: HexInput.Error.self) {
            try HexInput.parse("000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n000018\n")
        }
        // a `*` that would stand for 4 GiB
        #expect(throws: HexInput.Error(message: "the '*' on line 2 repeats up to offset \"ffffffff\": more than 64 MiB", line: 3, column: 1)) {
            try HexInput.parse("00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\nffffffff\n")
        }
    }

    @Test func unconfirmedOffsetIsAnErrorNotAGuess() {
        // "8186 af 87": offset 0x8186 and two bytes, or three bytes?
        #expect(throws: HexInput.Error(message: "\"8186\" may be an offset column or bytes: paste the dump from its first line, or space the bytes evenly", line: 1, column: 1)) {
            try HexInput.parse("8186 af 87")
        }
    }

    @Test func sixteenBitWordsAreRefused() {
        // `printf '\x81\x05Hello' | hexdump`: words 0x0581 0x6548 … (bytes swapped on little-endian machines)
        #expect(throws: HexInput.Error(message: "these are 16-bit words (hexdump without -C, od -x), whose bytes are swapped on little-endian machines: use hexdump -C, od -A x -t x1 or xxd", line: 1, column: 9)) {
            try HexInput.parse("0000000 0581 6548 6c6c 006f\n0000007\n")
        }
    }

    @Test func offsetsThatFitTwoRadicesWithDifferentBytesAreAnError() {
        // `head -c 100 /dev/zero | od -A x -t x1`: 000060 is 96 in hex, 48 in octal, and both count whole lines
        #expect(throws: HexInput.Error(message: "the offsets count the bytes in hex and in octal alike, but the '*' repeats a different number of lines in each: paste the dump from od -v (no '*' lines) or hexdump -C", line: 2, column: 1)) {
            try HexInput.parse("000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n000060 00 00 00 00\n000064\n")
        }
    }
}

@Suite struct PasteFormatLiteralTests {
    @Test func pythonBytesLiterals() throws {
        // repr() of a text frame "Hello", in single and double quotes
        #expect(try HexInput.parse(#"b'\x81\x05Hello'"#) == PastedFrame.hello)
        #expect(try HexInput.parse(#"b"\x81\x05Hello""#) == PastedFrame.hello)
        // every escape: text frame of 7 bytes LF CR TAB \ ' " A
        let escaped: [UInt8] = [0x81, 0x07, 0x0A, 0x0D, 0x09, 0x5C, 0x27, 0x22, 0x41]
        #expect(try HexInput.parse(#"b'\x81\x07\n\r\t\\\'"A'"#) == escaped)
        #expect(try HexInput.parse(#"b"\x81\x07\n\r\t\\'\"A""#) == escaped)
        // octal and the rarer letters: close frame 1000 "\a" as b'\210\002\003\350'
        #expect(try HexInput.parse(#"b'\210\002\003\350'"#) == [0x88, 0x02, 0x03, 0xE8])
    }

    @Test func concatenatedPythonLiterals() throws {
        // text frame "Hello" as two literals, on one line, in parentheses over two lines, and in a bytearray
        #expect(try HexInput.parse(#"b'\x81\x05' b"Hello""#) == PastedFrame.hello)
        #expect(try HexInput.parse("(b'\\x81\\x05'\n b'Hello')\n") == PastedFrame.hello)
        #expect(try HexInput.parse(#"bytearray(b'\x81\x05Hello')"#) == PastedFrame.hello)
    }

    @Test func hexlifiedLiteralIsReadAsHex() throws {
        // binascii.hexlify of text frame "Hello"
        #expect(try HexInput.parse("b'810548656c6c6f'") == PastedFrame.hello)
    }

    @Test func badPythonLiteralsNameTheirPosition() {
        // unknown escape \q; a literal left open; a character Python refuses in bytes
        #expect(throws: HexInput.Error(message: #"unknown escape \q in a bytes literal"#, line: 1, column: 7)) { try HexInput.parse(#"b'\x81\q'"#) }
        #expect(throws: HexInput.Error(message: "the bytes literal is not closed with ' on its line", line: 1, column: 1)) { try HexInput.parse(#"b'\x81"#) }
        #expect(throws: HexInput.Error(message: "not ASCII in a bytes literal: U+4F60", line: 1, column: 3)) { try HexInput.parse("b'你'") }
        #expect(throws: HexInput.Error(message: "unexpected ',' after the bytes literal", line: 1, column: 8)) { try HexInput.parse(#"b'\x81', b'\x05'"#) }
    }

    @Test func cAndJavaScriptArrays() throws {
        // text frame "Hello" in every array spelling
        for text in [
            "{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}",
            "[0x81,0x05,0x48,0x65,0x6c,0x6c,0x6f]",
            "[129, 5, 72, 101, 108, 108, 111]",
            "new Uint8Array([129, 5, 72, 101, 108, 108, 111])",
            "bytes([129, 5, 72, 101, 108, 108, 111])",
            "const frame = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f,];",
            #"{"type":"Buffer","data":[129,5,72,101,108,108,111]}"#,
            "[81, 05, 48, 65, 6c, 6c, 6f]",
            // `xxd -i hello.bin`
            "unsigned char hello_bin[] = {\n  0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f\n};\nunsigned int hello_bin_len = 7;\n",
            "uint8_t frame[7] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};",
        ] {
            #expect(try HexInput.parse(text) == PastedFrame.hello, "\(text)")
        }
        // one element without a comma is not an array but plain hex: a text frame header claiming 5 bytes
        #expect(try HexInput.parse("[8105]") == [0x81, 0x05])
        // two-digit elements are hex: 81 10, a text frame claiming 16 bytes (not 0x51 0x0a)
        #expect(try HexInput.parse("[81, 10]") == [0x81, 0x10])
        // single-digit and three-digit elements are decimal: a non-final text frame claiming 0 bytes, then 0x81 0x00
        #expect(try HexInput.parse("[1, 0, 129, 0]") == [0x01, 0x00, 0x81, 0x00])
    }

    @Test func arraysThatCouldBeReadTwoWaysAreErrors() {
        // 0x81 beside a bare 10 (decimal in C, hex in a paste)
        #expect(throws: HexInput.Error(message: "mixed 0x-prefixed and bare numbers in one array (\"0x81\" and \"10\"): write every byte the same way", line: 1, column: 8)) {
            try HexInput.parse("[0x81, 10]")
        }
        // 05 (hex-looking) beside 129 (decimal)
        #expect(throws: HexInput.Error(message: "\"05\" looks like hex beside \"129\", which is decimal: write every byte the same way", line: 1, column: 7)) {
            try HexInput.parse("[129, 05, 72]")
        }
        // 300 is no byte
        #expect(throws: HexInput.Error(message: "\"300\" is not a byte (0-255)", line: 1, column: 7)) { try HexInput.parse("[129, 300]") }
        // 0x8105 is two bytes in one element
        #expect(throws: HexInput.Error(message: "\"0x8105\" is more than one byte", line: 1, column: 2)) { try HexInput.parse("{0x8105, 0x48}") }
        // xxd -i whose length line disagrees (the paste lost bytes)
        #expect(throws: HexInput.Error(message: "the length line says 9 bytes, the array holds 7", line: 2, column: 22)) {
            try HexInput.parse("unsigned char f[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};\nunsigned int f_len = 9;")
        }
        // a hex word outside the array would be a byte silently dropped
        #expect(throws: HexInput.Error(message: "unexpected \"ff\" outside the array", line: 1, column: 1)) {
            try HexInput.parse("ff [0x81, 0x05]")
        }
        // a number outside the array would be silently dropped
        #expect(throws: HexInput.Error(message: "unexpected number \"0x6f\" outside the array", line: 1, column: 38)) {
            try HexInput.parse("[0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c] 0x6f")
        }
    }
}

@Suite struct PasteFormatNonFrameTests {
    @Test func httpTextIsNamed() {
        // a handshake request and response pasted as text (or their bytes)
        #expect(NonFrameInput(text: "GET /chat HTTP/1.1\r\nHost: example.com\r\n\r\n") == .httpRequest)
        #expect(NonFrameInput(text: "\n  HTTP/1.1 101 Switching Protocols\r\n") == .httpResponse)
        #expect(NonFrameInput(bytes: Array("GET / HTTP/1.1\r\n".utf8)) == .httpRequest)
        #expect(NonFrameInput(bytes: Array("CONNECT example.com:443 HTTP/1.1\r\n".utf8)) == .httpRequest)
        // hex, and words that merely start like a method, are not HTTP
        #expect(NonFrameInput(text: "81 05 48 65 6c 6c 6f") == nil)
        #expect(NonFrameInput(text: "GETTER / x") == nil)
    }

    @Test func tlsRecordsAreNamed() {
        // a ClientHello's record header (handshake, version 03 01, 512 bytes) and TLS 1.2 application data
        #expect(NonFrameInput(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) == .tlsRecord(contentType: "handshake", version: "TLS 1.0"))
        #expect(NonFrameInput(bytes: [0x17, 0x03, 0x03, 0x00, 0x25]) == .tlsRecord(contentType: "application data", version: "TLS 1.2"))
        // 16 03 01 with a length no record has (0), or too short to hold a record header: not named
        #expect(NonFrameInput(bytes: [0x16, 0x03, 0x01, 0x00, 0x00]) == nil)
        #expect(NonFrameInput(bytes: [0x16, 0x03, 0x01]) == nil)
    }

    /// No frame that RFC 6455 and RFC 7692 allow is ever refused, whatever follows its first byte: data frames with
    /// or without FIN and RSV1 (compressed), control frames with FIN and without RSV bits.
    @Test func validFramesAreNeverRefused() {
        let firstBytes: [UInt8] = [0x00, 0x01, 0x02, 0x40, 0x41, 0x42, 0x80, 0x81, 0x82, 0xC0, 0xC1, 0xC2, 0x88, 0x89, 0x8A]
        let tails: [[UInt8]] = [[3, 0, 5], [3, 3, 0x20, 0], Array("ET / HTTP/1.1\r\n".utf8), Array("TTP/1.1 101 OK\r\n".utf8)]
        for first in firstBytes {
            for second in 0...255 {
                for tail in tails {
                    // a valid frame header byte, any length byte, then bytes that continue TLS or HTTP
                    #expect(NonFrameInput(bytes: [first, UInt8(second)] + tail) == nil)
                    #expect(NonFrameInput(bytes: [first] + tail) == nil)
                }
            }
        }
    }
}

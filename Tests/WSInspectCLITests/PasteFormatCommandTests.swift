import Foundation
import Testing

/// `wsinspect frame` fed what tools really print, raw bytes with --raw, and inputs that are not frames.
@Suite struct PasteFormatCommandTests {
    /// A final text frame, unmasked, 23 bytes: "Hello, WebSocket world!" (two lines in every dump).
    static let world: [UInt8] = [0x81, 0x17] + Array("Hello, WebSocket world!".utf8)

    static func temporary(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("paste-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The frame and message records of a `--json` run.
    static func records(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Runs wsinspect with standard input read from a file (bytes that are not UTF-8 text).
    static func runWithStandardInput(file: String, arguments: [String]) throws -> CLI.Result {
        // sh -c 'exec "$0" ... < FILE': the binary is $0, the file $1, wsinspect's arguments follow.
        try CLI.runProcess(URL(fileURLWithPath: "/bin/sh"),
                           ["-c", "f=$1; shift; exec \"$0\" \"$@\" < \"$f\"", CLI.binary.path, file] + arguments)
    }

    /// The dumps of the tools installed here, each read back to the frame it shows.
    @Test(arguments: [["/usr/bin/xxd"], ["/usr/bin/xxd", "-g1"], ["/usr/bin/hexdump", "-C"], ["/usr/bin/od", "-A", "x", "-t", "x1"],
                      ["/usr/bin/od", "-t", "x1"], ["/usr/bin/od", "-A", "x", "-t", "x1z"], ["/usr/bin/xxd", "-i"], ["/usr/bin/xxd", "-p"]])
    func realToolOutputIsRead(tool: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: tool[0]) else { return }
        // text frame "Hello, WebSocket world!", dumped by the tool
        let dump = try CLI.runTool(tool[0], Array(tool.dropFirst()) + [Self.temporary(Self.world)])
        let result = try CLI.run(["frame", "--json"], stdin: dump)
        #expect(result.status == 0, "\(tool): \(result.stderr)")
        let records = try Self.records(result.stdout)
        #expect(records.count == 2)   // one frame, one message
        #expect(records.first?["text"] as? String == "Hello, WebSocket world!", "\(tool)")
    }

    @Test func wiresharkDumpOnStandardInput() throws {
        // Wireshark "Copy as Hex Dump" of text frame "Hello, WebSocket world!"
        let dump = """
            0000   81 17 48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b   ..Hello, WebSock
            0010   65 74 20 77 6f 72 6c 64 21                        et world!

            """
        let result = try CLI.run(["frame", "--json"], stdin: dump)
        #expect(result.status == 0)
        #expect(try Self.records(result.stdout).first?["text"] as? String == "Hello, WebSocket world!")
    }

    /// `0000   81 05 …` used to decode its offset as a frame `00 00` (a continuation frame of length 0).
    @Test func offsetColumnIsNotDecodedAsAFrame() throws {
        // text frame "Hello", pasted with Wireshark's offset and text columns
        let result = try CLI.run(["frame", "--json", "0000   81 05 48 65 6c 6c 6f   ..Hello"])
        #expect(result.status == 0)
        let records = try Self.records(result.stdout)
        #expect(records.count == 2)   // one frame, one message: no 00 00 frame before it
        #expect(records[0]["payload_hex"] as? String == "48656c6c6f")
        #expect(records[0]["offset"] as? Int == 0)
    }

    @Test func pythonAndArrayLiteralsAsArguments() throws {
        // text frame "Hello" as a Python bytes literal, a JavaScript array and a C array
        for text in [#"b'\x81\x05Hello'"#, "new Uint8Array([129, 5, 72, 101, 108, 108, 111])", "{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};"] {
            let result = try CLI.run(["frame", "--json", text])
            #expect(result.status == 0, "\(text): \(result.stderr)")
            #expect(try Self.records(result.stdout).first?["text"] as? String == "Hello", "\(text)")
        }
    }

    @Test func rawReadsStandardInputAsTheBytes() throws {
        // text frame "Hello, WebSocket world!" as binary on standard input
        let file = try Self.temporary(Self.world)
        let result = try Self.runWithStandardInput(file: file, arguments: ["frame", "--raw", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.records(result.stdout).first?["text"] as? String == "Hello, WebSocket world!")
    }

    @Test func binaryWithoutRawIsExplained() throws {
        // the same binary frame without --raw: byte 0 (0x81) is not text
        let file = try Self.temporary(Self.world)
        let result = try Self.runWithStandardInput(file: file, arguments: ["frame"])
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: bad hex input: standard input is binary (byte 0 is 0x81), not text: pass --raw to read it as the frame bytes themselves\n")
    }

    @Test func rawWithHexArgumentsIsRefused() throws {
        // --raw and the hex of a text frame "A": two sources of bytes
        let result = try CLI.run(["frame", "--raw", "81 01 41"])
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: --raw reads the bytes from standard input; it cannot be combined with hex arguments (see wsinspect --help)\n")
    }

    @Test func httpTextIsRefusedInOneLine() throws {
        // a handshake request pasted as text, then its response, then a request's bytes in hex ("GET / HTTP/1.1")
        let request = try CLI.run(["frame"], stdin: "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\r\n")
        #expect(request.status == 2 && request.stdout.isEmpty)
        #expect(request.stderr == "wsinspect: this looks like an HTTP request, not frame bytes (try: wsinspect handshake -)\n")
        let response = try CLI.run(["frame"], stdin: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        #expect(response.status == 2)
        #expect(response.stderr == "wsinspect: this looks like an HTTP response, not frame bytes (try: wsinspect handshake -)\n")
        let hex = try CLI.run(["frame", "47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a"])
        #expect(hex.status == 2)
        #expect(hex.stderr == "wsinspect: this looks like an HTTP request, not frame bytes (try: wsinspect handshake -)\n")
    }

    @Test func tlsRecordIsRefusedInOneLine() throws {
        // a ClientHello record header (handshake, record version TLS 1.0, 512 bytes) and the start of its body
        let hello = try CLI.run(["frame", "16 03 01 02 00 01 00 01 fc 03 03"])
        #expect(hello.status == 2 && hello.stdout.isEmpty)
        #expect(hello.stderr == "wsinspect: these bytes look like a TLS record (handshake, TLS 1.0), not WebSocket frames: decrypt the capture with --keylog (Docs/tls.md)\n")
        // TLS 1.2 application data, as raw bytes on standard input, with and without --raw
        let file = try Self.temporary([0x17, 0x03, 0x03, 0x00, 0x13] + [UInt8](repeating: 0xA5, count: 19))
        for arguments in [["frame", "--raw"], ["frame"]] {
            let result = try Self.runWithStandardInput(file: file, arguments: arguments)
            #expect(result.status == 2)
            #expect(result.stderr == "wsinspect: these bytes look like a TLS record (application data, TLS 1.2), not WebSocket frames: decrypt the capture with --keylog (Docs/tls.md)\n")
        }
    }

    @Test func framesStartingLikeTLSButValidAreKept() throws {
        // 82 03 03 01 02: a binary frame of 3 bytes (03 01 02); only its third byte resembles a TLS version
        let result = try CLI.run(["frame", "--json", "82 03 03 01 02"])
        #expect(result.status == 0)
        #expect(try Self.records(result.stdout).first?["payload_hex"] as? String == "030102")
    }

    @Test func dumpErrorsNameTheirLine() throws {
        // hexdump -C whose second offset skips 16 bytes
        let dump = """
            00000000  81 17 48 65 6c 6c 6f 2c  20 57 65 62 53 6f 63 6b  |..Hello, WebSock|
            00000020  65 74 20 77 6f 72 6c 64  21                       |et world!|

            """
        let result = try CLI.run(["frame"], stdin: dump)
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: bad hex input: offset \"00000020\" does not count the 16 bytes before it (expected 00000010) at line 2, column 1\n")
    }

    @Test func quotedInputIsEscaped() throws {
        // an xxd line for text frame "Hello" whose text column carries a terminal escape (ESC [31m), as an argument
        // (on standard input the ESC would make it binary)
        let result = try CLI.run(["frame", "00000000: 8105 4865 6c6c 6f  \u{1B}[31mred"])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(result.stderr.hasPrefix("wsinspect: bad hex input: the text column"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

import ArgumentParser
import WSAnalysis
import WSReport
import WSWire
#if canImport(Glibc)
import Glibc
#endif

/// `wsinspect frame HEX...`: explain pasted frame bytes bit by bit.
struct FrameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame",
        abstract: "Explain the bytes of one or more frames, bit by bit.",
        discussion: """
        The bytes come from the arguments or, with none (or -), from standard input, in
        any form a tool prints them, recognised without a flag:
          hex                81 86 af, 8186af, 81:86:af, 0x81, 0x86, \\x81\\x86
          dumps              xxd, hexdump -C, od -A x -t x1, Wireshark's "Copy as
                             Hex Dump" (offset and text columns are never bytes;
                             * lines are expanded)
          Python             b'\\x81\\x05Hello'
          C, JavaScript      {0x81, 0x05}, [129, 5, 72], new Uint8Array([...])
          Node               <Buffer 81 05 ...>
        With --raw, standard input is the bytes themselves (binary). Several
        frames back to back are each explained. HTTP text and TLS records are
        named in one line instead of being decoded.

        Exit codes: 0 fine; 1 a frame is truncated, or --strict and an error-level diagnostic; 2 bad or empty input.
        """
    )

    @Option(name: .long, help: "Who sent the frames, which turns on the masking rules (client frames must be masked, server frames must not).")
    var from: SenderArgument?

    @Flag(name: .long, help: "Print one JSON object per frame instead of text (schema: Docs/json.md).")
    var json = false

    @Flag(name: .long, help: "Show every payload byte in the unmasking table and payload (default: the first 16 and 256).")
    var all = false

    @Flag(name: .long, help: "Exit with 1 when any error-level diagnostic is found.")
    var strict = false

    @Flag(name: .long, help: "permessage-deflate was negotiated: inflate messages whose first frame has RSV1 (context kept across messages).")
    var deflate = false

    @Option(name: .customLong("window-bits"), help: "With --deflate: the sender's max_window_bits (8-15).")
    var windowBits: Int = 15

    @Flag(name: .customLong("no-context-takeover"), help: "With --deflate: every message starts from an empty window.")
    var noContextTakeover = false

    @OptionGroup var display: DisplayOptions

    @OptionGroup var report: HTMLReportOptions

    @Flag(name: .long, help: "Read standard input as the frame bytes themselves (binary), not as text.")
    var raw = false

    @Argument(help: "Frame bytes in hex (or any form listed above).")
    var hex: [String] = []

    func validate() throws {
        if raw && !readsStandardInput {
            throw ValidationError("--raw reads the bytes from standard input; it cannot be combined with hex arguments")
        }
        if report.html != nil && json { throw ValidationError("--html writes the report to a file; it cannot be combined with --json") }
        guard (8...15).contains(windowBits) else { throw ValidationError("--window-bits must be 8-15") }
        if !deflate && (windowBits != 15 || noContextTakeover) {
            throw ValidationError("--window-bits and --no-context-takeover need --deflate")
        }
    }

    func run() throws {
        let bytes = try readFrameBytes()
        guard !bytes.isEmpty else {
            throw CommandFailure.usage("no bytes given: pass frame bytes in hex as arguments or on standard input")
        }
        if let foreign = NonFrameInput(bytes: bytes) { throw Self.refusal(foreign) }

        // The same WebSocket session a capture's connection has, fed the pasted bytes as one sender's stream; frames
        // are joined into messages as in a capture.
        let output = Output(descriptor: 1)
        let deflateSettings = deflate ? DeflateSettings(noContextTakeover: noContextTakeover, windowBits: windowBits) : nil
        let html = try report.open(title: "frame " + PastedTitle.hex(bytes))
        let analysis = PastedFramesOutput(sender: from?.sender, deflate: deflateSettings, json: json, allBytes: all,
                                          style: display.style(for: output), html: html).show(bytes, output: output)

        if analysis.truncated || (strict && analysis.tally.count(.error) > 0) { throw ExitStatus.checkFailed }
    }
}

extension FrameCommand {
    /// No hex argument, or the single argument `-`: the bytes come from standard input.
    var readsStandardInput: Bool { hex.isEmpty || hex == ["-"] }

    /// The bytes to explain: standard input itself with --raw; otherwise the text of the arguments or of standard
    /// input, in any form `HexInput` reads. HTTP text and TLS records are refused in one line before parsing.
    func readFrameBytes() throws -> [UInt8] {
        if raw { return readStandardInputBytes() }
        let text: String
        if readsStandardInput {
            let input = readStandardInputBytes()
            if let foreign = NonFrameInput(bytes: input) { throw Self.refusal(foreign) }
            if let binary = Self.firstBinaryByte(input) {
                throw CommandFailure.usage("bad hex input: standard input is binary (byte \(binary.offset) is 0x\(Hex.byte(binary.value))), "
                                           + "not text: pass --raw to read it as the frame bytes themselves")
            }
            text = String(decoding: input, as: UTF8.self)
        } else {
            text = hex.joined(separator: " ")
        }
        if let foreign = NonFrameInput(text: text) { throw Self.refusal(foreign) }
        do {
            return try HexInput.parse(text)
        } catch {
            throw CommandFailure.usage("bad hex input: \(error.description)")
        }
    }

    /// The one line that names input which is not frames.
    static func refusal(_ input: NonFrameInput) -> CommandFailure {
        switch input {
        case .httpRequest:
            CommandFailure.usage("this looks like an HTTP request, not frame bytes (try: wsinspect handshake -)")
        case .httpResponse:
            CommandFailure.usage("this looks like an HTTP response, not frame bytes (try: wsinspect handshake -)")
        case .tlsRecord(let contentType, let version):
            CommandFailure.usage("these bytes look like a TLS record (\(contentType), \(version)), not WebSocket frames: "
                                 + "decrypt the capture with --keylog (Docs/tls.md)")
        }
    }

    /// The first byte that pasted text would not hold: invalid UTF-8, or a control character other than tab, line
    /// feed, carriage return and form feed.
    static func firstBinaryByte(_ input: [UInt8]) -> (offset: Int, value: UInt8)? {
        var offset = 0
        while offset < input.count {
            let byte = input[offset]
            if (byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains(byte)) || byte == 0x7F { return (offset, byte) }
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            if length > 1 && (offset + length > input.count || String(validating: input[offset..<(offset + length)], as: UTF8.self) == nil) {
                return (offset, byte)
            }
            offset += length
        }
        return nil
    }
}

/// All of standard input as text (bounded: pasted hex is small; 64 MiB is far beyond any paste).
func readStandardInput(limit: Int = 64 << 20) -> String {
    String(decoding: readStandardInputBytes(limit: limit), as: UTF8.self)
}

/// All of standard input as bytes, up to `limit`.
func readStandardInputBytes(limit: Int = 64 << 20) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
        let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

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
        The hex comes from the arguments or, with none, from standard input. Spaces, newlines, colons, commas, 0x
        and \\x prefixes, Wireshark's "Copy as hex stream" and Node's <Buffer 81 86 ...> are all accepted.
        Several frames back to back are each explained.

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

    @Argument(help: "Frame bytes in hex.")
    var hex: [String] = []

    func validate() throws {
        guard (8...15).contains(windowBits) else { throw ValidationError("--window-bits must be 8-15") }
        if !deflate && (windowBits != 15 || noContextTakeover) {
            throw ValidationError("--window-bits and --no-context-takeover need --deflate")
        }
    }

    func run() throws {
        let text: String
        if hex.isEmpty {
            text = readStandardInput()
        } else {
            text = hex.joined(separator: " ")
        }
        let bytes: [UInt8]
        do {
            bytes = try HexInput.parse(text)
        } catch {
            throw CommandFailure.usage("bad hex input: \(error.description)")
        }
        guard !bytes.isEmpty else {
            throw CommandFailure.usage("no bytes given: pass frame bytes in hex as arguments or on standard input")
        }

        // The same WebSocket session a capture's connection has, fed the pasted bytes as one sender's stream.
        let output = Output(descriptor: 1)
        let deflateSettings = deflate ? DeflateSettings(noContextTakeover: noContextTakeover, windowBits: windowBits) : nil
        let renderer: InspectionSink
        let textView: PastedFramesTextRenderer?
        if json {
            renderer = JSONEventRenderer(output: output, includeFields: true)
            textView = nil
        } else {
            textView = PastedFramesTextRenderer(output: output, view: FrameView(options: FrameView.Options(allBytes: all, style: display.style(for: output))))
            renderer = textView!
        }
        // Frames are joined into messages as in a capture: JSON has their records, the text view shows each message
        // after its last frame.
        let order = PastedFramesOrder(forwardingTo: renderer, messages: true)
        let analysis = PastedFrames(options: PastedFrames.Options(sender: from?.sender, deflate: deflateSettings), sink: order)
        analysis.analyse(bytes)
        order.finish()
        textView?.finish()
        (renderer as? JSONEventRenderer)?.flush()
        output.flush()

        if analysis.truncated || (strict && analysis.tally.count(.error) > 0) { throw ExitStatus.checkFailed }
    }
}

/// All of standard input as text (bounded: pasted hex is small; 64 MiB is far beyond any paste).
func readStandardInput(limit: Int = 64 << 20) -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
        let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

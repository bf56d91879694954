import ArgumentParser
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

    @OptionGroup var display: DisplayOptions

    @Argument(help: "Frame bytes in hex.")
    var hex: [String] = []

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

        let context = FrameRuleContext(sender: from?.sender)
        let decoded = FrameCollector.decode(bytes, context: context)
        let output = Output(descriptor: 1)
        defer { output.flush() }

        if json {
            var writer = JSONWriter()
            for frame in decoded.frames {
                writer.frame(frame, from: from?.sender, context: FrameRecordContext(includeFields: true))
                writer.newline()
            }
            if let truncation = decoded.truncatedHeader {
                writer.truncatedHeader(truncation, from: from?.sender)
                writer.newline()
            }
            output.write(writer.bytes)
        } else {
            let view = FrameView(options: FrameView.Options(allBytes: all, style: display.style(for: output)))
            var number = 0
            for frame in decoded.frames {
                number += 1
                if number > 1 { output.line("") }
                output.lines(view.render(frame, number: number, sender: from?.sender))
            }
            if let truncation = decoded.truncatedHeader {
                number += 1
                if number > 1 { output.line("") }
                output.lines(view.render(truncation, number: number))
            }
        }
        output.flush()

        let truncated = decoded.truncatedHeader != nil || decoded.frames.contains { !$0.isComplete }
        let hasError = decoded.frames.contains { $0.diagnostics.worstSeverity == .error }
        if truncated || (strict && hasError) { throw ExitStatus.checkFailed }
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

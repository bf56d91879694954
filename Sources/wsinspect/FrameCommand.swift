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

        let context = deflate ? FrameRuleContext.permessageDeflate(sender: from?.sender) : FrameRuleContext(sender: from?.sender)
        let decoded = FrameCollector.decode(bytes, context: context)
        let messages = deflate ? assembleMessages(decoded.frames) : Array(repeating: nil, count: decoded.frames.count)
        let frames = zip(decoded.frames, messages.map { $0?.frameDiagnostics ?? [] }).map { frame, extra -> Frame in
            var frame = frame
            frame.addDiagnostics(extra)
            return frame
        }
        let output = Output(descriptor: 1)
        defer { output.flush() }

        if json {
            var writer = JSONWriter()
            var messageIndex = 0
            for (index, frame) in frames.enumerated() {
                let compressed = messages[index].map { $0.isCompressedFragment || $0.completed?.compressed == true } ?? false
                writer.frame(frame, from: from?.sender, context: FrameRecordContext(includeFields: true, compressed: compressed))
                writer.newline()
                if let message = messages[index]?.completed {
                    writer.message(message, from: from?.sender, index: messageIndex)
                    writer.newline()
                    messageIndex += 1
                }
            }
            if let truncation = decoded.truncatedHeader {
                writer.truncatedHeader(truncation, from: from?.sender)
                writer.newline()
            }
            output.write(writer.bytes)
        } else {
            let view = FrameView(options: FrameView.Options(allBytes: all, style: display.style(for: output)))
            var number = 0
            for (index, frame) in frames.enumerated() {
                number += 1
                if number > 1 { output.line("") }
                output.lines(view.render(frame, number: number, sender: from?.sender, message: messages[index]?.completed,
                                         compressedPart: messages[index]?.isCompressedFragment ?? false))
            }
            if let truncation = decoded.truncatedHeader {
                number += 1
                if number > 1 { output.line("") }
                output.lines(view.render(truncation, number: number))
            }
        }
        output.flush()

        let truncated = decoded.truncatedHeader != nil || decoded.frames.contains { !$0.isComplete }
        let hasError = frames.contains { $0.diagnostics.worstSeverity == .error }
            || messages.contains { $0?.completed?.diagnostics.worstSeverity == .error }
        if truncated || (strict && hasError) { throw ExitStatus.checkFailed }
    }
}

/// What the message layer says about one pasted frame.
struct FrameMessageInfo {
    /// Findings about the frame's place in the message stream.
    var frameDiagnostics: [Diagnostic] = []
    /// The message this frame completed.
    var completed: Message?
    /// True for a non-final fragment of a compressed message.
    var isCompressedFragment = false
}

extension FrameCommand {
    /// Runs the pasted frames through the message layer (one direction, permessage-deflate as given).
    func assembleMessages(_ frames: [Frame]) -> [FrameMessageInfo?] {
        var assembler = MessageAssembler(
            sender: from?.sender, deflate: DeflateSettings(noContextTakeover: noContextTakeover, windowBits: windowBits),
            options: MessageAssembler.Options(keepCompressed: true))
        var infos: [FrameMessageInfo?] = []
        var inCompressedMessage = false
        for (index, frame) in frames.enumerated() {
            var info = FrameMessageInfo()
            info.frameDiagnostics = assembler.frameStarted(frame)
            if frame.header.opcode == .text || frame.header.opcode == .binary { inCompressedMessage = frame.header.rsv1 }
            frame.payload.withUnsafeBytes { assembler.payload($0, header: frame.header) }
            let done = assembler.messagesEnded(by: frame, index: index)
            info.completed = done.last
            info.isCompressedFragment = frame.header.opcode.isData && inCompressedMessage && info.completed == nil
            infos.append(info)
        }
        if let unfinished = assembler.finish(because: "the input ended"), !infos.isEmpty {
            infos[infos.count - 1]?.completed = unfinished
        }
        return infos
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

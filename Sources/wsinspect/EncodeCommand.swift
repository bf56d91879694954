import ArgumentParser
import WSAnalysis
import WSReport
import WSWire

/// `wsinspect encode`: the inverse of `frame` — a message in, its exact bytes out, explained as `frame` explains them.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Build the frames of a message and explain their bytes (the inverse of frame).",
        discussion: """
        What to send: --text STRING, --binary HEX, --ping [DATA], --pong [DATA], --close [CODE] [--reason TEXT].
        --text - and --binary - read the payload from standard input (UTF-8 text as is, or hex in any form frame
        accepts), for payloads too large for an argument. --text '' is the empty text; an empty binary message is
        --binary '[]' (an empty --binary argument is refused, as an unset shell variable would give it).
        Who sends it: --from client (masked, the default) or --from server (unmasked); --mask HEX8 picks the key
        (otherwise a random key is chosen and printed).

        Shape: --fragment N splits a data message into N frames; --deflate compresses it as permessage-deflate without
        context takeover. To build a broken frame on purpose: --no-mask (a client frame), --length-form 16|64,
        --rsv1/--rsv2/--rsv3, --no-fin, --opcode N. Whatever makes the bytes break a rule (those options, or values
        such as --close 1005 or a reason past 123 bytes) is built as asked and said in a line above the frames, each
        rule with its id and RFC section; the frames are explained with the findings frame gives. With --fragment and
        --mask every frame reuses the one key (reproducible), which a real client must not do: mask-key-reused.

        EXAMPLES
          wsinspect encode --text 你好 --mask af8753b4       the tutorials' 81 86 af 87 53 b4 4b 3a f3 51 0a 3a
          wsinspect encode --text Hello --from server --deflate    RFC 7692's c1 07 f2 48 cd c9 c9 07 00
          wsinspect encode --close 1000 --reason bye --from server
          wsinspect encode --text Hello --fragment 2 --json

        Exit codes: 0 built and explained (findings on a frame that breaks the rules do not fail); 2 bad usage or
        unusable input (an empty or non-hex --binary, empty standard input, --text - that is not UTF-8).
        """
    )

    @Option(name: .long, help: "Send a text message (- reads it from standard input).")
    var text: String?

    @Option(name: .long, help: "Send a binary message (its bytes in hex, in any form frame accepts; - reads them from standard input).")
    var binary: String?

    @Flag(name: .long, help: "Send a ping; DATA (text) is its payload, if given.")
    var ping = false

    @Flag(name: .long, help: "Send a pong; DATA (text) is its payload, if given.")
    var pong = false

    @Flag(name: .long, help: "Send a close frame; CODE is its status code (none: an empty close body).")
    var close = false

    @Argument(help: "DATA for --ping and --pong, CODE for --close.")
    var value: String?

    @Option(name: .long, help: "With --close CODE: the reason text.")
    var reason: String?

    @Option(name: .long, help: "Who sends it: client (masked) or server (unmasked).")
    var from: SenderArgument = .client

    @Option(name: .long, help: "The masking key, 8 hex digits (e.g. af8753b4); default a random one.")
    var mask: String?

    @Flag(name: .customLong("no-mask"), help: "Leave a client frame unmasked (breaks RFC 6455 §5.1; explained).")
    var noMask = false

    @Option(name: .long, help: "Split a data message into N frames (continuation frames, FIN on the last).")
    var fragment: Int = 1

    @Flag(name: .long, help: "Compress as permessage-deflate without context takeover (RSV1 on the first frame, the 00 00 ff ff tail removed).")
    var deflate = false

    @Option(name: .customLong("length-form"), help: "Force the 16- or 64-bit length form (non-minimal: breaks RFC 6455 §5.2; explained).")
    var lengthForm: Int?

    @Flag(name: .long, help: "Set RSV1 on every frame.") var rsv1 = false
    @Flag(name: .long, help: "Set RSV2 on every frame.") var rsv2 = false
    @Flag(name: .long, help: "Set RSV3 on every frame.") var rsv3 = false

    @Flag(name: .customLong("no-fin"), help: "Leave FIN clear on the last frame.")
    var noFin = false

    @Option(name: .long, help: "Put this opcode (0-15) in the first frame instead of the message's.")
    var opcode: Int?

    @Flag(name: .long, help: "Print the frame and message records frame --json prints, and an encoded record with all the bytes.")
    var json = false

    @Flag(name: .long, help: "Show every payload byte in the unmasking table and payload.")
    var all = false

    @OptionGroup var display: DisplayOptions

    @OptionGroup var report: HTMLReportOptions

    func validate() throws {
        let kinds = [text != nil, binary != nil, ping, pong, close].filter { $0 }.count
        guard kinds == 1 else { throw ValidationError("say what to send: exactly one of --text, --binary, --ping, --pong, --close") }
        if value != nil && !(ping || pong || close) { throw ValidationError("a value after the options belongs to --ping, --pong or --close") }
        if reason != nil && !close { throw ValidationError("--reason goes with --close") }
        if close, let value, UInt16(value) == nil { throw ValidationError("--close takes a status code 0-65535, not \"\(value)\"") }
        if reason != nil && value == nil { throw ValidationError("--reason needs a close code: a close body without a code has no reason (RFC 6455 §5.5.1)") }
        if let mask, maskingKey(mask) == nil { throw ValidationError("--mask takes 8 hex digits, e.g. af8753b4") }
        if mask != nil && noMask { throw ValidationError("--mask and --no-mask contradict each other") }
        guard fragment >= 1 else { throw ValidationError("--fragment must be 1 or more") }
        if fragment > 1 && (ping || pong || close) {
            throw ValidationError("control frames are never fragmented (RFC 6455 §5.5); build one with --no-fin to see why")
        }
        if deflate && (ping || pong || close) { throw ValidationError("--deflate compresses data messages only (RFC 7692 §6.1)") }
        if let lengthForm, lengthForm != 16 && lengthForm != 64 { throw ValidationError("--length-form is 16 or 64") }
        if let opcode, !(0...15).contains(opcode) { throw ValidationError("--opcode is 0-15") }
        if report.html != nil && json { throw ValidationError("--html writes the report to a file; it cannot be combined with --json") }
    }

    func maskingKey(_ text: String) -> MaskingKey? {
        guard let bytes = try? HexInput.parse(text), bytes.count == 4 else { return nil }
        return MaskingKey(bytes)
    }

    func run() throws {
        let content: MessageEncoding.Content
        if let text {
            content = .text(text == "-" ? try Self.textFromStandardInput() : text)
        } else if let binary {
            content = .binary(try Self.binaryPayload(binary))
        } else if ping {
            content = .ping(Array((value ?? "").utf8))
        } else if pong {
            content = .pong(Array((value ?? "").utf8))
        } else {
            content = .close(code: value.flatMap { UInt16($0) }, reason: reason ?? "")
        }
        let sender = from.sender
        var message = MessageEncoding(content: content, sender: sender)
        if let mask { message.maskingKey = maskingKey(mask) }
        if noMask { message.masked = false }
        if mask != nil && sender == .server { message.masked = true }   // a masked server frame, on purpose
        message.fragments = fragment
        message.deflate = deflate
        message.lengthForm = lengthForm.map { $0 == 16 ? .sixteenBit : .sixtyFourBit }
        message.rsv1 = rsv1
        message.rsv2 = rsv2
        message.rsv3 = rsv3
        message.noFin = noFin
        message.opcode = opcode.flatMap { Opcode(rawValue: UInt8($0)) }
        var random = SystemRandomNumberGenerator()
        let frames = MessageEncoder.frames(message) {
            MaskingKey(UInt8.random(in: 0...255, using: &random), UInt8.random(in: 0...255, using: &random),
                       UInt8.random(in: 0...255, using: &random), UInt8.random(in: 0...255, using: &random))
        }
        let bytes = frames.flatMap(FrameEncoder.encode)

        let output = Output(descriptor: 1)
        let style = display.style(for: output)
        let settings = deflate ? DeflateSettings(noContextTakeover: true, windowBits: 15) : nil
        let html = try report.open(title: "encode " + PastedTitle.hex(bytes))
        let shown = PastedFramesOutput(sender: sender, deflate: settings, json: json, allBytes: all, style: style, html: html)
        // Whether the bytes break a rule is what the analysis finds in them (the same rules as frame and a capture),
        // whichever option or value made them so.
        let broken = shown.brokenRules(bytes)
        shown.show(
            bytes, output: output,
            before: { output in
                output.line(style.bold("Encoded: ") + Hex.string(bytes, separator: " "))
                output.line("  \(bytes.count) byte\(bytes.count == 1 ? "" : "s"), \(frames.count) frame\(frames.count == 1 ? "" : "s"), sent by the \(sender.rawValue)")
                for line in notes(frames, broken: broken) { output.line("  " + line) }
                output.line("")
            },
            afterJSON: { writer in
                writer.beginObject()
                writer.key(EncodedKey.kind); writer.string(literal: "encoded")
                writer.key(EncodedKey.hex); writer.hex(bytes)
                writer.key(EncodedKey.from); writer.string(name: sender.rawValue)
                writer.key(EncodedKey.frames); writer.int(frames.count)
                writer.key(EncodedKey.breaksRules); writer.bool(!broken.isEmpty)
                writer.endObject()
            })
    }

    /// What a reader should know about how the bytes were made.
    func notes(_ frames: [FrameSpecification], broken: [Rule]) -> [String] {
        var notes: [String] = []
        let keys = frames.compactMap(\.maskingKey)
        if !keys.isEmpty {
            let shown = Set(keys.map(\.hex)).sorted().joined(separator: ", ")
            if mask == nil {
                notes.append("masking key\(keys.count == 1 ? "" : "s") \(shown), chosen at random as a client must (--mask \(keys[0].hex) reproduces the first)")
            } else if keys.count == 1 {
                notes.append("masking key \(shown) (--mask)")
            } else {
                // Decided: --mask keeps one key so that the bytes are reproducible, and says what a real client does.
                notes.append("masking key \(shown) (--mask) on all \(keys.count) frames, reproducible; a real client picks a fresh unpredictable key for every frame")
            }
        }
        if deflate { notes.append("compressed with permessage-deflate, no context takeover: RSV1 on the first frame, the 00 00 ff ff tail removed") }
        if !broken.isEmpty {
            // Produced as asked, and said: each rule with its section; the findings below give the details.
            let rules = broken.map { "\($0.id) (\($0.section))" }.joined(separator: ", ")
            notes.append("built as asked, breaking \(broken.count == 1 ? "a rule" : "rules"): \(rules); the findings below are the ones frame gives for these bytes")
        }
        return notes
    }

    /// `--text -`: standard input as the text, byte for byte (a final newline included: `printf %s` sends none).
    static func textFromStandardInput() throws -> String {
        let bytes = readStandardInputBytes()
        guard !bytes.isEmpty else {
            throw CommandFailure.usage("--text -: no text given: standard input is empty (an empty text message is --text '')")
        }
        if let failure = UTF8Validator.validate(bytes) {
            throw CommandFailure.usage("--text -: standard input is not UTF-8 (byte \(failure.offset): \(failure.kind.rawValue)); "
                                       + "a text message must be: send bytes with --binary")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `--binary HEX` or `--binary -` (the hex on standard input): the payload. An argument or input with no bytes in
    /// it is refused (an unset shell variable gives one); `[]` or `b''` say "empty" on purpose.
    static func binaryPayload(_ argument: String) throws -> [UInt8] {
        let fromInput = argument == "-"
        let text = fromInput ? String(decoding: readStandardInputBytes(), as: UTF8.self) : argument
        let name = fromInput ? "--binary -" : "--binary"
        if text.allSatisfy(\.isWhitespace) {
            throw CommandFailure.usage("\(name): no bytes given: " + (fromInput ? "standard input is empty" : "the argument is empty")
                                       + " (an empty binary message is --binary '[]')")
        }
        do {
            return try HexInput.parse(text)
        } catch {
            throw CommandFailure.usage("\(name): bad hex input: \(error.description)")
        }
    }
}

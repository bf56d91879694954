import ArgumentParser
import WSReport
import WSWire

/// `wsinspect accept KEY [--expect ACCEPT]`: the Sec-WebSocket-Accept derivation step by step, and for a wrong
/// `--expect` value the likely mistake that produced it.
struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Derive Sec-WebSocket-Accept from a Sec-WebSocket-Key, step by step (RFC 6455 §4.2.2).",
        discussion: """
        The key comes from the arguments or, with none, from standard input: the key alone or its whole header line
        (Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==). When --expect does not match, the likely mistake is named:
        sha1-hex-not-base64, guid-missing, wrong-guid, key-decoded-first, whitespace-in-key, key-used-as-accept or
        unknown.

        Exit codes: 0 fine; 1 --expect does not match (or --strict and the key is not a 16-byte nonce); 2 bad usage.
        """
    )

    @Argument(help: "The Sec-WebSocket-Key value, e.g. dGhlIHNhbXBsZSBub25jZQ==, or its header line 'Sec-WebSocket-Key: …'. Read from standard input when left out.")
    var key: [String] = []

    @Option(name: .long, help: "The Sec-WebSocket-Accept value to compare with.")
    var expect: String?

    @Flag(name: .long, help: "Print a JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "Exit with 1 when the key itself is invalid (not base64 of 16 bytes).")
    var strict = false

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        // `accept Sec-WebSocket-Key: KEY` unquoted is two arguments; anything else is one key.
        if key.count > 1, WebSocketKeyInput.headerValue(in: key.joined(separator: " ")) == nil {
            throw ValidationError("give one key, or one Sec-WebSocket-Key: header line, not \(key.count) arguments")
        }
    }

    /// The key from the arguments, else from standard input.
    func givenKey() throws -> String {
        if !key.isEmpty { return WebSocketKeyInput.key(in: key.joined(separator: " ")) }
        switch WebSocketKeyInput.key(inText: readStandardInput()) {
        case .success(let key):
            return key
        case .failure(.empty):
            throw CommandFailure.usage("no key given: pass the Sec-WebSocket-Key as an argument or on standard input")
        case .failure(.severalLines(let count)):
            throw CommandFailure.usage("standard input has \(count) lines: give one key, or one Sec-WebSocket-Key: header line")
        }
    }

    func run() throws {
        let key = try givenKey()
        let derivation = AcceptDerivation(key: key)
        let keyCheck = WebSocketKeyCheck(key: key)
        let output = Output(descriptor: 1)
        if json {
            var writer = JSONWriter()
            writer.accept(derivation, keyCheck: keyCheck, received: expect)
            writer.newline()
            output.write(writer.bytes)
        } else {
            output.lines(AcceptView.render(derivation, keyCheck: keyCheck, received: expect, style: display.style(for: output)))
        }
        output.flush()
        if let expect, !derivation.matches(expect) { throw ExitStatus.checkFailed }
        if strict, !keyCheck.isValid { throw ExitStatus.checkFailed }
    }
}

import ArgumentParser
import WSReport
import WSWire

/// `wsinspect accept KEY [--expect ACCEPT]`: the Sec-WebSocket-Accept derivation step by step.
struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Derive Sec-WebSocket-Accept from a Sec-WebSocket-Key, step by step (RFC 6455 §4.2.2).",
        discussion: "Exit codes: 0 fine; 1 --expect does not match (or --strict and the key is not a 16-byte nonce); 2 bad usage."
    )

    @Argument(help: "The Sec-WebSocket-Key value, e.g. dGhlIHNhbXBsZSBub25jZQ==")
    var key: String

    @Option(name: .long, help: "The Sec-WebSocket-Accept value to compare with.")
    var expect: String?

    @Flag(name: .long, help: "Print a JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "Exit with 1 when the key itself is invalid (not base64 of 16 bytes).")
    var strict = false

    @OptionGroup var display: DisplayOptions

    func run() throws {
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

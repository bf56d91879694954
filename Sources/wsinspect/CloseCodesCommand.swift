import ArgumentParser
import WSReport

/// `wsinspect close-codes`: the close code registry.
struct CloseCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-codes",
        abstract: "List the WebSocket close codes (RFC 6455 §7.4): meaning, who may send each, which never appear on the wire."
    )

    @Flag(name: .long, help: "Print JSON Lines, one object per code and per range.")
    var json = false

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let output = Output(descriptor: 1)
        if json {
            output.write(CloseCodesView.json())
        } else {
            output.lines(CloseCodesView.text(style: display.style(for: output)))
        }
        output.flush()
    }
}

import ArgumentParser
import WSReport
import WSWire

/// `wsinspect rules`: the catalog of every rule checked.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule wsinspect checks, with its severity and RFC section."
    )

    @Flag(name: .long, help: "Print Markdown (Docs/rules.md is this output).")
    var markdown = false

    @Flag(name: .long, help: "Print JSON Lines, one object per rule.")
    var json = false

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        if markdown && json { throw ValidationError("--markdown and --json cannot be combined") }
    }

    func run() throws {
        let output = Output(descriptor: 1)
        if markdown {
            output.write(Array(RulesView.markdown().utf8))
        } else if json {
            output.write(RulesView.json())
        } else {
            output.lines(RulesView.text(style: display.style(for: output)))
        }
        output.flush()
    }
}

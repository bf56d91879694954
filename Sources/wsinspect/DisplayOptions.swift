import ArgumentParser
import WSReport
import WSWire
#if canImport(Glibc)
import Glibc
#endif

/// When to colour text output.
enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Options shared by every command that prints text.
struct DisplayOptions: ParsableArguments {
    @Option(name: .long, help: "Colour text output: auto (when standard output is a terminal and NO_COLOR is unset), always or never.")
    var color: ColorMode = .auto

    /// The style that the options and the environment ask for.
    func style(for output: Output) -> Style {
        switch color {
        case .always: return Style(enabled: true)
        case .never: return Style(enabled: false)
        case .auto:
            let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
            return Style(enabled: output.isTerminal && noColor.isEmpty)
        }
    }
}

/// Who sent some bytes, as given on the command line.
enum SenderArgument: String, ExpressibleByArgument, CaseIterable {
    case client, server

    var sender: Sender { self == .client ? .client : .server }
}

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

    // `.unconditional`: `--width -5` reaches validate() and its range error.
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Columns text output may take (payload previews shrink to fit; longer lines break between words). Default: the terminal's width; in a pipe $COLUMNS, else 100.",
                               valueName: "columns"))
    var width: Int?

    static let widths = 60...1000

    func validate() throws {
        if let width, !Self.widths.contains(width) {
            throw ValidationError("--width must be from \(Self.widths.lowerBound) to \(Self.widths.upperBound) columns")
        }
    }

    /// The columns text output takes: `--width`, else the terminal's, else `$COLUMNS`, else 100 (clamped to
    /// 60-1000).
    func columns(for output: Output) -> Int {
        if let width { return width }
        if output.isTerminal {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Self.clamp(Int(size.ws_col)) }
        }
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let value = Int(text), value > 0 {
            return Self.clamp(value)
        }
        return 100
    }

    private static func clamp(_ value: Int) -> Int { min(max(value, widths.lowerBound), widths.upperBound) }

    /// The style that the options and the environment ask for. Also sets the output's width (`columns(for:)`):
    /// every command that prints text asks for its style first.
    func style(for output: Output) -> Style {
        let width = columns(for: output)
        output.width = width
        switch color {
        case .always: return Style(enabled: true, width: width)
        case .never: return Style(enabled: false, width: width)
        case .auto:
            let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
            return Style(enabled: output.isTerminal && noColor.isEmpty, width: width)
        }
    }
}

/// Who sent some bytes, as given on the command line.
enum SenderArgument: String, ExpressibleByArgument, CaseIterable {
    case client, server

    var sender: Sender { self == .client ? .client : .server }
}

import ArgumentParser
import Foundation
import WSAnalysis
import WSReport
import WSWire

/// `wsinspect handshake FILE|-`: explain a pasted opening handshake.
struct HandshakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handshake",
        abstract: "Explain a pasted opening handshake: a request head, optionally followed by the response head.",
        discussion: """
        Paste what browser DevTools, curl -v or a tutorial shows: the request (GET … HTTP/1.1 and its headers), then,
        after a blank line, the response (HTTP/1.1 101 …). CRLF or bare LF line ends (bare LF is a note: a paste
        cannot show what was sent). The view is a capture's: each header with what it does, the Accept derivation
        checked, what was negotiated, and every rule of RFC 6455 §4 the text breaks.

        EXAMPLES
          wsinspect handshake request.txt
          pbpaste | wsinspect handshake -
          curl -v … 2>&1 | wsinspect handshake -

        Exit codes: 0 read and explained; 1 with --strict and an error-level finding; 2 not a handshake, or no file.
        """
    )

    @Argument(help: "A file holding the pasted handshake, or - for standard input.")
    var file: String = "-"

    @Flag(name: .long, help: "Print the handshake record (and diagnostic records) as a capture's JSON (schema: Docs/json.md).")
    var json = false

    @Flag(name: [.short, .long], help: "Show every header, not only the handshake's own.")
    var verbose = false

    @Flag(name: .long, help: "Exit with 1 when any error-level diagnostic is found.")
    var strict = false

    @OptionGroup var display: DisplayOptions

    @OptionGroup var report: HTMLReportOptions

    func validate() throws {
        if report.html != nil && json { throw ValidationError("--html writes the report to a file; it cannot be combined with --json") }
    }

    func run() throws {
        let text: String
        if file == "-" {
            text = readStandardInput()
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure.usage("cannot read handshake \(file): no such readable file")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let output = Output(descriptor: 1)
        let format: OutputFormat = json ? .json(fields: false, payloadLimit: nil) : .text(verbose: verbose)
        let html = try report.open(title: "handshake " + (file == "-" ? "from standard input" : file))
        let (sink, flush) = html.map { ($0.renderer as InspectionSink, $0.finish) }
            ?? format.renderer(output: output, style: display.style(for: output))
        let tally: DiagnosticTally
        do {
            tally = try PastedHandshake.analyse(text, sink: sink)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        flush()
        output.flush()
        if strict && tally.count(.error) > 0 { throw ExitStatus.checkFailed }
    }
}

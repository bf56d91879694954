import ArgumentParser
import Glibc
import WSReport
import WSWire

/// `--html FILE` (and `--html-max-frames`), shared by the capture commands and `frame`, `encode`, `handshake`: the
/// self-contained HTML report written to FILE instead of the text view.
struct HTMLReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write a self-contained HTML report to FILE (inline CSS, script and SVG; nothing loaded from the network) instead of printing the text view.", valueName: "file"))
    var html: String?

    @Option(name: .customLong("html-max-frames"), help: "Frames embedded in the HTML report at most; the report says how many it left out.")
    var htmlMaxFrames: Int = HTMLReportRenderer.defaultMaxFrames

    func validate() throws {
        if htmlMaxFrames < 1 { throw ValidationError("--html-max-frames must be at least 1") }
    }

    /// The report these options ask for, its file opened; nil without `--html`. `title` names the input.
    func open(title: String) throws -> HTMLReportFile? {
        guard let html else { return nil }
        guard let file = Output(path: html) else {
            throw CommandFailure.usage("cannot write the HTML report \(html): \(String(cString: strerror(errno)))")
        }
        return HTMLReportFile(path: html, renderer: HTMLReportRenderer(output: file, title: title, maxFrames: htmlMaxFrames))
    }
}

/// An HTML report being written: the renderer the analysis feeds, and its file.
struct HTMLReportFile {
    let path: String
    let renderer: HTMLReportRenderer

    /// Writes the page (if the capture's end has not already) and says on standard error where it went.
    func finish() {
        renderer.finish()
        let frames = renderer.frames
        standardError("wsinspect: HTML report written to \(path): \(frames) frame\(frames == 1 ? "" : "s")")
    }
}

/// The title of a report on pasted input: what was pasted, its first bytes.
enum PastedTitle {
    static func hex(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(24).map { Hex.byte($0) }.joined(separator: " ")
        return shown + (bytes.count > 24 ? " … (\(bytes.count) bytes)" : "")
    }
}

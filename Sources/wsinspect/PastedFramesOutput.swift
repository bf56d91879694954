import WSAnalysis
import WSReport
import WSWire

/// Shows frame bytes as `frame` does: the same analysis as a capture's connection (frames, messages, rules), drawn by
/// the frame anatomy view or as JSON Lines. Shared by `frame` and `encode`.
struct PastedFramesOutput {
    let sender: Sender?
    let deflate: DeflateSettings?
    let json: Bool
    let allBytes: Bool
    let style: Style
    /// `--html FILE`: the report instead of the text or JSON view.
    var html: HTMLReportFile? = nil

    /// Analyses and prints `bytes`; `before`/`after` write extra text lines or JSON records around them. Returns the
    /// analysis (its tally and whether the input was cut short).
    @discardableResult
    func show(_ bytes: [UInt8], output: Output, before: (Output) -> Void = { _ in },
              afterJSON: ((inout JSONWriter) -> Void)? = nil) -> PastedFrames {
        let renderer: InspectionSink
        let textView: PastedFramesTextRenderer?
        let jsonRenderer: JSONEventRenderer?
        if let html {
            before(output)
            renderer = html.renderer
            textView = nil
            jsonRenderer = nil
        } else if json {
            jsonRenderer = JSONEventRenderer(output: output, includeFields: true)
            renderer = jsonRenderer!
            textView = nil
        } else {
            before(output)
            textView = PastedFramesTextRenderer(output: output, view: FrameView(options: FrameView.Options(allBytes: allBytes, style: style)))
            renderer = textView!
            jsonRenderer = nil
        }
        let order = PastedFramesOrder(forwardingTo: renderer, messages: true)
        let analysis = PastedFrames(options: PastedFrames.Options(sender: sender, deflate: deflate), sink: order)
        analysis.analyse(bytes)
        order.finish()
        textView?.finish()
        if let jsonRenderer {
            if let afterJSON { jsonRenderer.write(afterJSON) }
            jsonRenderer.flush()
        }
        html?.finish()
        output.flush()
        return analysis
    }
}

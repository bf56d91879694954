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

    /// The rules (errors and warnings) the analysis finds broken in `bytes`, in the order first found; nothing is
    /// printed. What `encode` says of frames built to break a rule, found by the rules themselves.
    func brokenRules(_ bytes: [UInt8]) -> [Rule] {
        let collector = RuleCollector()
        PastedFrames(options: PastedFrames.Options(sender: sender, deflate: deflate), sink: collector).analyse(bytes)
        return collector.rules
    }

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

/// Keeps the rules of the errors and warnings in the events (an analysis run only for them).
private final class RuleCollector: InspectionSink {
    private(set) var rules: [Rule] = []

    func handle(_ event: InspectionEvent) {
        let found: [Diagnostic]
        switch event {
        case .frame(let record): found = record.frame.diagnostics
        case .message(let record): found = record.message.diagnostics
        case .incompleteHeader(_, _, let truncation): found = [truncation.diagnostic]
        case .diagnostic(let record): found = [record.diagnostic]
        default: found = []
        }
        for diagnostic in found where diagnostic.severity != .note && !rules.contains(diagnostic.rule) {
            rules.append(diagnostic.rule)
        }
    }
}

import WSAnalysis

/// What a capture's events are shown as: the one place where the command line's choice becomes a renderer.
public enum OutputFormat: Sendable, Equatable {
    /// One line per frame (fragmented messages as units), the handshakes and the summaries; `verbose` adds every
    /// frame's anatomy and every handshake header.
    case text(verbose: Bool)
    /// One line per message.
    case messages
    /// The per-connection summaries and the capture totals only, as text or JSON Lines.
    case summary(json: Bool)
    /// JSON Lines (Docs/json.md); `fields` adds each frame's field table; `payloadLimit` cuts payloads.
    case json(fields: Bool, payloadLimit: Int?)
    /// Per TCP segment, the frames (or parts of frames) it carried, with the handshakes and summaries.
    case segments
    /// The sequence (ladder) diagram in text, Unicode or ASCII.
    case ladder(ascii: Bool)
    /// A self-contained HTML report, written to a file of its own (`HTMLReportRenderer`, which the caller makes).
    case html

    /// True when frame and message events are wanted (everything is decoded and checked either way).
    public var reportsFrames: Bool {
        if case .summary = self { return false }
        return true
    }

    /// Payload bytes worth keeping per frame and message for this format, unless the user gave a limit: none for
    /// summaries, all of them for JSON and the verbose view, a screenful (4 KiB) for the text views.
    public var defaultPayloadLimit: Int {
        switch self {
        case .summary: return 0
        case .json, .text(verbose: true): return .max
        case .text(verbose: false), .messages, .segments, .ladder: return 4096
        case .html: return 128
        }
    }

    /// The renderer for this format, writing to `output` in `style`, and how to write out what it buffered.
    /// `capture` names a capture in JSON records' `file` (`.some(nil)` for a live capture); nil for pasted input.
    public func renderer(output: Output, style: Style, capture: String?? = nil) -> (sink: InspectionSink, flush: () -> Void) {
        switch self {
        case .json(let fields, let payloadLimit):
            let renderer = JSONEventRenderer(output: output, payloadLimit: payloadLimit, includeFields: fields, capture: capture)
            return (renderer, { renderer.flush() })
        case .summary(let json):
            let (sink, flush) = json ? OutputFormat.json(fields: false, payloadLimit: nil).renderer(output: output, style: style, capture: capture)
                                     : OutputFormat.text(verbose: false).renderer(output: output, style: style)
            return (SummaryOnlySink(forwardingTo: sink), flush)
        case .text(let verbose):
            let renderer = TextEventRenderer(output: output, options: TextEventRenderer.Options(verbose: verbose, style: style))
            return (renderer, { output.flush() })
        case .messages:
            let renderer = TextEventRenderer(output: output, options: TextEventRenderer.Options(style: style, messagesOnly: true))
            return (renderer, { output.flush() })
        case .segments:
            return (SegmentsRenderer(output: output, style: style), { output.flush() })
        case .ladder(let ascii):
            return (LadderRenderer(output: output, style: style, ascii: ascii), { output.flush() })
        case .html:
            // Usually the caller makes the renderer on a file of its own, with a title; this one writes to `output`.
            let report = HTMLReportRenderer(output: output, title: "")
            return (report, { report.finish() })
        }
    }
}

import WSAnalysis
import WSWire

/// The text view of pasted frames (`wsinspect frame`): each frame's full anatomy, numbered from 1, with the findings
/// and the decompression of the messages it finished; an input that ends inside a header last.
public final class PastedFramesTextRenderer: InspectionSink {
    private let output: Output
    private let view: FrameView
    /// The frame waiting for the messages it finishes (they come as the next events).
    private var pending: (record: FrameRecord, messages: [Message])?
    private var number = 0

    public init(output: Output, view: FrameView) {
        self.output = output
        self.view = view
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .frame(let record):
            flush()
            pending = (record, [])
        case .message(let record):
            pending?.messages.append(record.message)
        case .incompleteHeader(_, _, let truncation):
            flush()
            separate()
            output.lines(view.render(truncation, number: number))
        case .diagnostic(let record):
            flush()
            output.lines(DiagnosticsView.render([record.diagnostic], style: view.options.style))
        default:
            break
        }
    }

    /// Prints the last frame (call when the input is done).
    public func finish() {
        flush()
        output.flush()
    }

    private func flush() {
        guard let (record, messages) = pending else { return }
        pending = nil
        separate()
        // A fragment of a compressed message that did not finish it: the message is inflated at its last frame.
        let compressedPart = record.compressed && messages.isEmpty
        output.lines(view.render(record.frame, number: number, sender: record.sender, messages: messages,
                                 compressedPart: compressedPart))
    }

    private func separate() {
        number += 1
        if number > 1 { output.line("") }
    }
}

/// Shapes the events of pasted frames for their views: an input that ends inside a header is reported after
/// everything else (after the message it left unfinished), and message records are passed on only when asked for.
public final class PastedFramesOrder: InspectionSink {
    private let next: InspectionSink
    private let messages: Bool
    private var truncation: InspectionEvent?

    public init(forwardingTo next: InspectionSink, messages: Bool) {
        self.next = next
        self.messages = messages
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .incompleteHeader: truncation = event
        case .message where !messages: break
        default: next.handle(event)
        }
    }

    /// Passes on what was held back.
    public func finish() {
        if let truncation { next.handle(truncation) }
        truncation = nil
    }
}

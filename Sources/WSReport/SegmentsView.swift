import WSAnalysis
import WSWire

/// `--segments`: per connection, each TCP segment that carried WebSocket bytes and the frames (or parts of frames) it
/// carried, in capture order — the lesson of the tutorials' server that takes one socket `data` event for one frame:
/// a segment may carry several frames, and a frame may span several segments. Handshakes, findings and summaries are
/// shown as in the text view; frame lines are replaced by this listing, printed when the connection ends.
public final class SegmentsRenderer: InspectionSink {
    /// Segments and frames kept per connection (a teaching view for small captures; past this, the rest is counted).
    static let limit = 100_000

    private struct Held {
        var segments: [SegmentRecord] = []
        var frames: [FrameRecord] = []
        var dropped = 0
    }

    private let output: Output
    private let style: Style
    private let text: TextEventRenderer
    private var held: [Int: Held] = [:]

    public init(output: Output, style: Style) {
        self.output = output
        self.style = style
        text = TextEventRenderer(output: output, options: TextEventRenderer.Options(style: style))
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .segment(let record):
            if held[record.stream, default: Held()].segments.count < Self.limit {
                held[record.stream, default: Held()].segments.append(record)
            } else {
                held[record.stream, default: Held()].dropped += 1
            }
        case .frame(let record):
            guard let stream = record.stream else { return }
            if held[stream, default: Held()].frames.count < Self.limit { held[stream, default: Held()].frames.append(record) }
        case .message:
            break
        case .summary(let summary):
            if let connection = held.removeValue(forKey: summary.stream) { output.lines(lines(connection, stream: summary.stream)) }
            text.handle(event)
        default:
            text.handle(event)
        }
    }

    private func lines(_ connection: Held, stream: Int) -> [String] {
        let tls = connection.segments.first?.isTLSRecord == true
        var lines = [style.bold(tls ? "TLS records (decrypted) and the frames they carried" : "TCP segments and the frames they carried")
                     + style.dim("  (--segments)")]
        // Frames by direction, in stream order, to match against each segment's byte range.
        var frames: [Sender: [FrameRecord]] = [:]
        for frame in connection.frames { frames[frame.sender ?? .client, default: []].append(frame) }
        for key in frames.keys { frames[key]!.sort { $0.frame.offset < $1.frame.offset } }
        var cursor: [Sender: Int] = [:]
        var table = TextTable(headers: ["", "packet", "time", "bytes", "carried"], alignments: [.left, .right, .left, .right, .left])
        table.indent = "  "
        for segment in connection.segments {
            let list = frames[segment.sender] ?? []
            var i = cursor[segment.sender] ?? 0
            let start = segment.offset, end = segment.offset + UInt64(segment.length)
            while i < list.count, list[i].frame.offset + list[i].frame.wireLength <= start { i += 1 }
            cursor[segment.sender] = i
            var parts: [String] = []
            var j = i
            while j < list.count, list[j].frame.offset < end {
                let frame = list[j].frame
                let from = max(start, frame.offset) - frame.offset, to = min(end, frame.offset + frame.wireLength) - frame.offset
                parts.append(from == 0 && to == frame.wireLength ? "#\(list[j].index) whole (\(frame.wireLength) B)"
                             : "#\(list[j].index) bytes \(from)–\(to - 1) of \(frame.wireLength)")
                j += 1
            }
            let time = cFormat("+%.6f", segment.relativeTime)
            let note = parts.count > 1 ? "  ← \(parts.count) frames in one \(tls ? "record" : "segment")" : ""
            table.add([segment.sender.arrow, "\(segment.origin.packet)", time, "\(segment.length)",
                       (parts.isEmpty ? "(no frame: bytes before the first or after a gap)" : parts.joined(separator: ", ")) + note])
        }
        lines += table.render(style: style)
        if connection.dropped > 0 { lines.append("  … \(connection.dropped) more segments not listed") }
        return lines
    }
}

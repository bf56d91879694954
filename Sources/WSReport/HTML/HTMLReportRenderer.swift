import WSAnalysis
import WSWire

/// The HTML report (`--html FILE`): a renderer of the same events as the text and JSON renderers. It encodes each
/// connection's handshake, frames, messages, gaps, findings and summary as they come (`HTMLReportData`), and when the
/// capture (or the pasted input) ends writes one self-contained page: inline CSS, script and SVG, the data embedded as
/// JSON, no network reference (`HTMLPage`).
public final class HTMLReportRenderer: InspectionSink {
    /// Frames embedded at most (`--html-max-frames`); beyond, the report says how many it left out.
    public static let defaultMaxFrames = 50_000

    private struct Connection {
        var header = JSONWriter(capacity: 512)
        var handshake: JSONWriter?
        var frames = JSONWriter(capacity: 4096)
        var messages = JSONWriter(capacity: 1024)
        var gaps = JSONWriter(capacity: 64)
        var diagnostics = JSONWriter(capacity: 256)
        var summary: [String] = []
        var frameCount = 0
    }

    private let output: Output
    private let title: String
    private let maxFrames: Int
    private var data = HTMLReportData()
    private var connections: [Int: Connection] = [:]
    private var order: [Int] = []
    /// The frame waiting for the messages it completes (they are the next events of its connection).
    private var pending: (stream: Int, record: FrameRecord, messages: [Message])?
    private var framesWritten = 0
    private var framesOmitted = 0
    private var captureLines: [String] = []
    private var captureDiagnostics = JSONWriter(capacity: 256)
    private var written = false
    /// The number of frames embedded.
    public var frames: Int { framesWritten }

    /// `title` names the input (a capture file, or what was pasted).
    public init(output: Output, title: String, maxFrames: Int = HTMLReportRenderer.defaultMaxFrames) {
        self.output = output
        self.title = title
        self.maxFrames = maxFrames
    }

    /// The key of a connection; pasted input (no stream) is one pseudo-connection.
    private static func key(_ stream: Int?) -> Int { stream ?? -1 }

    private func connection(_ stream: Int?) -> Int {
        let key = Self.key(stream)
        if connections[key] == nil {
            connections[key] = Connection()
            order.append(key)
        }
        return key
    }

    public func handle(_ event: InspectionEvent) {
        if case .message(let record) = event, let pending, pending.stream == Self.key(record.stream) {
            self.pending!.messages.append(record.message)
        } else {
            flushPending()
        }
        switch event {
        case .connection(let record):
            let key = connection(record.stream)
            var w = JSONWriter(capacity: 512)
            w.beginObject()
            w.key(computed: "stream"); w.int(record.stream)
            w.key(computed: "client"); w.string(record.client)
            w.key(computed: "server"); w.string(record.server)
            w.key(computed: "packet"); w.int(record.firstPacket)
            w.key(computed: "start"); w.string(TimeText.utc(record.start))
            w.key(computed: "detection"); w.string(name: record.detection.rawValue)
            w.key(computed: "layers")
            w.beginArray()
            if let hop = record.proxy { w.string(LayerView.proxyLine(hop).trimmingLeadingSpaces) }
            if let tls = record.tls { w.string(LayerView.tlsLine(tls, style: .plain).trimmingLeadingSpaces) }
            w.endArray()
            w.endObject()
            connections[key]!.header = w
        case .handshake(let record):
            let key = connection(record.stream)
            var w = JSONWriter(capacity: 2048)
            data.handshake(HandshakeAnatomy(record), into: &w)
            connections[key]!.handshake = w
        case .frame(let record):
            pending = (Self.key(record.stream), record, [])
        case .message(let record):
            let key = connection(record.stream)
            data.message(record, into: &connections[key]!.messages)
        case .incompleteHeader(let stream, let sender, let truncation):
            let key = connection(stream)
            var w = connections[key]!.diagnostics
            diagnosticRecord(truncation.diagnostic, sender: sender, packet: truncation.origin.packet, into: &w)
            connections[key]!.diagnostics = w
        case .gap(let record):
            let key = connection(record.stream)
            var w = connections[key]!.gaps
            w.beginArray()
            w.int(HTMLReportData.direction(record.sender)); w.int(record.offset); w.int(record.bytes); w.int(record.origin.packet)
            w.string(record.reason)
            w.endArray()
            connections[key]!.gaps = w
        case .diagnostic(let record):
            if let stream = record.stream {
                let key = connection(stream)
                var w = connections[key]!.diagnostics
                diagnosticRecord(record.diagnostic, sender: record.sender, packet: record.origin?.packet, into: &w)
                connections[key]!.diagnostics = w
            } else {
                diagnosticRecord(record.diagnostic, sender: record.sender, packet: record.origin?.packet, into: &captureDiagnostics)
            }
        case .summary(let summary):
            let key = connection(summary.stream)
            connections[key]!.summary = SummaryView.render(summary, style: .plain)
        case .capture(let summary):
            captureLines = SummaryView.render(summary, style: .plain).filter { !$0.isEmpty }
            write()
        case .segment:
            break
        }
    }

    private func diagnosticRecord(_ diagnostic: Diagnostic, sender: Sender?, packet: Int?, into w: inout JSONWriter) {
        w.beginArray()
        data.diagnostic(diagnostic, into: &w)
        w.int(HTMLReportData.direction(sender))
        w.intOrNull(packet)
        w.endArray()
    }

    private func flushPending() {
        guard let (key, record, messages) = pending else { return }
        pending = nil
        _ = connection(record.stream)
        guard framesWritten < maxFrames else {
            framesOmitted += 1
            return
        }
        framesWritten += 1
        connections[key]!.frameCount += 1
        data.frame(record, number: record.index, messages: messages,
                   into: &connections[key]!.frames)
    }

    /// Writes the page (captures write it at their `capture` event; pasted input calls this when it is done).
    public func finish() {
        flushPending()
        write()
    }

    /// Writes the page: the data goes out piece by piece, escaped (`HTMLPage.escapeData`), each connection's buffers
    /// released once written, so the report is never held twice in memory.
    private func write() {
        guard !written else { return }
        written = true
        flushPending()
        output.write(HTMLPage.head)
        var w = JSONWriter(capacity: 1 << 16)
        w.beginObject()
        w.key(computed: "title"); w.string(title)
        w.key(computed: "rules")
        w.beginObject()
        for rule in Rule.allCases {
            w.key(computed: rule.id)
            w.beginArray(); w.string(name: rule.severity.rawValue); w.string(rule.section); w.string(rule.summary); w.endArray()
        }
        w.endObject()
        w.key(computed: "capture"); w.beginArray(); for line in captureLines { w.string(line) }; w.endArray()
        w.key(computed: "diagnostics"); list(captureDiagnostics, into: &w)
        w.key(computed: "omitted"); w.int(framesOmitted)
        w.key(computed: "connections")
        w.beginArray()
        for key in order {
            let c = connections.removeValue(forKey: key)!
            w.beginObject()
            w.key(computed: "stream"); if key >= 0 { w.int(key) } else { w.null() }
            w.key(computed: "info"); if c.header.count > 0 { c.header.withUnsafeBytes { w.raw(Array($0)) } } else { w.null() }
            w.key(computed: "handshake"); if let h = c.handshake { h.withUnsafeBytes { w.raw(Array($0)) } } else { w.null() }
            w.key(computed: "frames")
            w.beginArray()
            send(&w)
            c.frames.withUnsafeBytes { sendEscaped($0) }
            w.endArray()
            w.key(computed: "messages"); list(c.messages, into: &w)
            w.key(computed: "gaps"); list(c.gaps, into: &w)
            w.key(computed: "diagnostics"); list(c.diagnostics, into: &w)
            w.key(computed: "summary"); w.beginArray(); for line in c.summary { w.string(line) }; w.endArray()
            w.endObject()
            if w.count >= 1 << 16 { send(&w) }
        }
        w.endArray()
        // The strings last: every part above has interned its own.
        w.key(computed: "strings"); w.beginArray(); for s in data.strings { w.string(s) }; w.endArray()
        w.endObject()
        send(&w)
        output.write(HTMLPage.tail)
        output.flush()
    }

    /// Writes what `w` holds into the data element and empties it (its commas state is kept).
    private func send(_ w: inout JSONWriter) {
        w.withUnsafeBytes { sendEscaped($0) }
        w.removeAllBytes()
    }

    private func sendEscaped(_ json: UnsafeRawBufferPointer) {
        HTMLPage.escapeData(json) { output.write($0) }
    }

    /// A JSON array of the elements a writer holds (each written with commas already between them).
    private func list(_ elements: JSONWriter, into w: inout JSONWriter) {
        w.beginArray()
        if elements.count > 0 { elements.withUnsafeBytes { w.raw(Array($0)) } }
        w.endArray()
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}

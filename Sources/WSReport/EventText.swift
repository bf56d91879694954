import WSStream
import Foundation
import WSAnalysis
import WSWire

/// Renders inspection events as an annotated text account: per connection a header and the handshake, frames one
/// line each in capture order (with `-v` the full anatomy), diagnostics inline, a summary when the connection ends.
public final class TextEventRenderer: InspectionSink {
    public struct Options: Sendable {
        public var verbose = false
        public var style = Style.plain
        /// Show messages only, one line each (`--messages`).
        public var messagesOnly = false
        /// Characters of payload preview per frame line.
        public var previewWidth = 60

        public init(verbose: Bool = false, style: Style = .plain, messagesOnly: Bool = false) {
            self.verbose = verbose
            self.style = style
            self.messagesOnly = messagesOnly
        }
    }

    /// A connection and direction (for `-v`: the frames that ended in the packet the next one starts in).
    private struct DirectionKey: Hashable {
        let stream: Int
        let sender: Sender?
    }

    private let output: Output
    private let options: Options
    private var starts: [Int: Timestamp] = [:]
    /// Per connection, the fragmented messages still open and the lines held for them. Such a message is printed
    /// as a unit, its frames (and the control frames between them) listed under it: the connection's lines are held
    /// until its line is known (`HeldLines`), so that everything stays in capture order.
    private var holds: [Int: ConnectionHold] = [:]
    /// Messages (connection, first frame) whose frames were printed before their line (past `HeldLines.limit`).
    private var givenUp: Set<MessageKey> = []
    private struct MessageKey: Hashable {
        let stream: Int
        let firstFrame: Int
    }
    /// `-v`: per connection and direction, the frames that ended in the packet that completed the previous frame
    /// (the first and the last of them: frames that share a packet are numbered one after another), and that packet.
    private var lastFrameEnd: [DirectionKey: (first: Int, last: Int, packet: Int)] = [:]
    /// The line being built (kept to reuse its storage).
    private var scratch = TextLine()
    /// A frame's preview when it does not fit on the frame's line (`frameLine`).
    private var previewBelow = TextLine()
    /// The narrowest preview a frame line keeps (`"{"seq…"`, four bytes in hex and `…`); with less room left, the
    /// preview takes a line of its own.
    static let narrowestPreview = 9
    /// The indentation of a preview on a line of its own.
    static let previewBelowIndent: StaticString = "      "

    public init(output: Output, options: Options) {
        self.output = output
        self.options = options
        self.width = output.width
    }

    /// The columns lines may take (`Output.width`); nil: the fixed layout with `previewWidth`.
    private let width: Int?
    /// Below this width the frame line takes its compact form (the full one leaves a preview of at least 40).
    static let compactBelow = 139

    private var style: Style { options.style }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .connection(let record): connection(record)
        case .handshake(let record):
            put(HandshakeView.render(record, start: record.stream.flatMap { starts[$0] }, verbose: options.verbose, style: style),
                stream: record.stream)
        case .frame(let record): frame(record)
        case .message(let record): message(record)
        case .incompleteHeader(let stream, let sender, let truncation):
            put(["\(tag(stream)) \(sender.arrow)  incomplete frame header at stream offset \(truncation.offset): \(truncation.missing)"]
                + diagnosticLines([truncation.diagnostic]), stream: stream)
        case .gap(let record):
            put(["\(tag(record.stream)) \(record.sender.arrow)  " + style.yellow("GAP") +
                 " \(record.bytes) byte\(record.bytes == 1 ? "" : "s") missing at stream offset \(record.offset) (\(record.reason); packet \(record.origin.packet))"],
                stream: record.stream)
        case .diagnostic(let record):
            let prefix = record.stream.map { tag($0) } ?? "[capture]"
            let arrow = record.sender.map { " " + $0.arrow } ?? ""
            let packet = record.origin.map { " (packet \($0.packet))" } ?? ""
            put([prefix + arrow + "  " + DiagnosticsView.compact(record.diagnostic, style: style) + packet], stream: record.stream)
        case .summary(let summary):
            release(stream: summary.stream)
            starts[summary.stream] = nil   // the connection is over: nothing refers to its start any more
            for side in [Sender.client, .server] { lastFrameEnd[DirectionKey(stream: summary.stream, sender: side)] = nil }
            output.lines(SummaryView.render(summary, style: style))
        case .capture(let summary):
            for stream in holds.keys.sorted() { release(stream: stream) }
            output.lines(SummaryView.render(summary, style: style))
        case .segment: break
        }
    }

    private func tag(_ stream: Int?) -> String { stream.map { "[\($0)]" } ?? "" }

    private func connection(_ record: ConnectionRecord) {
        starts[record.stream] = record.start
        output.line("")
        output.line(style.bold("━━ Connection \(record.stream) ━━ \(record.client) → \(record.server)") +
                    " · packet \(record.firstPacket) · \(TimeText.utc(record.start))")
        switch record.detection {
        case .handshake: break
        case .webSocketPort: output.line("   no opening handshake captured; decoded as WebSocket because of --ws-port")
        case .heuristic: output.line("   no opening handshake captured; recognised as WebSocket by its frames")
        case .upgradeResponse: output.line("   the upgrade request was lost in a capture gap; the server's 101 response shows the upgrade")
        case .tls, .connect: break   // the layer lines below say what the connection is
        }
        if !record.tcpHandshakeSeen { output.line("   (the TCP connection was first seen mid-stream)") }
        if let hop = record.proxy { output.line(LayerView.proxyLine(hop)) }
        if let tls = record.tls { output.line(LayerView.tlsLine(tls, style: style)) }
    }

    private func frame(_ record: FrameRecord) {
        guard !options.messagesOnly else { return }
        let header = record.frame.header
        let stream = record.stream ?? 0
        let startsMessage = header.opcode == .text || header.opcode == .binary
        var openHere = false, holding = false
        if startsMessage && !header.fin && holds[stream] == nil { holds[stream] = ConnectionHold() }
        if !holds.isEmpty, let index = holds.index(forKey: stream) {
            // A new message. One still open in this direction was interrupted: this frame is not part of it (its
            // message record follows this frame's).
            if startsMessage { holds.values[index][open: record.sender] = nil }
            if startsMessage && !header.fin {
                holds.values[index][open: record.sender] = record.index
                if holds.values[index].lines == nil { holds.values[index].lines = HeldLines() }
                holds.values[index].lines!.reserve(firstFrame: record.index)
            }
            openHere = holds.values[index][open: record.sender] != nil
            holding = holds.values[index].lines != nil
            if holds.values[index].isIdle { holds.remove(at: index) }
        }
        if !holding, !openHere, !options.verbose {
            // The common case, on bytes: a frame line of its own, then its findings.
            let below = frameLine(record, indent: false, into: &scratch)
            output.line(bytes: scratch.bytes, columns: scratch.columns)
            if below { output.line(bytes: previewBelow.bytes, columns: previewBelow.columns) }
            if !record.frame.diagnostics.isEmpty { output.lines(diagnosticLines(record.frame.diagnostics)) }
            return
        }
        put(frameLines(record, indent: openHere), stream: stream, frame: true)
    }

    /// Prints a connection's lines, or holds them while one of its messages waits for its line.
    private func put(_ lines: [String], stream: Int?, frame: Bool = false) {
        guard let stream, holds[stream]?.lines != nil else { return output.lines(lines) }
        if holds[stream]!.lines!.hold(lines, frame: frame) { giveUp(stream: stream) }
    }

    /// Prints what a connection holds, without the lines of the messages still open (they follow their frames).
    private func giveUp(stream: Int) {
        guard var hold = holds[stream]?.lines else { return }
        holds[stream]!.lines = nil
        if holds[stream]!.isIdle { holds[stream] = nil }
        let (lines, slots) = hold.giveUp()
        for first in slots { givenUp.insert(MessageKey(stream: stream, firstFrame: first)) }
        output.lines(lines)
    }

    /// The connection ended: what it holds is printed; a message still open will not come.
    private func release(stream: Int) {
        giveUp(stream: stream)
        givenUp = givenUp.filter { $0.stream != stream }
        holds[stream] = nil
    }

    /// The one-line account of a frame: `[8] #1    +0.002794   pkt 292       S→C text         FIN rsv=000 …`.
    ///
    /// With a width, the line is built to fit it, so that it needs no breaking (`LineFitter`), which could fall
    /// inside the preview: the preview takes the columns the fields leave; when they leave fewer than
    /// `narrowestPreview`, or the preview cannot be made that narrow (notes on characters cut by fragment
    /// boundaries, a Close code's name…), the preview goes whole on a line of its own under the frame's, in
    /// `previewBelow`, and the result is true.
    @discardableResult
    private func frameLine(_ record: FrameRecord, indent: Bool, into line: inout TextLine) -> Bool {
        let frame = record.frame
        let header = frame.header
        line.clear()
        if let stream = record.stream {
            line.byte(UInt8(ascii: "["))
            line.int(stream)
            line.byte(UInt8(ascii: "]"))
        }
        line.ascii(indent ? "   #" : " #")
        line.int(record.index)
        line.pad(to: indent ? 11 : 9)
        // The compact form (narrow terminals) drops the words `rsv=` and `key=` and the length form, which the
        // length itself tells (RFC 6455 §5.2: up to 125, up to 65535, more).
        let compact = width.map { $0 < Self.compactBelow } ?? false
        var start = line.columns + 1
        line.space()
        line.fixed6(record.relativeTime, plus: true)
        line.pad(to: start + 11)
        start = line.columns + 1
        line.space()
        line.ascii("pkt ")
        line.int(frame.origin.packet)
        if frame.lastOrigin.packet != frame.origin.packet {
            line.symbol("–", columns: 1)
            line.int(frame.lastOrigin.packet)
        }
        line.pad(to: start + (compact ? 11 : 13))
        line.space()
        switch record.sender {
        case .client?: line.symbol("C→S", columns: 3)
        case .server?: line.symbol("S→C", columns: 3)
        case nil: line.text(record.sender.arrow)
        }
        start = line.columns + 1
        line.space()
        line.text(header.opcode.name)
        line.pad(to: start + 12)
        line.space()
        if header.fin { line.ascii("FIN") } else { line.symbol("···", columns: 3) }
        line.ascii(compact ? " " : " rsv=")
        line.byte(header.rsvBits & 4 != 0 ? 0x31 : 0x30)
        line.byte(header.rsvBits & 2 != 0 ? 0x31 : 0x30)
        line.byte(header.rsvBits & 1 != 0 ? 0x31 : 0x30)
        line.space()
        if let key = header.maskingKey {
            if !compact { line.ascii("key=") }
            line.hex(key.bytes.0)
            line.hex(key.bytes.1)
            line.hex(key.bytes.2)
            line.hex(key.bytes.3)
        } else {
            line.ascii(compact ? "unmasked" : "unmasked    ")
        }
        start = line.columns + 1
        line.ascii(" len=")
        line.int(header.payloadLength)
        if !compact {
            line.ascii(" (")
            line.text(header.lengthForm.rawValue)
            line.byte(UInt8(ascii: ")"))
        }
        line.pad(to: start + (compact ? 11 : 19))
        line.space()
        guard let width else {
            FramePreview.write(frame, width: options.previewWidth, compressed: record.compressed, inMessage: record.inMessage, into: &line)
            return false
        }
        let fields = (count: line.bytes.count, columns: line.columns)
        let room = width - line.columns
        if room >= Self.narrowestPreview {
            FramePreview.write(frame, width: room, compressed: record.compressed, inMessage: record.inMessage, into: &line)
            if line.columns <= width { return false }
            line.truncate(count: fields.count, columns: fields.columns)
            if !frame.isComplete {
                // An unfinished frame keeps its `INCOMPLETE: …` on its line: the preview leaves the note its columns.
                let note = FramePreview.incompleteNoteColumns(frame)
                if room - note >= Self.narrowestPreview {
                    FramePreview.write(frame, width: room - note, compressed: record.compressed, inMessage: record.inMessage,
                                       into: &line)
                    if line.columns <= width { return false }
                    line.truncate(count: fields.count, columns: fields.columns)
                }
            }
        }
        line.trimTrailingSpaces()
        previewBelow.clear()
        previewBelow.ascii(Self.previewBelowIndent)
        FramePreview.write(frame, width: max(Self.narrowestPreview, width - previewBelow.columns), compressed: record.compressed,
                           inMessage: record.inMessage, into: &previewBelow)
        return true
    }

    private func frameLines(_ record: FrameRecord, indent: Bool) -> [String] {
        let frame = record.frame
        let below = frameLine(record, indent: indent, into: &scratch)
        var lines = [String(decoding: scratch.bytes, as: UTF8.self)]
        if below { lines.append(String(decoding: previewBelow.bytes, as: UTF8.self)) }
        if options.verbose {
            let view = FrameView(options: FrameView.Options(allBytes: false, style: style))
            lines.append("      " + segmentsLine(record))
            if let records = record.tlsRecords { lines.append("      " + LayerView.recordsLine(records)) }
            lines += view.render(frame, number: record.index, sender: record.sender, messages: [], compressedPart: false,
                                 inMessage: record.inMessage).map { "      " + $0 }
            lines.append("")
        } else {
            lines += diagnosticLines(frame.diagnostics)
        }
        return lines
    }

    private func message(_ record: MessageRecord) {
        let message = record.message
        let stream = record.stream ?? 0
        if !holds.isEmpty, holds[stream]?[open: record.sender] == message.firstFrame {
            holds[stream]![open: record.sender] = nil
            if holds[stream]!.isIdle { holds[stream] = nil }
        }
        if options.messagesOnly {
            MessagePreview.write(record, width: options.previewWidth, fit: width, into: &scratch)
            output.line(bytes: scratch.bytes, columns: scratch.columns)
            if !message.diagnostics.isEmpty { output.lines(diagnosticLines(message.diagnostics)) }
            if message.view != nil { output.lines(viewLines(record)) }
            return
        }
        let views = message.view == nil ? [] : viewLines(record)
        // A fragmented message: its line (and what its view made of it) above its first frame, the frames under it.
        if !holds.isEmpty, holds[stream]?.lines != nil {
            let lines = [MessagePreview.summary(record, width: options.previewWidth, fit: width, style: style)]
                + diagnosticLines(message.diagnostics) + views
            // Changed in place (a copy of the held lines would be copied again on every change).
            if holds[stream]!.lines!.fill(firstFrame: message.firstFrame, with: lines) {
                let ready = holds[stream]!.lines!.takeReady()
                if holds[stream]!.lines!.isEmpty {
                    holds[stream]!.lines = nil
                    if holds[stream]!.isIdle { holds[stream] = nil }
                }
                return output.lines(ready)
            }
        }
        if !givenUp.isEmpty, givenUp.remove(MessageKey(stream: stream, firstFrame: message.firstFrame)) != nil {
            put([MessagePreview.summary(record, width: options.previewWidth, fit: width, style: style)]
                + diagnosticLines(message.diagnostics) + views, stream: stream)
        } else if message.compressed || !message.diagnostics.isEmpty || message.frameCount > 1 {
            let prefix = "\(tag(record.stream))   └ "
            put([prefix + MessagePreview.description(record, width: options.previewWidth,
                                                     fit: width.map { $0 - TerminalText.displayWidth(prefix) })]
                + diagnosticLines(message.diagnostics) + views, stream: stream)
        } else if !views.isEmpty {
            put(views, stream: stream)
        }
    }

    /// What the payload view made of the message: a line per application message and its notes (`-v`: the JSON
    /// inside, indented), each cut to the output's width — one line per application message, never wrapped.
    private func viewLines(_ record: MessageRecord) -> [String] {
        guard let view = record.message.view else { return [] }
        let prefix = "\(tag(record.stream))     ↳ "
        let room = width.map { max(20, $0 - TerminalText.displayWidth(prefix)) }
        return ViewText.lines(view, verbose: options.verbose).map { line in prefix + (room.map { FramePreview.clip(line, $0) } ?? line) }
    }

    private func diagnosticLines(_ list: [Diagnostic]) -> [String] {
        list.map { "          └ " + DiagnosticsView.compact($0, style: style) }
    }

    /// `pkt 16` or `pkt 16–19`: where to find the frame in Wireshark (its first and last packet).
    static func packets(_ frame: Frame) -> String {
        let first = frame.origin.packet, last = frame.lastOrigin.packet
        return first == last ? "pkt \(first)" : "pkt \(first)–\(last)"
    }

    /// `-v`: how the frame sat in TCP segments — spread over several, or sharing one with the frames before it
    /// (all of them, named as a range) and with the frame after it (the decoder knows that the segment goes on).
    private func segmentsLine(_ record: FrameRecord) -> String {
        let frame = record.frame
        let key = DirectionKey(stream: record.stream ?? 0, sender: record.sender)
        let first = frame.origin.packet, last = frame.lastOrigin.packet
        let previous = lastFrameEnd[key].flatMap { $0.packet == first ? $0 : nil }
        // The frames the next one may share its first packet with: this one, and those before it when it ended in
        // the packet it started in.
        lastFrameEnd[key] = (previous != nil && first == last ? previous!.first : record.index, record.index, last)
        var line = frame.segments == 1 ? "TCP: carried by one segment, packet \(first)"
            : "TCP: this frame spans \(frame.segments) segments, packets \(first)–\(last)"
        var shared: [String] = []
        if let previous {
            let frames = previous.first == previous.last ? "frame #\(previous.first)" : "frames #\(previous.first)–#\(previous.last)"
            shared.append((first == last ? "" : "packet \(first) also carried ") + "\(frames) before it")
        }
        if frame.chunkGoesOn { shared.append((first == last ? "" : "packet \(last) also carried ") + "the frame after it") }
        if !shared.isEmpty {
            line += (first == last ? ", with " + shared.joined(separator: " and ") : "; " + shared.joined(separator: "; "))
                + " (several frames in one segment: one read is not one frame)"
        }
        return line
    }

    private func pad(_ text: String, _ width: Int) -> String {
        let w = TerminalText.displayWidth(text)
        return w >= width ? text : text + String(repeating: " ", count: width - w)
    }
}

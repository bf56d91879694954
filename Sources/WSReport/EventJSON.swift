import WSStream
import WSAnalysis
import WSWire

/// Renders inspection events as JSON Lines (schema: Docs/json.md).
public final class JSONEventRenderer: InspectionSink {
    private let output: Output
    var writer = JSONWriter(capacity: 1 << 16)
    private let frameContext: FrameRecordContext

    /// The `file` of every record, already JSON; nil for pasted input (no key).
    private let file: [UInt8]?

    /// `payloadLimit` cuts `payload_hex`/`text` (marking `payload_truncated`); `includeFields` adds the field table.
    /// `capture` names the capture in every record's `file` (`.some(nil)`: a live capture, `null`); nil (pasted
    /// input) leaves the key out. Records are written out in 64 KiB pieces, and by `flush()` (which live captures
    /// call whenever the analysis has caught up with the capture).
    public init(output: Output, payloadLimit: Int? = nil, includeFields: Bool = false, capture: String?? = nil) {
        self.output = output
        var context = FrameRecordContext(includeFields: includeFields, payloadLimit: payloadLimit)
        if let capture {
            var value = JSONWriter(capacity: 64)
            if let name = capture { value.string(name) } else { value.null() }
            file = value.bytes
        } else {
            file = nil
        }
        context.file = file
        self.frameContext = context
    }

    /// `"file": …` after a record's `kind`, for captures.
    @inline(__always)
    private func writeFile<K: RecordSchema>(_ key: K) {
        if let file { writer.key(key); writer.raw(file) }
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .connection(let record): connection(record)
        case .handshake(let record): handshake(record)
        case .frame(let record):
            var context = frameContext
            context.stream = record.stream
            context.index = record.index   // pasted frames too: from 0, as their messages' first_frame counts them
            context.compressed = record.compressed
            context.tlsRecords = record.tlsRecords
            writer.frame(record.frame, from: record.sender, context: context)
        case .message(let record): message(record)
        case .incompleteHeader(let stream, let sender, let truncation):
            writer.truncatedHeader(truncation, from: sender, stream: stream, file: file)
        case .gap(let record): gap(record)
        case .diagnostic(let record): diagnostic(record)
        case .summary(let summary): self.summary(summary)
        case .capture(let summary): capture(summary)
        case .segment: return   // the --segments view's; not a JSON record
        }
        writer.newline()
        if writer.count >= 1 << 16 { flush() }
    }

    /// Writes one more record of the caller's (e.g. `encode`'s `encoded` record), as a line of its own.
    public func write(_ record: (inout JSONWriter) -> Void) {
        record(&writer)
        writer.newline()
    }

    /// Writes out what is buffered.
    public func flush() {
        writer.withUnsafeBytes { output.write($0) }
        writer.reset()
        output.flush()
    }

    /// `packet` and `ts` of a record (the keys of its schema), null when unknown.
    private func origin<K: RecordSchema>(_ origin: ByteOrigin?, packet: K, ts: K) {
        writer.key(packet); writer.intOrNull(origin.map(\.packet))
        writer.key(ts)
        if let origin { writer.timestamp(origin.time) } else { writer.null() }
    }

    private func connection(_ record: ConnectionRecord) {
        writer.beginObject()
        writer.key(ConnectionKey.kind); writer.string(literal: "connection")
        writeFile(ConnectionKey.file)
        writer.key(ConnectionKey.stream); writer.int(record.stream)
        writer.key(ConnectionKey.client); writer.string(record.client)
        writer.key(ConnectionKey.server); writer.string(record.server)
        writer.key(ConnectionKey.firstPacket); writer.int(record.firstPacket)
        writer.key(ConnectionKey.ts); writer.timestamp(record.start)
        writer.key(ConnectionKey.tcpHandshakeSeen); writer.bool(record.tcpHandshakeSeen)
        writer.key(ConnectionKey.detection); writer.string(name: record.detection.rawValue)
        if let tls = record.tls { writer.key(ConnectionKey.tls); tlsInfo(tls) }
        if let hop = record.proxy { writer.key(ConnectionKey.proxy); proxy(hop) }
        writer.endObject()
    }

    private func handshake(_ record: HandshakeRecord) {
        let anatomy = HandshakeAnatomy(record)
        writer.beginObject()
        writer.key(HandshakeKey.kind); writer.string(literal: "handshake")
        writeFile(HandshakeKey.file)
        writer.key(HandshakeKey.stream); writer.intOrNull(anatomy.stream)
        writer.key(HandshakeKey.client); writer.stringOrNull(anatomy.client)
        writer.key(HandshakeKey.server); writer.stringOrNull(anatomy.server)
        // A pasted handshake has no packets.
        origin(anatomy.request.origin.packet > 0 ? anatomy.request.origin : nil, packet: HandshakeKey.packet, ts: HandshakeKey.ts)
        writer.key(HandshakeKey.requestLine); writer.string(anatomy.requestLine)
        writer.key(HandshakeKey.status); writer.intOrNull(anatomy.status)
        writer.key(HandshakeKey.reason); writer.stringOrNull(anatomy.reason)
        writer.key(HandshakeKey.responsePacket); writer.intOrNull(anatomy.response.flatMap { $0.origin.packet > 0 ? $0.origin.packet : nil })
        writer.key(HandshakeKey.key); writer.stringOrNull(anatomy.key)
        writer.key(HandshakeKey.accept); writer.stringOrNull(anatomy.accept)
        writer.key(HandshakeKey.expectedAccept); writer.stringOrNull(anatomy.expectedAccept)
        writer.key(HandshakeKey.acceptValid); if let valid = anatomy.acceptValid { writer.bool(valid) } else { writer.null() }
        writer.key(HandshakeKey.subprotocol); writer.stringOrNull(anatomy.negotiation?.subprotocol)
        writer.key(HandshakeKey.extensions); strings(anatomy.negotiation?.extensions ?? [])
        writer.key(HandshakeKey.offeredSubprotocols); strings(anatomy.offeredSubprotocols)
        writer.key(HandshakeKey.offeredExtensions); strings(anatomy.offeredExtensions)
        writer.key(HandshakeKey.upgraded); writer.bool(anatomy.upgraded)
        writer.key(HandshakeKey.hixie76); writer.bool(anatomy.hixie76)
        writer.key(HandshakeKey.permessageDeflate)
        if let deflate = anatomy.negotiation?.deflate {
            writer.beginObject()
            writer.key(DeflateAgreementKey.clientNoContextTakeover); writer.bool(deflate.client.noContextTakeover)
            writer.key(DeflateAgreementKey.serverNoContextTakeover); writer.bool(deflate.server.noContextTakeover)
            writer.key(DeflateAgreementKey.clientMaxWindowBits); writer.int(deflate.client.windowBits)
            writer.key(DeflateAgreementKey.serverMaxWindowBits); writer.int(deflate.server.windowBits)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key(HandshakeKey.requestHeaders); headers(anatomy.request)
        writer.key(HandshakeKey.responseHeaders); if let response = anatomy.response { headers(response) } else { writer.null() }
        writer.key(HandshakeKey.diagnostics); writer.diagnostics(anatomy.diagnostics)
        writer.endObject()
    }

    private func strings(_ values: [String]) {
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }

    /// `[["Host","example.com"], ...]`, in order, names as sent.
    private func headers(_ head: HandshakeAnatomy.Head) {
        writer.beginArray()
        for line in head.headers {
            writer.beginArray()
            writer.string(line.field.name)
            writer.string(line.field.value)
            writer.endArray()
        }
        writer.endArray()
    }

    private func message(_ record: MessageRecord) {
        writer.message(record.message, from: record.sender, index: record.index, stream: record.stream,
                       payloadLimit: frameContext.payloadLimit, file: file)
    }

    private func gap(_ record: GapRecord) {
        writer.beginObject()
        writer.key(GapKey.kind); writer.string(literal: "gap")
        writeFile(GapKey.file)
        writer.key(GapKey.stream); writer.int(record.stream)
        writer.key(GapKey.from); writer.string(name: record.sender.rawValue)
        writer.key(GapKey.offset); writer.int(record.offset)
        writer.key(GapKey.bytes); writer.int(record.bytes)
        origin(record.origin, packet: GapKey.packet, ts: GapKey.ts)
        writer.key(GapKey.reason); writer.string(record.reason)
        writer.endObject()
    }

    private func diagnostic(_ record: DiagnosticRecord) {
        writer.beginObject()
        writer.key(DiagnosticRecordKey.kind); writer.string(literal: "diagnostic")
        writeFile(DiagnosticRecordKey.file)
        writer.key(DiagnosticRecordKey.stream); writer.intOrNull(record.stream)
        writer.key(DiagnosticRecordKey.from); writer.stringOrNull(record.sender?.rawValue)
        origin(record.origin, packet: DiagnosticRecordKey.packet, ts: DiagnosticRecordKey.ts)
        writer.key(DiagnosticRecordKey.rule); writer.string(name: record.diagnostic.rule.id)
        writer.key(DiagnosticRecordKey.severity); writer.string(name: record.diagnostic.severity.rawValue)
        writer.key(DiagnosticRecordKey.rfc); writer.string(record.diagnostic.section)
        writer.key(DiagnosticRecordKey.message); writer.string(record.diagnostic.message)
        writer.endObject()
    }

    private func summary(_ summary: ConnectionSummary) {
        writer.beginObject()
        writer.key(SummaryKey.kind); writer.string(literal: "summary")
        writeFile(SummaryKey.file)
        writer.key(SummaryKey.stream); writer.int(summary.stream)
        writer.key(SummaryKey.client); writer.string(summary.client)
        writer.key(SummaryKey.server); writer.string(summary.server)
        writer.key(SummaryKey.duration); writer.double((summary.duration * 1e6).rounded() / 1e6)
        writer.key(SummaryKey.tcpEnd); writer.string(summary.tcpEnd)
        writer.key(SummaryKey.tcpFirstFin); writer.stringOrNull(summary.firstFIN?.rawValue)
        writer.key(SummaryKey.stoppedEarly); writer.stringOrNull(summary.stoppedEarly)
        writer.key(SummaryKey.close)
        if let close = summary.close {
            writer.beginObject()
            writer.key(CloseKey.firstBy); writer.string(name: close.initiator.rawValue)
            writer.key(CloseKey.code); writer.intOrNull(close.code)
            writer.key(CloseKey.reason); writer.stringOrNull(close.reason)
            writer.key(CloseKey.answered); writer.bool(close.answered)
            writer.key(CloseKey.answerCode); writer.intOrNull(close.answerCode)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key(SummaryKey.clientCloseEvent); closeEvent(summary.clientCloseEvent)
        writer.key(SummaryKey.serverCloseEvent); closeEvent(summary.serverCloseEvent)
        writer.key(SummaryKey.directions)
        writer.beginObject()
        for direction in summary.directions {
            writer.key(computed: direction.sender.rawValue)
            writer.beginObject()
            writer.key(DirectionKey.frames); writer.int(direction.frames)
            writer.key(DirectionKey.framesByOpcode)
            writer.beginObject()
            for (name, count) in direction.framesByOpcodeInOrder {
                writer.key(computed: name); writer.int(count)
            }
            writer.endObject()
            writer.key(DirectionKey.payloadBytes); writer.int(direction.payloadBytes)
            writer.key(DirectionKey.messages); writer.int(direction.messages)
            writer.key(DirectionKey.messagesByOpcode)
            writer.beginObject()
            for (name, count) in direction.messagesByOpcodeInOrder {
                writer.key(computed: name); writer.int(count)
            }
            writer.endObject()
            writer.key(DirectionKey.compressedMessages); writer.int(direction.compressedMessages)
            writer.key(DirectionKey.compressedBytes); writer.int(direction.compressedBytes)
            writer.key(DirectionKey.inflatedBytes); writer.int(direction.inflatedBytes)
            writer.key(DirectionKey.pingRttMs)
            if let rtt = direction.pingRoundTrips {
                writer.beginObject()
                writer.key(RoundTripKey.count); writer.int(rtt.count)
                writer.key(RoundTripKey.min); writer.double((rtt.minimum * 1000).rounded() / 1000)
                writer.key(RoundTripKey.avg); writer.double((rtt.average * 1000).rounded() / 1000)
                writer.key(RoundTripKey.max); writer.double((rtt.maximum * 1000).rounded() / 1000)
                writer.endObject()
            } else {
                writer.null()
            }
            let a = direction.accounting
            writer.key(DirectionKey.streamBytes); writer.int(a.streamBytes)
            writer.key(DirectionKey.httpBytes); writer.int(a.httpBytes)
            writer.key(DirectionKey.frameBytes); writer.int(a.frameBytes)
            writer.key(DirectionKey.skippedBytes); writer.int(a.skippedBytes)
            writer.key(DirectionKey.gapBytes); writer.int(a.gapBytes)
            writer.endObject()
        }
        writer.endObject()
        if let tls = summary.tls { writer.key(SummaryKey.tls); tlsSummary(tls) }
        if let tunnel = summary.tunnel { writer.key(SummaryKey.tunnel); tunnelSummary(tunnel) }
        writer.key(SummaryKey.diagnostics)
        writer.beginObject()
        for entry in summary.diagnosticCounts {
            writer.key(computed: entry.rule); writer.int(entry.count)
        }
        writer.endObject()
        writer.endObject()
    }

    private func closeEvent(_ event: CloseEvent?) {
        guard let event else { return writer.null() }
        writer.beginObject()
        writer.key(CloseEventKey.code); writer.int(event.code)
        writer.key(CloseEventKey.reason); writer.string(event.reason)
        writer.key(CloseEventKey.wasClean); writer.bool(event.wasClean)
        if let failure = event.failure {
            writer.key(CloseEventKey.errorFrame); writer.int(failure.frame)
            writer.key(CloseEventKey.errorRule); writer.string(name: failure.rule.id)
        }
        writer.endObject()
    }

    private func capture(_ summary: CaptureSummary) {
        writer.beginObject()
        writer.key(CaptureKey.kind); writer.string(literal: "capture")
        writeFile(CaptureKey.file)
        writer.key(CaptureKey.source); writer.string(summary.source)
        writer.key(CaptureKey.linkType); writer.string(summary.linkType)
        writer.key(CaptureKey.packets); writer.int(summary.packets)
        writer.key(CaptureKey.tcpSegments); writer.int(summary.tcpSegments)
        writer.key(CaptureKey.tcpConnections); writer.int(summary.tcpConnections)
        writer.key(CaptureKey.websocketConnections); writer.int(summary.webSocketConnections)
        writer.key(CaptureKey.frames); writer.int(summary.frames)
        writer.key(CaptureKey.nonIpPackets); writer.int(summary.nonIPPackets)
        writer.key(CaptureKey.nonTcpPackets); writer.int(summary.nonTCPPackets)
        writer.key(CaptureKey.ipFragments); writer.int(summary.ipFragments)
        writer.key(CaptureKey.malformedPackets); writer.int(summary.malformedPackets)
        writer.key(CaptureKey.diagnostics)
        writer.beginObject()
        for severity in Severity.allCases {
            writer.key(computed: severity.rawValue); writer.int(summary.diagnosticCount(severity))
        }
        writer.endObject()
        writer.key(CaptureKey.readError); writer.stringOrNull(summary.readError)
        writer.key(CaptureKey.dropped)
        if let dropped = summary.dropped {
            writer.beginObject()
            writer.key(DroppedKey.kernel); writer.int(dropped.kernel)
            writer.key(DroppedKey.interface); writer.int(dropped.interface)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key(CaptureKey.stoppedByLimit); writer.bool(summary.stoppedByLimit)
        writer.key(CaptureKey.stoppedEarly); writer.stringOrNull(summary.stoppedEarly)
        if let only = summary.onlyStream { writer.key(CaptureKey.onlyStream); writer.int(only) }
        writer.endObject()
    }
}

extension JSONWriter {
    /// Writes one `kind:"message"` object (without the trailing newline); `stream` for captures.
    public mutating func message(_ message: Message, from sender: Sender?, index: Int, stream: Int? = nil, payloadLimit: Int? = nil,
                                 file: [UInt8]? = nil) {
        beginObject()
        key(MessageKey.kind); string(literal: "message")
        if let file { key(MessageKey.file); raw(file) }
        if let stream { key(MessageKey.stream); int(stream) }
        key(MessageKey.from); stringOrNull(sender?.rawValue)
        key(MessageKey.index); int(index)
        if message.origin.packet > 0 {
            key(MessageKey.ts); timestamp(message.origin.time)
            key(MessageKey.packet); int(message.origin.packet)
        }
        key(MessageKey.opcode); int(message.opcode.rawValue)
        key(MessageKey.opcodeName); string(name: message.opcode.name)
        key(MessageKey.frames); int(message.frameCount)
        key(MessageKey.compressed); bool(message.compressed)
        key(MessageKey.wireLength); int(message.wireLength)
        key(MessageKey.length); int(message.length)
        let shown = payloadLimit.map { min($0, message.payload.count) } ?? message.payload.count
        // Exactly one of `text` and `data_hex` carries the payload: text when it is valid UTF-8 text (cut on a
        // character boundary), bytes otherwise.
        let textEnd = message.showsAsText ? UTF8Validator.characterBoundary(in: message.payload, before: min(shown, message.textEnd)) : shown
        key(MessageKey.text)
        if message.showsAsText { validText(message.payload, end: textEnd) } else { null() }
        key(MessageKey.dataHex)
        if message.showsAsText { null() } else { message.payload.withUnsafeBytes { hex(bytes: UnsafeRawBufferPointer(rebasing: $0.prefix(shown))) } }
        key(MessageKey.payloadTruncated); bool(message.payloadIsCut || shown < message.payload.count || textEnd < shown)
        if message.payloadIsCompressed { key(MessageKey.payloadCompressed); bool(true) }
        key(MessageKey.complete); bool(message.complete)
        if message.missingBytes > 0 { key(MessageKey.missingBytes); int(message.missingBytes) }
        key(MessageKey.firstFrame); int(message.firstFrame)
        key(MessageKey.lastFrame); int(message.lastFrame)
        key(MessageKey.diagnostics); diagnostics(message.diagnostics)
        if let view = message.view { key(MessageKey.view); self.view(view) }
        endObject()
    }
}

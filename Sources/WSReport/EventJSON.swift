import WSStream
import WSAnalysis
import WSWire

/// Renders inspection events as JSON Lines (schema: Docs/json.md).
public final class JSONEventRenderer: InspectionSink {
    private let output: Output
    private var writer = JSONWriter(capacity: 1 << 16)
    private let frameContext: FrameRecordContext

    /// `payloadLimit` cuts `payload_hex`/`text` (marking `payload_truncated`); `includeFields` adds the field table.
    /// Records are written out in 64 KiB pieces, and by `flush()` (which live captures call whenever the analysis
    /// has caught up with the capture).
    public init(output: Output, payloadLimit: Int? = nil, includeFields: Bool = false) {
        self.output = output
        self.frameContext = FrameRecordContext(includeFields: includeFields, payloadLimit: payloadLimit)
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .connection(let record): connection(record)
        case .handshake(let record): handshake(record)
        case .frame(let record):
            var context = frameContext
            context.stream = record.stream
            context.index = record.stream == nil ? nil : record.index   // pasted frames are numbered by position
            context.compressed = record.compressed
            writer.frame(record.frame, from: record.sender, context: context)
        case .message(let record): message(record)
        case .incompleteHeader(let stream, let sender, let truncation):
            writer.truncatedHeader(truncation, from: sender, stream: stream)
        case .gap(let record): gap(record)
        case .diagnostic(let record): diagnostic(record)
        case .summary(let summary): self.summary(summary)
        case .capture(let summary): capture(summary)
        }
        writer.newline()
        if writer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered.
    public func flush() {
        writer.withUnsafeBytes { output.write($0) }
        writer.reset()
        output.flush()
    }

    private func origin(_ origin: ByteOrigin?) {
        writer.key("packet"); writer.intOrNull(origin.map(\.packet))
        writer.key("ts")
        if let origin { writer.timestamp(origin.time) } else { writer.null() }
    }

    private func connection(_ record: ConnectionRecord) {
        writer.beginObject()
        writer.key("kind"); writer.string(literal: "connection")
        writer.key("stream"); writer.int(record.stream)
        writer.key("client"); writer.string(record.client)
        writer.key("server"); writer.string(record.server)
        writer.key("first_packet"); writer.int(record.firstPacket)
        writer.key("ts"); writer.timestamp(record.start)
        writer.key("tcp_handshake_seen"); writer.bool(record.tcpHandshakeSeen)
        writer.key("detection"); writer.string(name: record.detection.rawValue)
        writer.endObject()
    }

    private func handshake(_ record: HandshakeRecord) {
        let outcome = record.outcome
        writer.beginObject()
        writer.key("kind"); writer.string(literal: "handshake")
        writer.key("stream"); writer.int(record.stream)
        writer.key("client"); writer.string(record.client)
        writer.key("server"); writer.string(record.server)
        origin(record.requestOrigin)
        writer.key("request_line"); writer.string(record.requestLine)
        writer.key("status"); writer.intOrNull(record.status)
        writer.key("reason"); writer.stringOrNull(record.response?.line?.reason)
        writer.key("response_packet"); writer.intOrNull(record.responseOrigin?.packet)
        writer.key("key"); writer.stringOrNull(record.key)
        writer.key("accept"); writer.stringOrNull(outcome?.accept)
        writer.key("expected_accept"); writer.stringOrNull(record.expectedAccept)
        writer.key("accept_valid"); if let valid = outcome?.acceptValid { writer.bool(valid) } else { writer.null() }
        writer.key("subprotocol"); writer.stringOrNull(outcome?.subprotocol)
        writer.key("extensions"); strings(outcome?.extensions.map(\.text) ?? [])
        writer.key("offered_subprotocols"); strings(record.request.offeredSubprotocols)
        writer.key("offered_extensions"); strings(record.request.offeredExtensions.map(\.text))
        writer.key("upgraded"); writer.bool(record.upgraded)
        writer.key("hixie76"); writer.bool(record.request.isHixie76)
        writer.key("permessage_deflate")
        if let deflate = outcome?.deflate {
            writer.beginObject()
            writer.key("client_no_context_takeover"); writer.bool(deflate.client.noContextTakeover)
            writer.key("server_no_context_takeover"); writer.bool(deflate.server.noContextTakeover)
            writer.key("client_max_window_bits"); writer.int(deflate.client.windowBits)
            writer.key("server_max_window_bits"); writer.int(deflate.server.windowBits)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("request_headers"); headers(record.request.head)
        writer.key("response_headers"); if let response = record.response { headers(response.head) } else { writer.null() }
        writer.key("diagnostics"); writer.diagnostics(record.diagnostics)
        writer.endObject()
    }

    private func strings(_ values: [String]) {
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }

    /// `[["Host","example.com"], ...]`, in order, names as sent.
    private func headers(_ head: HTTPHead) {
        writer.beginArray()
        for field in head.fields {
            writer.beginArray()
            writer.string(field.name)
            writer.string(field.value)
            writer.endArray()
        }
        writer.endArray()
    }

    private func message(_ record: MessageRecord) {
        writer.message(record.message, from: record.sender, index: record.index, stream: record.stream,
                       payloadLimit: frameContext.payloadLimit)
    }

    private func gap(_ record: GapRecord) {
        writer.beginObject()
        writer.key("kind"); writer.string(literal: "gap")
        writer.key("stream"); writer.int(record.stream)
        writer.key("from"); writer.string(name: record.sender.rawValue)
        writer.key("offset"); writer.int(record.offset)
        writer.key("bytes"); writer.int(record.bytes)
        origin(record.origin)
        writer.key("reason"); writer.string(record.reason)
        writer.endObject()
    }

    private func diagnostic(_ record: DiagnosticRecord) {
        writer.beginObject()
        writer.key("kind"); writer.string(literal: "diagnostic")
        writer.key("stream"); writer.intOrNull(record.stream)
        writer.key("from"); writer.stringOrNull(record.sender?.rawValue)
        origin(record.origin)
        writer.key("rule"); writer.string(name: record.diagnostic.rule.id)
        writer.key("severity"); writer.string(name: record.diagnostic.severity.rawValue)
        writer.key("rfc"); writer.string(record.diagnostic.rule.section)
        writer.key("message"); writer.string(record.diagnostic.message)
        writer.endObject()
    }

    private func summary(_ summary: ConnectionSummary) {
        writer.beginObject()
        writer.key("kind"); writer.string(literal: "summary")
        writer.key("stream"); writer.int(summary.stream)
        writer.key("client"); writer.string(summary.client)
        writer.key("server"); writer.string(summary.server)
        writer.key("duration"); writer.double((summary.duration * 1e6).rounded() / 1e6)
        writer.key("tcp_end"); writer.string(summary.tcpEnd)
        writer.key("tcp_first_fin"); writer.stringOrNull(summary.firstFIN?.rawValue)
        writer.key("close")
        if let close = summary.close {
            writer.beginObject()
            writer.key("first_by"); writer.string(name: close.initiator.rawValue)
            writer.key("code"); writer.intOrNull(close.code)
            writer.key("reason"); writer.stringOrNull(close.reason)
            writer.key("answered"); writer.bool(close.answered)
            writer.key("answer_code"); writer.intOrNull(close.answerCode)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("directions")
        writer.beginObject()
        for direction in [summary.clientDirection, summary.serverDirection] {
            writer.key(computed: direction.sender.rawValue)
            writer.beginObject()
            writer.key("frames"); writer.int(direction.frames)
            writer.key("frames_by_opcode")
            writer.beginObject()
            for (name, count) in direction.framesByOpcode.sorted(by: { $0.key < $1.key }) {
                writer.key(computed: name); writer.int(count)
            }
            writer.endObject()
            writer.key("payload_bytes"); writer.int(direction.payloadBytes)
            writer.key("messages"); writer.int(direction.messages)
            writer.key("messages_by_opcode")
            writer.beginObject()
            for (name, count) in direction.messagesByOpcode.sorted(by: { $0.key < $1.key }) {
                writer.key(computed: name); writer.int(count)
            }
            writer.endObject()
            writer.key("compressed_messages"); writer.int(direction.compressedMessages)
            writer.key("compressed_bytes"); writer.int(direction.compressedBytes)
            writer.key("inflated_bytes"); writer.int(direction.inflatedBytes)
            writer.key("ping_rtt_ms")
            if let rtt = direction.pingRoundTrips {
                writer.beginObject()
                writer.key("count"); writer.int(rtt.count)
                writer.key("min"); writer.double((rtt.minimum * 1000).rounded() / 1000)
                writer.key("avg"); writer.double((rtt.average * 1000).rounded() / 1000)
                writer.key("max"); writer.double((rtt.maximum * 1000).rounded() / 1000)
                writer.endObject()
            } else {
                writer.null()
            }
            let a = direction.accounting
            writer.key("stream_bytes"); writer.int(a.streamBytes)
            writer.key("http_bytes"); writer.int(a.httpBytes)
            writer.key("frame_bytes"); writer.int(a.frameBytes)
            writer.key("skipped_bytes"); writer.int(a.skippedBytes)
            writer.key("gap_bytes"); writer.int(a.gapBytes)
            writer.endObject()
        }
        writer.endObject()
        writer.key("diagnostics")
        writer.beginObject()
        for entry in summary.diagnosticCounts {
            writer.key(computed: entry.rule); writer.int(entry.count)
        }
        writer.endObject()
        writer.endObject()
    }

    private func capture(_ summary: CaptureSummary) {
        writer.beginObject()
        writer.key("kind"); writer.string(literal: "capture")
        writer.key("source"); writer.string(summary.source)
        writer.key("link_type"); writer.string(summary.linkType)
        writer.key("packets"); writer.int(summary.packets)
        writer.key("tcp_segments"); writer.int(summary.tcpSegments)
        writer.key("tcp_connections"); writer.int(summary.tcpConnections)
        writer.key("websocket_connections"); writer.int(summary.webSocketConnections)
        writer.key("frames"); writer.int(summary.frames)
        writer.key("non_ip_packets"); writer.int(summary.nonIPPackets)
        writer.key("non_tcp_packets"); writer.int(summary.nonTCPPackets)
        writer.key("ip_fragments"); writer.int(summary.ipFragments)
        writer.key("malformed_packets"); writer.int(summary.malformedPackets)
        writer.key("diagnostics")
        writer.beginObject()
        for severity in Severity.allCases {
            writer.key(computed: severity.rawValue); writer.int(summary.diagnosticsBySeverity[severity] ?? 0)
        }
        writer.endObject()
        writer.key("read_error"); writer.stringOrNull(summary.readError)
        writer.key("dropped")
        if let dropped = summary.dropped {
            writer.beginObject()
            writer.key("kernel"); writer.int(dropped.kernel)
            writer.key("interface"); writer.int(dropped.interface)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("stopped_by_limit"); writer.bool(summary.stoppedByLimit)
        writer.endObject()
    }
}

extension JSONWriter {
    /// Writes one `kind:"message"` object (without the trailing newline); `stream` for captures.
    public mutating func message(_ message: Message, from sender: Sender?, index: Int, stream: Int? = nil, payloadLimit: Int? = nil) {
        beginObject()
        key("kind"); string(literal: "message")
        if let stream { key("stream"); int(stream) }
        key("from"); stringOrNull(sender?.rawValue)
        key("index"); int(index)
        if message.origin.packet > 0 {
            key("ts"); timestamp(message.origin.time)
            key("packet"); int(message.origin.packet)
        }
        key("opcode"); int(message.opcode.rawValue)
        key("opcode_name"); string(name: message.opcode.name)
        key("frames"); int(message.frameCount)
        key("compressed"); bool(message.compressed)
        key("wire_length"); int(message.wireLength)
        key("length"); int(message.length)
        let shown = payloadLimit.map { min($0, message.payload.count) } ?? message.payload.count
        // Exactly one of `text` and `data_hex` carries the payload: text when it is valid UTF-8 text (cut on a
        // character boundary), bytes otherwise.
        let textEnd = message.showsAsText ? UTF8Validator.characterBoundary(in: message.payload, before: min(shown, message.textEnd)) : shown
        key("text")
        if message.showsAsText { validText(message.payload, end: textEnd) } else { null() }
        key("data_hex")
        if message.showsAsText { null() } else { message.payload.withUnsafeBytes { hex(bytes: UnsafeRawBufferPointer(rebasing: $0.prefix(shown))) } }
        key("payload_truncated"); bool(message.payloadIsCut || shown < message.payload.count || textEnd < shown)
        if message.payloadIsCompressed { key("payload_compressed"); bool(true) }
        key("complete"); bool(message.complete)
        if message.missingBytes > 0 { key("missing_bytes"); int(message.missingBytes) }
        key("first_frame"); int(message.firstFrame)
        key("last_frame"); int(message.lastFrame)
        key("diagnostics"); diagnostics(message.diagnostics)
        endObject()
    }
}

import WSStream
import WSWire

/// The connection's WebSocket layer: a `WebSocketSession`, started when the connection turns out to be WebSocket;
/// the analyzer is its host.
extension ConnectionAnalyzer: WebSocketSessionHost {
    /// Switches to WebSocket framing in both directions. `outcome` is the handshake's (nil without one).
    func startWebSocket(detection: Detection, resynchronise: Bool, outcome: HandshakeOutcome?,
                        startOffsets: [UInt64]? = nil, resynchroniseClient: Bool? = nil,
                        searchCause: ResyncEpisode.Cause = .midStream) {
        mode = .webSocket
        reportConnection(detection)
        inspector.connectionBecameWebSocket()
        if detection == .webSocketPort || detection == .heuristic {
            let how = detection == .webSocketPort
                ? "decoding as WebSocket because --ws-port names port \(serverEndpoint.port)."
                : "this connection was recognised as WebSocket by its frames."
            report(Diagnostic(.websocketWithoutHandshake, (info.handshakeSeen
                ? "The opening handshake was lost in a capture gap; " : "No opening handshake was captured; ") + how),
                sender: nil, origin: start)
        }
        // Without a handshake the extensions are unknown: RSV1 may be permessage-deflate, so it is not an error, and
        // compressed messages cannot be inflated (their window history and parameters are unknown).
        let unknown = outcome == nil
        let rsv1Compressed = outcome?.permessageDeflate ?? true
        let negotiatedRSV: UInt8 = unknown || outcome!.usesRSV1 ? 0b100 : 0
        var setups: [Sender?: SessionDirectionSetup] = [:]
        let consumers = inspector.options.payloadViews?.consumers(subprotocol: outcome?.subprotocol)
        for sender in [Sender.client, Sender.server] {
            let direction = direction(of: sender)
            setups[sender] = SessionDirectionSetup(
                context: FrameRuleContext(sender: sender, negotiatedRSV: negotiatedRSV, rsv1MeansCompressed: rsv1Compressed),
                deflate: outcome?.deflate?.settings(for: sender), compressionUnknown: unknown,
                startOffset: startOffsets?[direction.rawValue] ?? directions[direction.rawValue].accounting.streamBytes,
                resynchronise: sender == .client ? (resynchroniseClient ?? resynchronise) : resynchronise,
                searchCause: searchCause,
                consumer: sender == .client ? consumers?.client : consumers?.server)
        }
        session = WebSocketSession(
            host: self, options: WebSocketSession.Options(payloadLimit: inspector.options.payloadLimit,
                                                          maxMessageSize: inspector.options.maxMessageSize),
            setups: setups, scratch: inspector.scratch, inflateScratch: inspector.inflateScratch)
        session!.clientMustFail = outcome?.clientMustFail ?? false
    }

    var sessionStream: Int? { info.stream }
    var sessionReportsFrames: Bool { inspector.options.reportFrames }
    var sessionStart: Timestamp? { start.time }
    func sessionAdmitFrame() -> Bool { inspector.admitFrame() }
    func sessionEmit(_ event: InspectionEvent) {
        // (Only analyzers that read TLS plaintext look: `tlsBelow` is nil for the others, and is checked first, since
        // reading `inspector.options` copies the whole options struct.)
        if let tls = tlsBelow, inspector.options.reportTLSRecords, case .frame(var record) = event, let sender = record.sender {
            // The teaching view: which TLS records carried this frame's bytes.
            let start = record.frame.offset
            record.tlsRecords = tls.records(direction: direction(of: sender), covering: start..<(start + max(record.frame.wireLength, 1)))
            inspector.emit(.frame(record))
            return
        }
        inspector.emit(event)
    }

    func sessionCount(_ diagnostics: [Diagnostic]) {
        count(diagnostics)
    }

    func sessionReport(_ diagnostic: Diagnostic, sender: Sender?, origin: ByteOrigin?) {
        report(diagnostic, sender: sender, origin: origin)
    }
}

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
        if tlsBelow == nil { reportCleartext() }
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
                                                          maxMessageSize: inspector.options.maxMessageSize,
                                                          timing: inspector.options.timing),
            setups: setups, scratch: inspector.scratch, inflateScratch: inspector.inflateScratch)
        session!.clientMustFail = outcome?.clientMustFail ?? false
        session!.clientNoContextTakeover = outcome?.deflate?.client.noContextTakeover ?? false
    }

    /// `cleartext-websocket` (RFC 6455 §10.6): a note on loopback, where nothing travels on a network.
    private func reportCleartext() {
        let loopback = clientEndpoint.address.isLoopback && serverEndpoint.address.isLoopback
        report(Diagnostic(.cleartextWebsocket, loopback
            ? "This connection is plain ws, not wss (TLS): harmless on loopback, but between hosts anyone on the path could read and alter it."
            : "This connection is plain ws, not wss (TLS): anyone on the path can read and alter it (whether the application protects its content itself cannot be seen).",
            severity: loopback ? .note : nil), sender: nil, origin: start)
    }

    var sessionStream: Int? { info.stream }
    var sessionReportsFrames: Bool { inspector.options.reportFrames }
    var sessionStart: Timestamp? { start.time }
    func sessionAdmitFrame() -> Bool { inspectorReference._withUnsafeGuaranteedRef { $0.admitFrame() } }
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
        inspectorReference._withUnsafeGuaranteedRef { $0.emit(event) }
    }

    func sessionCount(_ diagnostics: [Diagnostic]) {
        count(diagnostics)
    }

    func sessionReport(_ diagnostic: Diagnostic, sender: Sender?, origin: ByteOrigin?) {
        report(diagnostic, sender: sender, origin: origin)
    }
}

extension IPAddress {
    /// 127.0.0.0/8 or ::1.
    var isLoopback: Bool {
        isIPv6 ? (high == 0 && low == 1) : (low >> 24) == 127
    }
}

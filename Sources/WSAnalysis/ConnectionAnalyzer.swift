import WSStream
import WSWire

/// Follows one TCP connection: recognises HTTP and the WebSocket upgrade (or WebSocket without a handshake), checks
/// the handshake, decodes frames in both directions, and accounts for every byte.
final class ConnectionAnalyzer: ByteStreamObserver {
    enum Mode {
        /// Waiting for the first bytes to tell what this connection is.
        case detecting
        case http
        case webSocket
        /// hixie-76: recognised, not decoded.
        case hixie
        /// Not WebSocket: bytes are dropped.
        case ignored
    }

    /// An upgrade request waiting for its response.
    struct PendingUpgrade {
        let request: HandshakeRequest
        let origin: ByteOrigin
        let diagnostics: [Diagnostic]
    }

    /// Client bytes that arrived after the upgrade request, before the response (or, with `gap` > 0, bytes of that
    /// stretch missing from the capture: they are replayed as a gap).
    struct HeldChunk {
        let bytes: [UInt8]
        let origin: ByteOrigin
        var gap: UInt64 = 0

        /// Stream bytes the chunk stands for.
        var length: UInt64 { UInt64(bytes.count) + gap }
    }

    /// The inspector owns the flow tracker, which owns this analyzer: it always outlives it (no reference counting
    /// on the per-frame path).
    unowned(unsafe) let inspector: CaptureInspector
    let info: StreamInfo
    var mode: Mode = .detecting
    /// The TCP direction in which the WebSocket client sends.
    var clientDirection: StreamDirection = .fromInitiator
    var detection: Detection = .handshake
    var reported = false

    /// Per-direction state, indexed by `StreamDirection.rawValue`.
    let directions: [DirectionState]
    var pendingMethods: [String] = []
    var upgrade: PendingUpgrade?
    /// The server's response came first: the client's request was lost, and its bytes wait for that response.
    var requestLost = false
    var held: [HeldChunk] = []
    var heldBytes = 0
    var outcome: HandshakeOutcome?
    /// The WebSocket layer, once the connection is WebSocket.
    var session: WebSocketSession?
    var firstFIN: StreamDirection?
    /// This connection's findings (also counted into the capture's totals).
    var tally = DiagnosticTally()
    var lastTime: Timestamp

    init(info: StreamInfo, inspector: CaptureInspector) {
        self.info = info
        self.inspector = inspector
        self.lastTime = info.firstPacket.time
        let headLimit = inspector.options.maxHTTPHead
        directions = [DirectionState(httpHeadLimit: headLimit), DirectionState(httpHeadLimit: headLimit)]
    }

    var start: ByteOrigin { info.firstPacket }

    func sender(_ direction: StreamDirection) -> Sender {
        direction == clientDirection ? .client : .server
    }

    func direction(of sender: Sender) -> StreamDirection {
        sender == .client ? clientDirection : clientDirection.reversed
    }

    var clientEndpoint: Endpoint { info.endpoint(sending: clientDirection) }
    var serverEndpoint: Endpoint { info.endpoint(sending: clientDirection.reversed) }

    // MARK: - ByteStreamObserver

    func streamReceived(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {
        lastTime = origin.time
        let offset = directions[direction.rawValue].accounting.streamBytes
        directions[direction.rawValue].accounting.streamBytes += UInt64(bytes.count)
        route(bytes, direction: direction, origin: origin, offset: offset)
    }

    /// Sends bytes to whatever the connection currently is.
    func route(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin, offset: UInt64) {
        guard !bytes.isEmpty else { return }
        switch mode {
        case .ignored:
            return
        case .detecting:
            detect(bytes, direction: direction, origin: origin)
        case .http:
            feedHTTP(bytes, direction: direction, origin: origin, offset: offset)
        case .webSocket:
            session!.receive(bytes, from: sender(direction), origin: origin)
        case .hixie:
            feedHixie(bytes, direction: direction, origin: origin)
        }
    }

    func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) {
        let index = direction.rawValue
        let offset = directions[index].accounting.streamBytes
        directions[index].accounting.streamBytes += count
        directions[index].accounting.gapBytes += count
        directions[index].gaps += 1
        if reported {
            inspector.emit(.gap(GapRecord(stream: info.stream, sender: sender(direction), offset: offset, bytes: count,
                                          origin: origin, reason: reason.rawValue)))
        }
        routeGap(count, direction: direction, origin: origin)
    }

    /// Tells whatever the connection currently is that `count` bytes of a direction are missing.
    func routeGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin) {
        let index = direction.rawValue
        switch mode {
        case .webSocket:
            session!.gap(count, from: sender(direction))
        case .http:
            httpGap(count, direction: direction, origin: origin)
        case .detecting:
            // What was held cannot chain into what follows the gap: it is skipped.
            directions[index].accounting.skippedBytes += UInt64(directions[index].probe.count)
            directions[index].clearProbe()
        case .hixie, .ignored:
            break
        }
    }

    func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin) {
        guard reported else { return }
        report(Diagnostic(.tcpRetransmissionConflict,
            "A retransmitted segment carries \(length) byte\(length == 1 ? "" : "s") at stream offset \(offset) that differ from the bytes first sent there; the first copy is kept."),
            sender: sender(direction), origin: origin)
    }

    func streamStartedMidStream(direction: StreamDirection) {
        directions[direction.rawValue].startedMidStream = true
    }

    func streamFinished(direction: StreamDirection, origin: ByteOrigin) {
        if firstFIN == nil { firstFIN = direction }
    }

    func streamClosed(_ how: StreamEnd, origin: ByteOrigin, latest: Timestamp) {
        if lastTime < latest { lastTime = latest }
        if mode == .http, let pending = upgrade {
            finishUnansweredUpgrade(pending, how: how, origin: origin)
        }
        if let session {
            session.finish(because: "the connection ended first")
            switch how {
            case .captureEnded, .evicted: session.finishConversation(closedBy: nil, origin: origin)
            default: session.finishConversation(closedBy: tcpEndDescription(how), origin: origin)
            }
        }
        if case .evicted = how, reported {
            report(Diagnostic(.connectionEvicted,
                "wsinspect stopped following this connection: \(inspector.options.maxConnections) others were open (--max-connections) and this one had been idle longest. Nothing after this point is shown."),
                sender: nil, origin: origin)
        }
        if reported {
            inspector.emit(.summary(summary(how)))
        }
    }

    // MARK: - Reporting

    /// Emits the connection record the first time the connection turns out to be WebSocket-related.
    func reportConnection(_ detection: Detection) {
        guard !reported else { return }
        reported = true
        self.detection = detection
        inspector.emit(.connection(ConnectionRecord(
            stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
            firstPacket: info.firstPacket.packet, start: start.time, tcpHandshakeSeen: info.handshakeSeen,
            detection: detection)))
    }

    func count(_ diagnostics: [Diagnostic]) {
        tally.add(diagnostics)
        inspector.count(diagnostics)
    }

    func report(_ diagnostic: Diagnostic, sender: Sender?, origin: ByteOrigin?) {
        count([diagnostic])
        inspector.emit(.diagnostic(DiagnosticRecord(stream: info.stream, sender: sender, origin: origin, diagnostic: diagnostic)))
    }

    func relativeTime(_ time: Timestamp) -> Double {
        time.seconds(since: start.time)
    }

    func tcpEndDescription(_ how: StreamEnd) -> String {
        switch how {
        case .fin: return "fin"
        case .reset(let by): return "reset by \(sender(by).rawValue)"
        case .captureEnded: return "capture ended"
        case .replaced: return "replaced by a new connection on the same ports"
        case .evicted: return "evicted (too many open connections)"
        }
    }
}

import WSStream
import WSTLS
import WSWire

/// Follows one connection's byte streams: recognises HTTP and the WebSocket upgrade (or WebSocket without a
/// handshake), TLS and HTTP CONNECT tunnels, checks the handshake, decodes frames in both directions, and accounts
/// for every byte.
///
/// Layers nest: the analyzer that receives the TCP bytes (the root) hands a TLS connection's bytes to a `TLSLayer`,
/// and a CONNECT tunnel's to a fresh analyzer; the analyzer that reads the TLS plaintext or the tunnel's bytes is
/// another `ConnectionAnalyzer` (its `parent` is the one below), which starts detection afresh. Whatever analyzer
/// finds something, the root reports it: one connection record, one tally, one summary per TCP connection.
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
        /// TLS: bytes go to `tlsLayer`, whose plaintext goes to an inner analyzer.
        case tls
        /// A CONNECT tunnel is open: bytes go to `tunnel`, an analyzer of what passes through it.
        case tunnel
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
    let inspectorReference: Unmanaged<CaptureInspector>
    /// (Lent to the per-frame calls with `_withUnsafeGuaranteedRef`: an `unowned(unsafe)` reference is retained at
    /// each use, atomically, Docs/performance.md.)
    var inspector: CaptureInspector { inspectorReference.takeUnretainedValue() }
    let info: StreamInfo
    var mode: Mode = .detecting
    /// The TCP direction in which the WebSocket client sends.
    var clientDirection: StreamDirection = .fromInitiator
    var detection: Detection = .handshake
    /// Set on the root once its connection record is out.
    private var connectionReported = false
    /// The analyzer of the layer below, nil for the root (the one that receives TCP bytes). It owns this one.
    unowned(unsafe) let parent: ConnectionAnalyzer?
    /// The TLS layer this analyzer hands its bytes to (mode `.tls`); its downstream is the inner analyzer.
    var tlsLayer: TLSLayer?
    /// The analyzer of a CONNECT tunnel's bytes (mode `.tunnel`).
    var tunnel: ConnectionAnalyzer?
    /// The CONNECT exchange: pending until the proxy answers, then the hop.
    var pendingConnect: (target: String, origin: ByteOrigin)?
    var proxyHop: ProxyHop?
    /// TLS-level findings already reported once (e.g. `tls-not-decrypted`).
    var tlsReportedNotDecrypted = false
    var keyUpdates = [0, 0]
    /// `--segments` (read once: reading the inspector's options copies them).
    let reportSegments: Bool

    /// Per-direction state, indexed by `StreamDirection.rawValue`.
    let directions: [DirectionState]
    var pendingMethods: [String] = []
    var upgrade: PendingUpgrade?
    /// The server's response came first: the client's request was lost, and its bytes wait for that response.
    var requestLost = false
    var held: [HeldChunk] = []
    var heldBytes = 0
    var outcome: HandshakeOutcome?
    /// The opening handshake failed: the server refused the upgrade, or closed without answering it. A browser then
    /// fires `error` and a `CloseEvent` with code 1006, and never `open`.
    var upgradeFailed = false
    /// The status of a refused upgrade: the connection stayed HTTP, so frames are `frame-before-open`.
    var refusedUpgrade: Int?
    /// This connection sent an upgrade request (it counts in the client's history).
    var sentUpgrade = false
    /// The WebSocket layer, once the connection is WebSocket.
    var session: WebSocketSession?
    var firstFIN: StreamDirection?
    /// This connection's findings (also counted into the capture's totals).
    var tally = DiagnosticTally()
    var lastTime: Timestamp

    init(info: StreamInfo, inspector: CaptureInspector, parent: ConnectionAnalyzer? = nil) {
        self.info = info
        self.inspectorReference = .passUnretained(inspector)
        self.parent = parent
        self.reportSegments = inspector.options.reportSegments
        self.lastTime = info.firstPacket.time
        let headLimit = inspector.options.maxHTTPHead
        directions = [DirectionState(httpHeadLimit: headLimit), DirectionState(httpHeadLimit: headLimit)]
    }

    var start: ByteOrigin { info.firstPacket }

    /// The analyzer that receives the TCP bytes and reports for the whole connection.
    var root: ConnectionAnalyzer { parent?.root ?? self }
    var isRoot: Bool { parent == nil }
    /// True once the connection record was emitted.
    var reported: Bool { root.connectionReported }

    /// The analyzer of the innermost layer (the application's bytes: TLS plaintext, a tunnel's content).
    var application: ConnectionAnalyzer {
        switch mode {
        case .tls: (tlsLayer?.downstream as? ConnectionAnalyzer)?.application ?? self
        case .tunnel: tunnel?.application ?? self
        default: self
        }
    }

    /// The TLS layer of the connection, wherever it is in the chain of layers.
    var connectionTLS: TLSLayer? {
        if let tlsLayer { return tlsLayer }
        if let tunnel { return tunnel.connectionTLS }
        return nil
    }

    /// The TLS layer right below this analyzer, when it reads TLS plaintext.
    var tlsBelow: TLSLayer? { parent?.tlsLayer }

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
            if reportSegments { emitSegment(bytes.count, direction: direction, origin: origin, offset: offset) }
            session!.receive(bytes, from: sender(direction), origin: origin)
        case .hixie:
            feedHixie(bytes, direction: direction, origin: origin)
        case .tls:
            tlsLayer!.streamReceived(bytes, direction: direction, origin: origin)
        case .tunnel:
            directions[direction.rawValue].tunnelBytes += UInt64(bytes.count)
            tunnel!.streamReceived(bytes, direction: direction, origin: origin)
        }
    }

    /// `--segments`: where this chunk of a WebSocket stream lies (kept out of `route`, which every chunk takes).
    @inline(never)
    private func emitSegment(_ length: Int, direction: StreamDirection, origin: ByteOrigin, offset: UInt64) {
        inspector.emit(.segment(SegmentRecord(stream: info.stream, sender: sender(direction), origin: origin, offset: offset,
                                              length: length, relativeTime: relativeTime(origin.time), isTLSRecord: tlsBelow != nil)))
    }

    func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) {
        let index = direction.rawValue
        let offset = directions[index].accounting.streamBytes
        directions[index].accounting.streamBytes += count
        directions[index].accounting.gapBytes += count
        directions[index].gaps += 1
        if isRoot {
            if !reported, connectionTLS != nil { reportConnection(.tls) }
            if reported {
                inspector.emit(.gap(GapRecord(stream: info.stream, sender: sender(direction), offset: offset, bytes: count,
                                              origin: origin, reason: reason.rawValue)))
            }
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
        case .tls:
            tlsLayer!.streamGap(count, direction: direction, origin: origin, reason: .acknowledged)
        case .tunnel:
            tunnel!.streamGap(count, direction: direction, origin: origin, reason: .acknowledged)
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
        if isRoot, firstFIN == nil { firstFIN = direction }
        if directions[direction.rawValue].finTime == nil { directions[direction.rawValue].finTime = origin.time }
        switch mode {
        case .tls: tlsLayer!.streamFinished(direction: direction, origin: origin)
        case .tunnel: tunnel!.streamFinished(direction: direction, origin: origin)
        default: break
        }
    }

    func streamStopped(direction: StreamDirection, origin: ByteOrigin) {
        let index = direction.rawValue
        directions[index].stopped = true
        directions[index].gaps += 1   // what follows is unknown, as after a gap: nothing is concluded across it
        switch mode {
        case .webSocket:
            session!.stop(sender(direction))
        case .http:
            directions[index].http.reset()
            directions[index].httpLost = true
        case .detecting:
            directions[index].accounting.skippedBytes += UInt64(directions[index].probe.count)
            directions[index].clearProbe()
        case .tls:
            tlsLayer!.streamStopped(direction: direction, origin: origin)
        case .tunnel:
            tunnel!.streamStopped(direction: direction, origin: origin)
        case .hixie, .ignored:
            break
        }
    }

    func streamClosed(_ how: StreamEnd, origin: ByteOrigin, latest: Timestamp) {
        if lastTime < latest { lastTime = latest }
        // The layers above first: their sessions finish before this connection is summed up.
        switch mode {
        case .tls: tlsLayer!.streamClosed(how, origin: origin, latest: latest)
        case .tunnel: tunnel!.streamClosed(how, origin: origin, latest: latest)
        default: break
        }
        if isRoot, !reported, connectionTLS != nil { reportConnection(.tls) }
        if mode == .http, let pending = upgrade {
            finishUnansweredUpgrade(pending, how: how, origin: origin)
        }
        if mode == .http, pendingConnect != nil {
            // A CONNECT the proxy never answered (in the capture): what the client sent after it stays unread.
            directions[clientDirection.rawValue].accounting.skippedBytes += UInt64(heldBytes)
            held = []
            heldBytes = 0
        }
        if let session { finishSession(session, how: how, origin: origin, latest: latest) }
        recordClosing(how, time: latest)
        if case .evicted = how, reported, isRoot {
            report(Diagnostic(.connectionEvicted,
                "wsinspect stopped following this connection: \(inspector.options.maxConnections) others were open (--max-connections) and this one had been idle longest. Nothing after this point is shown."),
                sender: nil, origin: origin)
        }
        if reported && isRoot {
            inspector.emit(.summary(summary(how)))
        }
    }

    // MARK: - Reporting

    /// Emits the connection record the first time the connection turns out to be WebSocket-related.
    /// (On the root, whichever layer calls it.) The endpoints are named from the application layer's point of view:
    /// its client is the side that sent the upgrade request (or the ClientHello, or the CONNECT).
    func reportConnection(_ detection: Detection) {
        guard isRoot else { return root.reportConnection(detection) }
        guard !connectionReported else { return }
        connectionReported = true
        self.detection = detection
        let app = application
        var record = ConnectionRecord(
            stream: info.stream, client: app.clientEndpoint.description, server: app.serverEndpoint.description,
            firstPacket: info.firstPacket.packet, start: start.time, tcpHandshakeSeen: info.handshakeSeen,
            detection: detection)
        record.tls = connectionTLS?.info
        record.proxy = proxyHop
        inspector.emit(.connection(record))
    }

    func count(_ diagnostics: [Diagnostic]) {
        root.tally.add(diagnostics)
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

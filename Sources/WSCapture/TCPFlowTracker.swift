import WSStream
/// Tracks TCP connections by their full 4-tuple (so two connections between the same two loopback addresses never
/// mix) and reassembles each direction.
public final class TCPFlowTracker {
    public struct Options: Hashable, Sendable {
        /// Held out-of-order bytes per connection before the first hole is given up as a gap.
        public var maxBuffer: Int
        /// Held out-of-order bytes across all connections: past it, the connection that just added to them gives up
        /// its first hole as a gap (so that many connections cannot each hold `maxBuffer`).
        public var maxBufferTotal: Int
        /// Open connections followed at once; a new one beyond it evicts the least recently active
        /// (`StreamEnd.evicted`). As many closed ones are remembered, so that their late packets are recognised.
        public var maxConnections: Int

        public init(maxBuffer: Int = 16 << 20, maxBufferTotal: Int = 256 << 20, maxConnections: Int = 10_000) {
            self.maxBuffer = maxBuffer
            self.maxBufferTotal = maxBufferTotal
            self.maxConnections = max(1, maxConnections)
        }
    }

    final class Connection {
        let info: StreamInfo
        let key: FlowKey
        /// The tracker's segment count when this connection last had a packet (for eviction).
        var lastActivity = 0
        /// Out-of-order bytes both directions hold (kept in step with the tracker's total).
        var held = 0
        /// The latest time of any of its packets.
        var latest: Timestamp
        var observer: ByteStreamObserver? {
            didSet {
                let target = observer ?? NullObserver.shared
                forwardSink = ObserverSink(observer: target, direction: .fromInitiator)
                backwardSink = ObserverSink(observer: target, direction: .fromResponder)
            }
        }
        var fromInitiator = TCPStreamReassembler()
        var fromResponder = TCPStreamReassembler()
        /// Sinks made once, so that no packet pays for creating them.
        var forwardSink = ObserverSink(observer: NullObserver.shared, direction: .fromInitiator)
        var backwardSink = ObserverSink(observer: NullObserver.shared, direction: .fromResponder)
        var initialSequence: UInt32?
        var finished: [Bool] = [false, false]
        /// True once either side sent FIN: only then is the end of a direction checked for.
        var finSeen = false
        var isClosed = false

        init(info: StreamInfo, key: FlowKey) {
            self.info = info
            self.key = key
            self.latest = info.firstPacket.time
        }
    }

    public let options: Options
    /// Who observes new connections. Unowned: the factory owns the tracker.
    private unowned(unsafe) let factory: ByteStreamFactory
    private var table = FlowTable<Connection>()
    private var lastKey: FlowKey?
    /// The connection of the previous packet (a strong reference: retaining it costs less than the atomic retain an
    /// `unowned(unsafe)` one gets at each use, Docs/performance.md).
    private var lastConnection: Connection?
    public private(set) var connectionCount = 0
    public private(set) var segmentCount = 0
    /// Connections in the table: the open ones and the most recently closed (at most twice `maxConnections`).
    public var trackedConnections: Int { table.count }
    /// Connections open now.
    public private(set) var openConnections = 0
    /// Connections evicted to stay within `maxConnections`.
    public private(set) var evictedConnections = 0
    /// Out-of-order bytes held across all connections.
    public private(set) var heldBytes = 0
    private var evictionQueue = EvictionQueue<Connection>()
    /// Closed connections still in the table, oldest first (at most `maxConnections`; `closedStart` is the head).
    private var closed: [Connection] = []
    private var closedStart = 0

    public init(factory: ByteStreamFactory, options: Options = Options()) {
        self.factory = factory
        self.options = options
    }

    /// Takes one TCP segment in.
    /// `payloadDigest`, when given, is `DeliveryHistory.digest` of the segment's payload (computed ahead of time).
    public func process(_ segment: TCPSegment, origin: ByteOrigin, payloadDigest: UInt64? = nil) {
        segmentCount += 1
        let key = FlowKey(segment.source, segment.destination)
        var candidate: Connection?
        if let lastKey, lastKey == key { candidate = lastConnection } else { candidate = table.find(key) }
        let flags = segment.flags

        if flags.contains(.syn) && !flags.contains(.ack) {
            // A new connection, unless this repeats the SYN of the one we know.
            if let existing = candidate, !existing.isClosed, existing.initialSequence == segment.sequence {
                return
            }
            if let existing = candidate, !existing.isClosed {
                close(existing, how: .replaced, origin: origin)
            }
            candidate = open(key: key, initiator: segment.source, responder: segment.destination, handshakeSeen: true, origin: origin)
            candidate!.initialSequence = segment.sequence
            candidate!.fromInitiator.start(initialSequence: segment.sequence)
        } else if candidate == nil || candidate!.isClosed {
            if candidate != nil && !flags.contains(.syn) {
                return   // late packets (final ACKs, retransmitted FINs) of a closed connection
            }
            if flags.contains(.rst) { return }
            if flags.contains(.syn) {
                // SYN-ACK first: the destination opened the connection.
                candidate = open(key: key, initiator: segment.destination, responder: segment.source, handshakeSeen: true, origin: origin)
            } else {
                candidate = open(key: key, initiator: segment.source, responder: segment.destination, handshakeSeen: false, origin: origin)
            }
        }
        guard let found = candidate else { return }
        // (A plain reference: an `unowned(unsafe)` one is retained at each use, atomically, Docs/performance.md.)
        let connection = found
        lastKey = key
        lastConnection = connection
        connection.lastActivity = segmentCount
        if connection.latest < origin.time { connection.latest = origin.time }

        let direction: StreamDirection = segment.source == connection.info.initiator ? .fromInitiator : .fromResponder
        if flags.contains(.syn) && flags.contains(.ack) && direction == .fromResponder {
            connection.fromResponder.start(initialSequence: segment.sequence)
        }
        if flags.contains(.rst) {
            close(connection, how: .reset(by: direction), origin: origin)
            return
        }
        let sequence = flags.contains(.syn) ? segment.sequence &+ 1 : segment.sequence
        if flags.contains(.fin) { connection.finSeen = true }
        withSinks(connection) { forward, backward, sinkForward, sinkBackward in
            if direction == .fromInitiator {
                forward.receive(sequence: sequence, payload: segment.payload, uncaptured: segment.uncapturedPayload,
                                fin: flags.contains(.fin), origin: origin, payloadDigest: payloadDigest, sink: &sinkForward)
                if flags.contains(.ack) { backward.acknowledged(segment.acknowledgment, origin: origin, sink: &sinkBackward) }
            } else {
                backward.receive(sequence: sequence, payload: segment.payload, uncaptured: segment.uncapturedPayload,
                                 fin: flags.contains(.fin), origin: origin, payloadDigest: payloadDigest, sink: &sinkBackward)
                if flags.contains(.ack) { forward.acknowledged(segment.acknowledgment, origin: origin, sink: &sinkForward) }
            }
            var held = forward.heldBytes + backward.heldBytes
            if held != connection.held {
                if held > options.maxBuffer || heldBytes + held - connection.held > options.maxBufferTotal {
                    if forward.heldBytes >= backward.heldBytes {
                        forward.enforce(limit: 0, origin: origin, sink: &sinkForward)
                    } else {
                        backward.enforce(limit: 0, origin: origin, sink: &sinkBackward)
                    }
                    held = forward.heldBytes + backward.heldBytes
                }
                heldBytes += held - connection.held
                connection.held = held
            }
        }
        if connection.finSeen { checkFinished(connection, origin: origin) }
    }

    /// The capture ended: flushes and closes every open connection, in stream order.
    public func finish(origin: ByteOrigin) {
        let open = table.values.filter { !$0.isClosed }.sorted { $0.info.stream < $1.info.stream }
        for connection in open {
            close(connection, how: .captureEnded, origin: origin)
        }
    }

    // MARK: - Connection lifecycle

    private func open(key: FlowKey, initiator: Endpoint, responder: Endpoint, handshakeSeen: Bool, origin: ByteOrigin) -> Connection {
        let info = StreamInfo(stream: connectionCount, initiator: initiator, responder: responder,
                                     handshakeSeen: handshakeSeen, firstPacket: origin)
        if openConnections >= options.maxConnections { evictOldest(origin: origin) }
        connectionCount += 1
        openConnections += 1
        let connection = Connection(info: info, key: key)
        connection.lastActivity = segmentCount
        connection.observer = factory.streamOpened(info)
        table.set(connection, for: key)
        if lastKey == key { lastConnection = connection }
        if evictionQueue.count > 2 * openConnections + 64 {
            evictionQueue.rebuild(table.values.filter { !$0.isClosed }.map { ($0.lastActivity, $0) })
        } else {
            evictionQueue.insert(connection, stamp: connection.lastActivity)
        }
        return connection
    }

    /// Closes the open connection that has gone longest without a packet.
    private func evictOldest(origin: ByteOrigin) {
        guard let oldest = evictionQueue.popOldest(stamp: { $0.lastActivity }, isOpen: { !$0.isClosed }) else { return }
        evictedConnections += 1
        close(oldest, how: .evicted, origin: origin)
    }

    private func forget(_ connection: Connection) {
        if lastConnection === connection { lastKey = nil; lastConnection = nil }
        table.remove(connection.key, ifHolding: connection)
    }

    /// Remembers a closed connection (its late packets are ignored), forgetting the oldest beyond the limit.
    private func remember(closed connection: Connection) {
        closed.append(connection)
        guard closed.count - closedStart > options.maxConnections else { return }
        forget(closed[closedStart])
        closedStart += 1
        if closedStart > 4096 && closedStart * 2 > closed.count {
            closed.removeFirst(closedStart)
            closedStart = 0
        }
    }

    private func withSinks(_ connection: Connection,
                           _ body: (inout TCPStreamReassembler, inout TCPStreamReassembler, inout ObserverSink, inout ObserverSink) -> Void) {
        body(&connection.fromInitiator, &connection.fromResponder, &connection.forwardSink, &connection.backwardSink)
    }

    private func checkFinished(_ connection: Connection, origin: ByteOrigin) {
        if !connection.finished[0] && connection.fromInitiator.isFinished {
            connection.finished[0] = true
            connection.observer?.streamFinished(direction: .fromInitiator, origin: origin)
        }
        if !connection.finished[1] && connection.fromResponder.isFinished {
            connection.finished[1] = true
            connection.observer?.streamFinished(direction: .fromResponder, origin: origin)
        }
        if connection.finished[0] && connection.finished[1] {
            close(connection, how: .fin, origin: origin)
        }
    }

    private func close(_ connection: Connection, how: StreamEnd, origin: ByteOrigin) {
        guard !connection.isClosed else { return }
        withSinks(connection) { forward, backward, sinkForward, sinkBackward in
            forward.flush(origin: origin, sink: &sinkForward)
            backward.flush(origin: origin, sink: &sinkBackward)
        }
        connection.isClosed = true
        openConnections -= 1
        heldBytes -= connection.held
        connection.held = 0
        if case .evicted = how {
            // Forgotten at once: if it speaks again it is followed afresh, as a connection first seen mid-stream.
            forget(connection)
        } else {
            remember(closed: connection)
        }
        connection.observer?.streamClosed(how, origin: origin, latest: connection.latest)
        connection.observer = nil
        connection.fromInitiator = TCPStreamReassembler()
        connection.fromResponder = TCPStreamReassembler()
    }
}

/// Forwards one direction's stream events to its observer (which the connection owns too). A strong reference: an
/// `unowned(unsafe)` one is retained at each call, atomically, on the per-packet path (Docs/performance.md).
struct ObserverSink: TCPStreamSink {
    let observer: ByteStreamObserver
    let direction: StreamDirection

    func deliver(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        observer.streamReceived(bytes, direction: direction, origin: origin)
    }
    func gap(_ count: UInt64, origin: ByteOrigin, reason: GapReason) {
        observer.streamGap(count, direction: direction, origin: origin, reason: reason)
    }
    func conflict(at offset: UInt64, length: Int, origin: ByteOrigin) {
        observer.streamConflict(at: offset, length: length, direction: direction, origin: origin)
    }
    func startedMidStream() {
        observer.streamStartedMidStream(direction: direction)
    }
}

/// The observer of connections nobody follows: it drops everything.
final class NullObserver: ByteStreamObserver, @unchecked Sendable {
    static let shared = NullObserver()
    func streamReceived(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {}
    func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) {}
    func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin) {}
    func streamFinished(direction: StreamDirection, origin: ByteOrigin) {}
    func streamStopped(direction: StreamDirection, origin: ByteOrigin) {}
    func streamStartedMidStream(direction: StreamDirection) {}
    func streamClosed(_ how: StreamEnd, origin: ByteOrigin, latest: Timestamp) {}
}

import WSStream
import WSCapture
import WSTLS
import WSWire

/// The analysis of a whole capture: packets in, events out.
///
/// Packets are decoded (link layer, IP, TCP), connections tracked and reassembled by WSCapture, and each TCP
/// connection handed to a `ConnectionAnalyzer`, which finds HTTP upgrades and decodes frames. Everything found is
/// sent to the sink as `InspectionEvent`s, in capture order.
public final class CaptureInspector: ByteStreamFactory {
    public struct Options: Sendable {
        /// Ports whose side is a WebSocket server even when no handshake was captured (`--ws-port`).
        public var webSocketPorts: Set<UInt16> = []
        /// Held out-of-order bytes per connection (`--max-buffer`).
        public var maxBuffer = 16 << 20
        /// Payload bytes kept per frame for display (control frames are always kept).
        public var payloadLimit = Int.max
        /// Only this connection (`--stream`).
        public var onlyStream: Int?
        /// Stop after this many frames (`-c`).
        public var frameLimit: Int?
        /// Recognise WebSocket in connections first seen mid-stream, without `--ws-port`.
        public var heuristic = true
        /// Held out-of-order bytes across all connections (`--max-buffer-total`).
        public var maxBufferTotal = 256 << 20
        /// Open connections followed at once; beyond it the least recently active is evicted (`--max-connections`).
        public var maxConnections = 10_000
        /// Bytes an HTTP head may take before it is given up (`--max-http-head`).
        public var maxHTTPHead = 64 * 1024
        /// Inflated bytes allowed per message (`--max-message-size`).
        public var maxMessageSize = 64 << 20
        /// Emit frame and message events (off for `--summary`: everything is still decoded and checked, and the
        /// findings still count in the summaries).
        public var reportFrames = true
        /// Chooses, per connection and direction, the payload view that reads whole messages (nil: none).
        public var payloadViews: PayloadViewFactory?
        /// Where TLS secrets come from (`--keylog`); nil: TLS connections are named, not decrypted.
        public var tlsKeys: TLSKeyProvider?
        /// Attach to each frame of a TLS connection the records that carried it (`-v`).
        public var reportTLSRecords = false
        /// Emit a `segment` event for each chunk of a WebSocket stream (`--segments`).
        public var reportSegments = false
        /// The time limits of the promptness rules (`--pong-timeout`, `--close-timeout`, `--fail-timeout`,
        /// `--reconnect-window`).
        public var timing = TimingThresholds()

        public init() {}
    }

    public let options: Options
    let sink: InspectionSink
    /// Scratch memory shared by every connection's frame decoders (one capture is read on one thread), and a second
    /// one for every inflater's output (inflation reads from the first).
    let scratch = ScratchBuffer()
    let inflateScratch = ScratchBuffer(capacity: 64 * 1024)
    /// Created right after `self` (it needs `self` as its factory); never nil afterwards.
    private var flowsStorage: TCPFlowTracker?
    /// `flowsStorage`, lent to each call without counting references: an `unowned(unsafe)` reference is retained
    /// around each use, with an atomic operation that `-assume-single-threaded` misses (Docs/performance.md).
    private var flowsReference: Unmanaged<TCPFlowTracker>
    private var flows: TCPFlowTracker { flowsReference.takeUnretainedValue() }
    private let sourceName: String
    private let linkTypeName: String

    private var packets = 0
    private var nonIP = 0
    private var nonTCP = 0
    private var fragments = 0
    private var malformed = 0
    private(set) var frames = 0
    private var webSocketConnections = 0
    /// Every finding of the capture, counted where it is made.
    public private(set) var tally = DiagnosticTally()
    private var keyOwners = KeyOwners()
    /// Each client address's connections to each server, for `concurrent-connecting` and `reconnect-without-backoff`.
    var clientHistory = ClientHistory()
    private var lastOrigin = ByteOrigin(packet: 0, time: .zero)
    /// True once `-c` frames were reported: the reader should stop.
    public private(set) var shouldStop = false
    /// What stopped reading before the end of the capture (set by the reader for `--duration` or Ctrl-C, here for
    /// `-c`): the summaries of connections still open then say so instead of blaming the capture's end.
    public var stoppedEarly: String?

    public init(source: String, linkType: LinkType, linkTypeName: String, options: Options, sink: InspectionSink) {
        self.options = options
        self.frameLimit = options.frameLimit
        self.sink = sink
        self.sourceName = source
        self.linkTypeName = linkTypeName
        self.flowsReference = .passUnretained(CaptureInspector.placeholder)
        let tracker = TCPFlowTracker(factory: self, options: TCPFlowTracker.Options(maxBuffer: options.maxBuffer, maxBufferTotal: options.maxBufferTotal,
                                                                                  maxConnections: options.maxConnections))
        self.flowsStorage = tracker
        self.flowsReference = .passUnretained(tracker)
    }

    /// TCP connections seen so far, numbered from 0 (followed or not).
    public var tcpConnections: Int { flows.connectionCount }

    /// Takes one captured packet, decoded by `PacketDecoder.prepare` (the reader thread does it, or the caller).
    public func process(_ packet: CapturedPacket) {
        packets += 1
        let origin = packet.origin
        lastOrigin = origin
        // The common case first, without copying the decoded packet around.
        if case .tcp(let segment)? = packet.decoded {
            flowsReference._withUnsafeGuaranteedRef { $0.process(segment, origin: origin, payloadDigest: packet.payloadDigest) }
            return
        }
        guard let decoded = packet.decoded else { preconditionFailure("packets reach the inspector decoded (PacketDecoder.prepare)") }
        switch decoded {
        case .tcp(let segment):
            flows.process(segment, origin: origin, payloadDigest: packet.payloadDigest)
        case .notTCP:
            nonTCP += 1
        case .notIP:
            nonIP += 1
        case .ipFragment(let description):
            fragments += 1
            report(Diagnostic(.ipFragmentNotReassembled, "Packet \(packet.number) is an \(description); its bytes are not part of any reassembled stream."),
                   origin: origin)
        case .malformed(let reason):
            malformed += 1
            report(Diagnostic(.packetMalformed, "Packet \(packet.number) is malformed: \(reason)."), origin: origin)
        }
    }

    /// A finding about the capture rather than a connection.
    private func report(_ diagnostic: Diagnostic, origin: ByteOrigin) {
        count([diagnostic])
        emit(.diagnostic(DiagnosticRecord(stream: nil, sender: nil, origin: origin, diagnostic: diagnostic)))
    }

    /// The capture ended (or reading failed): closes every connection and reports the capture totals.
    public func finish(readError: String? = nil, dropped: (kernel: UInt32, interface: UInt32)? = nil) {
        if shouldStop, stoppedEarly == nil, let limit = options.frameLimit { stoppedEarly = "the -c \(limit) frame limit" }
        flows.finish(origin: lastOrigin)
        var summary = CaptureSummary(
            source: sourceName, linkType: linkTypeName, packets: packets, tcpSegments: flows.segmentCount,
            tcpConnections: flows.connectionCount, webSocketConnections: webSocketConnections,
            nonIPPackets: nonIP, nonTCPPackets: nonTCP, ipFragments: fragments, malformedPackets: malformed,
            frames: frames, diagnosticsBySeverity: tally.bySeverity, readError: readError, dropped: dropped,
            stoppedByLimit: shouldStop)
        summary.stoppedEarly = stoppedEarly
        summary.onlyStream = options.onlyStream
        emit(.capture(summary))
    }

    /// Stands in for the tracker during initialisation only.
    nonisolated(unsafe) private static let placeholder = TCPFlowTracker(factory: PlaceholderFactory(), options: .init())

    public func streamOpened(_ info: StreamInfo) -> ByteStreamObserver? {
        if let only = options.onlyStream, info.stream != only { return nil }
        return ConnectionAnalyzer(info: info, inspector: self)
    }

    // MARK: - Services for connection analyzers

    func emit(_ event: InspectionEvent) {
        sink.handle(event)
    }

    /// Counts findings into the capture's totals (every finding is counted once, where it is made).
    func count(_ diagnostics: [Diagnostic]) {
        tally.add(diagnostics)
    }

    /// `options.frameLimit`, read per frame: reading it through `options` copies the whole options struct.
    private let frameLimit: Int?

    /// Counts a frame about to be reported; false once the `-c` limit is reached.
    func admitFrame() -> Bool {
        if let limit = frameLimit, frames >= limit {
            shouldStop = true
            return false
        }
        frames += 1
        if let limit = frameLimit, frames >= limit { shouldStop = true }
        return true
    }

    func connectionBecameWebSocket() {
        webSocketConnections += 1
    }

    /// The time of the latest packet read so far.
    var lastPacketTime: Timestamp { lastOrigin.time }

    /// Records a Sec-WebSocket-Key; returns the stream that used it first when this is a reuse.
    func noteKey(_ key: String, stream: Int, throughProxy: Bool) -> Int? {
        keyOwners.note(key, stream: stream, throughProxy: throughProxy)
    }
}

/// A factory that follows nothing (used only while a `CaptureInspector` initialises).
private final class PlaceholderFactory: ByteStreamFactory {
    func streamOpened(_ info: StreamInfo) -> ByteStreamObserver? { nil }
}


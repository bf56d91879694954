import WSStream
import WSTLS
import WSWire

/// How a connection came to be decoded as WebSocket.
public enum Detection: String, Sendable {
    /// An HTTP Upgrade handshake was captured.
    case handshake
    /// `--ws-port` named the server's port; the handshake was not captured.
    case webSocketPort = "ws-port"
    /// First seen mid-stream; recognised by its frames.
    case heuristic
    /// The upgrade request was lost in a capture gap; the server's 101 response was captured.
    case upgradeResponse = "upgrade-response"
    /// A TLS connection whose content is not known to be WebSocket (not decrypted, or decrypted and not WebSocket).
    case tls
    /// An HTTP CONNECT exchange with a proxy whose tunnel is not known to carry WebSocket (refused, or not WebSocket).
    case connect
}

/// A TCP connection that carries (or tried to carry) WebSocket.
public struct ConnectionRecord: Sendable {
    public let stream: Int
    /// `ip:port`, IPv6 as `[::1]:port`.
    public let client: String
    public let server: String
    public let firstPacket: Int
    public let start: Timestamp
    /// True when the TCP SYN was captured.
    public let tcpHandshakeSeen: Bool
    public let detection: Detection
    /// The TLS layer, when the connection (or its tunnel) is TLS: what the handshake said, whether it is decrypted.
    public internal(set) var tls: TLSConnectionInfo? = nil
    /// The HTTP proxy hop, when the connection is a CONNECT tunnel (or a refused CONNECT).
    public internal(set) var proxy: ProxyHop? = nil
}

/// An opening handshake: the upgrade request and, when captured, the response, with every finding about them.
/// A pasted handshake (`wsinspect handshake`) has no connection: `stream`, `client` and `server` are nil, and its
/// origins are `ByteOrigin.none`.
public struct HandshakeRecord: Sendable {
    public let stream: Int?
    public let client: String?
    public let server: String?
    public let request: HandshakeRequest
    public let requestOrigin: ByteOrigin
    public let response: HandshakeResponse?
    public let responseOrigin: ByteOrigin?
    /// What the response settled (nil when no response was captured).
    public let outcome: HandshakeOutcome?
    /// Findings about the request, the response and the exchange.
    public let diagnostics: [Diagnostic]

    public init(stream: Int?, client: String?, server: String?, request: HandshakeRequest, requestOrigin: ByteOrigin,
                response: HandshakeResponse?, responseOrigin: ByteOrigin?, outcome: HandshakeOutcome?, diagnostics: [Diagnostic]) {
        self.stream = stream
        self.client = client
        self.server = server
        self.request = request
        self.requestOrigin = requestOrigin
        self.response = response
        self.responseOrigin = responseOrigin
        self.outcome = outcome
        self.diagnostics = diagnostics
    }

    public var requestLine: String { request.head.startLine }
    public var status: Int? { response?.status }
    public var key: String? { request.key }
    public var expectedAccept: String? { outcome?.derivation?.accept ?? request.key.map { AcceptDerivation(key: $0).accept } }
    public var upgraded: Bool { outcome?.upgraded ?? false }
}

/// One frame of a connection (or of pasted bytes: then `stream` is nil, and `sender` is nil when not given).
public struct FrameRecord: Sendable {
    public let stream: Int?
    /// Frame number within the connection, from 0.
    public let index: Int
    public let sender: Sender?
    public let frame: Frame
    /// Seconds since the connection's first packet.
    public let relativeTime: Double
    /// True when the payload is (part of) a permessage-deflate compressed message: `frame.payload` is compressed.
    public let compressed: Bool
    /// Over TLS, with `reportTLSRecords`: the records that carried the frame's bytes (as far as they are remembered).
    public internal(set) var tlsRecords: [TLSRecordSummary]? = nil
    /// For a data frame of a message: the message's type and how the frame's boundaries cut its characters.
    public internal(set) var inMessage: FrameInMessage? = nil
}

/// One message of a connection (or of pasted frames), after its last frame.
public struct MessageRecord: Sendable {
    public let stream: Int?
    /// Message number within the connection, from 0 (both directions, in order of completion).
    public let index: Int
    public let sender: Sender?
    public let message: Message
    /// Seconds since the connection's first packet, of the message's first byte.
    public let relativeTime: Double
}

/// Bytes of one direction that the capture does not contain.
public struct GapRecord: Sendable {
    public let stream: Int
    public let sender: Sender
    /// Offset in that direction's byte stream where the gap starts.
    public let offset: UInt64
    public let bytes: UInt64
    /// The packet at which the gap was established.
    public let origin: ByteOrigin
    public let reason: String
}

/// A finding that belongs to a connection or the capture rather than to one frame.
public struct DiagnosticRecord: Sendable {
    public let stream: Int?
    public let sender: Sender?
    public let origin: ByteOrigin?
    public let diagnostic: Diagnostic
}

/// Per direction: where every byte of the stream went. `frameBytes + skippedBytes + gapBytes + httpBytes` always
/// equals `streamBytes`.
public struct ByteAccounting: Hashable, Sendable {
    public var streamBytes: UInt64 = 0
    public var httpBytes: UInt64 = 0
    public var frameBytes: UInt64 = 0
    public var skippedBytes: UInt64 = 0
    public var gapBytes: UInt64 = 0

    public init() {}

    public var isBalanced: Bool { frameBytes + skippedBytes + gapBytes + httpBytes == streamBytes }
}

/// Ping -> pong round-trip times seen for one direction's pings, in milliseconds.
public struct RoundTrips: Sendable {
    public let count: Int
    public let minimum: Double
    public let average: Double
    public let maximum: Double
}

/// One direction's totals in a connection summary.
public struct DirectionSummary: Sendable {
    public let sender: Sender
    /// Frames by opcode name, e.g. ["text": 3, "close": 1].
    public let framesByOpcode: [String: Int]
    public let frames: Int
    public let payloadBytes: UInt64
    /// Messages by opcode name ("text", "binary").
    public let messagesByOpcode: [String: Int]
    public let messages: Int
    /// Compressed messages, their bytes on the wire and after inflation.
    public let compressedMessages: Int
    public let compressedBytes: UInt64
    public let inflatedBytes: UInt64
    /// Round trips of the pings this side sent (answered by the peer's pongs), nil when none were answered.
    public let pingRoundTrips: RoundTrips?
    public let accounting: ByteAccounting
    /// The messages of this sender that a conforming receiver's API delivered (`onmessage`): those completed by
    /// their final frame before the sender's Close, and before the receiver had to fail the connection.
    public internal(set) var delivered = 0
}

/// How the close handshake went (RFC 6455 §5.5.1, §7.1).
public struct CloseHandshake: Sendable {
    /// Who sent the first Close, with which code and reason.
    public let initiator: Sender
    public let code: UInt16?
    public let reason: String?
    /// The peer's answering Close, if it sent one.
    public let answerCode: UInt16?
    public let answered: Bool
}

/// The end of a connection: totals, how it ended, and findings counted by rule.
public struct ConnectionSummary: Sendable {
    public let stream: Int
    public let client: String
    public let server: String
    public let clientDirection: DirectionSummary
    public let serverDirection: DirectionSummary
    /// The close handshake, nil when no Close frame was seen.
    public let close: CloseHandshake?
    /// How TCP ended: `fin`, `reset by client`, `reset by server`, `capture ended`.
    public let tcpEnd: String
    /// Who sent the first TCP FIN, if anyone did.
    public let firstFIN: Sender?
    public let duration: Double
    /// Diagnostics of this connection counted by rule id, sorted by id.
    public let diagnosticCounts: [(rule: String, severity: Severity, count: Int)]
    /// What each endpoint's WebSocket API reported when the connection closed (RFC 6455 §7.1.5, §7.1.6; the browser's
    /// `CloseEvent`), as a conforming endpoint that received what the capture shows; nil when it is not known (the
    /// capture ended first, or a Close may be in a capture gap) or the connection never became WebSocket.
    public internal(set) var clientCloseEvent: CloseEvent? = nil
    public internal(set) var serverCloseEvent: CloseEvent? = nil
    /// The server accepted the upgrade (its API fired `open`; the client's did too unless `handshakeFailed`).
    public internal(set) var opened = false
    /// The opening handshake failed for the client (refused, closed unanswered, or a 101 that a conforming client
    /// must refuse, RFC 6455 §4.1): its API fired `error` and a `CloseEvent` with code 1006 instead of `open`
    /// (`clientCloseEvent` says so).
    public internal(set) var handshakeFailed = false
    /// The TLS layer's totals, when the connection is TLS.
    public internal(set) var tls: TLSSummary? = nil
    /// The proxy tunnel's totals, when the connection is a CONNECT tunnel.
    public internal(set) var tunnel: TunnelSummary? = nil
    /// Set when the connection was still open because reading stopped early: what stopped it (`the -c 3 frame
    /// limit`, `--duration 5`, `Ctrl-C`). What the connection did afterwards is not known.
    public internal(set) var stoppedEarly: String? = nil
}

/// What an endpoint's WebSocket API reports when the connection closes (the browser's `CloseEvent`): the code and
/// reason of the Close frame it received (1005 when that frame had no code; 1006 when the TCP connection closed
/// without one), and whether the close handshake completed.
public struct CloseEvent: Hashable, Sendable {
    public let code: UInt16
    public let reason: String
    public let wasClean: Bool
    /// The endpoint failed the connection (code 1006, not clean) at this frame of its peer, for this rule; its API
    /// fired `error` first.
    public internal(set) var failure: ReceiverFailure? = nil
}

/// Totals for the whole capture.
public struct CaptureSummary: Sendable {
    public let source: String
    public let linkType: String
    public let packets: Int
    public let tcpSegments: Int
    public let tcpConnections: Int
    public let webSocketConnections: Int
    public let nonIPPackets: Int
    public let nonTCPPackets: Int
    public let ipFragments: Int
    public let malformedPackets: Int
    public let frames: Int
    public let diagnosticsBySeverity: [Severity: Int]
    /// Set when reading stopped on an error (e.g. a truncated file).
    public let readError: String?
    /// Live captures: packets libpcap dropped (kernel, interface).
    public let dropped: (kernel: UInt32, interface: UInt32)?
    /// True when `-c` stopped the capture early.
    public let stoppedByLimit: Bool
    /// What stopped reading before the end of the capture (`the -c 3 frame limit`, `--duration 5`, `Ctrl-C`), if
    /// anything did.
    public internal(set) var stoppedEarly: String? = nil
    /// `--stream N`: only that TCP connection was followed. `packets`, `tcpSegments` and `tcpConnections` still count
    /// the whole capture; `webSocketConnections`, `frames` and the diagnostics count that connection (and findings
    /// about packets, which belong to no connection).
    public internal(set) var onlyStream: Int? = nil
}

/// Everything the analysis reports, in the order it happens.
///
/// An enum is as large as its largest case, and an event is built and passed on for every frame and message: the
/// records of the rare, large events (a handshake, 520 bytes; a connection's summary, 968) are boxed (`indirect`),
/// so that an event is the size of a frame's record (about 300 bytes) rather than a kilobyte to copy each time.
public enum InspectionEvent: Sendable {
    case connection(ConnectionRecord)
    indirect case handshake(HandshakeRecord)
    case frame(FrameRecord)
    case message(MessageRecord)
    case incompleteHeader(stream: Int?, sender: Sender?, truncation: TruncatedHeader)
    case gap(GapRecord)
    case diagnostic(DiagnosticRecord)
    indirect case summary(ConnectionSummary)
    case capture(CaptureSummary)
    /// With `reportSegments`: a chunk of a WebSocket connection's stream as it arrived (a TCP segment; a TLS record's
    /// plaintext in a decrypted connection).
    case segment(SegmentRecord)
}

/// A chunk of a connection's byte stream as it arrived: where it lies in its direction's stream and which packet
/// brought it.
public struct SegmentRecord: Sendable {
    public let stream: Int
    public let sender: Sender
    public let origin: ByteOrigin
    /// Offset of its first byte in the direction's stream (frames' `offset` counts the same way).
    public let offset: UInt64
    public let length: Int
    /// Seconds since the connection's first packet.
    public let relativeTime: Double
    /// The chunk is a TLS record's plaintext (a decrypted connection), not a TCP segment.
    public let isTLSRecord: Bool
}

/// Receives events; renderers implement it.
public protocol InspectionSink: AnyObject {
    func handle(_ event: InspectionEvent)
}

/// One direction of a connection's byte stream.
public enum StreamDirection: Int, Hashable, Sendable {
    /// From the endpoint that opened the connection (or, when its opening was not captured, the first sender seen).
    case fromInitiator = 0
    /// From the other endpoint.
    case fromResponder = 1

    public var reversed: StreamDirection { self == .fromInitiator ? .fromResponder : .fromInitiator }
}

/// What is known about a connection when it is first seen.
public struct StreamInfo: Hashable, Sendable {
    /// Connection number in order of first packet, from 0 (every TCP connection counts, as Wireshark's tcp.stream).
    public let stream: Int
    public let initiator: Endpoint
    public let responder: Endpoint
    /// True when the connection's opening (TCP SYN or SYN-ACK) was captured; false when first seen mid-stream.
    public let handshakeSeen: Bool
    public let firstPacket: ByteOrigin

    public init(stream: Int, initiator: Endpoint, responder: Endpoint, handshakeSeen: Bool, firstPacket: ByteOrigin) {
        self.stream = stream
        self.initiator = initiator
        self.responder = responder
        self.handshakeSeen = handshakeSeen
        self.firstPacket = firstPacket
    }

    public func endpoint(sending direction: StreamDirection) -> Endpoint {
        direction == .fromInitiator ? initiator : responder
    }
}

/// How a connection ended.
public enum StreamEnd: Hashable, Sendable {
    /// Both directions ended normally (TCP: both sent FIN).
    case fin
    /// One side reset the connection.
    case reset(by: StreamDirection)
    /// The capture ended with the connection still open.
    case captureEnded
    /// A new connection reused its endpoints (TCP: a new SYN on the same 4-tuple).
    case replaced
    /// The connection was evicted to stay within the open-connection limit.
    case evicted
}

/// Why bytes of a stream are missing.
public enum GapReason: String, Hashable, Sendable {
    /// The peer acknowledged bytes that the capture never saw.
    case acknowledged = "acknowledged by the peer but never captured"
    /// The connection ended (FIN, RST or end of capture) with the bytes still missing.
    case connectionEnd = "still missing when the connection ended"
    /// Held out-of-order data passed the per-connection limit (--max-buffer).
    case bufferLimit = "held out-of-order data passed --max-buffer"
    /// The capture's snapshot length cut the packet.
    case snapshotLength = "cut off by the capture's snapshot length"
}

/// Receives one connection's two byte streams, in order: the seam between whatever produces ordered bytes (TCP
/// reassembly; a TLS layer that decrypts records) and whatever makes sense of them (the connection analysis). A
/// layer in between implements this to receive and calls the next layer's to deliver, accounting for its own bytes.
public protocol ByteStreamObserver: AnyObject {
    /// The next bytes of one direction, in order. The buffer is valid only during the call.
    func streamReceived(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin)
    /// `count` bytes of one direction will never be seen (they are not zero-filled).
    func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason)
    /// Retransmitted bytes at stream offset `offset` differ from those delivered first (which are kept).
    func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin)
    /// One direction's first bytes are not the start of what it sent (its opening was not captured). Called before
    /// that direction delivers anything.
    func streamStartedMidStream(direction: StreamDirection)
    /// Every byte of the direction up to its end (TCP FIN) has been delivered.
    func streamFinished(direction: StreamDirection, origin: ByteOrigin)
    /// The layer below delivers nothing more of this direction, although the connection goes on: a TLS layer that
    /// lost its place at a capture gap, or whose records stopped authenticating. What is open is cut off by what the
    /// capture (or the key log) lacks, not by the peer; the layer below reports why.
    func streamStopped(direction: StreamDirection, origin: ByteOrigin)
    /// The connection is over; nothing more will be delivered. `latest` is the latest time of any of its packets
    /// (captures are not always in time order, and held or duplicate packets deliver nothing).
    func streamClosed(_ end: StreamEnd, origin: ByteOrigin, latest: Timestamp)
}

/// Decides, for each new connection, who observes its streams (nil: the connection is not followed).
public protocol ByteStreamFactory: AnyObject {
    func streamOpened(_ info: StreamInfo) -> ByteStreamObserver?
}

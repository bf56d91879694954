import WSStream
import WSTLS
import WSWire

/// An HTTP proxy hop: the CONNECT request a client sent to a proxy and the proxy's answer (RFC 9110 §9.3.6).
public struct ProxyHop: Sendable {
    /// The request target, `host:port`.
    public let target: String
    /// The proxy's status (2xx opens the tunnel), nil while no answer was captured.
    public let status: Int?
    public let reason: String?
    public let requestOrigin: ByteOrigin
    public let responseOrigin: ByteOrigin?

    /// True when the proxy opened the tunnel.
    public var established: Bool { status.map { (200..<300).contains($0) } ?? false }
}

/// The TLS layer of a connection at its end: what the handshake said, whether it was decrypted, and each
/// direction's byte accounting (every byte the layer received is in one of its categories).
public struct TLSSummary: Sendable {
    public let info: TLSConnectionInfo
    public let client: TLSAccounting
    public let server: TLSAccounting
    /// KeyUpdates each side sent (TLS 1.3).
    public let clientKeyUpdates: Int
    public let serverKeyUpdates: Int
}

/// A CONNECT tunnel at its end: per direction, the bytes of the HTTP exchange with the proxy and those that passed
/// through the tunnel.
public struct TunnelSummary: Sendable {
    public let hop: ProxyHop
    public let client: TunnelAccounting
    public let server: TunnelAccounting
}

/// `httpBytes + tunnelBytes + skippedBytes + gapBytes == streamBytes`.
public struct TunnelAccounting: Hashable, Sendable {
    public var streamBytes: UInt64 = 0
    /// The CONNECT request, or the proxy's answer (and anything else before the tunnel opened).
    public var httpBytes: UInt64 = 0
    /// Bytes passed into the tunnel.
    public var tunnelBytes: UInt64 = 0
    public var skippedBytes: UInt64 = 0
    public var gapBytes: UInt64 = 0

    public var isBalanced: Bool { httpBytes + tunnelBytes + skippedBytes + gapBytes == streamBytes }
}

import WSStream
/// TCP header flags.
public struct TCPFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
}

/// One TCP segment as captured. `payload` points into the capture buffer and is valid only while the packet is
/// being processed.
public struct TCPSegment {
    public let source: Endpoint
    public let destination: Endpoint
    public let sequence: UInt32
    public let acknowledgment: UInt32
    public let flags: TCPFlags
    /// The payload bytes that were captured.
    public let payload: UnsafeRawBufferPointer
    /// Payload bytes that were on the wire but not captured (the snapshot length cut the packet).
    public let uncapturedPayload: Int

    public init(source: Endpoint, destination: Endpoint, sequence: UInt32, acknowledgment: UInt32, flags: TCPFlags,
                payload: UnsafeRawBufferPointer, uncapturedPayload: Int = 0) {
        self.source = source
        self.destination = destination
        self.sequence = sequence
        self.acknowledgment = acknowledgment
        self.flags = flags
        self.payload = payload
        self.uncapturedPayload = uncapturedPayload
    }
}

/// A capture timestamp, exact to the nanosecond.
public struct Timestamp: Hashable, Sendable, Comparable {
    /// Whole seconds since the Unix epoch.
    public var seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public var nanoseconds: Int32
    /// Fraction digits worth showing: 6 for microsecond captures, 9 for nanosecond ones.
    public var digits: Int8

    /// Without `digits`, 6 when the time is a whole microsecond and 9 when it is not.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int32, digits: Int8? = nil) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.digits = digits ?? (nanoseconds % 1000 == 0 ? 6 : 9)
    }

    public static let zero = Timestamp(seconds: 0, nanoseconds: 0)

    /// Seconds as a floating-point number (for arithmetic; not exact beyond microseconds).
    public var timeInterval: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    /// `self - other` in seconds.
    @inlinable
    public func seconds(since other: Timestamp) -> Double {
        (Double(seconds) - Double(other.seconds)) + (Double(nanoseconds) - Double(other.nanoseconds)) / 1e9
    }

    @inlinable
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    @inlinable
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.seconds == rhs.seconds && lhs.nanoseconds == rhs.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }
}

/// Where a byte came from: the capture packet that carried it and that packet's time (one type for every layer, from
/// libpcap's records to the renderers). Pasted bytes have packet 0 and time zero.
public struct ByteOrigin: Hashable, Sendable {
    /// 1-based number of the packet in the capture, 0 when not from a capture.
    public var packet: Int
    public var time: Timestamp

    @inlinable
    public init(packet: Int, time: Timestamp) {
        self.packet = packet
        self.time = time
    }

    public static let none = ByteOrigin(packet: 0, time: .zero)
}

/// A packet's capture time, exact to the nanosecond.
public struct PacketTime: Hashable, Sendable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static let zero = PacketTime(seconds: 0, nanoseconds: 0)

    public static func < (lhs: PacketTime, rhs: PacketTime) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// `self - other` in seconds.
    public func seconds(since other: PacketTime) -> Double {
        (Double(seconds) - Double(other.seconds)) + (Double(nanoseconds) - Double(other.nanoseconds)) / 1e9
    }
}

/// Where a byte of a TCP stream came from: the packet that carried it.
public struct PacketOrigin: Hashable, Sendable {
    /// 1-based packet number in the capture.
    public var packet: Int
    public var time: PacketTime

    public init(packet: Int, time: PacketTime) {
        self.packet = packet
        self.time = time
    }
}

/// The 4-bit operation code of a WebSocket frame (RFC 6455 §5.2).
///
/// All sixteen values are representable, so a frame with a reserved opcode can still be shown and
/// diagnosed instead of being dropped. Reserved values print as `reserved-0x3`.
public struct Opcode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The opcode nibble, 0x0 ... 0xF.
    public let rawValue: UInt8

    /// Creates an opcode from a nibble; nil when the value does not fit in 4 bits.
    public init?(rawValue: UInt8) {
        guard rawValue < 16 else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an opcode from the low nibble of the first frame byte.
    @inlinable
    public init(firstByte: UInt8) {
        self.rawValue = firstByte & 0x0F
    }

    init(nibble: UInt8) {
        self.rawValue = nibble & 0x0F
    }

    // Computed and inlinable rather than stored: stored statics are reached through a lazy-initialisation check on
    // every use, and these are compared on every frame.
    @inlinable public static var continuation: Opcode { Opcode(firstByte: 0x0) }
    @inlinable public static var text: Opcode { Opcode(firstByte: 0x1) }
    @inlinable public static var binary: Opcode { Opcode(firstByte: 0x2) }
    @inlinable public static var close: Opcode { Opcode(firstByte: 0x8) }
    @inlinable public static var ping: Opcode { Opcode(firstByte: 0x9) }
    @inlinable public static var pong: Opcode { Opcode(firstByte: 0xA) }

    /// Control frames have the high bit of the nibble set (0x8-0xF), RFC 6455 §5.5.
    @inlinable
    public var isControl: Bool { rawValue & 0x8 != 0 }

    /// Data frames are 0x0-0x7 (continuation, text, binary and reserved data opcodes).
    @inlinable
    public var isData: Bool { rawValue & 0x8 == 0 }

    /// 0x3-0x7 (reserved data) and 0xB-0xF (reserved control), RFC 6455 §5.2.
    public var isReserved: Bool {
        switch rawValue {
        case 0x0, 0x1, 0x2, 0x8, 0x9, 0xA: return false
        default: return true
        }
    }

    /// Short machine-friendly name: `text`, `close`, `reserved-0x3`, ...
    public var name: String {
        switch rawValue {
        case 0x0: return "continuation"
        case 0x1: return "text"
        case 0x2: return "binary"
        case 0x8: return "close"
        case 0x9: return "ping"
        case 0xA: return "pong"
        default: return "reserved-0x" + String(rawValue, radix: 16, uppercase: true)
        }
    }

    /// What the opcode means, in the words of RFC 6455 §5.2.
    public var meaning: String {
        switch rawValue {
        case 0x0: return "continuation frame"
        case 0x1: return "text frame"
        case 0x2: return "binary frame"
        case 0x8: return "connection close"
        case 0x9: return "ping"
        case 0xA: return "pong"
        case 0x3...0x7: return "reserved for further non-control frames"
        default: return "reserved for further control frames"
        }
    }

    public var description: String { name }

    public static func < (lhs: Opcode, rhs: Opcode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The link-layer header types wsinspect decodes (libpcap DLT values), and how to find the IP packet inside each.
public enum LinkType: Hashable, Sendable {
    /// DLT_EN10MB: Ethernet II, with any number of 802.1Q / 802.1ad (QinQ) tags.
    case ethernet
    /// DLT_LINUX_SLL: Linux "cooked" capture v1 (`tcpdump -i any`, older libpcap).
    case linuxSLL
    /// DLT_LINUX_SLL2: Linux "cooked" capture v2 (`tcpdump -i any`, libpcap 1.10+).
    case linuxSLL2
    /// DLT_NULL: BSD loopback, 4-byte address family in the capturing host's byte order.
    case null
    /// DLT_LOOP: OpenBSD loopback, 4-byte address family in network byte order.
    case loop
    /// DLT_RAW, DLT_IPV4, DLT_IPV6: the packet starts with the IP header.
    case rawIP

    /// Maps a libpcap DLT value; nil when unsupported.
    public init?(dlt: Int32) {
        switch dlt {
        case 1: self = .ethernet
        case 113: self = .linuxSLL
        case 276: self = .linuxSLL2
        case 0: self = .null
        case 108: self = .loop
        case 12, 14, 101, 228, 229: self = .rawIP
        default: return nil
        }
    }

    /// The IP packet inside a link-layer frame, or why there is none.
    public enum Payload {
        case ipv4(Range<Int>)
        case ipv6(Range<Int>)
        /// A valid frame that carries something other than IP (ARP, LLDP, ...).
        case notIP
        /// Too short for its own header.
        case truncated
    }

    /// Locates the IP header in `bytes` (the captured part of one packet).
    public func ipPayload(_ bytes: UnsafeRawBufferPointer) -> Payload {
        let count = bytes.count
        switch self {
        case .ethernet:
            var offset = 12
            while true {
                guard offset + 2 <= count else { return .truncated }
                let etherType = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
                switch etherType {
                case 0x8100, 0x88A8, 0x9100:   // 802.1Q, 802.1ad, legacy QinQ: skip TCI, read the inner type
                    offset += 4
                case 0x0800: return .ipv4((offset + 2)..<count)
                case 0x86DD: return .ipv6((offset + 2)..<count)
                default: return .notIP
                }
            }
        case .linuxSLL:
            guard count >= 16 else { return .truncated }
            return Self.byEtherType(UInt16(bytes[14]) << 8 | UInt16(bytes[15]), from: 16, count: count)
        case .linuxSLL2:
            guard count >= 20 else { return .truncated }
            return Self.byEtherType(UInt16(bytes[0]) << 8 | UInt16(bytes[1]), from: 20, count: count)
        case .null, .loop:
            // The family value's byte order and numbering differ between systems (AF_INET6 is 10, 24, 28 or 30);
            // the IP version nibble that follows is unambiguous.
            guard count >= 5 else { return .truncated }
            return Self.byVersion(bytes[4] >> 4, from: 4, count: count)
        case .rawIP:
            guard count >= 1 else { return .truncated }
            return Self.byVersion(bytes[0] >> 4, from: 0, count: count)
        }
    }

    /// For Linux cooked captures: the packet type (0 = to us, 4 = sent by us) and ARPHRD type, when present.
    public func cookedPacketType(_ bytes: UnsafeRawBufferPointer) -> (packetType: UInt16, hardwareType: UInt16)? {
        switch self {
        case .linuxSLL where bytes.count >= 16:
            return (UInt16(bytes[0]) << 8 | UInt16(bytes[1]), UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        case .linuxSLL2 where bytes.count >= 20:
            return (UInt16(bytes[10]), UInt16(bytes[8]) << 8 | UInt16(bytes[9]))
        default:
            return nil
        }
    }

    private static func byEtherType(_ type: UInt16, from offset: Int, count: Int) -> Payload {
        switch type {
        case 0x0800: return .ipv4(offset..<count)
        case 0x86DD: return .ipv6(offset..<count)
        default: return .notIP
        }
    }

    private static func byVersion(_ version: UInt8, from offset: Int, count: Int) -> Payload {
        switch version {
        case 4: return .ipv4(offset..<count)
        case 6: return .ipv6(offset..<count)
        default: return .notIP
        }
    }
}

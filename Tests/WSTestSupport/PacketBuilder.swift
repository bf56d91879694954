import WSStream
import WSCapture

/// Builds captured packets byte by byte: link layer, IPv4/IPv6, TCP. Checksums are left 0 (wsinspect ignores them).
public struct PacketBuilder: Sendable {
    public enum Link: Sendable {
        case ethernet(vlanTags: Int)
        case linuxSLL
        case linuxSLL2
        case null(bigEndian: Bool)
        case loop
        case raw

        /// The LINKTYPE_ value written in capture files.
        public var linkType: UInt32 {
            switch self {
            case .ethernet: return 1
            case .linuxSLL: return 113
            case .linuxSLL2: return 276
            case .null: return 0
            case .loop: return 108
            case .raw: return 101
            }
        }
    }

    public var link: Link

    public init(link: Link = .ethernet(vlanTags: 0)) {
        self.link = link
    }

    /// One TCP segment from `source` to `destination`.
    public func tcp(from source: Endpoint, to destination: Endpoint, seq: UInt32, ack: UInt32, flags: TCPFlags,
                    payload: [UInt8] = [], ipv4Options: [UInt8] = [], fragment: (offset: Int, more: Bool)? = nil) -> [UInt8] {
        var tcp: [UInt8] = []
        tcp += be16(source.port) + be16(destination.port) + be32(seq) + be32(ack)
        tcp += [0x50, flags.rawValue] + be16(65535) + [0, 0, 0, 0]
        tcp += payload
        let ipv6 = source.address.isIPv6
        var ip: [UInt8]
        if ipv6 {
            ip = [0x60, 0, 0, 0] + be16(UInt16(tcp.count)) + [6, 64]
            ip += bytes(of: source.address) + bytes(of: destination.address)
        } else {
            let headerLength = 20 + ipv4Options.count
            var fragmentField: UInt16 = 0x4000   // don't fragment
            if let fragment { fragmentField = UInt16(fragment.offset / 8) | (fragment.more ? 0x2000 : 0) }
            ip = [0x40 | UInt8(headerLength / 4), 0] + be16(UInt16(headerLength + tcp.count)) + [0, 1] + be16(fragmentField)
            ip += [64, 6, 0, 0] + bytes(of: source.address) + bytes(of: destination.address) + ipv4Options
        }
        return frame(ip + tcp, ipv6: ipv6)
    }

    /// Wraps an IP packet in the link layer.
    public func frame(_ ip: [UInt8], ipv6: Bool) -> [UInt8] {
        let etherType: [UInt8] = ipv6 ? [0x86, 0xDD] : [0x08, 0x00]
        switch link {
        case .ethernet(let tags):
            var header: [UInt8] = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]
            for i in 0..<tags { header += (i == 0 && tags > 1 ? [0x88, 0xA8] : [0x81, 0x00]) + [0x00, UInt8(10 + i)] }
            return header + etherType + ip
        case .linuxSLL:
            return [0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0] + etherType + ip
        case .linuxSLL2:
            return etherType + [0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0] + ip
        case .null(let bigEndian):
            let family: UInt32 = ipv6 ? 30 : 2
            return (bigEndian ? be32(family) : le32(family)) + ip
        case .loop:
            return be32(ipv6 ? 24 : 2) + ip
        case .raw:
            return ip
        }
    }

    private func bytes(of address: IPAddress) -> [UInt8] {
        if address.isIPv6 { return be64(address.high) + be64(address.low) }
        return be32(UInt32(truncatingIfNeeded: address.low))
    }
}

func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }
func be64(_ v: UInt64) -> [UInt8] { be32(UInt32(v >> 32)) + be32(UInt32(truncatingIfNeeded: v)) }

extension Endpoint {
    /// 127.0.0.1:port
    public static func loopback(_ port: UInt16) -> Endpoint { Endpoint(address: IPAddress(127, 0, 0, 1), port: port) }
    /// [::1]:port
    public static func loopback6(_ port: UInt16) -> Endpoint { Endpoint(address: IPAddress(ipv6High: 0, low: 1), port: port) }
}

import WSStream
/// What one captured packet turned out to be. Plain values only (no strings or other references): packets may be
/// decoded on the prefetching thread and used on the analysis thread.
public enum DecodedPacket {
    case tcp(TCPSegment)
    /// IP, but not TCP (UDP, ICMP, ...).
    case notTCP
    /// Not IP at all (ARP, LLDP, ...).
    case notIP
    /// An IP fragment: wsinspect detects and reports fragments but does not reassemble them.
    case ipFragment(IPFragment)
    /// The packet is shorter than the headers it announces.
    case malformed(MalformedPacket)
}

/// An IPv4 or IPv6 fragment.
public struct IPFragment: Sendable, CustomStringConvertible {
    public let isIPv6: Bool
    public let source: IPAddress
    public let destination: IPAddress
    /// Offset of the fragment's data in the original datagram, in bytes.
    public let offset: Int
    public let moreFollow: Bool

    /// `IPv4 fragment 10.0.0.1 -> 10.0.0.2, offset 0, more follow`
    public var description: String {
        "IPv\(isIPv6 ? 6 : 4) fragment \(source) -> \(destination), offset \(offset)\(moreFollow ? ", more follow" : "")"
    }
}

/// Why a packet could not be decoded.
public enum MalformedPacket: Sendable, CustomStringConvertible {
    case linkHeaderCut
    case ipv4HeaderCut
    case ipv4HeaderLength(Int)
    case ipv4OptionsCut
    case ipv4TotalLength(Int)
    case ipv6HeaderCut
    case ipv6ExtensionCut
    case ipv6AuthenticationCut
    case ipv6FragmentHeaderCut
    case ipv6TooManyExtensions
    case tcpHeaderCut
    case tcpHeaderLength(Int)
    case tcpOptionsCut

    public var description: String {
        switch self {
        case .linkHeaderCut: return "shorter than its link-layer header"
        case .ipv4HeaderCut: return "IPv4 header cut short"
        case .ipv4HeaderLength(let length): return "IPv4 header length \(length) is below 20"
        case .ipv4OptionsCut: return "IPv4 options cut short"
        case .ipv4TotalLength(let length): return "IPv4 total length \(length) is below its header length"
        case .ipv6HeaderCut: return "IPv6 header cut short"
        case .ipv6ExtensionCut: return "IPv6 extension header cut short"
        case .ipv6AuthenticationCut: return "IPv6 AH cut short"
        case .ipv6FragmentHeaderCut: return "IPv6 fragment header cut short"
        case .ipv6TooManyExtensions: return "too many IPv6 extension headers"
        case .tcpHeaderCut: return "TCP header cut short"
        case .tcpHeaderLength(let length): return "TCP header length \(length) does not fit the packet"
        case .tcpOptionsCut: return "TCP options cut short"
        }
    }
}

/// Decodes link layer -> IPv4/IPv6 -> TCP, trusting the captured length (`caplen`) over the original length.
/// TCP checksums are not validated: checksum offloading makes them wrong in most captures.
public struct PacketDecoder: Sendable {
    public let linkType: LinkType

    public init(linkType: LinkType) {
        self.linkType = linkType
    }

    /// `bytes` is the captured part of the packet; `originalLength` its length on the wire.
    /// The one decoding step every captured packet goes through (on the reader thread for files and interfaces, on
    /// the analysis thread for standard input): its link, IP and TCP headers, and a digest of its TCP payload for the
    /// retransmission checks.
    public func prepare(_ packet: CapturedPacket) -> CapturedPacket {
        let (decoded, digest) = prepare(packet.bytes, originalLength: packet.originalLength)
        return CapturedPacket(number: packet.number, time: packet.time, bytes: packet.bytes, originalLength: packet.originalLength,
                              decoded: decoded, payloadDigest: digest)
    }

    /// `prepare` on raw bytes: the decoded packet and, for a TCP segment, `DeliveryHistory.digest` of its payload.
    public func prepare(_ bytes: UnsafeRawBufferPointer, originalLength: Int) -> (decoded: DecodedPacket, payloadDigest: UInt64?) {
        let decoded = decode(bytes, originalLength: originalLength)
        if case .tcp(let segment) = decoded { return (decoded, DeliveryHistory.digest(segment.payload)) }
        return (decoded, nil)
    }

    public func decode(_ bytes: UnsafeRawBufferPointer, originalLength: Int) -> DecodedPacket {
        switch linkType.ipPayload(bytes) {
        case .notIP: return .notIP
        case .truncated: return .malformed(.linkHeaderCut)
        case .ipv4(let range): return decodeIPv4(bytes, from: range.lowerBound, originalLength: originalLength)
        case .ipv6(let range): return decodeIPv6(bytes, from: range.lowerBound, originalLength: originalLength)
        }
    }

    private func decodeIPv4(_ bytes: UnsafeRawBufferPointer, from start: Int, originalLength: Int) -> DecodedPacket {
        let captured = bytes.count
        guard captured - start >= 20 else { return .malformed(.ipv4HeaderCut) }
        let headerLength = Int(bytes[start] & 0x0F) * 4
        guard headerLength >= 20 else { return .malformed(.ipv4HeaderLength(headerLength)) }
        guard captured - start >= headerLength else { return .malformed(.ipv4OptionsCut) }
        var totalLength = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
        // TSO/GSO captures may carry 0 here; the packet length is then the only measure.
        if totalLength == 0 { totalLength = max(originalLength, captured) - start }
        guard totalLength >= headerLength else { return .malformed(.ipv4TotalLength(totalLength)) }
        let fragmentField = UInt16(bytes[start + 6]) << 8 | UInt16(bytes[start + 7])
        let moreFragments = fragmentField & 0x2000 != 0
        let fragmentOffset = Int(fragmentField & 0x1FFF) * 8
        let source = IPAddress(ipv4: bytes, at: start + 12)
        let destination = IPAddress(ipv4: bytes, at: start + 16)
        if moreFragments || fragmentOffset != 0 {
            return .ipFragment(IPFragment(isIPv6: false, source: source, destination: destination, offset: fragmentOffset, moreFollow: moreFragments))
        }
        guard bytes[start + 9] == 6 else { return .notTCP }
        return decodeTCP(bytes, from: start + headerLength, end: start + totalLength, source: source, destination: destination)
    }

    private func decodeIPv6(_ bytes: UnsafeRawBufferPointer, from start: Int, originalLength: Int) -> DecodedPacket {
        let captured = bytes.count
        guard captured - start >= 40 else { return .malformed(.ipv6HeaderCut) }
        var payloadLength = Int(bytes[start + 4]) << 8 | Int(bytes[start + 5])
        if payloadLength == 0 { payloadLength = max(originalLength, captured) - start - 40 } // jumbogram or TSO
        var next = bytes[start + 6]
        let source = IPAddress(ipv6: bytes, at: start + 8)
        let destination = IPAddress(ipv6: bytes, at: start + 24)
        let end = start + 40 + payloadLength
        var offset = start + 40
        // Skip extension headers until TCP (or something else).
        var hops = 0
        while hops < 16 {
            hops += 1
            switch next {
            case 6:
                return decodeTCP(bytes, from: offset, end: end, source: source, destination: destination)
            case 0, 43, 60, 135, 139, 140:   // hop-by-hop, routing, destination options, mobility, HIP, shim6
                guard offset + 2 <= captured else { return .malformed(.ipv6ExtensionCut) }
                next = bytes[offset]
                offset += (Int(bytes[offset + 1]) + 1) * 8
            case 51:                          // authentication header
                guard offset + 2 <= captured else { return .malformed(.ipv6AuthenticationCut) }
                next = bytes[offset]
                offset += (Int(bytes[offset + 1]) + 2) * 4
            case 44:                          // fragment header
                guard offset + 8 <= captured else { return .malformed(.ipv6FragmentHeaderCut) }
                let field = UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
                let fragmentOffset = Int(field >> 3) * 8
                let more = field & 1 != 0
                if fragmentOffset == 0 && !more {   // atomic fragment: not really fragmented
                    next = bytes[offset]
                    offset += 8
                    continue
                }
                return .ipFragment(IPFragment(isIPv6: true, source: source, destination: destination, offset: fragmentOffset, moreFollow: more))
            default:
                return .notTCP
            }
        }
        return .malformed(.ipv6TooManyExtensions)
    }

    private func decodeTCP(_ bytes: UnsafeRawBufferPointer, from start: Int, end wireEnd: Int,
                           source: IPAddress, destination: IPAddress) -> DecodedPacket {
        let captured = bytes.count
        guard captured - start >= 20, wireEnd - start >= 20 else { return .malformed(.tcpHeaderCut) }
        let headerLength = Int(bytes[start + 12] >> 4) * 4
        guard headerLength >= 20, wireEnd - start >= headerLength else {
            return .malformed(.tcpHeaderLength(headerLength))
        }
        guard captured - start >= headerLength else { return .malformed(.tcpOptionsCut) }
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        let sourcePort = UInt16(bytes[start]) << 8 | UInt16(bytes[start + 1])
        let destinationPort = UInt16(bytes[start + 2]) << 8 | UInt16(bytes[start + 3])
        let payloadStart = start + headerLength
        // Ethernet padding can make the capture longer than the IP packet; a snapshot length can make it shorter.
        let capturedEnd = min(captured, wireEnd)
        let payload = UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<max(payloadStart, capturedEnd)])
        return .tcp(TCPSegment(
            source: Endpoint(address: source, port: sourcePort),
            destination: Endpoint(address: destination, port: destinationPort),
            sequence: word(start + 4),
            acknowledgment: word(start + 8),
            flags: TCPFlags(rawValue: bytes[start + 13] & 0x3F),
            payload: payload,
            uncapturedPayload: max(0, wireEnd - max(payloadStart, capturedEnd))))
    }
}

/// What one captured packet turned out to be.
public enum DecodedPacket {
    case tcp(TCPSegment)
    /// IP, but not TCP (UDP, ICMP, ...).
    case notTCP
    /// Not IP at all (ARP, LLDP, ...).
    case notIP
    /// An IP fragment: wsinspect detects and reports fragments but does not reassemble them.
    case ipFragment(description: String)
    /// The packet is shorter than the headers it announces.
    case malformed(reason: String)
}

/// Decodes link layer -> IPv4/IPv6 -> TCP, trusting the captured length (`caplen`) over the original length.
/// TCP checksums are not validated: checksum offloading makes them wrong in most captures.
public struct PacketDecoder: Sendable {
    public let linkType: LinkType

    public init(linkType: LinkType) {
        self.linkType = linkType
    }

    /// `bytes` is the captured part of the packet; `originalLength` its length on the wire.
    public func decode(_ bytes: UnsafeRawBufferPointer, originalLength: Int) -> DecodedPacket {
        switch linkType.ipPayload(bytes) {
        case .notIP: return .notIP
        case .truncated: return .malformed(reason: "shorter than its link-layer header")
        case .ipv4(let range): return decodeIPv4(bytes, from: range.lowerBound, originalLength: originalLength)
        case .ipv6(let range): return decodeIPv6(bytes, from: range.lowerBound, originalLength: originalLength)
        }
    }

    private func decodeIPv4(_ bytes: UnsafeRawBufferPointer, from start: Int, originalLength: Int) -> DecodedPacket {
        let captured = bytes.count
        guard captured - start >= 20 else { return .malformed(reason: "IPv4 header cut short") }
        let headerLength = Int(bytes[start] & 0x0F) * 4
        guard headerLength >= 20 else { return .malformed(reason: "IPv4 header length \(headerLength) is below 20") }
        guard captured - start >= headerLength else { return .malformed(reason: "IPv4 options cut short") }
        var totalLength = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
        // TSO/GSO captures may carry 0 here; the packet length is then the only measure.
        if totalLength == 0 { totalLength = max(originalLength, captured) - start }
        guard totalLength >= headerLength else { return .malformed(reason: "IPv4 total length \(totalLength) is below its header length") }
        let fragmentField = UInt16(bytes[start + 6]) << 8 | UInt16(bytes[start + 7])
        let moreFragments = fragmentField & 0x2000 != 0
        let fragmentOffset = Int(fragmentField & 0x1FFF) * 8
        let source = IPAddress(ipv4: bytes, at: start + 12)
        let destination = IPAddress(ipv4: bytes, at: start + 16)
        if moreFragments || fragmentOffset != 0 {
            return .ipFragment(description: "IPv4 fragment \(source) -> \(destination), offset \(fragmentOffset)\(moreFragments ? ", more follow" : "")")
        }
        guard bytes[start + 9] == 6 else { return .notTCP }
        return decodeTCP(bytes, from: start + headerLength, end: start + totalLength, source: source, destination: destination)
    }

    private func decodeIPv6(_ bytes: UnsafeRawBufferPointer, from start: Int, originalLength: Int) -> DecodedPacket {
        let captured = bytes.count
        guard captured - start >= 40 else { return .malformed(reason: "IPv6 header cut short") }
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
                guard offset + 2 <= captured else { return .malformed(reason: "IPv6 extension header cut short") }
                next = bytes[offset]
                offset += (Int(bytes[offset + 1]) + 1) * 8
            case 51:                          // authentication header
                guard offset + 2 <= captured else { return .malformed(reason: "IPv6 AH cut short") }
                next = bytes[offset]
                offset += (Int(bytes[offset + 1]) + 2) * 4
            case 44:                          // fragment header
                guard offset + 8 <= captured else { return .malformed(reason: "IPv6 fragment header cut short") }
                let field = UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
                let fragmentOffset = Int(field >> 3) * 8
                let more = field & 1 != 0
                if fragmentOffset == 0 && !more {   // atomic fragment: not really fragmented
                    next = bytes[offset]
                    offset += 8
                    continue
                }
                return .ipFragment(description: "IPv6 fragment \(source) -> \(destination), offset \(fragmentOffset)\(more ? ", more follow" : "")")
            default:
                return .notTCP
            }
        }
        return .malformed(reason: "too many IPv6 extension headers")
    }

    private func decodeTCP(_ bytes: UnsafeRawBufferPointer, from start: Int, end wireEnd: Int,
                           source: IPAddress, destination: IPAddress) -> DecodedPacket {
        let captured = bytes.count
        guard captured - start >= 20, wireEnd - start >= 20 else { return .malformed(reason: "TCP header cut short") }
        let headerLength = Int(bytes[start + 12] >> 4) * 4
        guard headerLength >= 20, wireEnd - start >= headerLength else {
            return .malformed(reason: "TCP header length \(headerLength) does not fit the packet")
        }
        guard captured - start >= headerLength else { return .malformed(reason: "TCP options cut short") }
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

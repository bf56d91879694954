import WSStream
import Testing
import WSCapture
import WSTestSupport

@Suite struct PacketDecoderTests {
    static let client = Endpoint.loopback(40000)
    static let server = Endpoint.loopback(8080)

    static func decode(_ link: PacketBuilder.Link, dlt: Int32, from: Endpoint = client, to: Endpoint = server,
                       options: [UInt8] = [], fragment: (offset: Int, more: Bool)? = nil) -> DecodedPacket {
        let bytes = PacketBuilder(link: link).tcp(from: from, to: to, seq: 1, ack: 2, flags: [.ack, .psh],
                                                 payload: Array("hi".utf8), ipv4Options: options, fragment: fragment)
        return bytes.withUnsafeBytes { PacketDecoder(linkType: LinkType(dlt: dlt)!).decode($0, originalLength: bytes.count) }
    }

    static func payload(_ decoded: DecodedPacket) -> String? {
        guard case .tcp(let segment) = decoded else { return nil }
        return String(decoding: segment.payload, as: UTF8.self)
    }

    @Test(arguments: [
        (PacketBuilder.Link.ethernet(vlanTags: 0), Int32(1)),
        (.ethernet(vlanTags: 1), 1),                 // 802.1Q
        (.ethernet(vlanTags: 2), 1),                 // QinQ (802.1ad outer tag)
        (.linuxSLL, 113),
        (.linuxSLL2, 276),
        (.null(bigEndian: false), 0),
        (.null(bigEndian: true), 0),
        (.loop, 108),
        (.raw, 12),
        (.raw, 101),
    ])
    func everyLinkTypeReachesTCP(link: PacketBuilder.Link, dlt: Int32) {
        let decoded = Self.decode(link, dlt: dlt)
        #expect(Self.payload(decoded) == "hi")
        if case .tcp(let segment) = decoded {
            #expect(segment.source == Self.client && segment.destination == Self.server)
            #expect(segment.sequence == 1 && segment.acknowledgment == 2 && segment.flags == [.ack, .psh])
        }
        // The same over IPv6.
        let v6 = Self.decode(link, dlt: dlt, from: .loopback6(40000), to: .loopback6(8080))
        #expect(Self.payload(v6) == "hi")
    }

    @Test func rawIPv4AndIPv6LinkTypes() {
        #expect(Self.payload(Self.decode(.raw, dlt: 228)) == "hi")
        #expect(Self.payload(Self.decode(.raw, dlt: 229, from: .loopback6(1), to: .loopback6(2))) == "hi")
    }

    @Test func ipv4OptionsAreSkipped() {
        // 4 bytes of options: NOP NOP NOP EOL
        #expect(Self.payload(Self.decode(.ethernet(vlanTags: 0), dlt: 1, options: [1, 1, 1, 0])) == "hi")
    }

    @Test func ipv4FragmentsAreDetected() {
        guard case .ipFragment(let fragment) = Self.decode(.ethernet(vlanTags: 0), dlt: 1, fragment: (0, true)) else {
            Issue.record("expected a fragment"); return
        }
        #expect(fragment.description.contains("more follow"))
        guard case .ipFragment = Self.decode(.ethernet(vlanTags: 0), dlt: 1, fragment: (1480, false)) else {
            Issue.record("expected a fragment"); return
        }
    }

    @Test func ipv6ExtensionHeadersAreSkipped() {
        // IPv6 header with next header 0 (hop-by-hop, 8 bytes) then 60 (destination options, 8 bytes) then TCP.
        let tcp = PacketBuilder(link: .raw).tcp(from: .loopback6(1), to: .loopback6(2), seq: 5, ack: 6, flags: .ack, payload: Array("ext".utf8))
        var ip = Array(tcp[0..<40])
        let tcpPart = Array(tcp[40...])
        ip[6] = 0                                        // next header: hop-by-hop
        let hopByHop: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0]  // next: destination options
        let destination: [UInt8] = [6, 0, 1, 4, 0, 0, 0, 0] // next: TCP
        let length = UInt16(hopByHop.count + destination.count + tcpPart.count)
        ip[4] = UInt8(length >> 8); ip[5] = UInt8(length & 0xFF)
        let bytes = ip + hopByHop + destination + tcpPart
        let decoded = bytes.withUnsafeBytes { PacketDecoder(linkType: .rawIP).decode($0, originalLength: bytes.count) }
        #expect(Self.payload(decoded) == "ext")
        // And a real fragment header is reported.
        var fragmented = ip
        fragmented[6] = 44
        let fragmentHeader: [UInt8] = [6, 0, 0x00, 0x09, 0, 0, 0, 1]   // offset 8, more fragments
        let fragmentBytes = fragmented + fragmentHeader + tcpPart
        let decodedFragment = fragmentBytes.withUnsafeBytes { PacketDecoder(linkType: .rawIP).decode($0, originalLength: fragmentBytes.count) }
        guard case .ipFragment = decodedFragment else { Issue.record("expected an IPv6 fragment"); return }
    }

    @Test func capturedLengthIsTrustedOverTheOriginalLength() {
        // Captured only up to the first payload byte; the packet was 2 bytes longer on the wire.
        let bytes = PacketBuilder().tcp(from: Self.client, to: Self.server, seq: 1, ack: 1, flags: .ack, payload: Array("hello".utf8))
        let cut = Array(bytes.dropLast(4))
        let decoded = cut.withUnsafeBytes { PacketDecoder(linkType: .ethernet).decode($0, originalLength: bytes.count) }
        guard case .tcp(let segment) = decoded else { Issue.record("expected TCP"); return }
        #expect(Array(segment.payload) == Array("h".utf8))
        #expect(segment.uncapturedPayload == 4)
    }

    @Test func truncatedHeadersAreMalformedNotCrashes() {
        let bytes = PacketBuilder().tcp(from: Self.client, to: Self.server, seq: 1, ack: 1, flags: .ack)
        for cut in 0..<(14 + 20 + 20) {
            let prefix = Array(bytes.prefix(cut))
            let decoded = prefix.withUnsafeBytes { PacketDecoder(linkType: .ethernet).decode($0, originalLength: bytes.count) }
            switch decoded {
            case .malformed: break
            default: Issue.record("cut at \(cut): expected malformed")
            }
        }
    }

    @Test func nonIPAndNonTCP() {
        let arp: [UInt8] = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x06] + [UInt8](repeating: 0, count: 28)
        guard case .notIP = arp.withUnsafeBytes({ PacketDecoder(linkType: .ethernet).decode($0, originalLength: arp.count) }) else {
            Issue.record("expected not IP"); return
        }
        var udp = PacketBuilder().tcp(from: Self.client, to: Self.server, seq: 1, ack: 1, flags: .ack)
        udp[14 + 9] = 17
        guard case .notTCP = udp.withUnsafeBytes({ PacketDecoder(linkType: .ethernet).decode($0, originalLength: udp.count) }) else {
            Issue.record("expected not TCP"); return
        }
    }

    @Test func addressesPrintLikeTheRFCsSay() {
        #expect(IPAddress(127, 0, 0, 1).description == "127.0.0.1")
        #expect(IPAddress(ipv6High: 0, low: 1).description == "::1")
        #expect(IPAddress(ipv6High: 0xFE80_0000_0000_0000, low: 1).description == "fe80::1")
        #expect(IPAddress(ipv6High: 0x2001_0DB8_0000_0001, low: 0x0000_0000_0000_0001).description == "2001:db8:0:1::1")
        #expect(Endpoint.loopback6(80).description == "[::1]:80")
    }
}

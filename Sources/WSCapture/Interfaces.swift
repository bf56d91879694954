import WSStream
import CPcap

/// A capture device as libpcap lists it.
public struct CaptureInterface: Hashable, Sendable {
    public let name: String
    public let description: String?
    public let addresses: [String]
    public let isLoopback: Bool
    public let isUp: Bool
    public let isRunning: Bool

    /// Every device libpcap can capture on.
    public static func all() throws(CaptureError) -> [CaptureInterface] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        var list: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&list, &errorBuffer) == 0 else {
            throw .cannotCapture(interface: "(any)", reason: String(errorBuffer: errorBuffer))
        }
        defer { pcap_freealldevs(list) }
        var result: [CaptureInterface] = []
        var node = list
        while let current = node {
            let device = current.pointee
            var addresses: [String] = []
            var address = device.addresses
            while let entry = address {
                if let text = Self.format(entry.pointee.addr) { addresses.append(text) }
                address = entry.pointee.next
            }
            result.append(CaptureInterface(
                name: String(cString: device.name),
                description: device.description.map { String(cString: $0) },
                addresses: addresses,
                isLoopback: device.flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                isUp: device.flags & UInt32(PCAP_IF_UP) != 0,
                isRunning: device.flags & UInt32(PCAP_IF_RUNNING) != 0))
            node = device.next
        }
        return result
    }

    private static func format(_ address: UnsafeMutablePointer<sockaddr>?) -> String? {
        guard let address else { return nil }
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { IPAddress(ipv4: $0, at: 0).description }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { IPAddress(ipv6: $0, at: 0).description }
            }
        default:
            return nil
        }
    }
}

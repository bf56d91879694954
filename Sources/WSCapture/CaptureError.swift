/// Why a capture could not be opened or read. Each case renders as one line that names the problem and where it is.
public enum CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be opened or is not a capture libpcap can read.
    case cannotOpen(path: String, reason: String)
    /// The interface does not exist.
    case noSuchInterface(name: String, reason: String)
    /// Capturing needs privileges the process lacks.
    case permissionDenied(interface: String, reason: String)
    /// Any other failure to start a live capture.
    case cannotCapture(interface: String, reason: String)
    /// The BPF filter did not compile.
    case badFilter(expression: String, reason: String)
    /// The link-layer type is not one wsinspect decodes.
    case unsupportedLinkType(value: Int32, name: String)
    /// Reading stopped on an error (a truncated or corrupt file), after `packetsRead` packets.
    case readFailed(packetsRead: Int, reason: String)
    /// A live capture failed while running (the interface went away, say), after `packetsRead` packets.
    case captureFailed(interface: String, packetsRead: Int, reason: String)
    /// The file that a live capture's packets go to (`-w`) could not be created or written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot read capture \(path): \(reason)"
        case .noSuchInterface(let name, let reason):
            return "no such interface \(name): \(reason) (wsinspect interfaces lists them)"
        case .permissionDenied(let interface, let reason):
            return "not permitted to capture on \(interface): \(reason) — run as root, or grant the capability once: sudo setcap cap_net_raw,cap_net_admin=eip \"$(command -v wsinspect)\""
        case .cannotCapture(let interface, let reason):
            return "cannot capture on \(interface): \(reason)"
        case .badFilter(let expression, let reason):
            return "bad capture filter \"\(expression)\": \(reason)"
        case .unsupportedLinkType(let value, let name):
            return "unsupported link type \(value) (\(name)); wsinspect reads Ethernet, Linux cooked (SLL, SLL2), BSD loopback (NULL, LOOP) and raw IPv4/IPv6"
        case .readFailed(let packetsRead, let reason):
            return "capture truncated at packet \(packetsRead + 1): \(reason)"
        case .captureFailed(let interface, let packetsRead, let reason):
            return "capture on \(interface) failed after \(packetsRead) packet\(packetsRead == 1 ? "" : "s"): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write capture \(path): \(reason)"
        }
    }
}

extension String {
    /// Text from a NUL-terminated C character buffer such as libpcap's error buffer.
    init(errorBuffer buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}

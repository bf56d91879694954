import WSStream
import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// One captured packet. `bytes` points into libpcap's buffer (or a prefetched batch) and is valid only until the
/// next read.
public struct CapturedPacket {
    /// 1-based number in the capture.
    public let number: Int
    public let time: Timestamp
    /// The captured bytes (`caplen` of them).
    public let bytes: UnsafeRawBufferPointer
    /// The packet's length on the wire (`len`), which may exceed what was captured.
    public let originalLength: Int
    /// The packet already decoded (by the prefetching thread), nil when that is left to the reader of the packet.
    public let decoded: DecodedPacket?
    /// For a decoded TCP segment: `DeliveryHistory.digest` of its payload, computed alongside the decoding.
    public let payloadDigest: UInt64?

    public init(number: Int, time: Timestamp, bytes: UnsafeRawBufferPointer, originalLength: Int,
                decoded: DecodedPacket? = nil, payloadDigest: UInt64? = nil) {
        self.number = number
        self.time = time
        self.bytes = bytes
        self.originalLength = originalLength
        self.decoded = decoded
        self.payloadDigest = payloadDigest
    }

    public var origin: ByteOrigin { ByteOrigin(packet: number, time: time) }
}

/// A libpcap capture: a file (classic pcap with micro- or nanosecond timestamps, or pcapng; `-` is standard input)
/// or a live interface.
public final class CaptureSource {
    public enum ReadResult {
        case packet(CapturedPacket)
        /// Live capture only: the read timed out with no packet (check for stop requests and read again).
        case timeout
        case end
    }

    /// libpcap's handle. Used by one thread at a time: the thread that opened the source, or a `PacketPrefetcher`'s
    /// reader thread between its start and its join.
    let handle: OpaquePointer
    /// The file path or interface name.
    public let name: String
    public let isLive: Bool
    /// Live captures: packets are delivered one by one as they arrive (TPACKET_V2) rather than in blocks that the
    /// kernel hands over when full or when the read timeout passes (TPACKET_V3).
    public private(set) var isImmediate = false
    /// Live captures: the kernel ring size asked for (`pcap_set_buffer_size`).
    public private(set) var bufferBytes = 0
    /// Live captures on a loopback device: filters also reject the outgoing copy of each packet in the kernel.
    private var isLoopback = false
    /// libpcap's DLT value.
    public let dataLinkValue: Int32
    /// Packets read through `next()` (a `PacketPrefetcher` numbers the packets it reads itself).
    public private(set) var packetsRead = 0
    /// The stdio buffer of a capture file (1 MiB instead of stdio's 4 KiB: 256 times fewer read calls).
    private var fileBuffer: UnsafeMutableRawPointer?
    /// Live captures: the descriptor to wait on, and how long one wait lasts (also the kernel's block timeout).
    private(set) var selectable: Int32 = -1
    private(set) var waitMilliseconds: Int32 = 100

    private init(handle: OpaquePointer, name: String, isLive: Bool) {
        self.handle = handle
        self.name = name
        self.isLive = isLive
        self.dataLinkValue = pcap_datalink(handle)
    }

    deinit {
        pcap_close(handle)   // also closes the FILE
        fileBuffer?.deallocate()
    }

    /// Opens a capture file; `-` reads standard input. Timestamps are kept to the nanosecond.
    public static func openFile(_ path: String) throws(CaptureError) -> CaptureSource {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        // libpcap reads through stdio: 128 KiB reads instead of 4 KiB ones, small enough to stay in L2 cache (measured
        // fastest of 4 KiB-1 MiB; see Docs/performance.md).
        let file: UnsafeMutablePointer<FILE>?
        if path == "-" {
            file = fdopen(dup(0), "rb")   // standard input, through a FILE of our own
        } else {
            file = fopen(path, "rb")
            guard file != nil else {
                throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            // Say plainly what libpcap would report as a read error or a truncated header.
            var status = stat()
            if fstat(fileno(file), &status) == 0 {
                if status.st_mode & S_IFMT == S_IFDIR {
                    fclose(file)
                    throw .cannotOpen(path: path, reason: "it is a directory, not a capture file")
                }
                if status.st_mode & S_IFMT == S_IFREG && status.st_size == 0 {
                    fclose(file)
                    throw .cannotOpen(path: path, reason: "the file is empty (0 bytes), not a capture")
                }
            }
        }
        let bufferSize = 128 << 10
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        setvbuf(file, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, bufferSize)
        guard let handle = pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer) else {
            fclose(file)
            buffer.deallocate()
            throw .cannotOpen(path: path, reason: Self.explain(String(errorBuffer: errorBuffer)))
        }
        let source = CaptureSource(handle: handle, name: path, isLive: false)
        source.fileBuffer = buffer
        return source
    }

    /// Reads a capture held in memory (the fuzzing harness and tests feed files this way, with no file system).
    public static func openMemory(_ bytes: [UInt8], name: String = "memory") throws(CaptureError) -> CaptureSource {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let size = max(1, bytes.count)
        let copy = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) } }
        guard let file = fmemopen(copy, bytes.count, "rb") else {
            copy.deallocate()
            throw .cannotOpen(path: name, reason: String(cString: strerror(errno)))
        }
        guard let handle = pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer) else {
            fclose(file)
            copy.deallocate()
            throw .cannotOpen(path: name, reason: Self.explain(String(errorBuffer: errorBuffer)))
        }
        let source = CaptureSource(handle: handle, name: name, isLive: false)
        source.fileBuffer = copy   // freed after pcap_close closed the FILE that reads it
        return source
    }

    /// Opens a live capture on an interface: snapshot length 262144, not promiscuous, nanosecond timestamps, a kernel
    /// ring of `bufferBytes`, non-blocking.
    ///
    /// `immediate` delivers every packet as it arrives (for a person watching a terminal); otherwise the kernel fills
    /// blocks (TPACKET_V3) and hands each over when it is full or `timeoutMilliseconds` after it was opened, so a busy
    /// interface costs one wake-up per block instead of one per packet, and a quiet one still shows its packets.
    public static func openLive(_ interface: String, bufferBytes: Int = 2 << 20, immediate: Bool = true,
                                timeoutMilliseconds: Int32 = 100) throws(CaptureError) -> CaptureSource {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw .cannotCapture(interface: interface, reason: String(errorBuffer: errorBuffer))
        }
        pcap_set_snaplen(handle, 262_144)
        pcap_set_promisc(handle, 0)
        pcap_set_timeout(handle, timeoutMilliseconds)
        pcap_set_immediate_mode(handle, immediate ? 1 : 0)
        pcap_set_buffer_size(handle, Int32(clamping: bufferBytes))
        _ = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(handle)
        if status < 0 {
            let detail = String(cString: pcap_geterr(handle))
            let reason = detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail
            pcap_close(handle)
            switch status {
            case PCAP_ERROR_NO_SUCH_DEVICE: throw .noSuchInterface(name: interface, reason: reason)
            case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED: throw .permissionDenied(interface: interface, reason: reason)
            default: throw .cannotCapture(interface: interface, reason: reason)
            }
        }
        // Non-blocking reads plus our own poll(): a blocking read can wait forever on a quiet interface (TPACKET_V3),
        // and then neither --duration nor Ctrl-C could end the capture.
        var nonblockError = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        pcap_setnonblock(handle, 1, &nonblockError)
        let source = CaptureSource(handle: handle, name: interface, isLive: true)
        source.selectable = pcap_get_selectable_fd(handle)
        source.waitMilliseconds = timeoutMilliseconds
        source.isImmediate = immediate
        source.bufferBytes = bufferBytes
        source.isLoopback = (try? CaptureInterface.all())?.first { $0.name == interface }?.isLoopback ?? false
        return source
    }

    /// libpcap's name for the link type, e.g. "EN10MB" (Ethernet), "LINUX_SLL2".
    public var linkTypeName: String {
        let name = pcap_datalink_val_to_name(dataLinkValue).map { String(cString: $0) } ?? "DLT \(dataLinkValue)"
        let description = pcap_datalink_val_to_description(dataLinkValue).map { String(cString: $0) }
        return description.map { "\(name), \($0)" } ?? name
    }

    /// The link type, or `unsupportedLinkType` naming it.
    public func linkType() throws(CaptureError) -> LinkType {
        guard let type = LinkType(dlt: dataLinkValue) else {
            let name = pcap_datalink_val_to_name(dataLinkValue).map { String(cString: $0) } ?? "unknown"
            throw .unsupportedLinkType(value: dataLinkValue, name: name)
        }
        return type
    }

    /// Applies a BPF filter expression (tcpdump syntax); an empty one lets every packet through.
    public func setFilter(_ expression: String) throws(CaptureError) {
        if !expression.isEmpty { try install(expression) }
        if isLive && isLoopback { keepOutgoingCopiesOutOfTheRing(expression) }
    }

    /// On a loopback device the kernel shows a packet socket every packet twice, going out and coming in, and libpcap
    /// drops the outgoing copy only after it went through the kernel ring. This replaces the socket's kernel filter
    /// with `inbound and (expression)`, so that the ring holds each packet once: the same packets, half the ring.
    ///
    /// Attached directly, not with `pcap_setfilter`: after a filter change libpcap also runs the filter in user space
    /// on the next block, where the packet-type test cannot run and every packet would fail. libpcap keeps the plain
    /// expression for that. If the kernel refuses the program, the ring simply keeps both copies.
    private func keepOutgoingCopiesOutOfTheRing(_ expression: String) {
        #if os(Linux)
        var program = bpf_program()
        guard pcap_compile(handle, &program, expression.isEmpty ? "inbound" : "inbound and (\(expression))", 1,
                           PCAP_NETMASK_UNKNOWN) == 0 else { return }
        defer { pcap_freecode(&program) }
        guard program.bf_len <= UInt32(UInt16.max), let instructions = program.bf_insns else { return }
        var kernelProgram = sock_fprog(len: UInt16(program.bf_len),
                                       filter: UnsafeMutableRawPointer(instructions).assumingMemoryBound(to: sock_filter.self))
        _ = setsockopt(pcap_fileno(handle), SOL_SOCKET, SO_ATTACH_FILTER, &kernelProgram, socklen_t(MemoryLayout<sock_fprog>.size))
        #endif
    }

    private func install(_ expression: String) throws(CaptureError) {
        var program = bpf_program()
        guard pcap_compile(handle, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw .badFilter(expression: expression, reason: String(cString: pcap_geterr(handle)))
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw .badFilter(expression: expression, reason: String(cString: pcap_geterr(handle)))
        }
    }

    /// Reads the next packet.
    public func next() throws(CaptureError) -> ReadResult {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        var status = pcap_next_ex(handle, &header, &data)
        if status == 0, selectable >= 0 {
            // Nothing buffered: wait (a signal interrupts the wait), then try once more.
            var descriptor = pollfd(fd: selectable, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, waitMilliseconds) > 0 {
                status = pcap_next_ex(handle, &header, &data)
            }
        }
        switch status {
        case 1:
            packetsRead += 1
            let h = header!.pointee
            let bytes = UnsafeRawBufferPointer(start: data, count: Int(h.caplen))
            return .packet(CapturedPacket(number: packetsRead, time: Timestamp(h), bytes: bytes, originalLength: Int(h.len)))
        case 0:
            return .timeout
        case PCAP_ERROR_BREAK:
            return .end
        default:
            throw .readFailed(packetsRead: packetsRead, reason: String(cString: pcap_geterr(handle)))
        }
    }

    /// Asks a blocked read to return (safe to call from a signal handler's flag check).
    public func breakLoop() {
        pcap_breakloop(handle)
    }

    /// libpcap's counters for a live capture: packets received by the filter, dropped by the kernel, dropped by the
    /// interface.
    public func statistics() -> (received: UInt32, dropped: UInt32, interfaceDropped: UInt32)? {
        guard isLive else { return nil }
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return (stats.ps_recv, stats.ps_drop, stats.ps_ifdrop)
    }

    /// libpcap's reason for the last failure on this handle.
    var lastError: String { String(cString: pcap_geterr(handle)) }

    /// Turns libpcap's terse reasons into sentences a user can act on.
    private static func explain(_ reason: String) -> String {
        if reason.contains("unknown file format") {
            return "not a pcap or pcapng file (\(reason))"
        }
        if reason.contains("tried to read 4 file header bytes, only got 0") {
            return "it is empty (0 bytes), not a capture"   // standard input with nothing on it
        }
        if reason.contains("truncated dump file") || reason.contains("bad dump file format") {
            return reason
        }
        return reason
    }
}

extension Timestamp {
    /// A record's time (the handle reads nanoseconds). A damaged record may claim a sub-second part of a second or
    /// more: it carries into the seconds.
    init(_ header: pcap_pkthdr) {
        let fraction = Int64(header.ts.tv_usec)
        let carry = fraction >= 0 ? fraction / 1_000_000_000 : (fraction - 999_999_999) / 1_000_000_000
        self.init(seconds: Int64(header.ts.tv_sec) &+ carry, nanoseconds: Int32(truncatingIfNeeded: fraction - carry * 1_000_000_000))
    }
}

extension CaptureSource {
    /// The libpcap linked in, as it names itself (`libpcap version 1.10.3 (with TPACKET_V3)`).
    public static var libraryVersion: String { String(cString: pcap_lib_version()) }
}

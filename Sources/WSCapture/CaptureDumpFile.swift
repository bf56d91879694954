import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// A pcap file that a live capture's raw packets are written to as they are read (`wsinspect live -w FILE`, as
/// `tcpdump -w`): the capture's link type, snapshot length and nanosecond timestamps.
///
/// Opened and closed on the thread that owns the capture; in between, a `PacketPrefetcher`'s reader thread writes
/// each packet with `pcap_dump` through `dumper`, a C pointer (nothing reference-counted crosses over).
public final class CaptureDumpFile {
    /// libpcap's `pcap_dumper_t`.
    let dumper: OpaquePointer
    /// The stdio buffer behind it (1 MiB: one `write` per thousand packets or so).
    private let buffer: UnsafeMutableRawPointer
    public let path: String
    private var isClosed = false

    /// Creates (or truncates) `path` and writes the pcap file header.
    public init(for source: CaptureSource, path: String) throws(CaptureError) {
        guard let file = fopen(path, "wb") else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let bufferSize = 1 << 20
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
        setvbuf(file, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, bufferSize)
        guard let dumper = pcap_dump_fopen(source.handle, file) else {
            let reason = source.lastError
            fclose(file)
            buffer.deallocate()
            throw .cannotWrite(path: path, reason: reason)
        }
        self.dumper = dumper
        self.path = path
    }

    deinit {
        if !isClosed { pcap_dump_close(dumper) }
        buffer.deallocate()
    }

    /// Writes out what is buffered and closes the file; throws when any write failed (a full disk, say).
    public func close() throws(CaptureError) {
        guard !isClosed else { return }
        isClosed = true
        let flushed = pcap_dump_flush(dumper) == 0 && ferror(pcap_dump_file(dumper)) == 0
        let reason = flushed ? "" : String(cString: strerror(errno))
        pcap_dump_close(dumper)
        if !flushed { throw .cannotWrite(path: path, reason: reason) }
    }
}

import Foundation

/// Writes a classic pcap file (microsecond timestamps) packet by packet through a large buffer, for captures too big
/// to build in memory.
public final class PcapStreamWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    public private(set) var bytesWritten: UInt64 = 0
    public private(set) var packets = 0

    public init(path: String, linkType: UInt32 = 1) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 22)
        u32(0xA1B2_C3D4); u16(2); u16(4); u32(0); u32(0); u32(262_144); u32(linkType)
    }

    private func u16(_ v: UInt16) { buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8(v >> 8)) }
    private func u32(_ v: UInt32) {
        buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8(v >> 8 & 0xFF))
        buffer.append(UInt8(v >> 16 & 0xFF)); buffer.append(UInt8(v >> 24))
    }

    /// Appends one packet captured at `microseconds` since the epoch.
    public func write(_ bytes: [UInt8], microseconds: UInt64) {
        u32(UInt32(microseconds / 1_000_000)); u32(UInt32(microseconds % 1_000_000))
        u32(UInt32(bytes.count)); u32(UInt32(bytes.count))
        buffer.append(contentsOf: bytes)
        packets += 1
        if buffer.count >= 1 << 22 { flush() }
    }

    public func flush() {
        handle.write(Data(buffer))
        bytesWritten += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() {
        flush()
        try? handle.close()
    }

    /// File size so far, including what is buffered.
    public var size: UInt64 { bytesWritten + UInt64(buffer.count) }
}

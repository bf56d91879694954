import Foundation

/// Writes capture files: classic pcap (micro- or nanosecond) and pcapng.
public struct CaptureFileWriter {
    public enum Format: Sendable {
        case pcapMicroseconds
        case pcapNanoseconds
        case pcapng
    }

    public struct Packet: Sendable {
        public var seconds: UInt32
        public var nanoseconds: UInt32
        public var bytes: [UInt8]
        /// Length on the wire (defaults to the captured length).
        public var originalLength: Int?

        public init(seconds: UInt32, nanoseconds: UInt32, bytes: [UInt8], originalLength: Int? = nil) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
            self.bytes = bytes
            self.originalLength = originalLength
        }
    }

    public static func data(_ packets: [Packet], linkType: UInt32, format: Format = .pcapMicroseconds) -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        switch format {
        case .pcapMicroseconds, .pcapNanoseconds:
            u32(format == .pcapNanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
            u16(2); u16(4); u32(0); u32(0); u32(262_144); u32(linkType)
            for p in packets {
                u32(p.seconds)
                u32(format == .pcapNanoseconds ? p.nanoseconds : p.nanoseconds / 1000)
                u32(UInt32(p.bytes.count)); u32(UInt32(p.originalLength ?? p.bytes.count))
                out += p.bytes
            }
        case .pcapng:
            // Section header block.
            u32(0x0A0D_0D0A); u32(28); u32(0x1A2B_3C4D); u16(1); u16(0); u32(0xFFFF_FFFF); u32(0xFFFF_FFFF); u32(28)
            // Interface description block with if_tsresol = 9 (nanoseconds).
            u32(1); u32(32); u16(UInt16(linkType)); u16(0); u32(262_144)
            u16(9); u16(1); out += [9, 0, 0, 0]
            u16(0); u16(0)
            u32(32)
            for p in packets {
                let padded = (p.bytes.count + 3) / 4 * 4
                let total = UInt32(32 + padded)
                let time = UInt64(p.seconds) * 1_000_000_000 + UInt64(p.nanoseconds)
                u32(6); u32(total); u32(0); u32(UInt32(time >> 32)); u32(UInt32(truncatingIfNeeded: time))
                u32(UInt32(p.bytes.count)); u32(UInt32(p.originalLength ?? p.bytes.count))
                out += p.bytes + [UInt8](repeating: 0, count: padded - p.bytes.count)
                u32(total)
            }
        }
        return out
    }

    /// Writes a file in a fresh temporary directory and returns its path.
    public static func write(_ packets: [Packet], linkType: UInt32, format: Format = .pcapMicroseconds,
                             name: String = "capture.pcap") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wsinspect-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(data(packets, linkType: linkType, format: format)).write(to: url)
        return url.path
    }
}

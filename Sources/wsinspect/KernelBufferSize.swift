import ArgumentParser
import WSWire

/// `live -B`/`--buffer-size`: the kernel ring of a live capture. A plain number counts KiB, as tcpdump's `-B` does;
/// a K, M or G suffix names the unit (`-B 4096` and `-B 4M` are the same size).
struct KernelBufferSize: ExpressibleByArgument, Sendable {
    let bytes: Int

    /// Big enough that a loopback burst at full speed waits in the ring while the slowest output (one text line per
    /// frame) catches up; Docs/live.md has the measurements.
    static let standard = KernelBufferSize(bytes: 256 << 20)
    /// libpcap takes the size as a C int.
    static let largest = 2047 << 20

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        var digits = Substring(argument)
        var unit = 1 << 10
        switch argument.last {
        case "k", "K": unit = 1 << 10
        case "m", "M": unit = 1 << 20
        case "g", "G": unit = 1 << 30
        default: unit = 0
        }
        if unit == 0 { unit = 1 << 10 } else { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(digits), value <= Int.max / unit else { return nil }
        bytes = value * unit
    }

    var isValid: Bool { bytes >= 1 << 10 && bytes <= Self.largest }

    /// `4 MiB`, `1536 KiB`.
    var description: String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return counted(bytes, "byte")
    }

    var defaultValueDescription: String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : "\(bytes >> 10)"
    }
}

/// The 4-byte masking key of a masked frame (RFC 6455 §5.3).
///
/// Payload byte *i* is transformed as `byte[i] XOR key[i mod 4]`; masking and unmasking are the same operation.
public struct MaskingKey: Hashable, Sendable, CustomStringConvertible {
    /// The four key bytes in wire order.
    public let bytes: (UInt8, UInt8, UInt8, UInt8)

    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        self.bytes = (b0, b1, b2, b3)
    }

    /// Creates a key from exactly four bytes.
    public init?<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard bytes.count == 4 else { return nil }
        var iterator = bytes.makeIterator()
        self.bytes = (iterator.next()!, iterator.next()!, iterator.next()!, iterator.next()!)
    }

    /// The key byte applied to payload byte `index` (that is, key byte `index mod 4`).
    @inlinable
    public subscript(index: Int) -> UInt8 {
        switch index & 3 {
        case 0: return bytes.0
        case 1: return bytes.1
        case 2: return bytes.2
        default: return bytes.3
        }
    }

    /// The key as lowercase hex, e.g. `af8753b4`.
    public var hex: String {
        Hex.string([bytes.0, bytes.1, bytes.2, bytes.3])
    }

    /// True for `00 00 00 00`, a key that leaves the payload unchanged.
    public var isZero: Bool { bytes == (0, 0, 0, 0) }

    public var description: String { hex }

    public static func == (lhs: MaskingKey, rhs: MaskingKey) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0); hasher.combine(bytes.1); hasher.combine(bytes.2); hasher.combine(bytes.3)
    }

    /// The key repeated to 8 bytes and rotated so that its first byte lines up with payload index `phase`,
    /// in memory (little-endian load) order.
    @inlinable
    func word(phase: Int) -> UInt64 {
        var pattern: UInt64 = 0
        for i in 0..<8 {
            pattern |= UInt64(self[phase &+ i]) << (8 * UInt64(i))
        }
        // `pattern` holds key bytes in little-endian memory order; make that true on any host.
        return UInt64(littleEndian: pattern)
    }

    /// XORs `source` with the key into `destination` (same length or longer), treating `source[0]` as payload byte
    /// number `payloadOffset`. Works eight bytes at a time.
    public func apply(
        to source: UnsafeRawBufferPointer,
        into destination: UnsafeMutableRawBufferPointer,
        payloadOffset: UInt64
    ) {
        let count = source.count
        precondition(destination.count >= count)
        guard count > 0, let src = source.baseAddress, let dst = destination.baseAddress else { return }
        let phase = Int(payloadOffset & 3)
        let pattern = word(phase: phase)
        // 32 bytes per step as a SIMD vector (the pattern repeats every 4 bytes, so every 8-byte lane is the same).
        let wide = SIMD4<UInt64>(repeating: pattern)
        var i = 0
        while i &+ 32 <= count {
            let value = src.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt64>.self)
            dst.storeBytes(of: value ^ wide, toByteOffset: i, as: SIMD4<UInt64>.self)
            i &+= 32
        }
        while i + 8 <= count {
            let value = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            dst.storeBytes(of: value ^ pattern, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            let byte = src.load(fromByteOffset: i, as: UInt8.self) ^ self[phase &+ i]
            dst.storeBytes(of: byte, toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// Returns `bytes` XORed with the key, the first byte being payload byte number `payloadOffset`.
    public func apply(to bytes: [UInt8], payloadOffset: UInt64 = 0) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: bytes.count)
        bytes.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                apply(to: source, into: destination, payloadOffset: payloadOffset)
            }
        }
        return output
    }
}

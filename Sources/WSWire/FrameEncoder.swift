/// What one frame to build says, field by field — including values RFC 6455 forbids, so that a teacher can build a
/// broken frame on purpose and let `frame` explain it.
public struct FrameSpecification: Hashable, Sendable {
    public var fin: Bool
    public var rsv1: Bool
    public var rsv2: Bool
    public var rsv3: Bool
    public var opcode: Opcode
    /// The key the payload is masked with (MASK=1), or nil (MASK=0).
    public var maskingKey: MaskingKey?
    /// A longer length form than the payload needs (non-minimal); nil: the shortest, as the RFC requires.
    public var lengthForm: LengthForm?
    /// The payload before masking.
    public var payload: [UInt8]

    public init(fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false, opcode: Opcode,
                maskingKey: MaskingKey? = nil, lengthForm: LengthForm? = nil, payload: [UInt8]) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.lengthForm = lengthForm
        self.payload = payload
    }
}

/// Builds frame bytes (RFC 6455 §5.2): the inverse of `FrameDecoder`.
public enum FrameEncoder {
    /// The frame's bytes: header (FIN, RSV1-3, opcode; MASK and the length in the requested form; the masking key)
    /// then the payload, masked when a key is given.
    public static func encode(_ frame: FrameSpecification) -> [UInt8] {
        var first = frame.opcode.rawValue & 0x0F
        if frame.fin { first |= 0x80 }
        if frame.rsv1 { first |= 0x40 }
        if frame.rsv2 { first |= 0x20 }
        if frame.rsv3 { first |= 0x10 }
        let length = UInt64(frame.payload.count)
        let form = max(frame.lengthForm ?? .sevenBit, LengthForm.minimal(for: length))
        let mask: UInt8 = frame.maskingKey == nil ? 0 : 0x80
        var bytes: [UInt8] = [first]
        switch form {
        case .sevenBit:
            bytes.append(mask | UInt8(length))
        case .sixteenBit:
            bytes.append(mask | 126)
            bytes += [UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        case .sixtyFourBit:
            bytes.append(mask | 127)
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64(7 - $0))) }
        }
        guard let key = frame.maskingKey else { return bytes + frame.payload }
        bytes += [key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3]
        bytes += frame.payload.enumerated().map { $0.element ^ key[$0.offset] }
        return bytes
    }

    /// The payload of a close frame (RFC 6455 §5.5.1): the code in network order, then the reason in UTF-8; empty
    /// without a code.
    public static func closePayload(code: UInt16?, reason: String) -> [UInt8] {
        guard let code else { return [] }
        return [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
    }
}

extension LengthForm: Comparable {
    private var rank: Int { extendedLengthBytes }
    public static func < (a: LengthForm, b: LengthForm) -> Bool { a.rank < b.rank }
}

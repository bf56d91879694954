/// Which of the three payload-length encodings a frame uses (RFC 6455 §5.2).
public enum LengthForm: String, Hashable, Sendable {
    /// 0-125 in the 7-bit field.
    case sevenBit = "7-bit"
    /// 126 in the 7-bit field, then a 16-bit length.
    case sixteenBit = "16-bit"
    /// 127 in the 7-bit field, then a 64-bit length.
    case sixtyFourBit = "64-bit"

    /// Bytes of extended length that follow the second header byte.
    public var extendedLengthBytes: Int {
        switch self {
        case .sevenBit: return 0
        case .sixteenBit: return 2
        case .sixtyFourBit: return 8
        }
    }

    /// The shortest form able to carry `length`, which RFC 6455 §5.2 requires.
    public static func minimal(for length: UInt64) -> LengthForm {
        if length <= 125 { return .sevenBit }
        if length <= 0xFFFF { return .sixteenBit }
        return .sixtyFourBit
    }

    /// The form announced by the 7-bit length field.
    public init(lengthField: UInt8) {
        switch lengthField & 0x7F {
        case 126: self = .sixteenBit
        case 127: self = .sixtyFourBit
        default: self = .sevenBit
        }
    }
}

/// The header of one frame, exactly as it was on the wire: 2 to 14 bytes.
public struct FrameHeader: Hashable, Sendable {
    /// Byte 0: FIN, RSV1-3 and the opcode.
    public let firstByte: UInt8
    /// Byte 1: MASK and the 7-bit payload length field.
    public let secondByte: UInt8
    /// The 16- or 64-bit extended length exactly as sent, nil in the 7-bit form.
    public let extendedLength: UInt64?
    /// The masking key when MASK is 1.
    public let maskingKey: MaskingKey?

    /// Builds a header from its parts; `extendedLength` must match the form announced by `secondByte`.
    public init(firstByte: UInt8, secondByte: UInt8, extendedLength: UInt64?, maskingKey: MaskingKey?) {
        self.firstByte = firstByte
        self.secondByte = secondByte
        self.extendedLength = extendedLength
        self.maskingKey = maskingKey
    }

    @inlinable public var fin: Bool { firstByte & 0x80 != 0 }
    @inlinable public var rsv1: Bool { firstByte & 0x40 != 0 }
    @inlinable public var rsv2: Bool { firstByte & 0x20 != 0 }
    @inlinable public var rsv3: Bool { firstByte & 0x10 != 0 }
    /// RSV1-3 as a 3-bit number (RSV1 is the high bit).
    @inlinable public var rsvBits: UInt8 { (firstByte >> 4) & 0x7 }
    @inlinable public var opcode: Opcode { Opcode(firstByte: firstByte) }
    @inlinable public var masked: Bool { secondByte & 0x80 != 0 }
    /// The 7-bit payload length field (0-127); 126 and 127 announce the extended forms.
    @inlinable public var lengthField: UInt8 { secondByte & 0x7F }

    public var lengthForm: LengthForm { LengthForm(lengthField: secondByte) }

    /// The payload length the header declares (up to 2^64-1; see `lengthMSBSet`).
    public var payloadLength: UInt64 {
        extendedLength ?? UInt64(lengthField)
    }

    /// True when a 64-bit length has its most significant bit set, which RFC 6455 §5.2 forbids.
    public var lengthMSBSet: Bool {
        lengthForm == .sixtyFourBit && payloadLength & (1 << 63) != 0
    }

    /// True when a shorter length form could have carried this length.
    public var lengthIsNonMinimal: Bool {
        LengthForm.minimal(for: payloadLength) != lengthForm
            && lengthForm != .sevenBit
    }

    /// Header size in bytes: 2, plus 2 or 8 of extended length, plus 4 of masking key.
    public var headerLength: Int {
        Self.headerLength(secondByte: secondByte)
    }

    /// Header size implied by the second byte alone.
    @inlinable
    public static func headerLength(secondByte: UInt8) -> Int {
        var length = 2
        switch secondByte & 0x7F {
        case 126: length += 2
        case 127: length += 8
        default: break
        }
        if secondByte & 0x80 != 0 { length += 4 }
        return length
    }

    /// The header bytes exactly as they were sent.
    public var bytes: [UInt8] {
        var out: [UInt8] = [firstByte, secondByte]
        if let extendedLength {
            let count = lengthForm.extendedLengthBytes
            for i in stride(from: count - 1, through: 0, by: -1) {
                out.append(UInt8(truncatingIfNeeded: extendedLength >> (8 * UInt64(i))))
            }
        }
        if let key = maskingKey {
            out.append(contentsOf: [key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3])
        }
        return out
    }

    /// Parses a complete header from the start of `bytes`; nil when `bytes` is shorter than the header.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> FrameHeader? {
        guard bytes.count >= 2 else { return nil }
        let second = bytes[1]
        let length = headerLength(secondByte: second)
        guard bytes.count >= length else { return nil }
        var index = 2
        var extended: UInt64?
        let extendedBytes = LengthForm(lengthField: second).extendedLengthBytes
        if extendedBytes > 0 {
            var value: UInt64 = 0
            for _ in 0..<extendedBytes {
                value = value << 8 | UInt64(bytes[index])
                index += 1
            }
            extended = value
        }
        var key: MaskingKey?
        if second & 0x80 != 0 {
            key = MaskingKey(bytes[index], bytes[index + 1], bytes[index + 2], bytes[index + 3])
        }
        return FrameHeader(firstByte: bytes[0], secondByte: second, extendedLength: extended, maskingKey: key)
    }
}

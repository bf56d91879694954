/// The fields a frame can have, in wire order (RFC 6455 §5.2).
public enum FrameFieldID: String, Hashable, Sendable, CaseIterable {
    case fin = "FIN"
    case rsv1 = "RSV1"
    case rsv2 = "RSV2"
    case rsv3 = "RSV3"
    case opcode
    case mask = "MASK"
    case payloadLength = "payload len"
    case extendedLength16 = "extended payload length (16)"
    case extendedLength64 = "extended payload length (64)"
    case maskingKey = "masking key"
    case payload = "payload data"
}

/// One field of one frame: where it sits, its raw bits, its value and what that value means.
///
/// Renderers draw the bit figure, the field table and the JSON `fields` array from these records alone.
public struct FrameField: Hashable, Sendable {
    public let id: FrameFieldID
    /// Label for the bit figure, one entry per line (single-bit fields are labelled vertically, as in RFC 6455).
    public let figureLabel: [String]
    /// Offset of the first bit from the start of the frame (bit 0 is the most significant bit of byte 0).
    public let bitOffset: UInt64
    /// Width in bits.
    public let bitCount: UInt64
    /// The bits as sent, most significant first (empty for the payload, which is shown elsewhere).
    public let rawBits: String
    /// The value in the notation that suits it: `1`, `0x1`, `6`, `af 87 53 b4`.
    public let value: String
    /// What the value means, in plain words.
    public let meaning: String
    /// Where the field is defined, e.g. `RFC 6455 §5.2`.
    public let section: String

    public var name: String { id.rawValue }

    /// `bit 0`, `bits 4-7`, `bits 16-47`.
    public var bitRange: String {
        bitCount == 1 ? "bit \(bitOffset)" : "bits \(bitOffset)-\(bitOffset + bitCount - 1)"
    }

    /// `byte 0`, `bytes 2-5`.
    public var byteRange: String {
        let first = bitOffset / 8
        let last = (bitOffset + max(bitCount, 1) - 1) / 8
        return first == last ? "byte \(first)" : "bytes \(first)-\(last)"
    }

    /// True for fields that belong to the header (everything but the payload).
    public var isHeader: Bool { id != .payload }
}

/// The declarative table of frame fields: for each field, when it is present, its width, its figure label and how
/// its value reads. `fields(of:)` walks it to lay out a particular frame.
public enum FrameFieldTable {
    struct Descriptor: Sendable {
        let id: FrameFieldID
        let figureLabel: [String]
        let section: String
        /// Width in bits for this header, nil when the field is absent.
        let width: @Sendable (FrameHeader) -> UInt64?
        /// Raw value of the field for this header.
        let raw: @Sendable (FrameHeader) -> UInt64
        let value: @Sendable (FrameHeader, UInt64) -> String
        /// What the value means; the sender, when known, decides whether MASK is as it must be.
        let meaning: @Sendable (FrameHeader, UInt64, Sender?) -> String
    }

    static let descriptors: [Descriptor] = [
        Descriptor(id: .fin, figureLabel: ["F", "I", "N"], section: "RFC 6455 §5.2, §5.4", width: { _ in 1 },
                   raw: { $0.fin ? 1 : 0 }, value: { "\($1)" },
                   meaning: { h, _, _ in h.fin ? "final frame of its message" : "more fragments of this message follow" }),
        rsv(.rsv1, 1, "RFC 6455 §5.2, RFC 7692 §6") { h in h.rsv1 ? "set: \"compressed\" under permessage-deflate, else a protocol error" : "not set" },
        rsv(.rsv2, 2, "RFC 6455 §5.2") { h in h.rsv2 ? "set: no standard extension defines RSV2" : "not set" },
        rsv(.rsv3, 3, "RFC 6455 §5.2") { h in h.rsv3 ? "set: no standard extension defines RSV3" : "not set" },
        Descriptor(id: .opcode, figureLabel: ["opcode", "(4)"], section: "RFC 6455 §5.2, §11.8", width: { _ in 4 },
                   raw: { UInt64($0.opcode.rawValue) },
                   value: { _, raw in "0x" + String(raw, radix: 16, uppercase: true) },
                   meaning: { h, _, _ in h.opcode.meaning + (h.opcode.isControl ? " (control)" : "") }),
        Descriptor(id: .mask, figureLabel: ["M", "A", "S", "K"], section: "RFC 6455 §5.2, §5.1", width: { _ in 1 },
                   raw: { $0.masked ? 1 : 0 }, value: { "\($1)" },
                   meaning: { h, _, sender in maskMeaning(masked: h.masked, sender: sender) }),
        Descriptor(id: .payloadLength, figureLabel: ["payload len", "(7)"], section: "RFC 6455 §5.2", width: { _ in 7 },
                   raw: { UInt64($0.lengthField) }, value: { "\($1)" },
                   meaning: { _, raw, _ in
                       switch raw {
                       case 126: return "16-bit form: the length is in the next 2 bytes"
                       case 127: return "64-bit form: the length is in the next 8 bytes"
                       default: return "7-bit form (0-125)"
                       }
                   }),
        Descriptor(id: .extendedLength16, figureLabel: ["extended payload length", "(16)"], section: "RFC 6455 §5.2",
                   width: { $0.lengthForm == .sixteenBit ? 16 : nil },
                   raw: { $0.payloadLength }, value: { "\($1)" },
                   meaning: { _, raw, _ in raw <= 125 ? "\(counted(raw, "byte")); non-minimal: fits the 7-bit field"
                                                   : "\(raw) bytes (126-65535 use this form)" }),
        Descriptor(id: .extendedLength64, figureLabel: ["extended payload length", "(64)"], section: "RFC 6455 §5.2",
                   width: { $0.lengthForm == .sixtyFourBit ? 64 : nil },
                   raw: { $0.payloadLength }, value: { "\($1)" },
                   meaning: { _, raw, _ in
                       if raw & (1 << 63) != 0 { return "most significant bit set: not allowed" }
                       return raw <= 0xFFFF ? "\(counted(raw, "byte")); non-minimal: fits a shorter form"
                                            : "\(raw) bytes (over 65535 use this form)"
                   }),
        Descriptor(id: .maskingKey, figureLabel: ["masking key", "(32)"], section: "RFC 6455 §5.3",
                   width: { $0.masked ? 32 : nil },
                   raw: { h in
                       guard let k = h.maskingKey else { return 0 }
                       return UInt64(k.bytes.0) << 24 | UInt64(k.bytes.1) << 16 | UInt64(k.bytes.2) << 8 | UInt64(k.bytes.3)
                   },
                   value: { h, _ in Hex.string([h.maskingKey!.bytes.0, h.maskingKey!.bytes.1, h.maskingKey!.bytes.2, h.maskingKey!.bytes.3], separator: " ") },
                   meaning: { _, _, _ in "payload byte i is XORed with key byte i mod 4" }),
    ]

    private static func rsv(_ id: FrameFieldID, _ number: Int, _ section: String,
                            _ meaning: @escaping @Sendable (FrameHeader) -> String) -> Descriptor {
        Descriptor(id: id, figureLabel: ["R", "S", "V", "\(number)"], section: section, width: { _ in 1 },
                   raw: { h in UInt64((h.firstByte >> (7 - UInt8(number))) & 1) }, value: { "\($1)" },
                   meaning: { h, _, _ in meaning(h) })
    }

    /// What MASK says, true for the frame's direction (RFC 6455 §5.1: clients mask every frame, servers none). Without
    /// a known sender it says which side sends frames like this one, not which side sent it.
    static func maskMeaning(masked: Bool, sender: Sender?) -> String {
        switch (masked, sender) {
        case (true, .client?): "payload is masked (client to server)"
        case (false, .server?): "payload is not masked (server to client)"
        case (false, .client?): "payload is not masked, but a client must mask every frame it sends (RFC 6455 §5.1)"
        case (true, .server?): "payload is masked, but a server must not mask the frames it sends (RFC 6455 §5.1)"
        case (true, nil): "payload is masked (as a client's frames must be)"
        case (false, nil): "payload is not masked (as a server's frames must be)"
        }
    }

    /// The fields of a frame in wire order; the payload comes last when `payloadReceived` is not nil. `sender` (when
    /// known) makes the meaning of MASK say whether it is as the sender's side must send it.
    public static func fields(of header: FrameHeader, payloadReceived: UInt64? = nil, sender: Sender? = nil) -> [FrameField] {
        var result: [FrameField] = []
        var offset: UInt64 = 0
        for descriptor in descriptors {
            guard let width = descriptor.width(header) else { continue }
            let raw = descriptor.raw(header)
            result.append(FrameField(id: descriptor.id, figureLabel: descriptor.figureLabel, bitOffset: offset,
                                     bitCount: width, rawBits: Hex.bits(raw, count: Int(width)),
                                     value: descriptor.value(header, raw), meaning: descriptor.meaning(header, raw, sender),
                                     section: descriptor.section))
            offset += width
        }
        if let received = payloadReceived {
            let declared = header.payloadLength
            var meaning = header.masked ? "application data, masked" : "application data"
            if received < declared { meaning += "; \(declared - received) of \(counted(declared, "byte")) missing" }
            result.append(FrameField(id: .payload, figureLabel: ["payload data"], bitOffset: offset,
                                     bitCount: received * 8, rawBits: "",
                                     value: "\(received) byte\(received == 1 ? "" : "s")", meaning: meaning,
                                     section: "RFC 6455 §5.2, §5.6"))
        }
        return result
    }
}

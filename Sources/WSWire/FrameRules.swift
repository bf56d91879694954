/// What the frame-level rules need to know about the connection a frame belongs to.
public struct FrameRuleContext: Hashable, Sendable {
    /// Who sent the frame, when known (masking rules apply only then).
    public var sender: Sender?
    /// RSV bits that a negotiated extension gives a meaning to (RSV1 = 0b100, RSV2 = 0b010, RSV3 = 0b001).
    public var negotiatedRSV: UInt8
    /// True when RSV1 means "compressed" (permessage-deflate was negotiated).
    public var rsv1MeansCompressed: Bool

    public init(sender: Sender? = nil, negotiatedRSV: UInt8 = 0, rsv1MeansCompressed: Bool = false) {
        self.sender = sender
        self.negotiatedRSV = negotiatedRSV | (rsv1MeansCompressed ? 0b100 : 0)
        self.rsv1MeansCompressed = rsv1MeansCompressed
    }

    /// The context of a permessage-deflate connection.
    public static func permessageDeflate(sender: Sender?) -> FrameRuleContext {
        FrameRuleContext(sender: sender, negotiatedRSV: 0b100, rsv1MeansCompressed: true)
    }
}

/// The rules one frame header can break on its own (RFC 6455 §5, RFC 7692 §6.1).
public enum FrameRules {
    /// Checks everything the header alone decides.
    public static func check(_ header: FrameHeader, context: FrameRuleContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let opcode = header.opcode

        if opcode.isReserved {
            found.append(Diagnostic(.reservedOpcode,
                "Opcode 0x\(String(opcode.rawValue, radix: 16, uppercase: true)) is \(opcode.meaning); no extension defines it, so the receiver must fail the connection."))
        }

        if header.rsv1 {
            if context.negotiatedRSV & 0b100 == 0 {
                found.append(Diagnostic(.rsv1WithoutExtension,
                    "RSV1 is set, but no extension that uses it (permessage-deflate) was negotiated."))
            } else if context.rsv1MeansCompressed && opcode.isControl {
                found.append(Diagnostic(.rsv1OnControlFrame,
                    "RSV1 is set on a \(opcode.name) frame; control frames are never compressed."))
            } else if context.rsv1MeansCompressed && opcode == .continuation {
                found.append(Diagnostic(.rsv1OnContinuation,
                    "RSV1 is set on a continuation frame; only the first frame of a compressed message carries it."))
            }
        }
        let strayRSV = header.rsvBits & 0b011 & ~context.negotiatedRSV
        if strayRSV != 0 {
            let names = [(0b010, "RSV2"), (0b001, "RSV3")].filter { strayRSV & UInt8($0.0) != 0 }.map(\.1)
            found.append(Diagnostic(.rsvWithoutExtension,
                "\(names.joined(separator: " and ")) \(names.count == 1 ? "is" : "are") set, but no negotiated extension defines \(names.count == 1 ? "it" : "them").",
                at: .frameField(strayRSV & 0b010 != 0 ? .rsv2 : .rsv3)))
        }

        if opcode.isControl {
            if !header.fin {
                found.append(Diagnostic(.controlFrameFragmented,
                    "This \(opcode.name) frame has FIN=0; control frames cannot be fragmented."))
            }
            if header.payloadLength > 125 {
                found.append(Diagnostic(.controlFrameTooLong,
                    "This \(opcode.name) frame declares \(header.payloadLength) bytes of payload; control frames carry at most 125.",
                    at: .lengthField(of: header)))
            }
        }

        if header.lengthMSBSet {
            found.append(Diagnostic(.lengthMSBSet,
                "The 64-bit length 0x\(String(header.payloadLength, radix: 16)) has its most significant bit set; lengths are limited to 2^63-1.",
                at: .lengthField(of: header)))
        } else if header.lengthIsNonMinimal {
            let minimal = LengthForm.minimal(for: header.payloadLength)
            found.append(Diagnostic(.nonMinimalLength,
                "The length \(header.payloadLength) is sent in the \(header.lengthForm.rawValue) form but fits the \(minimal.rawValue) form; the shortest form is required.",
                at: .lengthField(of: header)))
        }

        switch (context.sender, header.masked) {
        case (.client?, false):
            found.append(Diagnostic(.clientFrameUnmasked,
                "The client sent this frame with MASK=0; a server must close the connection on an unmasked client frame."))
        case (.server?, true):
            found.append(Diagnostic(.serverFrameMasked,
                "The server sent this frame with MASK=1; a client must close the connection on a masked server frame."))
        default:
            break
        }
        if let key = header.maskingKey, key.isZero {
            found.append(Diagnostic(.maskKeyZero,
                "The masking key is 00 00 00 00, so the payload travels unmasked; keys must be unpredictable."))
        }
        return found
    }

    /// True when this frame's payload alone is a whole uncompressed text message whose UTF-8 the frame level checks
    /// (fragments and compressed messages are checked by the message layer, after reassembly or inflation).
    /// With RSV1 set the payload is compressed (permessage-deflate) or of unknown encoding (no extension): either way
    /// its bytes are not text as they stand.
    public static func checksUTF8(_ header: FrameHeader, context: FrameRuleContext) -> Bool {
        header.opcode == .text && header.fin && !header.rsv1
    }
}

import WSStream
/// One decoded frame: its header, where it sat, its unmasked payload (up to a display limit) and its diagnostics.
public struct Frame: Sendable {
    public let header: FrameHeader
    /// Stream offset of the first header byte.
    public let offset: UInt64
    /// Where the first header byte came from.
    public let origin: ByteOrigin
    /// Where the last byte received came from (the packet that completed the frame, when it is complete).
    public internal(set) var lastOrigin: ByteOrigin
    /// How many chunks of the input (TCP segments in a capture; TLS records in a decrypted one) carried its bytes.
    public internal(set) var segments = 1
    /// The chunk that brought the frame's last byte (a TCP segment; a TLS record in a decrypted connection) has more
    /// bytes after it: the next frame of this direction starts in it.
    public internal(set) var chunkGoesOn = false
    /// The unmasked payload, at most the decoder's payload limit (control frames are always kept whole).
    public internal(set) var payload: [UInt8] = []
    /// Payload bytes that were present in the input (less than declared when the frame is truncated).
    public internal(set) var payloadReceived: UInt64 = 0
    /// Payload bytes lost from a capture in the middle of this frame (the frame continued after them).
    public internal(set) var payloadLost: UInt64 = 0
    /// Frame-level findings, in the order they were made.
    public internal(set) var diagnostics: [Diagnostic]
    /// The parsed body of a Close frame.
    public internal(set) var close: CloseBody?
    /// For a whole uncompressed text message in one frame: nil when its payload is valid UTF-8.
    public internal(set) var utf8Failure: UTF8Validator.Failure?
    /// True when this frame's UTF-8 was checked (see `FrameRules.checksUTF8`).
    public internal(set) var utf8Checked = false

    public init(header: FrameHeader, offset: UInt64, origin: ByteOrigin, diagnostics: [Diagnostic] = []) {
        self.header = header
        self.offset = offset
        self.origin = origin
        self.lastOrigin = origin
        self.diagnostics = diagnostics
    }

    /// Adds findings made above the frame level (fragmentation, the close handshake) to this frame.
    public mutating func addDiagnostics(_ more: [Diagnostic]) {
        if !more.isEmpty { diagnostics.append(contentsOf: more) }
    }

    /// True when every declared payload byte was present.
    public var isComplete: Bool { payloadReceived == header.payloadLength }

    /// What is missing, e.g. "payload needs 10 bytes, 3 present".
    public var missingDescription: String {
        "payload needs \(header.payloadLength) byte\(header.payloadLength == 1 ? "" : "s"), \(payloadReceived) present"
    }

    /// Declared payload bytes that never arrived.
    public var missingBytes: UInt64 { header.payloadLength &- payloadReceived }

    /// True when `payload` holds fewer bytes than were received (the display limit or a capture gap cut it).
    public var payloadIsCut: Bool { UInt64(payload.count) < payloadReceived }

    /// Header plus received payload, in bytes.
    public var wireLength: UInt64 { UInt64(header.headerLength) &+ payloadReceived }

    /// The kept payload as it was on the wire (masked again when MASK=1: masking is its own inverse).
    public var wirePayload: [UInt8] {
        guard let key = header.maskingKey else { return payload }
        return key.apply(to: payload)
    }

    /// True when `payload` is text known to be valid UTF-8 (a checked text frame that passed).
    public var hasValidText: Bool { utf8Checked && utf8Failure == nil }

    /// The payload as text, for a checked text frame whose UTF-8 is valid (cut to a character boundary when the
    /// display limit cut the payload).
    public var text: String? {
        guard utf8Checked, utf8Failure == nil else { return nil }
        let end = payloadIsCut ? UTF8Validator.characterBoundary(in: payload, before: payload.count) : payload.count
        return String(decoding: payload[..<end], as: UTF8.self)
    }

    /// The field table of this frame's header and payload, as sent by `sender` (nil: unknown).
    public func fields(sender: Sender?) -> [FrameField] {
        FrameFieldTable.fields(of: header, payloadReceived: payloadReceived, sender: sender)
    }
}

/// The input ended inside a frame header.
public struct TruncatedHeader: Hashable, Sendable {
    /// Stream offset of the header's first byte.
    public let offset: UInt64
    /// Header bytes present.
    public let bytes: [UInt8]
    /// Header size known so far (2 until the second byte is present).
    public let needed: Int
    public let origin: ByteOrigin
    /// The finding: `truncated-frame` when its sender cut it, else `input-ended`.
    public internal(set) var diagnostic = Diagnostic(.inputEnded, "The input ends inside a frame header.")

    init(offset: UInt64, bytes: [UInt8], needed: Int, origin: ByteOrigin) {
        self.offset = offset
        self.bytes = bytes
        self.needed = needed
        self.origin = origin
    }

    /// Plain words on what is missing, e.g. "header needs 6 bytes, 2 present (masking key missing)".
    public var missing: String {
        var what = "byte 1 with MASK and payload len"
        if bytes.count >= 2 {
            let form = LengthForm(lengthField: bytes[1])
            let lengthEnd = 2 + form.extendedLengthBytes
            what = bytes.count < lengthEnd ? "\(form.rawValue) extended length" : "masking key"
            if bytes.count < lengthEnd, bytes[1] & 0x80 != 0 { what += " and masking key" }
        }
        return "header needs \(needed) bytes, \(bytes.count) present (\(what) missing)"
    }
}

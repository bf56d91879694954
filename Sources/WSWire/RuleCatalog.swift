// The one catalog of every rule wsinspect checks. Docs/rules.md is generated from it (`wsinspect rules --markdown`)
// and a test fails when the two disagree. Rule ids are a contract: add rules, never rename them.

extension Rule {
    // MARK: Framing (RFC 6455 §5)
    public static let rsvWithoutExtension = Rule("rsv-without-extension", .error, "RFC 6455 §5.2",
        "RSV2 and RSV3 are 0 unless a negotiated extension defines them.")
    public static let rsv1WithoutExtension = Rule("rsv1-without-extension", .error, "RFC 6455 §5.2, RFC 7692 §6",
        "RSV1 is 0 unless an extension that uses it (permessage-deflate) was negotiated.")
    public static let reservedOpcode = Rule("reserved-opcode", .error, "RFC 6455 §5.2",
        "Opcodes 0x3-0x7 and 0xB-0xF are reserved and are not sent unless an extension defines them.")
    public static let controlFrameTooLong = Rule("control-frame-too-long", .error, "RFC 6455 §5.5",
        "A control frame (close, ping, pong) carries at most 125 bytes of payload.")
    public static let controlFrameFragmented = Rule("control-frame-fragmented", .error, "RFC 6455 §5.5",
        "A control frame is never fragmented: its FIN bit is 1.")
    public static let nonMinimalLength = Rule("non-minimal-length", .error, "RFC 6455 §5.2",
        "The payload length uses the shortest form: 0-125 in 7 bits, up to 65535 in 16 bits, else 64 bits.")
    public static let lengthMSBSet = Rule("length-msb-set", .error, "RFC 6455 §5.2",
        "The most significant bit of a 64-bit payload length is 0.")
    public static let clientFrameUnmasked = Rule("client-frame-unmasked", .error, "RFC 6455 §5.1, §5.3",
        "Every frame a client sends is masked (MASK=1).")
    public static let serverFrameMasked = Rule("server-frame-masked", .error, "RFC 6455 §5.1",
        "A server never masks the frames it sends (MASK=0).")
    public static let maskKeyZero = Rule("mask-key-zero", .warning, "RFC 6455 §5.3, §10.3",
        "The masking key is unpredictable; the key 00 00 00 00 leaves the payload unmasked.")
    public static let truncatedFrame = Rule("truncated-frame", .warning, "RFC 6455 §5.2",
        "Each direction is a sequence of complete frames; this one ends before its declared length.")

    // MARK: Close frames (RFC 6455 §5.5.1, §7.4)
    public static let closePayloadOneByte = Rule("close-payload-one-byte", .error, "RFC 6455 §5.5.1",
        "A close payload is empty or starts with a 2-byte status code; one byte is impossible.")
    public static let invalidCloseCode = Rule("invalid-close-code", .error, "RFC 6455 §7.4",
        "A close code on the wire is 1000-1003, 1007-1014, 3000-3999 or 4000-4999.")

    // MARK: UTF-8 (RFC 6455 §5.6, §8.1)
    public static let invalidUTF8 = Rule("invalid-utf8", .error, "RFC 6455 §5.6, §8.1",
        "Text messages and close reasons are valid UTF-8.")

    // MARK: permessage-deflate framing (RFC 7692 §6)
    public static let rsv1OnControlFrame = Rule("rsv1-on-control-frame", .error, "RFC 7692 §6.1",
        "RSV1 (\"compressed\") is never set on a control frame.")
    public static let rsv1OnContinuation = Rule("rsv1-on-continuation", .error, "RFC 7692 §6.1",
        "RSV1 (\"compressed\") is set only on the first frame of a message, never on a continuation frame.")

    // MARK: Opening handshake (RFC 6455 §4)
    public static let handshakeKeyNot16Bytes = Rule("handshake-key-not-16-bytes", .error, "RFC 6455 §4.1",
        "Sec-WebSocket-Key is the base64 encoding of exactly 16 bytes (24 characters ending in ==).")
    public static let handshakeKeyPadBits = Rule("handshake-key-pad-bits", .note, "RFC 4648 §3.5",
        "The last base64 character of the key carries unused bits that a canonical encoder sets to 0.")
    public static let acceptMismatch = Rule("accept-mismatch", .error, "RFC 6455 §4.2.2",
        "Sec-WebSocket-Accept is base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)).")
}

/// Every rule, in the order Docs/rules.md lists them.
public enum RuleCatalog {
    public static let all: [Rule] = [
        .rsvWithoutExtension, .rsv1WithoutExtension, .reservedOpcode, .controlFrameTooLong,
        .controlFrameFragmented, .nonMinimalLength, .lengthMSBSet, .clientFrameUnmasked, .serverFrameMasked,
        .maskKeyZero, .truncatedFrame,
        .closePayloadOneByte, .invalidCloseCode,
        .invalidUTF8,
        .rsv1OnControlFrame, .rsv1OnContinuation,
        .handshakeKeyNot16Bytes, .handshakeKeyPadBits, .acceptMismatch,
    ]

    /// The rule with this id, if there is one.
    public static func rule(id: String) -> Rule? {
        all.first { $0.id == id }
    }
}

import WSAnalysis
import WSWire

/// The unmasking table of a frame (RFC 6455 §5.3): for each payload byte shown, the masked byte, the key byte it is
/// XORed with (index mod 4), the result, and the character the result belongs to.
public enum Unmasking: Sendable {
    /// MASK=0: nothing to unmask.
    case notMasked
    /// `rows` cover the first bytes of the payload; `remaining` bytes received are not shown.
    case table(key: MaskingKey, rows: [Row], remaining: UInt64)

    public struct Row: Sendable {
        public let index: Int
        public let masked: UInt8
        public let keyByte: UInt8
        /// Which key byte: index mod 4.
        public var keyIndex: Int { index % 4 }
        public let unmasked: UInt8
        public let character: CharacterMark
    }

    init(_ frame: Frame, limit: Int?) {
        guard let key = frame.header.maskingKey else { self = .notMasked; return }
        let plain = frame.payload
        let wire = frame.wirePayload
        let shown = min(plain.count, limit ?? plain.count)
        let marks = CharacterMark.marks(plain, isText: frame.header.opcode == .text || frame.header.opcode == .continuation)
        let rows = (0..<shown).map { Row(index: $0, masked: wire[$0], keyByte: key[$0], unmasked: plain[$0], character: marks[$0]) }
        self = .table(key: key, rows: rows, remaining: frame.payloadReceived - UInt64(shown))
    }
}

/// What one unmasked byte is, as text.
public enum CharacterMark: Hashable, Sendable {
    /// An ASCII byte: printable, or a control character.
    case ascii(UInt8)
    /// The lead byte of a valid multi-byte UTF-8 character of `width` bytes.
    case lead(character: [UInt8], width: Int)
    /// Byte `position` (2…) of a `width`-byte character.
    case continuation(position: Int, width: Int)
    /// In a text payload: a byte that is not part of a valid character here.
    case notUTF8
    /// Binary data: no character.
    case none

    /// For each byte: the character it starts, its place in a multi-byte character, or a note.
    static func marks(_ bytes: [UInt8], isText: Bool) -> [CharacterMark] {
        var marks = Array(repeating: CharacterMark.none, count: bytes.count)
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let width = lead < 0x80 ? 1 : lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
            if width == 1 {
                marks[i] = .ascii(lead)
                i += 1
                continue
            }
            if isText, width > 1, i + width <= bytes.count, UTF8Validator.validate(Array(bytes[i..<(i + width)])) == nil {
                marks[i] = .lead(character: Array(bytes[i..<(i + width)]), width: width)
                for k in 1..<width { marks[i + k] = .continuation(position: k + 1, width: width) }
                i += width
                continue
            }
            if isText { marks[i] = .notUTF8 }
            i += 1
        }
        return marks
    }
}

/// The payload of one frame as a reader wants it: nothing, a close code and reason, text, or bytes.
public enum PayloadShown: Sendable {
    case empty
    /// A close frame's body: the code (nil when the body is one stray byte), the reason bytes.
    case close(code: CloseCode?, strayByte: UInt8?, reason: [UInt8])
    /// Text: the bytes shown (a prefix when `remaining` > 0), whether they are valid UTF-8 (checked frames only).
    case text(shown: [UInt8], total: UInt64, invalidUTF8: Bool, compression: CompressionNote?)
    /// Bytes for a hex dump.
    case bytes(shown: [UInt8], total: UInt64, compression: CompressionNote?)

    /// Why a data payload is DEFLATE data.
    public enum CompressionNote: Sendable {
        /// Part of a compressed message whose inflation is shown in the decompression section.
        case inflatedBelow
        /// RSV1 is set on a data frame: under permessage-deflate, compressed.
        case rsv1Set
    }

    /// Bytes received but not shown (the display limit).
    public var remaining: UInt64 {
        switch self {
        case .text(let shown, let total, _, _), .bytes(let shown, let total, _): total - UInt64(shown.count)
        default: 0
        }
    }

    /// `inMessage` is the frame's place in its message: a continuation is shown as its message's type.
    init(_ frame: Frame, limit: Int?, inflatedBelow: Bool, inMessage: FrameInMessage? = nil) {
        let payload = frame.payload
        let opcode = frame.header.opcode
        if frame.payloadReceived == 0 { self = .empty; return }
        if opcode == .close, let body = frame.close {
            self = .close(code: body.code, strayByte: body.code == nil && body.reasonBytes.count == 1 ? body.reasonBytes[0] : nil,
                          reason: body.reasonBytes)
            return
        }
        let compressed = inflatedBelow || (frame.header.rsv1 && opcode.isData)
        let note: CompressionNote? = inflatedBelow ? .inflatedBelow : compressed ? .rsv1Set : nil
        let continuationAsText = inMessage.map { $0.isText && ($0.text != nil || UTF8Validator.validate(payload) == nil) }
            ?? (UTF8Validator.validate(payload) == nil)
        let asText = !compressed && (opcode == .text
            || (opcode == .continuation && continuationAsText)
            || ((opcode == .ping || opcode == .pong) && Self.isPrintable(payload)))
        let shown = limit.map { Array(payload.prefix($0)) } ?? payload
        if asText {
            self = .text(shown: shown, total: frame.payloadReceived, invalidUTF8: frame.utf8Checked && frame.utf8Failure != nil,
                         compression: note)
        } else {
            self = .bytes(shown: shown, total: frame.payloadReceived, compression: note)
        }
    }

    static func isPrintable(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}

/// How a permessage-deflate message was inflated (RFC 7692 §7.2.2).
public enum DecompressionShown: Sendable {
    /// The frame is a fragment of a compressed message that is inflated at its last frame.
    case fragmentOfLaterMessage
    /// The frame ended a compressed message: its inflation.
    case message(Inflation)

    /// The compressed bytes of all fragments, the tail the receiver appends, and the result.
    public struct Inflation: Sendable {
        /// The first compressed bytes (all, without a limit).
        public let compressedShown: [UInt8]
        public let wireLength: UInt64
        public let frameCount: Int
        /// Nothing came out: inflation failed at once.
        public let failedEmpty: Bool
        /// Some came out, then inflation failed.
        public let stoppedEarly: Bool
        /// The sender left the sync-flush tail `00 00 ff ff` in the payload instead of removing it.
        public let senderKeptTail: Bool
        public let length: UInt64
        /// Compressed size over inflated size.
        public let ratio: Double?
        /// The inflated text, when the message shows as text.
        public let text: String?
        public let textIsCut: Bool
        /// The first inflated bytes, when the message does not show as text.
        public let inflatedShown: [UInt8]

        init(_ message: Message, limit: Int?) {
            compressedShown = limit.map { Array(message.compressedPayload.prefix($0)) } ?? message.compressedPayload
            wireLength = message.wireLength
            frameCount = message.frameCount
            failedEmpty = message.inflateFailed && message.length == 0
            stoppedEarly = message.inflateFailed
            senderKeptTail = message.syncTailKept
            length = message.length
            ratio = message.compressionRatio
            text = message.text
            textIsCut = message.payloadIsCut
            inflatedShown = message.text == nil ? (limit.map { Array(message.payload.prefix($0)) } ?? message.payload) : []
        }
    }
}

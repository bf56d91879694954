import WSWire

/// A message to build (`wsinspect encode`): what it carries, who sends it, its shape — and, on request, the ways it
/// breaks RFC 6455, so that the decoder's findings can be shown on a frame built to break them.
public struct MessageEncoding: Sendable {
    public enum Content: Sendable {
        case text(String)
        case binary([UInt8])
        case ping([UInt8])
        case pong([UInt8])
        /// A close frame: its code (nil: an empty close body) and reason.
        case close(code: UInt16?, reason: String)

        var opcode: Opcode {
            switch self {
            case .text: .text
            case .binary: .binary
            case .ping: .ping
            case .pong: .pong
            case .close: .close
            }
        }

        var payload: [UInt8] {
            switch self {
            case .text(let text): Array(text.utf8)
            case .binary(let bytes), .ping(let bytes), .pong(let bytes): bytes
            case .close(let code, let reason): FrameEncoder.closePayload(code: code, reason: reason)
            }
        }
    }

    public var content: Content
    public var sender: Sender
    /// The masking key of every frame; nil: a fresh random key per frame when the frame is masked.
    public var maskingKey: MaskingKey?
    /// MASK=1 (clients must, servers must not; `--no-mask` on a client, `--mask` on a server break the rule).
    public var masked: Bool
    /// Frames the message is split into (data messages).
    public var fragments = 1
    /// Compress as permessage-deflate without context takeover (RSV1 on the first frame).
    public var deflate = false
    /// Broken on purpose: a longer length form than needed, RSV bits, no FIN on the last frame, another opcode.
    public var lengthForm: LengthForm?
    public var rsv1 = false, rsv2 = false, rsv3 = false
    public var noFin = false
    public var opcode: Opcode?

    public init(content: Content, sender: Sender = .client) {
        self.content = content
        self.sender = sender
        self.masked = sender == .client
    }
}

/// Builds the frames of a message (RFC 6455 §5.4 fragmentation, §5.3 masking, RFC 7692 §7.2.1 compression).
public enum MessageEncoder {
    /// The frames, in order. `randomKey` gives each masked frame its key when none was chosen.
    public static func frames(_ message: MessageEncoding, randomKey: () -> MaskingKey) -> [FrameSpecification] {
        var payload = message.content.payload
        let compress = message.deflate && !message.content.opcode.isControl
        if compress { payload = Deflater().compress(payload) }
        let count = max(1, message.fragments)
        // Split as evenly as possible; the first frames take the remainder.
        var pieces: [[UInt8]] = []
        var start = 0
        for i in 0..<count {
            let size = payload.count / count + (i < payload.count % count ? 1 : 0)
            pieces.append(Array(payload[start..<(start + size)]))
            start += size
        }
        return pieces.enumerated().map { index, piece in
            let last = index == count - 1
            return FrameSpecification(
                fin: last && !message.noFin,
                rsv1: message.rsv1 || (compress && index == 0), rsv2: message.rsv2, rsv3: message.rsv3,
                opcode: index == 0 ? (message.opcode ?? message.content.opcode) : .continuation,
                maskingKey: message.masked ? (message.maskingKey ?? randomKey()) : nil,
                lengthForm: message.lengthForm, payload: piece)
        }
    }

    /// The message's bytes on the wire, frame after frame.
    public static func encode(_ message: MessageEncoding, randomKey: () -> MaskingKey) -> [UInt8] {
        frames(message, randomKey: randomKey).flatMap(FrameEncoder.encode)
    }
}

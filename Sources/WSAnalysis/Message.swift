import WSStream
import WSViews
import WSWire

/// One application message: what its frames carried, joined (and inflated when compressed).
public struct Message: Sendable {
    public let sender: Sender?
    /// Text or binary: the first frame's opcode (never continuation).
    public let opcode: Opcode
    /// Indexes of the first and last frame (as numbered by whoever feeds the assembler; -1 until the first ends).
    public internal(set) var firstFrame = -1
    public internal(set) var lastFrame = -1
    public internal(set) var frameCount = 1
    /// True when RSV1 marked the message as permessage-deflate compressed.
    public let compressed: Bool
    /// Payload bytes on the wire (the compressed size for a compressed message).
    public internal(set) var wireLength: UInt64 = 0
    /// Payload bytes after inflation (equal to `wireLength` when not compressed).
    public internal(set) var length: UInt64 = 0
    /// The (inflated) payload, up to the display limit.
    public internal(set) var payload: [UInt8] = []
    /// The compressed bytes as sent, up to the display limit (kept only when asked for).
    public internal(set) var compressedPayload: [UInt8] = []
    /// True when the last frame had FIN=1.
    public internal(set) var complete = false
    /// True when inflation failed or stopped at the size limit: `payload` is not the whole message.
    public internal(set) var inflateFailed = false
    /// True when bytes of the message were lost from the capture.
    public internal(set) var bytesLost = false
    /// Payload bytes missing from the capture inside the message's frames (0 when none, or when unknown because the
    /// frame boundaries were lost with them).
    public internal(set) var missingBytes: UInt64 = 0
    /// True when `payload` holds the compressed bytes as sent, because they could not be inflated at all (no
    /// handshake was captured, so the agreement and the earlier window are unknown).
    public internal(set) var payloadIsCompressed = false
    /// True when `payload` is shown as text: a text message whose shown bytes are valid UTF-8 (a cut one ends on a
    /// character boundary). Otherwise the payload is shown as bytes.
    public internal(set) var showsAsText = false
    /// True when the payload's encoding is unknown (RSV1 set without an extension that explains it).
    public internal(set) var encodingUnknown = false
    /// Where a text message stops being UTF-8, nil when valid (or not checked).
    public internal(set) var utf8Failure: UTF8Validator.Failure?
    /// What a payload view made of the message (nil without one).
    public internal(set) var view: MessageView?
    /// The compressed payload still ends in the sync-flush tail `00 00 ff ff` that the sender must remove
    /// (`pmd-trailer-not-removed`): the receiver's appended tail then follows a second copy.
    public internal(set) var syncTailKept = false
    /// Findings about the message as a whole (UTF-8 across fragments, inflation, being unfinished).
    public internal(set) var diagnostics: [Diagnostic] = []
    /// Where the first frame's first byte came from.
    public let origin: ByteOrigin

    init(sender: Sender?, opcode: Opcode, compressed: Bool, origin: ByteOrigin) {
        self.sender = sender
        self.opcode = opcode
        self.compressed = compressed
        self.origin = origin
    }

    /// True when `payload` holds less than the whole (inflated) message.
    public var payloadIsCut: Bool {
        payloadIsCompressed ? UInt64(payload.count) < wireLength : (UInt64(payload.count) < length || inflateFailed || bytesLost)
    }

    /// True when `payload` is text known to be valid UTF-8 (a complete text message that passed every check).
    public var hasValidText: Bool {
        opcode == .text && complete && utf8Failure == nil && !inflateFailed && !bytesLost && !encodingUnknown
    }

    /// The payload as text when it is shown as text (cut to a character boundary when the payload was cut).
    public var text: String? {
        guard showsAsText else { return nil }
        return String(decoding: payload[..<textEnd], as: UTF8.self)
    }

    /// Where the shown text ends: the whole payload, or its last character boundary when the payload is cut.
    public var textEnd: Int {
        payloadIsCut ? UTF8Validator.characterBoundary(in: payload, before: payload.count) : payload.count
    }

    /// Compressed size over inflated size, nil when not compressed or empty.
    public var compressionRatio: Double? {
        guard compressed, length > 0 else { return nil }
        return Double(wireLength) / Double(length)
    }
}

extension Message {
    /// Decides whether the finished message's payload is shown as text: a text message whose shown bytes are valid
    /// UTF-8. Messages checked in full on the way in need no more work; the others (cut by a gap, the size limit or an
    /// inflation failure) have the bytes they show checked, up to the last character boundary. A message of unknown
    /// encoding (RSV1 set, no extension that explains it) is shown as bytes: the bit announces a transformation that
    /// nobody agreed on, so its bytes are not known to be text, whatever they look like.
    mutating func decideHowToShow() {
        guard opcode == .text, !payloadIsCompressed, utf8Failure == nil, !encodingUnknown else { return }
        if complete && !inflateFailed && !bytesLost {
            showsAsText = true
        } else {
            showsAsText = payload.withUnsafeBytes { raw in
                var validator = UTF8Validator()
                validator.feed(UnsafeRawBufferPointer(rebasing: raw[..<textEnd]))
                return validator.finish() == nil
            }
        }
    }
}

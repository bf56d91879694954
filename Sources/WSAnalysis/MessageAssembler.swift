import WSWire

/// Joins one direction's frames into messages (RFC 6455 §5.4) and inflates permessage-deflate messages
/// (RFC 7692 §7.2.2): the first frame's opcode is the message's; control frames between fragments do not break it;
/// an empty final fragment ends it; a compressed message's fragments are inflated as one stream, with `00 00 ff ff`
/// appended at its end.
///
/// UTF-8 is checked here only where the frame level cannot: across fragments and after inflation. A single
/// uncompressed text frame was already checked by the `FrameDecoder`, whose verdict is reused.
public struct MessageAssembler {
    public struct Options: Sendable {
        /// Inflated bytes allowed per message (`--max-message-size`); inflation stops there.
        public var maxMessageSize: Int
        /// Message payload bytes kept for display.
        public var displayLimit: Int
        /// Keep the compressed bytes too (for `wsinspect frame --deflate`).
        public var keepCompressed: Bool

        public init(maxMessageSize: Int = 64 << 20, displayLimit: Int = .max, keepCompressed: Bool = false) {
            self.maxMessageSize = maxMessageSize
            self.displayLimit = displayLimit
            self.keepCompressed = keepCompressed
        }
    }

    public let sender: Sender?
    public let deflate: DeflateSettings?
    /// RSV1 may mean "compressed" but the agreement is unknown (no handshake captured): such messages are marked
    /// compressed and left uninflated.
    public let compressionUnknown: Bool
    public let options: Options
    private var inflater: Inflater?
    /// The bit-level walk of the open compressed message (how it ends, RFC 7692 §7.2.1; its back-references against
    /// a window smaller than 32 KiB): running while the message streams by when the window is smaller (every
    /// back-reference must be checked) or the message grew past `walkRetainLimit`; otherwise the message's compressed
    /// bytes are kept in `walkBuffer` and walked at its end only if zlib did not end cleanly between two blocks.
    var walker: DeflateWalker?
    var walkBuffer: [UInt8] = []
    /// Compressed bytes kept for a walk at the end (a message past it is walked as it streams by): twice the largest
    /// window, freed when the message ends (Docs/performance.md).
    static let walkRetainLimit = 64 * 1024
    private var current: Message?
    /// True while the current message's payload is collected here (fragmented or compressed).
    private var collecting = false
    private var validating = false
    private var validator = UTF8Validator()
    /// The last four compressed bytes of the current message (to spot an unremoved sync-flush trailer).
    private var compressedTail: [UInt8] = []
    /// The last three bytes of the text message being validated, and the unfinished character that earlier frames
    /// left for the current one (to show where fragment boundaries cut characters).
    private var textTail: [UInt8] = []
    private var carriedIn: [UInt8] = []
    /// Where the last data frame that `frameEnded` saw stands in its message; nil after a control frame or a frame
    /// that belongs to no message.
    public private(set) var lastFrameInMessage: FrameInMessage?
    /// Messages finished early (interrupted) waiting to be handed out with the next frame end.
    private var pending: [Message] = []
    /// Set after a failure reset the inflater: later messages may fail because of it.
    private var contextLost: String?
    /// Set when compressed bytes this direction's window depends on are missing from the capture: a message that
    /// then fails to inflate may refer back to them, which is the capture's fault, not the sender's.
    private var contextLostToCapture = false
    /// Set after the frame boundaries were lost (or at a mid-stream start): continuation frames before the next text
    /// or binary frame continue a message whose start was not captured, and are no error.
    private var afterGap: Bool
    /// Compressed bytes of the open message not yet inflated. Inflating a few segments' worth at a time, rather than
    /// each TCP segment as it comes, keeps zlib's window and tables in cache when many connections interleave
    /// (Docs/performance.md); the output is the same either way.
    private var backlog: [UInt8] = []
    /// Backlog size that triggers inflation (public so that tests can cross it).
    public static let backlogLimit = 16 * 1024

    /// Output memory for inflation, shared by the assemblers of one capture (see `Inflater`).
    private let inflateScratch: ScratchBuffer?
    /// The payload view's reader of this direction's messages, if one was chosen.
    private let consumer: MessageConsumer?

    /// `startsMidStream`: the stream was first seen mid-stream, so its first frames may continue an earlier message.
    public init(sender: Sender?, deflate: DeflateSettings?, compressionUnknown: Bool = false, options: Options = Options(),
                inflateScratch: ScratchBuffer? = nil, startsMidStream: Bool = false, consumer: MessageConsumer? = nil) {
        self.inflateScratch = inflateScratch
        self.consumer = consumer
        self.afterGap = startsMidStream
        // What came before a mid-stream start (or a lost upgrade request) is part of the window too.
        self.contextLostToCapture = startsMidStream
        self.sender = sender
        self.deflate = deflate
        self.compressionUnknown = compressionUnknown
        self.options = options
    }

    /// True while a message is open (between its first frame's header and its last frame's end).
    public var isOpen: Bool { current != nil }

    /// True while the open message is compressed: the current frame's payload is DEFLATE data.
    public var openMessageIsCompressed: Bool { current?.compressed ?? false }

    /// A frame ended: whether it was (part of) a compressed message, the messages it interrupted, the message it
    /// completed and its place in its message — the session's per-frame questions, answered in one in-place access.
    mutating func endFrame(_ frame: Frame, index: Int, compressed: inout Bool, interrupted: inout [Message],
                           completed: inout Message?, inMessage: inout FrameInMessage?) {
        compressed = frame.header.opcode.isData && openMessageIsCompressed
        if hasInterrupted { interrupted = takeInterrupted() }
        completed = frameEnded(frame, index: index)
        inMessage = lastFrameInMessage
    }

    /// A frame header arrived. Returns findings about this frame's place in the message stream.
    public mutating func frameStarted(_ frame: Frame) -> [Diagnostic] {
        let opcode = frame.header.opcode
        if opcode.isControl { return [] }
        switch opcode {
        case .continuation:
            guard current != nil else {
                if afterGap { return [] }   // it continues a message whose start the capture lost
                return [Diagnostic(.unexpectedContinuation, "A continuation frame arrived with no fragmented message open; there is nothing for it to continue.")]
            }
            current!.frameCount += 1
            carriedIn = validating ? TextSplit.openCharacter(atEndOf: textTail) : []
            return []
        case .text, .binary:
            afterGap = false
            var found: [Diagnostic] = []
            if current != nil {
                inflateBacklog()
                var open = current.take()!
                found.append(Diagnostic(.dataFrameDuringFragmentedMessage,
                    "A new \(opcode.name) frame started while a fragmented \(open.opcode.name) message (from frame #\(open.firstFrame)) was still open; messages cannot interleave."))
                open.diagnostics.append(Diagnostic(.messageUnfinished, "This message never got its final fragment: a new data frame interrupted it."))
                pending.append(finishInflation(consume open, complete: false))
            }
            start(frame)
            return found
        default:
            return []   // reserved data opcodes: flagged at the frame level, not assembled
        }
    }

    private mutating func start(_ frame: Frame) {
        let compressed = frame.header.rsv1 && (deflate != nil || compressionUnknown)
        current = Message(sender: sender, opcode: frame.header.opcode, compressed: compressed, origin: frame.origin)
        current!.encodingUnknown = frame.header.rsv1 && !compressed
        if compressed && deflate == nil {
            // Cannot inflate without the agreement: the compressed bytes are kept as sent.
            current!.inflateFailed = true
            current!.payloadIsCompressed = true
        }
        collecting = compressed || !frame.header.fin
        consumer?.messageStarted(opcode: frame.header.opcode)
        validating = frame.header.opcode == .text && collecting && !(frame.header.rsv1 && !compressed)
        validator = UTF8Validator()
        compressedTail.removeAll(keepingCapacity: true)
        textTail.removeAll(keepingCapacity: true)
        carriedIn.removeAll(keepingCapacity: true)
        walker = nil
        if compressed, let deflate {
            if deflate.windowBits < 15 { walker = DeflateWalker(windowBits: deflate.windowBits, outputLimit: options.maxMessageSize) }
            if inflater == nil || inflater!.windowBits != deflate.windowBits {
                inflater = Inflater(windowBits: deflate.windowBits, output: inflateScratch ?? ScratchBuffer(capacity: 64 * 1024))
            }
            if deflate.noContextTakeover || inflater!.streamEnded {
                inflater!.reset()
                contextLostToCapture = false   // this message starts from an empty window: nothing earlier matters
            }
        }
    }

    /// Unmasked payload bytes of the frame being read (whose header is given).
    public mutating func payload(_ bytes: UnsafeRawBufferPointer, header: FrameHeader) {
        let opcode = header.opcode
        guard current != nil, opcode == .continuation || opcode == .text || opcode == .binary else { return }
        // The open message is updated in place: it is never copied on this per-chunk path.
        current!.wireLength &+= UInt64(bytes.count)
        if let consumer, !current!.compressed, !current!.bytesLost { consumer.messagePayload(bytes) }
        guard collecting else { return }
        if current!.compressed {
            if options.keepCompressed { keep(bytes, in: &current!.compressedPayload) }
            if current!.payloadIsCompressed, !current!.bytesLost { keep(bytes, in: &current!.payload) }
            compressedTail.append(contentsOf: bytes.suffix(4))
            if compressedTail.count > 4 { compressedTail.removeFirst(compressedTail.count - 4) }
            if !current!.bytesLost { walk(bytes) }
            if !current!.inflateFailed && !current!.bytesLost { queueForInflation(bytes) }
        } else {
            takeIntoCurrent(bytes)
        }
    }

    /// `count` payload bytes of the current frame (whose header is given) are missing from the capture: the message
    /// is shown as far as the gap, and neither inflated nor checked beyond it.
    public mutating func payloadLost(_ count: UInt64, header: FrameHeader) {
        let opcode = header.opcode
        guard current != nil, opcode == .continuation || opcode == .text || opcode == .binary else { return }
        inflateBacklog()   // the bytes before the gap are good
        walker = nil
        walkBuffer = []
        if !current!.bytesLost { consumer?.messageLost(count) }
        current!.bytesLost = true
        current!.missingBytes &+= count
        if current!.compressed { contextLostToCapture = true }
    }

    /// The frame boundaries of this direction were lost in a capture gap: the open message (if any) is handed out,
    /// shown as far as it was captured, and continuation frames are no error until the next message starts.
    public mutating func boundariesLost() -> Message? {
        afterGap = true
        // A whole compressed message may have been in the gap: the window no longer matches the sender's. It starts
        // empty, so that a message referring back to lost bytes fails to inflate instead of inflating to wrong text.
        if deflate != nil {
            contextLostToCapture = true
            inflater?.reset()
        }
        guard current != nil else { return nil }
        inflateBacklog()
        var message = current.take()!
        message.bytesLost = true
        message.diagnostics.append(Diagnostic(.captureGap,
            "The rest of this message was lost with its frame boundaries in a capture gap; it is shown as far as it was captured."))
        return finishInflation(consume message, complete: false)
    }

    /// True when a message was cut short by a new one (`takeInterrupted()` hands it out).
    public var hasInterrupted: Bool { !pending.isEmpty }

    /// Messages that a new data frame interrupted, in order.
    public mutating func takeInterrupted() -> [Message] {
        defer { pending.removeAll() }
        return pending
    }

    /// The frame ended: the message it completed, if any. (Check `hasInterrupted` for messages cut short before.)
    public mutating func frameEnded(_ frame: Frame, index: Int) -> Message? {
        let opcode = frame.header.opcode
        lastFrameInMessage = nil
        guard current != nil, opcode == .continuation || opcode == .text || opcode == .binary else { return nil }
        if current!.firstFrame < 0 { current!.firstFrame = index }
        current!.lastFrame = index
        let lost = frame.payloadLost > 0 || !frame.isComplete
        if lost || frame.header.fin { inflateBacklog() }
        if lost { current!.bytesLost = true }
        lastFrameInMessage = place(of: frame)
        guard frame.header.fin, var message = current.take() else { return nil }
        if !collecting {
            // A whole uncompressed message in one frame: the frame already holds and checked it.
            message.payload = frame.payload
            message.length = frame.payloadReceived
            message.utf8Failure = frame.utf8Failure
            message.encodingUnknown = frame.header.rsv1
        }
        let complete = frame.isComplete && !message.bytesLost
        return finishInflation(message, complete: complete)
    }

    /// Where a data frame of the open message stands in it: the message's type and, while the message is uncompressed
    /// text that is valid UTF-8 so far, the characters its boundaries cut.
    private func place(of frame: Frame) -> FrameInMessage {
        let message = current!
        guard validating, validator.isValidSoFar, !message.bytesLost else {
            return FrameInMessage(opcode: message.opcode, text: nil, encodingUnknown: message.encodingUnknown)
        }
        let count = Int(frame.payloadReceived)
        let open = TextSplit.openCharacter(atEndOf: textTail)
        let continuing = carriedIn.isEmpty ? 0 : min(count, TextSplit.widthOfCharacter(startingWith: carriedIn[0]) - carriedIn.count)
        return FrameInMessage(opcode: message.opcode,
                              text: TextSplit(carried: carriedIn, continuing: continuing, leftOpen: min(open.count, count)))
    }

    /// The frame ended: the messages it completed, in order (a convenience for callers that want an array).
    public mutating func messagesEnded(by frame: Frame, index: Int) -> [Message] {
        var done = takeInterrupted()
        if let message = frameEnded(frame, index: index) { done.append(message) }
        return done
    }

    /// The sender sent Close or the stream ended: an open message never finished. `bySender`: its sender ended it
    /// (Close, FIN, RST: `message-unfinished`); otherwise the input simply stops there (`input-ended`, no blame).
    public mutating func finish(because reason: String, bySender: Bool = true) -> Message? {
        guard current != nil else { return nil }
        inflateBacklog()
        var message = current.take()!
        message.diagnostics.append(bySender
            ? Diagnostic(.messageUnfinished, "This message never got its final fragment: \(reason).")
            : Diagnostic(.inputEnded, "This message is still open where the input stops (\(reason)); its last fragment may simply not be there."))
        return finishInflation(consume message, complete: false)
    }

    // MARK: - Payload handling

    /// Adds plain (or inflated) bytes to the open message.
    private mutating func takeIntoCurrent(_ plain: UnsafeRawBufferPointer) {
        current!.length &+= UInt64(plain.count)
        if let consumer, current!.compressed { consumer.messagePayload(plain) }   // (uncompressed bytes went already)
        let limit = min(options.displayLimit, options.maxMessageSize)
        // Bytes after a gap are not joined to those before it: the payload shown is what precedes the first gap.
        if current!.payload.count < limit && !current!.bytesLost {
            current!.payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: plain.prefix(limit - current!.payload.count)))
        }
        if validating {
            validator.feed(plain)
            textTail.append(contentsOf: plain.suffix(3))
            if textTail.count > 3 { textTail.removeFirst(textTail.count - 3) }
        }
    }

    private func keep(_ bytes: UnsafeRawBufferPointer, in buffer: inout [UInt8]) {
        let limit = min(options.displayLimit, options.maxMessageSize)
        if buffer.count < limit {
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(limit - buffer.count)))
        }
    }

    /// Collects compressed bytes of the open message; inflates them once enough are waiting.
    private mutating func queueForInflation(_ compressed: UnsafeRawBufferPointer) {
        if backlog.isEmpty && compressed.count >= Self.backlogLimit {
            inflateIntoCurrent(compressed)
            return
        }
        backlog.append(contentsOf: compressed)
        if backlog.count >= Self.backlogLimit { inflateBacklog() }
    }

    /// Inflates what the backlog holds (called before anything that depends on the inflated output).
    private mutating func inflateBacklog() {
        guard !backlog.isEmpty else { return }
        if !current!.inflateFailed && !current!.bytesLost {
            backlog.withUnsafeBytes { inflateIntoCurrent($0) }
        }
        backlog.removeAll(keepingCapacity: true)
    }

    /// Inflates compressed bytes of the open message straight out of zlib's buffer (no intermediate copy).
    private mutating func inflateIntoCurrent(_ compressed: UnsafeRawBufferPointer) {
        guard let inflater else { return }
        let budget = max(0, options.maxMessageSize - Int(current!.length))
        do {
            _ = try inflater.inflate(compressed, budget: budget) { piece in
                takeIntoCurrent(piece)
            }
        } catch {
            fail(error)
        }
    }

    /// Records an inflation failure on the open message and resets the inflater.
    private mutating func fail(_ failure: Inflater.Failure) {
        current!.inflateFailed = true
        inflater?.reset()
        let consequence = deflate?.noContextTakeover == true
            ? "The inflater starts afresh with the next message (no context takeover), so later messages are unaffected."
            : "The inflater was reset, so the next messages of this direction start from an empty window; any that refer back to earlier messages will fail too."
        switch failure {
        case .limitReached:
            current!.diagnostics.append(Diagnostic(.messageSizeLimit,
                "Inflating stopped at \(counted(options.maxMessageSize, "byte")) (--max-message-size); the rest of this message is not shown. \(consequence)"))
            contextLost = "message from frame #\(current!.firstFrame) passed --max-message-size"
        case .corrupt(let reason):
            let tooFar = reason.contains("too far back")
            let rule: Rule
            var explanation = "zlib says \"\(reason)\"."
            if tooFar, deflate?.noContextTakeover == true {
                rule = .pmdContextTakeoverViolated
                explanation += " The message refers back to bytes before its own start, although no_context_takeover was agreed for this direction."
            } else if tooFar, let bits = deflate?.windowBits, bits < 15 {
                rule = .pmdWindowExceeded
                explanation += " A back-reference reaches further than the agreed window of \(1 << bits) bytes (max_window_bits=\(bits))."
            } else {
                rule = .pmdInflateFailed
                if let lost = contextLost { explanation += " (Earlier, the context was lost: \(lost).)" }
            }
            if contextLostToCapture && deflate?.noContextTakeover != true {
                // The window lacks bytes the capture lost: the sender cannot be blamed for what it refers back to.
                current!.diagnostics.append(Diagnostic(.captureGap,
                    "This compressed message does not inflate (zlib says \"\(reason)\"): earlier compressed bytes of this direction are missing from the capture, and with context takeover the message may refer back to them. What inflated before the failure is shown."))
                contextLost = "message from frame #\(current!.firstFrame) failed to inflate"
                return
            }
            current!.diagnostics.append(Diagnostic(rule, "This compressed message does not inflate: \(explanation) \(consequence)"))
            contextLost = "message from frame #\(current!.firstFrame) failed to inflate"
        }
    }

    private mutating func finishInflation(_ message: consuming Message, complete: Bool) -> Message {
        // Between messages a direction holds no backlog memory (hundreds of idle connections would add up).
        if backlog.capacity > 4096 { backlog = [] }
        message.complete = complete
        if message.compressed && complete {
            if message.wireLength == 0 {
                message.diagnostics.append(Diagnostic(.pmdEmptyCompressedPayload,
                    "The message is marked compressed (RSV1) but carries no bytes; an empty message compresses to the single byte 00."))
            }
            if compressedTail == [0x00, 0x00, 0xFF, 0xFF] {
                message.syncTailKept = true
                message.diagnostics.append(Diagnostic(.pmdTrailerNotRemoved,
                    "The compressed payload still ends in 00 00 ff ff; the sender must remove that sync-flush trailer (the receiver appends it)."))
            }
            if !message.inflateFailed && !message.bytesLost {
                current = message
                let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
                tail.withUnsafeBytes { inflateIntoCurrent($0) }
                message = current.take()!
            }
            if !message.bytesLost, let walk = finishWalk(cleanEnd: inflater?.endedAtBlockBoundary ?? false, inflated: !message.inflateFailed) {
                message.diagnostics += walkDiagnostics(walk, message: message)
            }
            if deflate?.noContextTakeover == true { inflater?.reset() }
        } else if message.compressed {
            inflater?.reset()   // an unfinished compressed message leaves the window in an unknown state
        }
        walker = nil
        if !walkBuffer.isEmpty { walkBuffer.removeAll(keepingCapacity: walkBuffer.capacity <= 4096) }
        if validating && complete && !message.inflateFailed && !message.bytesLost {
            if let failure = validator.finish() {
                message.utf8Failure = failure
                let where_ = message.compressed ? "after inflation" : "across its \(message.frameCount) fragments"
                message.diagnostics.append(Diagnostic(.invalidUTF8,
                    "This text message is not valid UTF-8 \(where_), at byte \(failure.offset) of the message (\(failure.kind.rawValue)): \(failure.explanation).",
                    at: .payloadBytes(failure.offset..<failure.badByteOffset + 1),
                    section: Rule.textUTF8Section))
            }
        }
        message.decideHowToShow()
        if let consumer { message.view = consumer.messageEnded(message) }
        return message
    }
}

import WSStream
/// Receives what a `FrameDecoder` finds, in stream order.
public protocol FrameSink {
    /// A complete header arrived; `frame` has no payload yet but carries the header's diagnostics.
    mutating func frameDidStart(_ frame: Frame)
    /// Unmasked payload bytes of the current frame (whose header is given), `payloadOffset` being the position of the
    /// first one.
    mutating func frameDidReceive(payload: UnsafeRawBufferPointer, header: FrameHeader, at payloadOffset: UInt64)
    /// The frame is complete, or was cut off by `FrameDecoder.finish` (then it carries `truncated-frame`).
    mutating func frameDidEnd(_ frame: consuming Frame)
    /// The input ended inside a frame header.
    mutating func headerWasTruncated(_ truncation: TruncatedHeader)
    /// `count` payload bytes of the current frame (whose header is given) are missing from the capture; the frame
    /// goes on after them.
    mutating func frameDidLosePayload(_ count: UInt64, header: FrameHeader)
}

extension FrameSink {
    public mutating func frameDidStart(_ frame: Frame) {}
    public mutating func frameDidReceive(payload: UnsafeRawBufferPointer, header: FrameHeader, at payloadOffset: UInt64) {}
    public mutating func headerWasTruncated(_ truncation: TruncatedHeader) {}
    public mutating func frameDidLosePayload(_ count: UInt64, header: FrameHeader) {}
}

/// Turns a byte stream into `Frame`s: parses headers incrementally, unmasks payloads, keeps up to `payloadLimit`
/// bytes of each for display, checks the frame-level rules, parses close bodies and validates the UTF-8 of
/// single-frame text messages. Every byte is looked at once.
public struct FrameDecoder {
    public struct Options: Hashable, Sendable {
        /// Payload bytes kept per data frame for display; control frames always keep their (at most 125) bytes.
        public var payloadLimit: Int

        public init(payloadLimit: Int = .max) {
            self.payloadLimit = payloadLimit
        }
    }

    public var context: FrameRuleContext
    public let options: Options
    private var parser = FrameParser()
    private var current: Frame?
    /// `current`'s header, nil with it: the per-chunk checks read this plain value, since testing or reading
    /// `current` itself copies the whole frame (and counts references to its arrays) each time.
    private var currentHeader: FrameHeader?
    /// `current!.payload.count`, for the same reason.
    private var keptBytes = 0
    private var validator = UTF8Validator()
    private var headerOrigin = ByteOrigin.none
    /// The header in progress: how many packets delivered its bytes, and the last of them.
    private var headerPackets = 0
    private var lastHeaderOrigin = ByteOrigin.none
    /// The frame in progress: the last packet that delivered its bytes, and how many did (written into the frame when
    /// it ends; kept here so that the per-chunk check does not reach into the frame).
    private var frameLastOrigin = ByteOrigin.none
    private var frameSegments = 1
    /// False once a gap cut the current frame's payload: later bytes are not kept for display.
    private var keepingPayload = true
    /// True while the current frame's UTF-8 is being validated.
    private var checkingUTF8 = false
    /// The masking key of the previous frame (to spot one used again: `mask-key-reused`).
    private var previousKey: MaskingKey?
    private let scratch: ScratchBuffer

    /// `scratch` may be shared by everything used on one thread (a capture's connections share one).
    public init(context: FrameRuleContext = FrameRuleContext(), options: Options = Options(),
                scratch: ScratchBuffer = ScratchBuffer()) {
        self.context = context
        self.options = options
        self.scratch = scratch
    }

    /// Where the decoder stands inside the current frame.
    public var progress: FrameParserProgress { parser.progress }

    /// Bytes consumed so far.
    public var streamOffset: UInt64 { parser.streamOffset }

    /// The frame whose payload is being read, if any.
    public var currentFrame: Frame? { current }

    /// Where the unfinished frame or header began, nil between frames.
    public var pendingOrigin: ByteOrigin? {
        if let current { return current.origin }
        if case .header = parser.progress { return headerOrigin }
        return nil
    }

    /// Decodes the next chunk; `origin` says where these bytes came from.
    public mutating func feed<S: FrameSink>(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin, into sink: inout S) {
        var index = 0
        // A header begun in an earlier packet goes on in this one.
        if !bytes.isEmpty, currentHeader == nil, case .header = parser.progress, origin.packet != lastHeaderOrigin.packet {
            headerPackets += 1
            lastHeaderOrigin = origin
        }
        while true {
            if currentHeader == nil, parser.progress == .atBoundary {
                headerOrigin = origin
                lastHeaderOrigin = origin
                headerPackets = 1
            }
            switch parser.next(bytes, index: &index) {
            case .needMore:
                return
            case .header(let header, let offset):
                startFrame(header, offset: offset, into: &sink)
            case .payload(let range, let payloadOffset):
                if origin.packet != frameLastOrigin.packet {
                    frameSegments += 1
                    frameLastOrigin = origin
                }
                receive(UnsafeRawBufferPointer(rebasing: bytes[range]), at: payloadOffset, into: &sink)
            case .frameEnd:
                endFrame(into: &sink, chunkGoesOn: index < bytes.count)
            }
        }
    }

    /// Decodes bytes held in an array.
    public mutating func feed<S: FrameSink>(_ bytes: [UInt8], origin: ByteOrigin = .none, into sink: inout S) {
        bytes.withUnsafeBytes { feed($0, origin: origin, into: &sink) }
    }

    /// Why a frame ends early.
    public enum Truncation: Sendable {
        /// The input ended (pasted bytes, or a capture with no word on why): nobody is blamed (`input-ended`).
        case endOfInput
        /// The stream stopped for a reason that is not its sender's (the capture ended, the peer reset the
        /// connection), said in words: nobody is blamed (`input-ended`).
        case cutOff(String)
        /// The sender closed (FIN) or reset (RST) its stream inside the frame, said in words: the frame never
        /// finished (`truncated-frame`).
        case closedBySender(String)
        /// Bytes were lost from the capture; decoding resumes elsewhere.
        case captureGap(UInt64)
        /// The layer below delivers nothing more of this direction (decryption stopped); the reason is reported there.
        case inputStopped
    }

    /// Payload bytes of the current frame still to come, nil between frames or inside a header.
    public var remainingPayload: UInt64? { parser.remainingPayload }

    /// Accounts for `count` bytes lost from a capture inside the current frame's payload; the frame goes on after
    /// them (and ends right after them when they were its last bytes). False when the gap reaches past the frame.
    public mutating func skipPayload<S: FrameSink>(_ count: UInt64, into sink: inout S) -> Bool {
        guard var frame = current, parser.skipPayload(count) else { return false }
        frame.payloadLost &+= count
        frame.utf8Checked = false
        if frame.payloadLost == count {   // one note per frame, however many gaps
            frame.diagnostics.append(Diagnostic(.captureGap,
                "\(count) byte\(count == 1 ? " is" : "s are") missing from the capture inside this frame's payload; the frame goes on after the gap, and only the bytes before it are shown."))
        }
        current = frame
        keepingPayload = false
        checkingUTF8 = false
        sink.frameDidLosePayload(count, header: frame.header)
        if parser.remainingPayload == 0 {
            var index = 0
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            if case .frameEnd = parser.next(empty, index: &index) { endFrame(into: &sink) }
        }
        return true
    }

    /// Ends the input. A frame cut short is delivered with `truncated-frame`; a partial header is reported.
    /// Returns true when something was truncated.
    @discardableResult
    public mutating func finish<S: FrameSink>(into sink: inout S, because cause: Truncation = .endOfInput) -> Bool {
        defer { reset(at: parser.streamOffset) }
        switch parser.progress {
        case .atBoundary:
            return false
        case .header(_, let need, let offset):
            let have = Array(parser.pendingHeader)
            var truncation = TruncatedHeader(offset: offset, bytes: have, needed: need, origin: headerOrigin)
            switch cause {
            case .endOfInput:
                truncation.diagnostic = Diagnostic(.inputEnded, "The input ends inside a frame header: \(truncation.missing).")
            case .cutOff(let why):
                truncation.diagnostic = Diagnostic(.inputEnded, "This frame header is cut off because \(why): \(truncation.missing); its sender is not blamed.")
            case .closedBySender(let why):
                truncation.diagnostic = Diagnostic(.truncatedFrame, "This frame header never finished: \(why) inside it (\(truncation.missing)).")
            case .captureGap(let lost):
                truncation.diagnostic = Diagnostic(.captureGap, "\(counted(lost, "byte")) \(lost == 1 ? "is" : "are") missing from the capture from inside this frame header on: \(truncation.missing).")
            case .inputStopped:
                truncation.diagnostic = Diagnostic(.captureGap, "The rest of this frame header could not be read (the layer below stopped, see its finding): \(truncation.missing).")
            }
            sink.headerWasTruncated(truncation)
            return true
        case .payload:
            guard var frame = current else { return false }
            // A cut frame's text is shown only when what arrived is valid so far (its end may split a character).
            if checkingUTF8 && !validator.isValidSoFar { frame.utf8Checked = false }
            switch cause {
            case .endOfInput:
                frame.diagnostics.append(Diagnostic(.inputEnded, "The input ends inside this frame: \(frame.missingDescription)."))
            case .cutOff(let why):
                frame.diagnostics.append(Diagnostic(.inputEnded,
                    "This frame is cut off because \(why): \(frame.missingDescription); its sender is not blamed."))
            case .closedBySender(let why):
                frame.diagnostics.append(Diagnostic(.truncatedFrame, "This frame never finished: \(why) inside it (\(frame.missingDescription))."))
            case .captureGap(let lost):
                frame.diagnostics.append(Diagnostic(.captureGap,
                    "\(counted(lost, "byte")) \(lost == 1 ? "is" : "are") missing from the capture from inside this frame on: \(frame.missingDescription); the frame is shown with what was captured."))
            case .inputStopped:
                frame.diagnostics.append(Diagnostic(.captureGap,
                    "The rest of this frame could not be read (the layer below stopped, see its finding): \(frame.missingDescription); the frame is shown with what was read."))
            }
            current = nil
            currentHeader = nil
            frame.lastOrigin = frameLastOrigin
            frame.segments = frameSegments
            sink.frameDidEnd(consume frame)
            return true
        }
    }

    /// Forgets any partial frame and treats `offset` as the start of a new frame (after a gap in the stream).
    /// Returns the frame that was in progress, if any, so the caller can report it.
    @discardableResult
    public mutating func reset(at offset: UInt64) -> Frame? {
        let abandoned = current
        current = nil
        currentHeader = nil
        previousKey = nil
        validator = UTF8Validator()
        parser.reset(at: offset)
        return abandoned
    }

    // MARK: - Steps

    private mutating func startFrame<S: FrameSink>(_ header: FrameHeader, offset: UInt64, into sink: inout S) {
        // Built here, shown to the sink, then moved into `current` (where it is only ever changed in place).
        var frame = Frame(header: header, offset: offset, origin: headerOrigin,
                          diagnostics: FrameRules.check(header, context: context))
        currentHeader = header
        if let key = header.maskingKey {
            // A zero key is reported as such (mask-key-zero), each time.
            if key == previousKey && !key.isZero {
                frame.diagnostics.append(Diagnostic(.maskKeyReused,
                    "The masking key \(key.hex) is the one of the previous frame; a client picks a fresh, unpredictable key for every frame."))
            }
            previousKey = key
        } else {
            previousKey = nil
        }
        frameLastOrigin = lastHeaderOrigin
        frameSegments = headerPackets
        checkingUTF8 = FrameRules.checksUTF8(header, context: context)
        frame.utf8Checked = checkingUTF8
        if checkingUTF8 { validator = UTF8Validator() }
        let limit = keepLimit(for: header)
        // Reserve for small payloads only: a declared length is a claim, not a promise (2^63 must cost nothing).
        let expected = min(UInt64(limit), header.payloadLength, 1 << 16)
        if expected > 0 { frame.payload.reserveCapacity(Int(expected)) }
        keepingPayload = true
        keptBytes = 0
        sink.frameDidStart(frame)
        current = consume frame
    }

    private func keepLimit(for header: FrameHeader) -> Int {
        header.opcode.isControl ? max(options.payloadLimit, 125) : options.payloadLimit
    }

    private mutating func receive<S: FrameSink>(_ wire: UnsafeRawBufferPointer, at payloadOffset: UInt64, into sink: inout S) {
        guard let header = currentHeader else { return }
        let limit = keepLimit(for: header)
        if let key = header.maskingKey {
            // Unmask through scratch memory that can be shared by every decoder on a thread, so that it stays in
            // cache: a buffer per decoder (one per connection direction) is cold when its connection's next packet comes.
            let buffer = scratch.bytes
            var done = 0
            while done < wire.count {
                let n = min(buffer.count, wire.count - done)
                let piece = UnsafeRawBufferPointer(rebasing: wire[done..<(done + n)])
                let position = payloadOffset &+ UInt64(done)
                key.apply(to: piece, into: buffer, payloadOffset: position)
                consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), header: header, at: position, limit: limit, into: &sink)
                done += n
            }
        } else {
            consume(wire, header: header, at: payloadOffset, limit: limit, into: &sink)
        }
    }

    /// Takes unmasked payload bytes in; the frame in progress is updated in place (never copied).
    private mutating func consume<S: FrameSink>(
        _ plain: UnsafeRawBufferPointer, header: FrameHeader, at payloadOffset: UInt64, limit: Int, into sink: inout S
    ) {
        if keepingPayload, keptBytes < limit {
            let piece = UnsafeRawBufferPointer(rebasing: plain.prefix(limit - keptBytes))
            current!.payload.append(contentsOf: piece)
            keptBytes += piece.count
        }
        if checkingUTF8 { validator.feed(plain) }
        current!.payloadReceived &+= UInt64(plain.count)
        sink.frameDidReceive(payload: plain, header: header, at: payloadOffset)
    }

    /// `chunkGoesOn`: the chunk that brought the frame's last byte has more bytes after it.
    private mutating func endFrame<S: FrameSink>(into sink: inout S, chunkGoesOn: Bool = false) {
        guard var frame = current.take() else { return }
        currentHeader = nil
        frame.chunkGoesOn = chunkGoesOn
        if checkingUTF8, let failure = validator.finish() {
            frame.utf8Failure = failure
            frame.diagnostics.append(Diagnostic(.invalidUTF8,
                "This text frame is not valid UTF-8 at payload byte \(failure.offset) (\(failure.kind.rawValue)): \(failure.explanation).",
                at: .payloadBytes(failure.offset..<failure.badByteOffset + 1),
                section: Rule.textUTF8Section))
        }
        if frame.header.opcode == .close, frame.isComplete, !frame.payloadIsCut {
            let (body, found) = CloseBody.parse(frame.payload)
            frame.close = body
            frame.diagnostics.append(contentsOf: found)
        }
        frame.lastOrigin = frameLastOrigin
        frame.segments = frameSegments
        sink.frameDidEnd(frame)
    }
}

/// Scratch memory for one step of work: masked payload bytes are unmasked into it before a `FrameDecoder` passes them
/// on, and an inflater writes its output into it. Everything used on one thread may share one (so that it stays in
/// cache and memory does not grow with the number of connections); things used concurrently must not.
public final class ScratchBuffer {
    public let bytes: UnsafeMutableRawBufferPointer

    public init(capacity: Int = 16 * 1024) {
        bytes = .allocate(byteCount: max(capacity, 64), alignment: 16)
    }

    deinit { bytes.deallocate() }
}

/// A sink that keeps every frame and truncated header, for pasted bytes and tests.
public struct FrameCollector: FrameSink {
    public private(set) var frames: [Frame] = []
    public private(set) var truncatedHeader: TruncatedHeader?

    public init() {}

    public mutating func frameDidEnd(_ frame: consuming Frame) { frames.append(frame) }
    public mutating func headerWasTruncated(_ truncation: TruncatedHeader) { truncatedHeader = truncation }

    /// Decodes a whole buffer at once.
    public static func decode(_ bytes: [UInt8], context: FrameRuleContext = FrameRuleContext(),
                              options: FrameDecoder.Options = .init()) -> FrameCollector {
        var decoder = FrameDecoder(context: context, options: options)
        var collector = FrameCollector()
        decoder.feed(bytes, into: &collector)
        decoder.finish(into: &collector)
        return collector
    }
}

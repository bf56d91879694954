import WSStream
import WSWire

/// Receives what one direction's WebSocket stream finds (`sender` is nil for pasted frames of an unknown sender).
protocol WebSocketStreamDelegate: AnyObject {
    func webSocketFrameStarted(_ frame: Frame, from sender: Sender?)
    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, header: FrameHeader, at offset: UInt64, from sender: Sender?)
    /// Payload bytes of the current frame are missing from the capture (the frame goes on after them).
    func webSocketPayloadLost(_ count: UInt64, header: FrameHeader, from sender: Sender?)
    func webSocketFrame(_ frame: consuming Frame, from sender: Sender?)
    func webSocketIncompleteHeader(_ truncation: TruncatedHeader, from sender: Sender?)
    /// The frame boundaries of this direction are lost at `offset`: whatever was in progress cannot be finished.
    func webSocketLostBoundaries(at offset: UInt64, from sender: Sender?)
    /// A search for a boundary ended: found, or given up at a gap or the end of the stream.
    func webSocketResynchronised(_ episode: ResyncEpisode, from sender: Sender?)
}

/// One direction of a WebSocket connection: frames through the WSWire decoder, with recovery from capture gaps.
///
/// A gap inside a frame's payload is stepped over (the frame keeps its boundary and masking phase). A gap that
/// swallows a header loses the boundaries: the bytes after it are held by a `BoundarySearch` until a boundary is
/// proven (or skipped when none can be), so that no frame is ever decoded from an unproven position. After such a
/// resynchronisation the stream is on probation for `probationFrames` frames: each header is checked before its bytes
/// reach the decoder, and an implausible one means the boundary was wrong (or the peer broke the protocol right
/// after the gap); either way the stream searches again instead of reporting garbage.
struct WebSocketStream {
    struct Adapter: FrameSink {
        // The session owns its streams, so it outlives them: no reference counting on the per-chunk path. The
        // reference is `Unmanaged` and lent to each call (`_withUnsafeGuaranteedRef`): an `unowned(unsafe)` one is
        // retained and released around every call, with atomic operations that `-assume-single-threaded` misses
        // (Docs/performance.md).
        let session: Unmanaged<WebSocketSession>
        let sender: Sender?

        /// The session, for the rare calls (lost and found boundaries).
        var delegate: WebSocketSession { session.takeUnretainedValue() }

        init(delegate: WebSocketSession, sender: Sender?) {
            self.session = Unmanaged.passUnretained(delegate)
            self.sender = sender
        }

        func frameDidStart(_ frame: Frame) {
            session._withUnsafeGuaranteedRef { $0.webSocketFrameStarted(frame, from: sender) }
        }
        func frameDidReceive(payload: UnsafeRawBufferPointer, header: FrameHeader, at payloadOffset: UInt64) {
            session._withUnsafeGuaranteedRef { $0.webSocketPayload(payload, header: header, at: payloadOffset, from: sender) }
        }
        func frameDidEnd(_ frame: consuming Frame) {
            session.takeUnretainedValue().webSocketFrame(frame, from: sender)
        }
        func headerWasTruncated(_ truncation: TruncatedHeader) {
            session._withUnsafeGuaranteedRef { $0.webSocketIncompleteHeader(truncation, from: sender) }
        }
        func frameDidLosePayload(_ count: UInt64, header: FrameHeader) {
            session._withUnsafeGuaranteedRef { $0.webSocketPayloadLost(count, header: header, from: sender) }
        }
    }

    enum Mode {
        /// Boundaries are known: bytes go straight to the decoder.
        case direct
        /// Boundaries were proven after a resynchronisation: headers are checked before the decoder sees them.
        case probation
        /// Boundaries are lost: bytes are held until one is proven.
        case searching
    }

    /// Frames whose headers are checked after a resynchronisation before the stream is trusted again.
    static let probationFrames = 64

    let sender: Sender?
    private var decoder: FrameDecoder
    private var adapter: Adapter
    let expectation: FrameBoundary.Expectation
    /// Offset in this direction's byte stream of the next byte.
    private(set) var position: UInt64
    private(set) var mode: Mode
    private var search: BoundarySearch
    /// Stream offset of the search's first byte, and why it searches.
    private var episodeStart: UInt64
    private var episodeCause: ResyncEpisode.Cause
    /// Probation: where the next header starts, the bytes of it seen so far, and how many more headers to check.
    private var nextHeader: UInt64 = 0
    private var pendingHeader: [UInt8] = []
    private var pendingHeaderOrigin = ByteOrigin.none
    private var probationLeft = 0
    private(set) var frameBytes: UInt64 = 0
    private(set) var skippedBytes: UInt64 = 0

    /// `startOffset` is the stream offset of the first WebSocket byte; `resynchronise` starts by looking for a frame
    /// boundary (for connections first seen mid-stream).
    init(sender: Sender?, context: FrameRuleContext, options: FrameDecoder.Options, delegate: WebSocketSession,
         startOffset: UInt64, resynchronise: Bool, searchCause: ResyncEpisode.Cause = .midStream, allowRSV1: Bool,
         scratch: ScratchBuffer = ScratchBuffer()) {
        self.sender = sender
        self.decoder = FrameDecoder(context: context, options: options, scratch: scratch)
        self.adapter = Adapter(delegate: delegate, sender: sender)
        self.expectation = FrameBoundary.Expectation(masked: sender.map { $0 == .client }, allowRSV1: allowRSV1)
        self.search = BoundarySearch(expectation: expectation)
        self.position = startOffset
        self.mode = resynchronise ? .searching : .direct
        self.episodeStart = startOffset
        self.episodeCause = searchCause
        decoder.reset(at: startOffset)
    }

    /// Where what `finish()` would still report began: an unfinished frame or header, or bytes held in a search.
    var pendingOrigin: ByteOrigin? {
        mode == .searching ? (search.end > 0 ? search.origin(at: search.heldStart) : nil) : decoder.pendingOrigin
    }

    /// True while frame boundaries are unknown (bytes are held, not decoded).
    var resynchronising: Bool { mode == .searching }

    mutating func receive(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        guard !bytes.isEmpty else { return }
        switch mode {
        case .direct:
            feed(bytes, origin: origin)
        case .probation:
            receiveOnProbation(bytes, origin: origin)
        case .searching:
            search.append(bytes, origin: origin)
            position += UInt64(bytes.count)
            decide(islandEnds: false)
        }
    }

    /// `count` bytes of this direction are missing from the capture.
    mutating func gap(_ count: UInt64) {
        switch mode {
        case .searching:
            // The island of bytes before the gap ends here: decide on what it holds.
            if search.end > 0 { decide(islandEnds: true) }
            if mode == .searching {
                if search.end == 0 { episodeCause = .gap(count) }   // nothing was held: this gap starts the search
                position += count
                episodeStart = position
                return
            }
            gap(count)   // a boundary was found: the gap applies to the frames now being decoded
        case .direct, .probation:
            let insidePayload = mode == .direct || (pendingHeader.isEmpty && nextHeader >= position + count)
            if insidePayload, let remaining = decoder.remainingPayload, remaining >= count,
               decoder.skipPayload(count, into: &adapter) {
                position += count   // inside a payload: the frame goes on after the gap
                return
            }
            decoder.finish(into: &adapter, because: .captureGap(count))
            adapter.delegate.webSocketLostBoundaries(at: position, from: sender)
            pendingHeader = []
            position += count
            startSearch(at: position, cause: .gap(count))
        }
    }

    /// The layer below delivers nothing more (TLS decryption stopped): what is held is decided on, and a frame in
    /// progress is cut off with a note (the capture's loss, not the peer's fault); its message is lost with it.
    mutating func stop() {
        if mode == .searching && search.end > 0 { decide(islandEnds: true) }
        if mode == .searching { return }
        decoder.finish(into: &adapter, because: .inputStopped)
        // Even at a frame boundary an open fragmented message is cut off by the stop, not by its sender.
        adapter.delegate.webSocketLostBoundaries(at: position, from: sender)
        pendingHeader = []
        startSearch(at: position, cause: .gap(0))
    }

    /// The stream ended: decide on what is held, decode what can be decoded, report what is cut off (`end` says why,
    /// and whether the sender itself cut it).
    mutating func finish(_ end: StreamStop) {
        if mode == .searching && search.end > 0 { decide(islandEnds: true) }
        if mode == .searching { return }
        decoder.finish(into: &adapter, because: end.bySender ? .closedBySender(end.reason) : .cutOff(end.reason))
    }

    // MARK: - Decoding

    @inline(__always)
    private mutating func feed(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        decoder.feed(bytes, origin: origin, into: &adapter)
        frameBytes += UInt64(bytes.count)
        position += UInt64(bytes.count)
    }

    /// Checks each header that starts in `bytes` before the decoder sees it; an implausible one ends decoding there.
    private mutating func receiveOnProbation(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        let start = position
        let end = start + UInt64(bytes.count)
        var cut: Int?
        if !pendingHeader.isEmpty {
            // A header begun in an earlier segment: judge it with the bytes that complete it.
            let headerStart = nextHeader
            var header = pendingHeader
            header.append(contentsOf: bytes.prefix(14 - header.count))
            switch judgeHeader(header) {
            case .incomplete:
                pendingHeader = header
                feed(bytes, origin: origin)
                return
            case .implausible(let why):
                // The decoder holds the header's first bytes: forget them and search from the header on.
                frameBytes -= UInt64(pendingHeader.count)
                decoder.reset(at: headerStart)
                let held = pendingHeader
                let heldOrigin = pendingHeaderOrigin
                pendingHeader = []
                position = headerStart
                startSearch(at: headerStart, cause: .implausibleHeader(why))
                held.withUnsafeBytes { receive($0, origin: heldOrigin) }
                receive(bytes, origin: origin)
                return
            case .plausible(let frameEnd):
                pendingHeader = []
                nextHeader = frameEnd
                probationLeft -= 1
            }
        }
        while cut == nil && nextHeader < end && probationLeft > 0 {
            let index = Int(nextHeader - start)
            let header = UnsafeRawBufferPointer(rebasing: bytes[index...].prefix(14))
            switch judgeHeader(Array(header)) {
            case .incomplete:
                pendingHeader = Array(header)
                pendingHeaderOrigin = origin
                nextHeader = start + UInt64(index)
                feed(bytes, origin: origin)
                return
            case .implausible(let why):
                cut = index
                feed(UnsafeRawBufferPointer(rebasing: bytes[..<index]), origin: origin)
                startSearch(at: position, cause: .implausibleHeader(why))
                receive(UnsafeRawBufferPointer(rebasing: bytes[index...]), origin: origin)
            case .plausible(let frameEnd):
                nextHeader = frameEnd
                probationLeft -= 1
            }
        }
        guard cut == nil else { return }
        feed(bytes, origin: origin)
        if probationLeft <= 0 && pendingHeader.isEmpty { mode = .direct }
    }

    enum HeaderJudgement {
        case incomplete
        case implausible(String)
        /// Plausible; the frame ends at this stream offset.
        case plausible(UInt64)
    }

    /// Judges the header at `nextHeader` from its first bytes (up to 14).
    private func judgeHeader(_ bytes: [UInt8]) -> HeaderJudgement {
        guard let first = bytes.first else { return .incomplete }
        let second = bytes.count > 1 ? bytes[1] : nil
        if let why = FrameBoundary.partialImplausibility(first: first, second: second, expecting: expectation) {
            return .implausible(why + " at stream offset \(nextHeader)")
        }
        guard let header = bytes.withUnsafeBytes({ FrameHeader.parse($0) }) else { return .incomplete }
        if let why = FrameBoundary.implausibility(of: header, expecting: expectation) {
            return .implausible(why + " at stream offset \(nextHeader)")
        }
        return .plausible(nextHeader + UInt64(header.headerLength) + header.payloadLength)
    }

    // MARK: - Searching

    private mutating func startSearch(at offset: UInt64, cause: ResyncEpisode.Cause) {
        mode = .searching
        episodeStart = offset
        episodeCause = cause
        search = BoundarySearch(expectation: expectation)
    }

    private mutating func decide(islandEnds: Bool) {
        switch search.decide(islandEnds: islandEnds) {
        case .waiting:
            return
        case .boundary(let index):
            resume(at: index)
        case .none:
            let skipped = UInt64(search.end)
            let origin = search.origin(at: search.heldStart)
            _ = search.takeHeld(from: search.end)
            skippedBytes += skipped
            adapter.delegate.webSocketResynchronised(
                ResyncEpisode(cause: episodeCause, start: episodeStart, skipped: skipped, boundary: nil, origin: origin), from: sender)
        }
    }

    /// Decodes from a proven boundary: the held bytes from there on are replayed, their headers checked.
    private mutating func resume(at index: Int) {
        let boundary = episodeStart + UInt64(index)
        skippedBytes += UInt64(index)
        adapter.delegate.webSocketResynchronised(
            ResyncEpisode(cause: episodeCause, start: episodeStart, skipped: UInt64(index), boundary: boundary,
                          origin: search.origin(at: index)), from: sender)
        let held = search.takeHeld(from: index)
        decoder.reset(at: boundary)
        mode = .probation
        nextHeader = boundary
        pendingHeader = []
        probationLeft = Self.probationFrames
        position = boundary
        for piece in held {
            piece.bytes.withUnsafeBytes { receive($0, origin: piece.origin) }
        }
    }
}

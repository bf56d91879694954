import WSWire

/// Receives what one direction's WebSocket stream finds.
protocol WebSocketStreamDelegate: AnyObject {
    func webSocketFrameStarted(_ frame: Frame, from sender: Sender)
    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, header: FrameHeader, at offset: UInt64, from sender: Sender)
    func webSocketFrame(_ frame: consuming Frame, from sender: Sender)
    func webSocketIncompleteHeader(_ truncation: TruncatedHeader, from sender: Sender)
    func webSocketResynchronised(skipped: UInt64, at offset: UInt64, from sender: Sender, origin: ByteOrigin)
}

/// One direction of a WebSocket connection: frames through the WSWire decoder, with recovery from capture gaps.
///
/// A gap inside a frame's payload is stepped over (the frame keeps its boundary and masking phase). A gap that
/// swallows a header loses the frame boundaries: the bytes after it are searched for the next plausible boundary
/// (`FrameBoundary`), the bytes passed over are counted as skipped, and decoding carries on.
struct WebSocketStream {
    struct Adapter: FrameSink {
        // The analyzer owns its streams, so it outlives them: no reference counting on the per-chunk path.
        unowned(unsafe) let delegate: WebSocketStreamDelegate
        let sender: Sender

        func frameDidStart(_ frame: Frame) { delegate.webSocketFrameStarted(frame, from: sender) }
        func frameDidReceive(payload: UnsafeRawBufferPointer, header: FrameHeader, at payloadOffset: UInt64) {
            delegate.webSocketPayload(payload, header: header, at: payloadOffset, from: sender)
        }
        func frameDidEnd(_ frame: consuming Frame) { delegate.webSocketFrame(consume frame, from: sender) }
        func headerWasTruncated(_ truncation: TruncatedHeader) { delegate.webSocketIncompleteHeader(truncation, from: sender) }
    }

    /// Bytes held while looking for a boundary before the search gives up on confirmation and takes the first
    /// plausible header.
    static let resyncLimit = 256 * 1024

    let sender: Sender
    private var decoder: FrameDecoder
    private var adapter: Adapter
    let expectation: FrameBoundary.Expectation
    /// Offset in this direction's TCP byte stream of the next byte.
    private(set) var position: UInt64
    private(set) var resyncing: Bool
    private var resyncBuffer: [UInt8] = []
    /// Where each chunk in the resync buffer came from: (index in the buffer, origin).
    private var resyncOrigins: [(index: Int, origin: ByteOrigin)] = []
    private var skippedThisEpisode: UInt64 = 0
    private(set) var frameBytes: UInt64 = 0
    private(set) var skippedBytes: UInt64 = 0

    /// `startOffset` is the stream offset of the first WebSocket byte; `resynchronise` starts by looking for a frame
    /// boundary (for connections first seen mid-stream).
    init(sender: Sender, context: FrameRuleContext, options: FrameDecoder.Options, delegate: WebSocketStreamDelegate,
         startOffset: UInt64, resynchronise: Bool, allowRSV1: Bool, scratch: ScratchBuffer = ScratchBuffer()) {
        self.sender = sender
        self.decoder = FrameDecoder(context: context, options: options, scratch: scratch)
        self.adapter = Adapter(delegate: delegate, sender: sender)
        self.expectation = FrameBoundary.Expectation(masked: sender == .client, allowRSV1: allowRSV1)
        self.position = startOffset
        self.resyncing = resynchronise
        decoder.reset(at: startOffset)
    }

    mutating func receive(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        guard !bytes.isEmpty else { return }
        if resyncing {
            resyncOrigins.append((resyncBuffer.count, origin))
            resyncBuffer.append(contentsOf: bytes)
            attemptResync(atEnd: false)
        } else {
            decoder.feed(bytes, origin: origin, into: &adapter)
            frameBytes += UInt64(bytes.count)
            position += UInt64(bytes.count)
        }
    }

    /// `count` bytes of this direction are missing from the capture.
    mutating func gap(_ count: UInt64) {
        if resyncing {
            // Bytes held before the gap cannot chain into what follows it.
            skip(UInt64(resyncBuffer.count))
            resyncBuffer.removeAll(keepingCapacity: true)
            resyncOrigins.removeAll(keepingCapacity: true)
        } else if let remaining = decoder.remainingPayload, remaining >= count,
                  decoder.skipPayload(count, into: &adapter) {
            // Inside a payload: the frame goes on after the gap.
            position += count
            return
        } else {
            decoder.finish(into: &adapter, because: .captureGap(count))
            resyncing = true
            skippedThisEpisode = 0
        }
        position += count
    }

    /// The stream ended: decode what can be decoded, report what is cut off.
    mutating func finish() {
        if resyncing && !resyncBuffer.isEmpty {
            attemptResync(atEnd: true)
            if resyncing {
                skip(UInt64(resyncBuffer.count))
                resyncBuffer.removeAll()
                resyncOrigins.removeAll()
            }
        }
        decoder.finish(into: &adapter)
    }

    private mutating func skip(_ count: UInt64) {
        skippedBytes += count
        skippedThisEpisode += count
        position += count
    }

    private mutating func attemptResync(atEnd: Bool) {
        let result = resyncBuffer.withUnsafeBytes { FrameBoundary.search($0, expecting: expectation, atEnd: atEnd) }
        switch result {
        case .found(let index):
            resume(at: index)
        case .needMore(let candidate):
            if resyncBuffer.count >= Self.resyncLimit {
                resume(at: candidate)   // a plausible header whose frame is larger than we hold: take it
            } else if candidate > 0 {
                drop(candidate)
            }
        case .none(let scanned):
            drop(scanned)
        }
    }

    private mutating func drop(_ count: Int) {
        guard count > 0 else { return }
        skip(UInt64(count))
        resyncBuffer.removeFirst(count)
        // The chunk that contains the new first byte keeps its origin at index 0.
        let carried = resyncOrigins.last { $0.index <= count }
        var kept = resyncOrigins.filter { $0.index > count }.map { (index: $0.index - count, origin: $0.origin) }
        if let carried { kept.insert((0, carried.origin), at: 0) }
        resyncOrigins = kept
    }

    private mutating func resume(at index: Int) {
        skip(UInt64(index))
        resyncing = false
        let origin = resyncOrigins.last { $0.index <= index }?.origin ?? resyncOrigins.first?.origin ?? .none
        adapter.delegate.webSocketResynchronised(skipped: skippedThisEpisode, at: position, from: sender, origin: origin)
        decoder.reset(at: position)
        let buffer = resyncBuffer
        let origins = resyncOrigins
        resyncBuffer.removeAll(keepingCapacity: true)
        resyncOrigins.removeAll(keepingCapacity: true)
        buffer.withUnsafeBytes { raw in
            for (k, entry) in origins.enumerated() {
                let start = max(entry.index, index)
                let end = k + 1 < origins.count ? origins[k + 1].index : raw.count
                guard start < end else { continue }
                receive(UnsafeRawBufferPointer(rebasing: raw[start..<end]), origin: entry.origin)
            }
        }
    }
}

import WSStream
/// Receives what one reassembled direction of a TCP connection delivers, in stream order.
public protocol TCPStreamSink {
    /// The next bytes of the stream. The buffer is valid only during the call.
    mutating func deliver(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin)
    /// `count` bytes of the stream will never be seen. They are not zero-filled.
    mutating func gap(_ count: UInt64, origin: ByteOrigin, reason: GapReason)
    /// A retransmitted or overlapping segment carried bytes that differ from those already delivered at
    /// stream offset `offset`. The bytes delivered first are kept.
    mutating func conflict(at offset: UInt64, length: Int, origin: ByteOrigin)
    /// The stream's first segment is not its SYN: it starts there, and whatever came before is missing. Called before
    /// that segment delivers anything.
    mutating func startedMidStream()
}

extension TCPStreamSink {
    public mutating func startedMidStream() {}
}

/// One direction of a TCP connection rebuilt in sequence order: out-of-order segments are held until the hole
/// fills; retransmitted and overlapping bytes are delivered once (and compared); a hole that is never filled
/// becomes an explicit gap. Sequence numbers wrap at 2^32; positions are kept as 64-bit stream offsets.
public struct TCPStreamReassembler {
    struct HeldSegment {
        var offset: UInt64
        var bytes: [UInt8]
        var uncaptured: Int
        let origin: ByteOrigin
        var end: UInt64 { offset + UInt64(bytes.count) }
    }

    /// Counters for the summary.
    public struct Statistics: Hashable, Sendable {
        public var segments = 0
        public var outOfOrderSegments = 0
        public var retransmittedBytes: UInt64 = 0
        public var conflicts = 0
        public var gapBytes: UInt64 = 0
        public var gaps = 0
    }

    public private(set) var isStarted = false
    private var nextSequence: UInt32 = 0
    /// Stream offset of `nextSequence`: bytes delivered plus bytes declared missing.
    public private(set) var position: UInt64 = 0
    private var held = HeldSegmentQueue()
    /// Memory that held segments take, as counted against the limits: their bytes plus `segmentOverhead` each (so
    /// that a flood of one-byte segments counts for what it costs).
    public private(set) var heldBytes = 0
    static let segmentOverhead = 64
    private var highestAcknowledged: UInt64 = 0
    /// Stream offset at which the FIN sits, once seen.
    public private(set) var finOffset: UInt64?
    private var history = DeliveryHistory()
    public private(set) var statistics = Statistics()

    public init() {}

    /// True when a FIN was seen and every byte before it has been delivered or declared missing.
    public var isFinished: Bool {
        guard let finOffset else { return false }
        return position >= finOffset
    }

    /// Starts the stream at a SYN's initial sequence number (data begins at ISN + 1).
    public mutating func start(initialSequence: UInt32) {
        guard !isStarted else { return }
        isStarted = true
        nextSequence = initialSequence &+ 1
    }

    /// The stream offset of a sequence number, unwrapped around the current position.
    private func offset(of sequence: UInt32) -> Int64 {
        Int64(position) + Int64(Int32(bitPattern: sequence &- nextSequence))
    }

    private mutating func advance(by count: UInt64) {
        position += count
        nextSequence = nextSequence &+ UInt32(truncatingIfNeeded: count)
    }

    private mutating func declareGap<S: TCPStreamSink>(_ count: UInt64, origin: ByteOrigin, reason: GapReason, sink: inout S) {
        guard count > 0 else { return }
        sink.gap(count, origin: origin, reason: reason)
        advance(by: count)
        history.clear()
        statistics.gapBytes += count
        statistics.gaps += 1
    }

    private mutating func deliver<S: TCPStreamSink>(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin,
                                                   digest: UInt64? = nil, sink: inout S) {
        guard !bytes.isEmpty else { return }
        sink.deliver(bytes, origin: origin)
        history.record(bytes, at: position, digest: digest)
        advance(by: UInt64(bytes.count))
    }

    /// Compares bytes that start at stream offset `start` (all before `position`) with what was delivered.
    private mutating func checkOverlap<S: TCPStreamSink>(_ bytes: UnsafeRawBufferPointer, start: Int64, origin: ByteOrigin, sink: inout S) {
        guard !bytes.isEmpty else { return }
        statistics.retransmittedBytes += UInt64(bytes.count)
        // Bytes before the stream's start have nothing to be compared with.
        let skipped = Int(min(Int64(bytes.count), max(0, -start)))
        guard skipped < bytes.count else { return }   // wholly before the start
        let compared = UnsafeRawBufferPointer(rebasing: bytes[skipped...])
        let from = UInt64(start + Int64(skipped))
        if let differing = history.firstDifference(compared, at: from, position: position) {
            statistics.conflicts += 1
            sink.conflict(at: differing, length: compared.count - Int(differing - from), origin: origin)
        }
    }

    /// Takes a segment's payload (and FIN) in.
    public mutating func receive<S: TCPStreamSink>(
        sequence: UInt32, payload: UnsafeRawBufferPointer, uncaptured: Int = 0, fin: Bool,
        origin: ByteOrigin, payloadDigest: UInt64? = nil, sink: inout S
    ) {
        if !isStarted {
            // First seen mid-stream: the stream starts here.
            isStarted = true
            nextSequence = sequence
            sink.startedMidStream()
        }
        statistics.segments += 1
        let segmentStart = offset(of: sequence)
        let capturedEnd = segmentStart + Int64(payload.count)
        let wireEnd = capturedEnd + Int64(uncaptured)
        let here = Int64(position)
        if fin, finOffset == nil, wireEnd >= here {
            finOffset = UInt64(wireEnd)
        }
        guard wireEnd > segmentStart else { return }
        // A keep-alive probe repeats the byte before the position: not data.
        if wireEnd - segmentStart == 1, segmentStart == here - 1, !fin { return }
        if wireEnd <= here {
            checkOverlap(payload, start: segmentStart, origin: origin, sink: &sink)
            return
        }
        var start = segmentStart
        var bytes = payload
        if start < here {
            let old = Int(min(here - start, Int64(bytes.count)))
            checkOverlap(UnsafeRawBufferPointer(rebasing: bytes[..<old]), start: start, origin: origin, sink: &sink)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[old...])
            start += Int64(old)
        }
        if start <= here {
            // In order (possibly only an uncaptured tail remains). A digest made ahead of time fits only the whole payload.
            deliver(bytes, origin: origin, digest: bytes.count == payload.count ? payloadDigest : nil, sink: &sink)
            if wireEnd > Int64(position) {
                declareGap(UInt64(wireEnd) - position, origin: origin, reason: .snapshotLength, sink: &sink)
            }
            drain(sink: &sink)
        } else {
            statistics.outOfOrderSegments += 1
            hold(HeldSegment(offset: UInt64(start), bytes: Array(bytes), uncaptured: Int(wireEnd - capturedEnd), origin: origin))
            if highestAcknowledged >= UInt64(start) {
                // The peer already acknowledged the hole in front of this segment: it was lost from the capture.
                fillHole(upTo: UInt64(start), origin: origin, reason: .acknowledged, sink: &sink)
            }
        }
    }

    private mutating func hold(_ segment: HeldSegment) {
        heldBytes += segment.bytes.count + Self.segmentOverhead
        held.insert(segment)
    }

    /// Delivers held segments that have become contiguous.
    private mutating func drain<S: TCPStreamSink>(sink: inout S) {
        while let first = held.first, first.offset <= position {
            held.removeFirst()
            heldBytes -= first.bytes.count + Self.segmentOverhead
            first.bytes.withUnsafeBytes { raw in
                let overlap = Int(min(position - first.offset, UInt64(raw.count)))
                checkOverlap(UnsafeRawBufferPointer(rebasing: raw[..<overlap]), start: Int64(first.offset), origin: first.origin, sink: &sink)
                deliver(UnsafeRawBufferPointer(rebasing: raw[overlap...]), origin: first.origin, sink: &sink)
            }
            if first.uncaptured > 0 && first.end + UInt64(first.uncaptured) > position {
                declareGap(first.end + UInt64(first.uncaptured) - position, origin: first.origin, reason: .snapshotLength, sink: &sink)
            }
        }
    }

    /// Declares the bytes between the position and `offset` missing, then delivers what became contiguous.
    private mutating func fillHole<S: TCPStreamSink>(upTo offset: UInt64, origin: ByteOrigin, reason: GapReason, sink: inout S) {
        guard offset > position else { return }
        declareGap(offset - position, origin: origin, reason: reason, sink: &sink)
        drain(sink: &sink)
    }

    /// The peer acknowledged bytes up to `acknowledgment`. A hole in front of held data that the peer acknowledged
    /// was lost from the capture: it becomes a gap now.
    public mutating func acknowledged<S: TCPStreamSink>(_ acknowledgment: UInt32, origin: ByteOrigin, sink: inout S) {
        guard isStarted else { return }
        let relative = Int32(bitPattern: acknowledgment &- nextSequence)
        guard relative > 0 else { return }
        var acked = position + UInt64(relative)
        if let fin = finOffset, acked == fin + 1 { acked = fin }   // the FIN occupies one sequence number
        highestAcknowledged = max(highestAcknowledged, acked)
        if let first = held.first, first.offset > position {
            fillHole(upTo: min(acked, first.offset), origin: origin, reason: .acknowledged, sink: &sink)
        }
    }

    /// When held data passes `limit` bytes, gives up on the first hole.
    public mutating func enforce<S: TCPStreamSink>(limit: Int, origin: ByteOrigin, sink: inout S) {
        while heldBytes > limit, let first = held.first {
            fillHole(upTo: first.offset, origin: origin, reason: .bufferLimit, sink: &sink)
            if held.first?.offset == first.offset && first.offset <= position { drain(sink: &sink) }
        }
    }

    /// The connection ended: delivers everything held, with gaps for the holes, and a final gap for bytes the peer
    /// acknowledged (or the FIN accounts for) that never arrived.
    public mutating func flush<S: TCPStreamSink>(origin: ByteOrigin, sink: inout S) {
        while let first = held.first {
            if first.offset > position {
                declareGap(first.offset - position, origin: first.origin, reason: .connectionEnd, sink: &sink)
            }
            drain(sink: &sink)
        }
        var end = highestAcknowledged
        if let fin = finOffset { end = max(end, fin) }
        if end > position {
            declareGap(end - position, origin: origin, reason: .connectionEnd, sink: &sink)
        }
    }
}

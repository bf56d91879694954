import WSStream
/// Looks for a frame boundary that the bytes themselves prove, after a capture gap swallowed a header or when a
/// connection is first seen mid-stream.
///
/// Bytes arrive as the TCP segments that carried them (`append`). Every position whose header is plausible
/// (`FrameBoundary.isPlausible`) is a candidate; its *chain* is the sequence of frames that starts there, each header
/// found where the previous frame ends. A candidate is refuted by the first implausible header in its chain or the
/// first frame that breaks the message structure or carries an impossible payload (`FrameChain`), and proven only on
/// strong evidence (Docs/robustness.md gives the odds):
///
/// - it starts where a segment starts and a frame of its chain ends exactly where a segment ends (senders write
///   frames whole, so real frames start and end at segment boundaries; a header read from payload bytes almost never
///   claims a length that lands exactly on one);
/// - it starts where a segment starts and its chain has three complete frames;
/// - anywhere: three complete frames and a frame end on a segment end, or five complete frames;
/// - at the end of the island (the next gap, or the end of the stream), a chain that runs on through every captured
///   byte: two complete frames from a segment start, or four from anywhere.
///
/// A candidate inside a segment whose chain reaches a segment start after a single frame is not taken: that one frame
/// rests on its own header only, and the segment start is the likelier boundary. The earliest proven candidate wins,
/// but only once every earlier candidate is refuted; a candidate still undecided when more than `limit` bytes are
/// held is given up. Frames are not decoded from the held bytes until a candidate is proven, so nothing unproven is
/// ever reported: bytes before the boundary (or all of them, when nothing can be proven) are skipped.
public struct BoundarySearch {
    /// What a decision says.
    public enum Decision: Equatable, Sendable {
        /// Not decided yet: more bytes are needed.
        case waiting
        /// A proven boundary at this offset of the episode (the bytes before it are skipped).
        case boundary(Int)
        /// No boundary can be proven in what is held: all of it is skipped.
        case none
    }

    /// One candidate's chain, walked as far as the held bytes allow.
    struct Walk {
        let start: Int
        let atSegmentStart: Bool
        /// Where the next header of the chain starts.
        var next: Int
        var frames = 0
        /// A frame of the chain ended exactly where a segment ended.
        var aligned = false
        /// Frames of the chain before the first segment start it reaches (nil until it reaches one).
        var framesBeforeSegmentStart: Int?
        var refuted = false
        /// The message structure and payload checks of the chain so far.
        var chain: FrameChain
        /// Where the chain's frames start, in order (the first is `start`).
        var starts: [Int] = []

        /// True when `offset` lies inside one of the chain's frames rather than at one of its starts.
        func straddles(_ offset: Int) -> Bool {
            guard offset > start, offset < next else { return false }
            var low = 0, high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < offset { low = mid + 1 } else { high = mid }
            }
            return !(low < starts.count && starts[low] == offset)
        }
    }

    /// Bytes held by default while a candidate is undecided (256 KiB: frames up to that size right after a gap can
    /// still be proven; Docs/robustness.md).
    public static let defaultLimit = 256 * 1024

    public let expectation: FrameBoundary.Expectation
    public let limit: Int
    /// Held bytes; `bytes[0]` is at episode offset `bytesBase`.
    private var bytes: [UInt8] = []
    private var bytesBase = 0
    /// Segment starts (episode offsets) with the origin of each segment, in order.
    private var segments: [(start: Int, origin: ByteOrigin)] = []
    /// Episode offsets before this have been looked at as candidates.
    private var scanned = 0
    /// Live candidates, in order of position.
    private var walks: [Walk] = []

    public init(expectation: FrameBoundary.Expectation, limit: Int = defaultLimit) {
        self.expectation = expectation
        self.limit = max(limit, 1024)
    }

    /// Episode offset just past the last byte appended.
    public var end: Int { bytesBase + bytes.count }

    /// Bytes held now.
    public var heldBytes: Int { bytes.count }

    /// Episode offset of the first byte still held (everything before it is already known to be skipped).
    public var heldStart: Int { bytesBase }

    /// Takes the bytes of one delivered segment.
    public mutating func append(_ chunk: UnsafeRawBufferPointer, origin: ByteOrigin) {
        guard !chunk.isEmpty else { return }
        segments.append((end, origin))
        bytes.append(contentsOf: chunk)
    }

    /// Decides what can be decided with the bytes held. `islandEnds`: no byte will follow these (a gap or the end
    /// of the stream comes next). After `.boundary` or `.none` the caller takes the held bytes (`takeHeld`).
    public mutating func decide(islandEnds: Bool) -> Decision {
        scan(islandEnds: islandEnds)
        for i in walks.indices where !walks[i].refuted { advance(&walks[i]) }
        walks.removeAll { $0.refuted }
        var i = 0
        while i < walks.count {
            let walk = walks[i]
            if isProven(walk, islandEnds: islandEnds) {
                if walk.atSegmentStart { return .boundary(walk.start) }
                if (walk.framesBeforeSegmentStart ?? 2) < 2 {
                    i += 1   // one frame to a segment start rests on its own header: the segment start is likelier
                    continue
                }
                // A candidate inside a segment gives way to a segment start that one of its frames straddles, when
                // that one is proven too (its chain skips the other's header: both cannot be right).
                let rivals = walks[(i + 1)...].filter { $0.atSegmentStart && walk.straddles($0.start) }
                if rivals.contains(where: { isProven($0, islandEnds: islandEnds) }) {
                    i += 1
                    continue
                }
                if rivals.isEmpty || islandEnds || end - walk.start > limit { return .boundary(walk.start) }
                walks.removeFirst(i)
                release(upTo: min(walk.start, scanned))
                return .waiting   // wait for the rival to be decided
            }
            if islandEnds || end - walk.start > limit {
                i += 1   // undecided when nothing more can come (or too long to wait for): given up
                continue
            }
            walks.removeFirst(i)
            release(upTo: min(walk.start, scanned))
            return .waiting
        }
        walks.removeAll()
        if islandEnds { return .none }
        release(upTo: scanned)
        return .waiting
    }

    /// The held bytes from episode offset `from` (at least `heldStart`), as the segments they came in; the search is
    /// empty afterwards.
    public mutating func takeHeld(from: Int) -> [(bytes: ArraySlice<UInt8>, origin: ByteOrigin)] {
        var pieces: [(bytes: ArraySlice<UInt8>, origin: ByteOrigin)] = []
        for (k, segment) in segments.enumerated() {
            let segmentEnd = k + 1 < segments.count ? segments[k + 1].start : end
            let lower = max(segment.start, from, bytesBase), upper = segmentEnd
            guard lower < upper else { continue }
            pieces.append((bytes[(lower - bytesBase)..<(upper - bytesBase)], segment.origin))
        }
        bytes = []
        segments = []
        walks = []
        bytesBase = 0
        scanned = 0
        return pieces
    }

    /// The origin of the segment that holds episode offset `offset`.
    public func origin(at offset: Int) -> ByteOrigin {
        segments.last { $0.start <= offset }?.origin ?? segments.first?.origin ?? .none
    }

    // MARK: - Candidates

    /// Adds a walk for every new position whose header is plausible.
    private mutating func scan(islandEnds: Bool) {
        bytes.withUnsafeBytes { raw in
            while scanned < end {
                let index = scanned - bytesBase
                let available = raw.count - index
                if available < 2 || FrameHeader.headerLength(secondByte: raw[index + 1]) > available {
                    // Too few bytes to judge: wait, unless what is there already rules the header out.
                    if !islandEnds && FrameBoundary.couldStillBePlausible(raw, at: index, expecting: expectation) { return }
                    scanned += 1
                    continue
                }
                if FrameBoundary.plausibleHeader(in: raw, at: index, expecting: expectation) != nil {
                    walks.append(Walk(start: scanned, atSegmentStart: isSegmentStart(scanned), next: scanned,
                                      chain: FrameChain(expectation: expectation)))
                }
                scanned += 1
            }
        }
    }

    /// Walks a chain on as far as the held bytes go.
    private func advance(_ walk: inout Walk) {
        bytes.withUnsafeBytes { raw in
            while walk.next < end {
                let index = walk.next - bytesBase
                let available = raw.count - index
                if available < 2 || FrameHeader.headerLength(secondByte: raw[index + 1]) > available {
                    if !FrameBoundary.couldStillBePlausible(raw, at: index, expecting: expectation) { walk.refuted = true }
                    return
                }
                guard let header = FrameBoundary.plausibleHeader(in: raw, at: index, expecting: expectation) else {
                    walk.refuted = true
                    return
                }
                let frameEnd = UInt64(walk.next) + UInt64(header.headerLength) + header.payloadLength
                guard frameEnd <= UInt64(end) else { return }   // the frame's end has not arrived yet
                let payload = UnsafeRawBufferPointer(rebasing: raw[(index + header.headerLength)..<(Int(frameEnd) - bytesBase)])
                guard walk.chain.admit(header, wirePayload: payload) else {
                    walk.refuted = true
                    return
                }
                walk.frames += 1
                walk.starts.append(walk.next)
                walk.next = Int(frameEnd)
                // The end of what is held is a segment end too (segments are appended whole).
                if walk.next == end || isSegmentStart(walk.next) {
                    walk.aligned = true
                    if walk.framesBeforeSegmentStart == nil { walk.framesBeforeSegmentStart = walk.frames }
                }
            }
        }
    }

    private func isProven(_ walk: Walk, islandEnds: Bool) -> Bool {
        if walk.atSegmentStart && (walk.aligned || walk.frames >= 3) { return true }
        if walk.frames >= 5 || (walk.aligned && walk.frames >= 3) { return true }
        if islandEnds {
            // The chain runs on through every byte captured up to the gap (or the end).
            return walk.frames >= (walk.atSegmentStart ? 2 : 4)
        }
        return false
    }

    private func isSegmentStart(_ offset: Int) -> Bool {
        var low = 0, high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        return low < segments.count && segments[low].start == offset
    }

    /// Frees held bytes before episode offset `offset` (no candidate can start there any more).
    private mutating func release(upTo offset: Int) {
        let count = offset - bytesBase
        // Copying the rest down costs as much as the bytes kept: do it only when at least half can go.
        guard count > 0, count >= bytes.count / 2, count >= 4096 else { return }
        bytes.removeFirst(count)
        bytesBase = offset
        if let keep = segments.lastIndex(where: { $0.start <= offset }), keep > 0 {
            segments.removeFirst(keep)
        }
    }
}

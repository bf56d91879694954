import WSStream
import Testing
import WSTestSupport
import WSWire

/// The search that proves a frame boundary after a capture gap (or at a mid-stream start).
@Suite struct BoundarySearchTests {
    static let server = FrameBoundary.Expectation(masked: false, allowRSV1: false)
    static let client = FrameBoundary.Expectation(masked: true, allowRSV1: false)

    /// Appends each segment in turn, then decides (with the island ending after the last one when `islandEnds`).
    static func decide(_ segments: [[UInt8]], expecting expectation: FrameBoundary.Expectation = server,
                       islandEnds: Bool = false, limit: Int = BoundarySearch.defaultLimit) -> BoundarySearch.Decision {
        var search = BoundarySearch(expectation: expectation, limit: limit)
        var decision = BoundarySearch.Decision.waiting
        for (i, segment) in segments.enumerated() {
            segment.withUnsafeBytes { search.append($0, origin: .none) }
            decision = search.decide(islandEnds: islandEnds && i == segments.count - 1)
            if decision != .waiting { return decision }
        }
        return decision
    }

    /// Binary payload bytes that read as a chain of two plausible server frames (82 03 …, then an empty ping 89 00):
    /// the old "two plausible headers chain" rule took such bytes as frames.
    static let lookalike: [UInt8] = [0x82, 0x03, 0xAA, 0xBB, 0xCC] + [0x89, 0x00]

    @Test func aFrameAtASegmentStartThatEndsWithItsSegmentIsProven() {
        // After the gap: the tail of a lost frame's payload (one segment), then "Hello" in its own segment.
        let tail: [UInt8] = Array(repeating: 0x5A, count: 40)
        let hello = makeFrame(opcode: 0x1, payload: Array("Hello".utf8))   // 81 05 'Hello': starts and ends a segment
        #expect(Self.decide([tail, hello]) == .boundary(40))
    }

    @Test func headerLookalikesInsideABinaryPayloadAreNotTakenAsFrames() {
        // The gap swallowed a binary frame's header; its payload continues with bytes that look like two frames,
        // then the real next frame starts a new segment and ends with it.
        // 0xFF is never a plausible first byte (RSV bits 111, reserved opcode).
        let tail: [UInt8] = [0xFF, 0xFF] + Self.lookalike + Array(repeating: 0xFF, count: 5)
        let next = makeFrame(opcode: 0x2, payload: [1, 2, 3, 4, 5, 6])
        #expect(Self.decide([tail, next]) == .boundary(tail.count))
    }

    @Test func nothingIsProvenFromLookalikesAlone() {
        // Only the lookalikes, then the island ends: the two "frames" start inside a segment, and two frames there
        // prove nothing even when they end with it, so everything is skipped.
        #expect(Self.decide([[0x00, 0x00] + Self.lookalike], islandEnds: true) == .none)
    }

    @Test func aChainRunningToTheGapFromASegmentStartIsProvenAtTheIslandEnd() {
        // Two whole frames from a segment start, then a third cut by the next gap: proven when the island ends.
        let frames = makeFrame(opcode: 0x2, payload: [9, 9]) + makeFrame(opcode: 0x2, payload: [8]) + [0x82, 0x7E, 0x01]
        #expect(Self.decide([Array(repeating: 0x11, count: 3), frames], islandEnds: false) == .waiting)
        #expect(Self.decide([Array(repeating: 0x11, count: 3), frames], islandEnds: true) == .boundary(3))
        // A single frame from a segment start is not enough at an island end.
        #expect(Self.decide([Array(repeating: 0x11, count: 3), makeFrame(opcode: 0x2, payload: [9, 9]) + [0x82]], islandEnds: true) == .none)
    }

    @Test func insideASegmentThreeFramesAndASegmentEndAreNeeded() {
        // Junk then three frames inside one segment, the last ending with it.
        let three = makeFrame(opcode: 0x2, payload: [1]) + makeFrame(opcode: 0x2, payload: [2]) + makeFrame(opcode: 0x2, payload: [3])
        #expect(Self.decide([[0xFF, 0xFF] + three]) == .boundary(2))
        // Two are not (and at the island end, four would be needed).
        let two = makeFrame(opcode: 0x2, payload: [1]) + makeFrame(opcode: 0x2, payload: [2])
        #expect(Self.decide([[0xFF, 0xFF] + two], islandEnds: true) == .none)
    }

    @Test func aCandidateInsideASegmentGivesWayToAProvenSegmentStartItStraddles() {
        // A final 5-byte "continuation" starting at offset 1 of the tail swallows the real frame's header at the segment
        // start (offset 3), and a chain from there also looks fine: the segment start wins.
        let tail: [UInt8] = [0xEE, 0x80, 0x05]
        let real = makeFrame(opcode: 0x2, payload: [0xAB, 0xCD, 0xEF]) + makeFrame(opcode: 0x2, payload: [1]) + makeFrame(opcode: 0x2, payload: [2])
        #expect(Self.decide([tail, real]) == .boundary(3))
    }

    @Test func maskingMustMatchTheSender() {
        let unmasked = makeFrame(opcode: 0x1, payload: Array("hi".utf8))
        #expect(Self.decide([[0x01], unmasked], expecting: Self.client, islandEnds: true) == .none)
        let masked = makeFrame(opcode: 0x1, key: [1, 2, 3, 4], payload: Array("hi".utf8))
        #expect(Self.decide([[0x01], masked], expecting: Self.client) == .boundary(1))
    }

    @Test func anUndecidedCandidateIsGivenUpPastTheLimit() {
        // A header claiming 60 000 bytes at a segment start; more than the limit arrives without deciding it.
        let claim: [UInt8] = [0x82, 0x7E, 0xEA, 0x60]
        let filler = [UInt8](repeating: 0xFF, count: 1500)   // 0xFF: never a plausible header
        var segments = [claim] + Array(repeating: filler, count: 3)
        #expect(Self.decide(segments, limit: 64 * 1024) == .waiting)
        segments += [makeFrame(opcode: 0x1, payload: Array("ok".utf8))]
        #expect(Self.decide(segments, limit: 1024) == .boundary(4 + 3 * 1500))
    }

    @Test func theHeldBytesComeBackAsTheirSegments() {
        var search = BoundarySearch(expectation: Self.server)
        let origins = [ByteOrigin(packet: 7, time: .zero), ByteOrigin(packet: 8, time: .zero)]
        let hello = makeFrame(opcode: 0x1, payload: Array("Hello".utf8))
        ([0x5A, 0x5A, 0x5A] as [UInt8]).withUnsafeBytes { search.append($0, origin: origins[0]) }
        hello.withUnsafeBytes { search.append($0, origin: origins[1]) }
        #expect(search.decide(islandEnds: false) == .boundary(3))
        #expect(search.origin(at: 3) == origins[1])
        let pieces = search.takeHeld(from: 3)
        #expect(pieces.count == 1 && Array(pieces[0].bytes) == hello && pieces[0].origin == origins[1])
        #expect(search.end == 0 && search.heldBytes == 0)
    }

    @Test func randomBinaryNeverProvesABoundaryAtSegmentStarts() {
        // 2 000 segments of random bytes, each its own island: any boundary found would be an invented frame.
        var rng = SplitMix64(seed: 7)
        var found = 0
        for _ in 0..<2000 {
            let segment = (0..<Int.random(in: 20...1448, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for expectation in [Self.server, Self.client] {
                if case .boundary = Self.decide([segment], expecting: expectation, islandEnds: true) { found += 1 }
            }
        }
        // The documented odds (Docs/robustness.md): well under one false boundary per thousand islands.
        #expect(found <= 4, "random bytes proved \(found) boundaries in 4 000 islands")
    }
}

/// The message structure and payload checks a chain of candidate frames must pass.
@Suite struct FrameChainTests {
    static func proven(_ frames: [UInt8], expecting expectation: FrameBoundary.Expectation = BoundarySearchTests.server) -> Bool {
        BoundarySearchTests.decide([frames], expecting: expectation, islandEnds: true) == .boundary(0)
    }

    @Test func aChainOfGoodFramesIsBelieved() {
        let good = makeFrame(opcode: 0x1, payload: Array("你好".utf8)) + makeFrame(opcode: 0x9, payload: [])
            + makeFrame(opcode: 0x8, payload: [0x03, 0xE8] + Array("bye".utf8))
        #expect(Self.proven(good))
    }

    @Test func aContinuationAfterAFinishedMessageIsRefuted() {
        // text FIN, then a continuation: nothing is open for it to continue.
        #expect(!Self.proven(makeFrame(opcode: 0x1, payload: [0x61]) + makeFrame(opcode: 0x0, payload: [0x62])))
    }

    @Test func aContinuationFirstMayContinueALostMessage() {
        #expect(Self.proven(makeFrame(fin: false, opcode: 0x0, payload: [0x61]) + makeFrame(opcode: 0x0, payload: [0x62])))
    }

    @Test func aNewMessageInsideAFragmentedOneIsRefuted() {
        #expect(!Self.proven(makeFrame(fin: false, opcode: 0x2, payload: [1]) + makeFrame(opcode: 0x2, payload: [2])))
    }

    @Test func dataOrASecondCloseAfterACloseIsRefuted() {
        let close = makeFrame(opcode: 0x8, payload: [0x03, 0xE8])
        #expect(!Self.proven(close + makeFrame(opcode: 0x2, payload: [1])))
        #expect(!Self.proven(close + close))
    }

    @Test func impossibleCloseBodiesAreRefuted() {
        #expect(!Self.proven(makeFrame(opcode: 0x8, payload: [0x03]) + makeFrame(opcode: 0x9, payload: [])))          // one byte
        #expect(!Self.proven(makeFrame(opcode: 0x8, payload: [0x00, 0x10]) + makeFrame(opcode: 0x9, payload: [])))    // code 16
        #expect(!Self.proven(makeFrame(opcode: 0x8, payload: [0x03, 0xE8, 0xFF]) + makeFrame(opcode: 0x9, payload: [])))   // reason not UTF-8
    }

    @Test func textThatIsNotUTF8IsRefuted() {
        // Masked text read from payload bytes is almost never valid UTF-8 once unmasked.
        let bad = makeFrame(opcode: 0x1, key: [0x10, 0x20, 0x30, 0x40], payload: [0xC3, 0x28, 0x41])
        #expect(!Self.proven(bad + makeFrame(opcode: 0x9, key: [1, 1, 1, 1], payload: []), expecting: BoundarySearchTests.client))
        let good = makeFrame(opcode: 0x1, key: [0x10, 0x20, 0x30, 0x40], payload: Array("é!".utf8))
        #expect(Self.proven(good + makeFrame(opcode: 0x9, key: [1, 1, 1, 1], payload: []), expecting: BoundarySearchTests.client))
    }
}

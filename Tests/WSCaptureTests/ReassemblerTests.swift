import WSStream
import Testing
import WSCapture

/// Records what a reassembled direction delivers.
struct RecordingSink: TCPStreamSink {
    enum Event: Equatable {
        case data([UInt8], packet: Int)
        case gap(UInt64, GapReason)
        case conflict(offset: UInt64, length: Int)
    }
    var events: [Event] = []

    mutating func deliver(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        events.append(.data(Array(bytes), packet: origin.packet))
    }
    mutating func gap(_ count: UInt64, origin: ByteOrigin, reason: GapReason) {
        events.append(.gap(count, reason))
    }
    mutating func conflict(at offset: UInt64, length: Int, origin: ByteOrigin) {
        events.append(.conflict(offset: offset, length: length))
    }

    /// Delivered bytes with gaps shown as "?" runs, for compact assertions.
    var stream: String {
        events.map { event -> String in
            switch event {
            case .data(let bytes, _): return String(decoding: bytes, as: UTF8.self)
            case .gap(let n, _): return String(repeating: "?", count: Int(n))
            case .conflict: return ""
            }
        }.joined()
    }
    var conflicts: Int { events.filter { if case .conflict = $0 { return true } else { return false } }.count }
}

struct Harness {
    var reassembler = TCPStreamReassembler()
    var sink = RecordingSink()
    var packet = 0

    init(isn: UInt32) {
        reassembler.start(initialSequence: isn)
    }

    mutating func segment(_ seq: UInt32, _ text: String, fin: Bool = false, uncaptured: Int = 0) {
        packet += 1
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            reassembler.receive(sequence: seq, payload: raw, uncaptured: uncaptured, fin: fin,
                                origin: ByteOrigin(packet: packet, time: .zero), sink: &sink)
        }
    }

    mutating func ack(_ ack: UInt32) {
        packet += 1
        reassembler.acknowledged(ack, origin: ByteOrigin(packet: packet, time: .zero), sink: &sink)
    }

    mutating func flush() {
        reassembler.flush(origin: ByteOrigin(packet: packet, time: .zero), sink: &sink)
    }
}

@Suite struct ReassemblerTests {
    // ISN 100: data starts at sequence 101.
    @Test func inOrderSegmentsAreDeliveredAsTheyCome() {
        var h = Harness(isn: 100)
        h.segment(101, "Hello ")
        h.segment(107, "world")
        #expect(h.sink.events == [.data(Array("Hello ".utf8), packet: 1), .data(Array("world".utf8), packet: 2)])
        #expect(h.reassembler.position == 11)
    }

    @Test func outOfOrderSegmentsWaitForTheHole() {
        var h = Harness(isn: 100)
        h.segment(107, "world")          // arrives first
        h.segment(112, "!")
        #expect(h.sink.events.isEmpty)
        #expect(h.reassembler.heldBytes == 6 + 2 * 64)   // 6 bytes in 2 segments, 64 bytes of overhead each
        h.segment(101, "Hello ")          // fills the hole
        #expect(h.sink.stream == "Hello world!")
        #expect(h.reassembler.heldBytes == 0)
        #expect(h.reassembler.statistics.outOfOrderSegments == 2)
    }

    @Test func retransmissionsAreDeliveredOnce() {
        var h = Harness(isn: 100)
        h.segment(101, "abcdef")
        h.segment(101, "abcdef")          // identical retransmission
        h.segment(104, "defghi")          // overlaps 3 old bytes, brings 3 new ones
        #expect(h.sink.stream == "abcdefghi")
        #expect(h.sink.conflicts == 0)
        #expect(h.reassembler.statistics.retransmittedBytes == 9)
    }

    @Test func conflictingOverlapIsReportedAndTheFirstCopyKept() {
        var h = Harness(isn: 100)
        h.segment(101, "abcdef")
        h.segment(103, "XYZ")             // claims bytes c d e were X Y Z
        #expect(h.sink.stream == "abcdef")
        #expect(h.sink.events.last == .conflict(offset: 2, length: 3))
    }

    @Test func conflictingOverlapBetweenHeldSegments() {
        var h = Harness(isn: 100)
        h.segment(104, "def")             // held
        h.segment(104, "DEF")             // held duplicate with other bytes
        h.segment(101, "abc")
        #expect(h.sink.stream == "abcdef")
        #expect(h.sink.conflicts == 1)
    }

    @Test func oneByteSegments() {
        var h = Harness(isn: 100)
        let text = Array("one byte at a time")
        for (i, c) in text.enumerated().reversed() { h.segment(101 + UInt32(i), String(c)) }
        #expect(h.sink.stream == "one byte at a time")
    }

    @Test func sequenceNumbersWrapAround() {
        // ISN 2^32-3: data starts at 2^32-2 and wraps after two bytes.
        var h = Harness(isn: UInt32.max - 2)
        h.segment(UInt32.max - 1, "ab")
        h.segment(2, "ef")                // out of order, after the wrap
        h.segment(0, "cd")
        #expect(h.sink.stream == "abcdef")
        #expect(h.reassembler.position == 6)
    }

    @Test func acknowledgedHoleBecomesAGap() {
        var h = Harness(isn: 100)
        h.segment(101, "abc")
        h.segment(110, "jkl")             // bytes d..i (6) missing
        h.ack(113)                        // the peer has everything up to l
        #expect(h.sink.stream == "abc??????jkl")
        #expect(h.sink.events.contains(.gap(6, .acknowledged)))
    }

    @Test func holeLeftAtConnectionEndBecomesAGap() {
        var h = Harness(isn: 100)
        h.segment(101, "abc")
        h.segment(106, "fg", fin: true)
        h.flush()
        #expect(h.sink.stream == "abc??fg")
        #expect(h.sink.events.contains(.gap(2, .connectionEnd)))
        #expect(h.reassembler.isFinished)
    }

    @Test func missingTailAcknowledgedByThePeer() {
        var h = Harness(isn: 100)
        h.segment(101, "abc")
        h.ack(107)                        // three more bytes were sent but not captured
        h.flush()
        #expect(h.sink.stream == "abc???")
    }

    @Test func bufferLimitGivesUpOnTheHole() {
        var h = Harness(isn: 100)
        h.segment(101, "ab")
        h.segment(110, String(repeating: "x", count: 100))
        h.reassembler.enforce(limit: 50, origin: ByteOrigin(packet: 9, time: .zero), sink: &h.sink)
        #expect(h.sink.events.contains(.gap(7, .bufferLimit)))
        #expect(h.reassembler.heldBytes == 0)
        #expect(h.sink.stream.hasSuffix(String(repeating: "x", count: 100)))
    }

    @Test func bytesCutBySnapshotLengthAreAGap() {
        var h = Harness(isn: 100)
        h.segment(101, "abc", uncaptured: 5)
        h.segment(109, "xyz")
        #expect(h.sink.stream == "abc?????xyz")
        #expect(h.sink.events.contains(.gap(5, .snapshotLength)))
    }

    @Test func keepAliveProbesAreNotData() {
        var h = Harness(isn: 100)
        h.segment(101, "abc")
        h.segment(103, "\u{0}")           // keep-alive: one garbage byte at position - 1
        #expect(h.sink.stream == "abc")
        #expect(h.sink.conflicts == 0)
    }

    @Test func streamStartsMidwayWithoutSYN() {
        var reassembler = TCPStreamReassembler()
        var sink = RecordingSink()
        Array("mid".utf8).withUnsafeBytes {
            reassembler.receive(sequence: 777_777, payload: $0, fin: false, origin: ByteOrigin(packet: 1, time: .zero), sink: &sink)
        }
        #expect(sink.stream == "mid")
    }
}

@Suite struct HeldSegmentFloodTests {
    struct CountingSink: TCPStreamSink {
        var delivered: [UInt8] = []
        var gaps: UInt64 = 0
        mutating func deliver(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) { delivered += bytes }
        mutating func gap(_ count: UInt64, origin: ByteOrigin, reason: GapReason) { gaps += count }
        mutating func conflict(at offset: UInt64, length: Int, origin: ByteOrigin) {}
    }

    @Test(.timeLimit(.minutes(1)))
    func tinySegmentsInReverseOrderAreHeldAndReleasedInLinearithmicTime() {
        // 200,000 one-byte segments arrive last first, behind a hole at the first byte; then the first byte comes.
        // Held in a sorted array this took quadratic time; each held segment also counts 64 bytes of overhead.
        let count = 200_000
        var reassembler = TCPStreamReassembler()
        reassembler.start(initialSequence: 0)
        var sink = CountingSink()
        let origin = ByteOrigin(packet: 1, time: .zero)
        for index in stride(from: count - 1, through: 1, by: -1) {
            [UInt8(truncatingIfNeeded: index)].withUnsafeBytes {
                reassembler.receive(sequence: UInt32(1 + index), payload: $0, fin: false, origin: origin, sink: &sink)
            }
        }
        #expect(reassembler.heldBytes == (count - 1) * (1 + 64))
        [UInt8(0)].withUnsafeBytes { reassembler.receive(sequence: 1, payload: $0, fin: false, origin: origin, sink: &sink) }
        #expect(sink.delivered.count == count)
        #expect(sink.delivered.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset) })
        #expect(reassembler.heldBytes == 0 && sink.gaps == 0)
    }
}

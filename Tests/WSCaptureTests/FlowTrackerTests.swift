import WSStream
import Testing
import WSCapture
import WSTestSupport

/// Records what the flow tracker reports, per stream.
final class RecordingFactory: ByteStreamFactory {
    final class Observer: ByteStreamObserver {
        let info: StreamInfo
        var bytes: [[UInt8]] = [[], []]
        var gaps: [UInt64] = [0, 0]
        var closed: StreamEnd?
        init(info: StreamInfo) { self.info = info }
        func streamReceived(_ data: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) { bytes[direction.rawValue] += data }
        func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) { gaps[direction.rawValue] += count }
        func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin) {}
        func streamFinished(direction: StreamDirection, origin: ByteOrigin) {}
        func streamStopped(direction: StreamDirection, origin: ByteOrigin) {}
        func streamClosed(_ how: StreamEnd, origin: ByteOrigin, latest: Timestamp) { closed = how }
        func streamStartedMidStream(direction: StreamDirection) {}
    }
    var observers: [Observer] = []
    func streamOpened(_ info: StreamInfo) -> ByteStreamObserver? {
        let observer = Observer(info: info)
        observers.append(observer)
        return observer
    }
}

@Suite struct FlowTrackerTests {
    static func run(_ packets: [CaptureFileWriter.Packet]) -> RecordingFactory {
        let factory = RecordingFactory()
        let tracker = TCPFlowTracker(factory: factory)
        let decoder = PacketDecoder(linkType: .ethernet)
        for (i, packet) in packets.enumerated() {
            packet.bytes.withUnsafeBytes { raw in
                if case .tcp(let segment) = decoder.decode(raw, originalLength: raw.count) {
                    tracker.process(segment, origin: ByteOrigin(packet: i + 1, time: .zero))
                }
            }
        }
        tracker.finish(origin: ByteOrigin(packet: packets.count, time: .zero))
        return factory
    }

    @Test func twoConnectionsBetweenTheSameLoopbackAddressesNeverMix() {
        var a = Conversation(client: .loopback(40001), server: .loopback(8080))
        var b = Conversation(client: .loopback(40002), server: .loopback(8080), clientISN: 1000, serverISN: 5000)
        a.open(); b.open()
        a.send(fromClient: true, Array("from A".utf8))
        b.send(fromClient: true, Array("from B".utf8))
        a.send(fromClient: false, Array("to A".utf8))
        b.send(fromClient: false, Array("to B".utf8))
        // Interleave the two connections packet by packet.
        let pa = a.packets(), pb = b.packets()
        let factory = Self.run(zip(pa, pb).flatMap { [$0, $1] })
        #expect(factory.observers.count == 2)
        #expect(factory.observers[0].bytes == [Array("from A".utf8), Array("to A".utf8)])
        #expect(factory.observers[1].bytes == [Array("from B".utf8), Array("to B".utf8)])
        #expect(factory.observers.map(\.info.stream) == [0, 1])
    }

    @Test func aNewSYNOnTheSameFourTupleStartsANewConnection() {
        var first = Conversation(clientISN: 1000)
        first.open(); first.send(fromClient: true, Array("one".utf8)); first.close()
        var second = Conversation(clientISN: 90_000, serverISN: 7)
        second.open(); second.send(fromClient: true, Array("two".utf8)); second.close()
        let factory = Self.run(first.packets() + second.packets())
        #expect(factory.observers.count == 2)
        #expect(factory.observers[0].bytes[0] == Array("one".utf8))
        #expect(factory.observers[0].closed == .fin)
        #expect(factory.observers[1].bytes[0] == Array("two".utf8))
        #expect(factory.observers[1].info.stream == 1)
    }

    @Test func connectionFirstSeenMidStream() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("hello".utf8))
        c.send(fromClient: false, Array("world".utf8))
        let factory = Self.run(Array(c.packets().dropFirst(3)))
        #expect(factory.observers.count == 1)
        #expect(!factory.observers[0].info.handshakeSeen)
        #expect(factory.observers[0].bytes == [Array("hello".utf8), Array("world".utf8)])
        #expect(factory.observers[0].closed == .captureEnded)
    }

    @Test func resetEndsTheConnection() {
        var c = Conversation()
        c.open(); c.send(fromClient: true, Array("x".utf8)); c.reset(fromClient: false)
        let factory = Self.run(c.packets())
        #expect(factory.observers[0].closed == .reset(by: .fromResponder))
    }

    @Test func retransmittedSYNIsNotANewConnection() {
        var c = Conversation()
        c.open()
        let syn = c.segments[0]
        var segments = c.segments
        segments.insert(syn, at: 1)
        c = Conversation()
        for s in segments { c.append(s) }
        c.send(fromClient: true, Array("a".utf8))
        let factory = Self.run(c.packets())
        #expect(factory.observers.count == 1)
    }
}

@Suite struct ConnectionLimitTests {
    static func run(_ packets: [CaptureFileWriter.Packet], options: TCPFlowTracker.Options) -> (RecordingFactory, TCPFlowTracker) {
        let factory = RecordingFactory()
        let tracker = TCPFlowTracker(factory: factory, options: options)
        let decoder = PacketDecoder(linkType: .ethernet)
        for (i, packet) in packets.enumerated() {
            packet.bytes.withUnsafeBytes { raw in
                if case .tcp(let segment) = decoder.decode(raw, originalLength: raw.count) {
                    tracker.process(segment, origin: ByteOrigin(packet: i + 1, time: .zero))
                }
            }
        }
        return (factory, tracker)
    }

    @Test func theConnectionIdleLongestIsEvicted() {
        // Three connections open with a limit of three; connection 0 then speaks again, so 1 is the idlest when a
        // fourth arrives. A packet of the evicted connection afterwards is followed afresh (mid-stream).
        var c = (0..<4).map { Conversation(client: .loopback(UInt16(41000 + $0)), server: .loopback(8080)) }
        var packets: [CaptureFileWriter.Packet] = []
        func step(_ i: Int, _ action: (inout Conversation) -> Void) {
            let before = c[i].segments.count
            action(&c[i])
            packets += c[i].packets(Array(c[i].segments[before...]))
        }
        for i in 0..<3 { step(i) { $0.open() } }
        step(0) { $0.send(fromClient: true, Array("still here".utf8)) }
        step(3) { $0.open() }
        step(1) { $0.send(fromClient: true, Array("back".utf8)) }
        let (factory, tracker) = Self.run(packets, options: .init(maxConnections: 3))
        #expect(factory.observers.map(\.closed) == [nil, .evicted, .evicted, nil, nil])
        #expect(factory.observers[4].info.stream == 4 && !factory.observers[4].info.handshakeSeen)
        #expect(factory.observers[4].bytes[0] == Array("back".utf8))
        #expect(tracker.evictedConnections == 2)   // 2 made room for connection 1's return
        #expect(tracker.openConnections == 3)
    }

    @Test func aFloodOfConnectionsKeepsTheTableBounded() {
        // 5,000 connections that open and close (SYN … FIN both ways) and 5,000 that open and stay silent.
        var packets: [CaptureFileWriter.Packet] = []
        for i in 0..<10_000 {
            var c = Conversation(client: Endpoint(address: IPAddress(10, 0, UInt8(i >> 8), UInt8(i & 0xFF)), port: 40000), server: .loopback(8080))
            c.open()
            if i % 2 == 0 { c.close() }
            packets += c.packets()
        }
        let (factory, tracker) = Self.run(packets, options: .init(maxConnections: 100))
        #expect(factory.observers.count == 10_000)
        #expect(tracker.openConnections <= 100)
        #expect(tracker.trackedConnections <= 200)
        #expect(tracker.evictedConnections == 5_000 - 100)
    }

    @Test func heldBytesAcrossConnectionsAreCapped() {
        // Two connections each hold 3,000 out-of-order bytes (the first segment after the handshake is missing);
        // the total cap of 4,000 makes the second give its hole up as a gap at once; the per-connection cap does not.
        var packets: [CaptureFileWriter.Packet] = []
        for i in 0..<2 {
            var c = Conversation(client: .loopback(UInt16(42000 + i)), server: .loopback(8080))
            c.open()
            c.send(fromClient: true, [UInt8](repeating: 0x61, count: 100))
            c.send(fromClient: true, [UInt8](repeating: 0x62, count: 3_000))
            var p = c.packets()
            p.remove(at: 3)   // lose the 100-byte segment (after SYN, SYN-ACK, ACK)
            packets += p
        }
        let (factory, tracker) = Self.run(packets, options: .init(maxBuffer: 16 << 20, maxBufferTotal: 4_000))
        #expect(factory.observers[0].gaps[0] == 0 && factory.observers[0].bytes[0].isEmpty)
        #expect(factory.observers[1].gaps[0] == 100 && factory.observers[1].bytes[0].count == 3_000)
        #expect(tracker.heldBytes == 3_000 + 3 * 64)   // bytes plus the per-segment overhead
    }
}

@Suite struct MidStreamOrderTests {
    @Test func aSegmentWhollyBeforeAMidStreamStartIsIgnored() {
        // Handshake not captured; "second" arrives before "first", so the stream starts at "second" and "first"
        // lies entirely before it (found by the reversed-capture variant of CorruptedCaptureTests: it trapped).
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("first".utf8))
        c.send(fromClient: true, Array("second".utf8))
        let p = c.packets()
        let factory = FlowTrackerTests.run([p[4], p[3]])
        #expect(factory.observers[0].bytes[0] == Array("second".utf8))
    }
}

import Testing
import WSCapture
import WSTestSupport

/// Records what the flow tracker reports, per stream.
final class RecordingFactory: TCPConnectionFactory {
    final class Observer: TCPConnectionObserver {
        let info: TCPConnectionInfo
        var bytes: [[UInt8]] = [[], []]
        var gaps: [UInt64] = [0, 0]
        var closed: TCPClose?
        init(info: TCPConnectionInfo) { self.info = info }
        func tcpReceived(_ data: UnsafeRawBufferPointer, direction: TCPDirection, origin: PacketOrigin) { bytes[direction.rawValue] += data }
        func tcpGap(_ count: UInt64, direction: TCPDirection, origin: PacketOrigin, reason: GapReason) { gaps[direction.rawValue] += count }
        func tcpConflict(at offset: UInt64, length: Int, direction: TCPDirection, origin: PacketOrigin) {}
        func tcpFinished(direction: TCPDirection, origin: PacketOrigin) {}
        func tcpClosed(_ how: TCPClose, origin: PacketOrigin) { closed = how }
    }
    var observers: [Observer] = []
    func tcpConnectionOpened(_ info: TCPConnectionInfo) -> TCPConnectionObserver? {
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
                    tracker.process(segment, origin: PacketOrigin(packet: i + 1, time: .zero))
                }
            }
        }
        tracker.finish(origin: PacketOrigin(packet: packets.count, time: .zero))
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

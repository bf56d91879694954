import WSStream
import Foundation
import Testing
import WSCapture
import WSTestSupport

@Suite struct CaptureFileTests {
    static func packets() -> [CaptureFileWriter.Packet] {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("hello".utf8))
        return c.packets().enumerated().map { i, p in
            CaptureFileWriter.Packet(seconds: 1_700_000_000 + UInt32(i), nanoseconds: 123_456_789, bytes: p.bytes)
        }
    }

    static func read(_ path: String) throws -> [(Timestamp, Int)] {
        let source = try CaptureSource.openFile(path)
        var out: [(Timestamp, Int)] = []
        while case .packet(let packet) = try source.next() { out.append((packet.time, packet.bytes.count)) }
        return out
    }

    @Test func classicPcapWithMicroseconds() throws {
        let path = try CaptureFileWriter.write(Self.packets(), linkType: 1, format: .pcapMicroseconds)
        let read = try Self.read(path)
        #expect(read.count == 4)
        #expect(read[0].0 == Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000))
    }

    @Test func classicPcapWithNanoseconds() throws {
        let path = try CaptureFileWriter.write(Self.packets(), linkType: 1, format: .pcapNanoseconds)
        let read = try Self.read(path)
        #expect(read[3].0 == Timestamp(seconds: 1_700_000_003, nanoseconds: 123_456_789))
    }

    @Test func pcapng() throws {
        let path = try CaptureFileWriter.write(Self.packets(), linkType: 1, format: .pcapng, name: "x.pcapng")
        let source = try CaptureSource.openFile(path)
        #expect(try source.linkType() == .ethernet)
        let read = try Self.read(path)
        #expect(read.count == 4)
        #expect(read[1].0 == Timestamp(seconds: 1_700_000_001, nanoseconds: 123_456_789))
    }

    @Test func unsupportedLinkTypeIsNamed() throws {
        let path = try CaptureFileWriter.write(Self.packets(), linkType: 105)   // IEEE 802.11
        let source = try CaptureSource.openFile(path)
        #expect(throws: CaptureError.unsupportedLinkType(value: 105, name: "IEEE802_11")) { try source.linkType() }
        #expect(CaptureError.unsupportedLinkType(value: 105, name: "IEEE802_11").description.hasPrefix("unsupported link type 105 (IEEE802_11)"))
    }

    @Test func notACaptureIsAClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-capture-\(UUID().uuidString).txt")
        try Data("hello, I am text".utf8).write(to: url)
        do {
            _ = try CaptureSource.openFile(url.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("cannot read capture"))
        }
    }

    @Test func truncatedFileReportsThePacketWhereItStopped() throws {
        var bytes = CaptureFileWriter.data(Self.packets(), linkType: 1)
        bytes.removeLast(10)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).pcap")
        try Data(bytes).write(to: url)
        let source = try CaptureSource.openFile(url.path)
        var count = 0
        do {
            while case .packet = try source.next() { count += 1 }
            Issue.record("expected a read error")
        } catch {
            #expect(count == 3)
            #expect(error.description.hasPrefix("capture truncated at packet 4"))
        }
    }

    @Test func badFilterIsAClearError() throws {
        let path = try CaptureFileWriter.write(Self.packets(), linkType: 1)
        let source = try CaptureSource.openFile(path)
        do {
            try source.setFilter("tcp port banana")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("bad capture filter \"tcp port banana\""))
        }
        try source.setFilter("tcp port 8080")
    }
}

import WSStream
import Foundation
import Testing
import WSCapture
import WSTestSupport

/// The reader thread must hand over exactly what a direct read gives, in order, however packets fall into batches.
@Suite struct PacketPrefetcherTests {
    struct Seen: Equatable {
        let number: Int
        let time: Timestamp
        let bytes: [UInt8]
        let originalLength: Int
    }

    /// Packets of varied sizes: tiny, MSS-sized, and a few larger than a (small) batch.
    static func packets(count: Int) -> [CaptureFileWriter.Packet] {
        (0..<count).map { i in
            let size = i % 97 == 5 ? 9_000 + i : (i * 37) % 1_500
            return CaptureFileWriter.Packet(seconds: 1_700_000_000 + UInt32(i / 10), nanoseconds: UInt32(i * 1_000),
                                            bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) },
                                            originalLength: size + (i % 3))
        }
    }

    static func direct(_ path: String) throws -> [Seen] {
        let source = try CaptureSource.openFile(path)
        var seen: [Seen] = []
        while case .packet(let p) = try source.next() {
            seen.append(Seen(number: p.number, time: p.time, bytes: Array(p.bytes), originalLength: p.originalLength))
        }
        return seen
    }

    static func prefetched(_ path: String, batchBytes: Int, depth: Int, byBatch: Bool) throws -> [Seen] {
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(path), batchBytes: batchBytes, depth: depth)
        #expect(prefetcher.start())
        var seen: [Seen] = []
        if byBatch {
            reading: while true {
                switch try prefetcher.consumeBatch({ p in
                    seen.append(Seen(number: p.number, time: p.time, bytes: Array(p.bytes), originalLength: p.originalLength))
                    return true
                }) {
                case .more, .timeout: continue
                case .end, .stopped: break reading
                }
            }
        } else {
            while true {
                let result = try prefetcher.next()
                if case .packet(let p) = result {
                    seen.append(Seen(number: p.number, time: p.time, bytes: Array(p.bytes), originalLength: p.originalLength))
                } else if case .end = result {
                    break
                }
            }
        }
        return seen
    }

    @Test(arguments: [(4_096, 2, false), (4_096, 3, true), (4_096, 8, true), (256 << 10, 4, true)])
    func handsOverWhatADirectReadGives(batchBytes: Int, depth: Int, byBatch: Bool) throws {
        let path = try CaptureFileWriter.write(Self.packets(count: 1_500), linkType: 1, format: .pcapNanoseconds)
        let expected = try Self.direct(path)
        #expect(expected.count == 1_500)
        #expect(try Self.prefetched(path, batchBytes: batchBytes, depth: depth, byBatch: byBatch) == expected)
    }

    /// A consumer slower than the reader: the reader fills the queue, sleeps until half of it is free, and is
    /// woken then (not on every batch); nothing is lost or reordered on the way.
    @Test(arguments: [2, 5, 8])
    func aSlowConsumerWakesTheReaderAtHalfAQueue(depth: Int) throws {
        let path = try CaptureFileWriter.write(Self.packets(count: 600), linkType: 1, format: .pcapNanoseconds)
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(path), batchBytes: 4_096, depth: depth)
        #expect(prefetcher.start())
        var seen: [Seen] = []
        reading: while true {
            usleep(300)   // the reader gets ahead and finds the queue full
            switch try prefetcher.consumeBatch({ p in
                seen.append(Seen(number: p.number, time: p.time, bytes: Array(p.bytes), originalLength: p.originalLength))
                return true
            }) {
            case .more, .timeout: continue
            case .end, .stopped: break reading
            }
        }
        prefetcher.stop()
        #expect(seen == (try Self.direct(path)))
    }

    /// A file cut inside a record: every whole packet first, then the read error (as a direct read reports it).
    @Test func aTruncatedFileEndsWithTheReadError() throws {
        var bytes = CaptureFileWriter.data(Self.packets(count: 300), linkType: 1)
        bytes.removeLast(700)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).pcap")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(url.path), batchBytes: 8_192, depth: 2)
        #expect(prefetcher.start())
        var count = 0
        var failure: CaptureError?
        do {
            while true {
                let result = try prefetcher.next()
                if case .packet = result { count += 1 } else if case .end = result { break }
            }
        } catch {
            failure = error
        }
        guard case .readFailed(let read, _)? = failure else { Issue.record("expected a read error, got \(String(describing: failure))"); return }
        #expect(read == count)
        #expect(count > 250 && count < 300)
        // The reader thread hands the failure over as C text; the error is the one a direct read throws.
        let direct = try CaptureSource.openFile(url.path)
        var directFailure: CaptureError?
        do {
            while case .packet = try direct.next() {}
        } catch {
            directFailure = error
        }
        #expect(failure == directFailure)
    }

    /// `stopCapturing` on a file: the batches read so far are handed over, then the end (no error).
    @Test func stopCapturingEndsAfterWhatWasRead() throws {
        let path = try CaptureFileWriter.write(Self.packets(count: 3_000), linkType: 1)
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(path), batchBytes: 4_096, depth: 2)
        #expect(prefetcher.start())
        var numbers: [Int] = []
        _ = try prefetcher.consumeBatch { numbers.append($0.number); return true }
        prefetcher.stopCapturing()
        reading: while true {
            switch try prefetcher.consumeBatch({ numbers.append($0.number); return true }) {
            case .more, .timeout: continue
            case .end, .stopped: break reading
            }
        }
        #expect(numbers == Array(1...numbers.count))
        #expect(numbers.count < 3_000)
    }

    /// `whenDrained` runs only when the consumer has caught up and is about to wait, never while batches are queued
    /// (live output is flushed there).
    @Test func whenDrainedDoesNotRunWhileBatchesAreQueued() throws {
        let path = try CaptureFileWriter.write(Self.packets(count: 1_000), linkType: 1)
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(path), batchBytes: 4_096, depth: 3)
        #expect(prefetcher.start())
        usleep(300_000)   // the reader fills the queue (three batches) and waits
        var drained = 0
        for _ in 0..<3 {
            #expect(try prefetcher.consumeBatch(whenDrained: { drained += 1 }, { _ in true }) == .more)
        }
        #expect(drained == 0)
    }

    /// Stopping early (a frame limit, Ctrl-C) joins the reader thread without reading the rest.
    @Test func stopsEarly() throws {
        let path = try CaptureFileWriter.write(Self.packets(count: 3_000), linkType: 1)
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(path), batchBytes: 4_096, depth: 2)
        #expect(prefetcher.start())
        var count = 0
        _ = try prefetcher.consumeBatch { _ in
            count += 1
            return count < 3
        }
        prefetcher.stop()
        #expect(count == 3)
    }

    /// With a decoder, packets arrive decoded, with the digest of their TCP payload.
    @Test func decodesAheadWhenGivenADecoder() throws {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("hello, world".utf8))
        let path = try CaptureFileWriter.write(c.packets(), linkType: 1)
        let prefetcher = PacketPrefetcher(source: try CaptureSource.openFile(path), decoder: PacketDecoder(linkType: .ethernet))
        #expect(prefetcher.start())
        var payloads: [(String, UInt64?)] = []
        while case .packet(let p) = try prefetcher.next() {
            guard case .tcp(let segment)? = p.decoded else { Issue.record("not decoded"); continue }
            if !segment.payload.isEmpty {
                payloads.append((String(decoding: segment.payload, as: UTF8.self), p.payloadDigest))
            }
        }
        #expect(payloads.count == 1)
        #expect(payloads.first?.0 == "hello, world")
        #expect(payloads.first?.1 == Array("hello, world".utf8).withUnsafeBytes { DeliveryHistory.digest($0) })
    }
}

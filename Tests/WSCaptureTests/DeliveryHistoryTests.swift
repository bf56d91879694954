import WSStream
import Testing
import WSTestSupport
@testable import WSCapture

/// Retransmission checks against what was delivered: the exact tail answers byte-exactly; older chunks are
/// compared by digest when a retransmission covers them whole.
@Suite struct DeliveryHistoryTests {
    @Test func anOldSegmentRetransmittedWithOtherBytesIsAConflict() {
        var h = Harness(isn: 0)
        let first = String(repeating: "a", count: 1_000), second = String(repeating: "b", count: 1_000)
        h.segment(1, first)
        h.segment(1_001, second)
        h.segment(1, String(repeating: "a", count: 999) + "X")   // the first segment again, its last byte changed
        #expect(h.sink.conflicts == 1)
        // Beyond the exact tail, the digest knows which segment differs, not which byte: reported from its start.
        #expect(h.sink.events.last == .conflict(offset: 0, length: 1_000))
        #expect(h.sink.stream == first + second)
    }

    @Test func anIdenticalOldRetransmissionIsNoConflict() {
        var h = Harness(isn: 0)
        h.segment(1, String(repeating: "a", count: 1_000))
        h.segment(1_001, String(repeating: "b", count: 1_000))
        h.segment(1, String(repeating: "a", count: 1_000))
        h.segment(1, String(repeating: "a", count: 1_000) + String(repeating: "b", count: 1_000))
        #expect(h.sink.conflicts == 0)
        #expect(h.reassembler.statistics.retransmittedBytes == 3_000)
    }

    @Test func recentBytesAreComparedExactly() {
        var h = Harness(isn: 0)
        h.segment(1, String(repeating: "a", count: 1_000))
        h.segment(1_001 - 10, "aaaaaaaaXa")   // the last ten bytes again, one changed: exact position
        #expect(h.sink.events.last == .conflict(offset: 998, length: 2))
    }

    @Test func theDigestSeesEveryChangedByte() {
        let base = (0..<700).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let digest = base.withUnsafeBytes { DeliveryHistory.digest($0) }
        for i in stride(from: 0, to: base.count, by: 13) {
            var changed = base
            changed[i] ^= 0x01
            #expect(changed.withUnsafeBytes { DeliveryHistory.digest($0) } != digest, "byte \(i)")
        }
        // Length matters, and so does order.
        #expect(Array(base.dropLast()).withUnsafeBytes { DeliveryHistory.digest($0) } != digest)
        var swapped = base
        swapped.swapAt(0, 8)
        #expect(swapped.withUnsafeBytes { DeliveryHistory.digest($0) } != digest)
    }
}

/// The connection table: keys that differ only in ports (loopback) spread out, and lookups survive growth.
@Suite struct FlowTableTests {
    final class Box { let value: Int; init(_ value: Int) { self.value = value } }

    @Test func findsEveryKeyAfterGrowing() {
        var table = FlowTable<Box>(capacity: 8)
        let server = Endpoint.loopback(8080)
        for port in 20_000..<22_000 {
            table.set(Box(port), for: FlowKey(Endpoint.loopback(UInt16(port)), server))
        }
        #expect(table.count == 2_000)
        for port in 20_000..<22_000 {
            // Either direction finds the same entry.
            #expect(table.find(FlowKey(server, Endpoint.loopback(UInt16(port))))?.value == port)
        }
        #expect(table.find(FlowKey(Endpoint.loopback(1), server)) == nil)
    }

    @Test func setReplacesAnEntry() {
        var table = FlowTable<Box>()
        let key = FlowKey(Endpoint.loopback(1), Endpoint.loopback(2))
        table.set(Box(1), for: key)
        table.set(Box(2), for: key)
        #expect(table.count == 1)
        #expect(table.find(key)?.value == 2)
        #expect(table.values.count == 1)
    }
}

@Suite struct FlowTableRemovalTests {
    final class Box { let value: Int; init(_ value: Int) { self.value = value } }

    @Test func removalKeepsEveryOtherKeyFindable() {
        // A small table (long probe runs) against a Dictionary model, with inserts and removals mixed.
        var table = FlowTable<Box>(capacity: 8)
        var model: [Int: Box] = [:]
        var random = SystemRandomNumberGenerator()
        let server = Endpoint.loopback(8080)
        func key(_ port: Int) -> FlowKey { FlowKey(Endpoint.loopback(UInt16(port)), server) }
        for step in 0..<20_000 {
            let port = Int.random(in: 1...600, using: &random)
            if let box = model[port], step % 3 != 0 {
                table.remove(key(port), ifHolding: box)
                model[port] = nil
            } else {
                let box = Box(port)
                table.set(box, for: key(port))
                model[port] = box
            }
        }
        #expect(table.count == model.count)
        for port in 1...600 {
            #expect(table.find(key(port)) === model[port], "port \(port)")
        }
    }

    @Test func removalLeavesANewerEntryAlone() {
        var table = FlowTable<Box>()
        let key = FlowKey(Endpoint.loopback(1), Endpoint.loopback(2))
        let old = Box(1), new = Box(2)
        table.set(old, for: key)
        table.set(new, for: key)
        table.remove(key, ifHolding: old)
        #expect(table.find(key) === new)
    }
}

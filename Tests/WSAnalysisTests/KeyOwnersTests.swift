import Testing
@testable import WSAnalysis

/// The memory of Sec-WebSocket-Keys that finds a key used twice stays bounded.
@Suite struct KeyOwnersTests {
    @Test func aKeyUsedTwiceNamesTheFirstConnection() {
        var owners = KeyOwners()
        #expect(owners.note("k1", stream: 0) == nil)
        #expect(owners.note("k2", stream: 1) == nil)
        #expect(owners.note("k1", stream: 5) == 0)
        #expect(owners.note("k1", stream: 0) == nil)   // the same connection again is no reuse
    }

    @Test func theOldestKeysAreForgottenBeyondTheCapacity() {
        var owners = KeyOwners(capacity: 100)
        for stream in 0..<10_000 { _ = owners.note("key \(stream)", stream: stream) }
        #expect(owners.count == 100)
        #expect(owners.note("key 9999", stream: 10_000) == 9999)   // recent: remembered
        #expect(owners.note("key 0", stream: 10_001) == nil)       // long gone
    }
}

import Testing
@testable import WSAnalysis
import WSTestSupport
import WSWire

/// The bit-level DEFLATE walk behind `pmd-missing-sync-flush`, `pmd-bad-bfinal-padding` and the window check of
/// `pmd-window-exceeded`, on RFC 7692 §7.2.3's payloads and on payloads broken one way each.
@Suite struct DeflateWalkerTests {
    static func walk(_ hex: String, windowBits: Int = 15, chunk: Int = .max) -> DeflateWalker.Result {
        walk(bytes(hex), windowBits: windowBits, chunk: chunk)
    }

    static func walk(_ bytes: [UInt8], windowBits: Int = 15, chunk: Int = .max) -> DeflateWalker.Result {
        var walker = DeflateWalker(windowBits: windowBits)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { walker.feed($0) }
            start = end
        }
        return walker.finish()
    }

    /// RFC 7692 §7.2.3's payloads: nothing to say, whatever the chunks.
    @Test(arguments: [
        ("f2 48 cd c9 c9 07 00", 5),                          // §7.2.3.1 "Hello"
        ("f2 00 11 00 00", 5),                                // §7.2.3.2 "Hello" again, referring to the first (a 5-byte match)
        ("00 05 00 fa ff 48 65 6c 6c 6f 00", 5),              // §7.2.3.3 a stored block
        ("f3 48 cd c9 c9 07 00 00", 5),                       // §7.2.3.4 a BFINAL block and the empty stored block's 00
        ("f2 48 05 00 00 00 ff ff ca c9 c9 07 00", 5),        // §7.2.3.5 two blocks ("He", "llo")
        ("00", 0),                                            // §7.2.3.6 an empty message
    ])
    func theRFCExamplesAreSilent(hex: String, length: Int) {
        for chunk in [1, 2, 3, .max] {
            var result = Self.walk(hex, chunk: chunk)
            // (§7.2.3.2 refers back to the previous message: the walk counts, zlib checks the history.)
            #expect(result.length == length, "\(hex) chunk \(chunk)")
            result.length = 0
            #expect(result == DeflateWalker.Result(), "\(hex) chunk \(chunk)")
        }
    }

    @Test func aBFINALBlockWithoutTheEmptyStoredBlockMissesTheSyncFlush() {
        // f3 48 cd c9 c9 07 00: "Hello" as a BFINAL block (zlib's Z_FINISH), without the 00 RFC 7692 §7.2.3.4 adds.
        #expect(Self.walk("f3 48 cd c9 c9 07 00").missingSyncFlush?.contains("not followed by the empty stored block") == true)
        // …followed by bytes that are no empty stored block (receivers ignore them).
        #expect(Self.walk("f3 48 cd c9 c9 07 00 ff ff ff").missingSyncFlush?.contains("are not the header of an empty stored block") == true)
    }

    @Test func dataThatStopsInsideABlockMissesTheSyncFlush() {
        // f2 48 cd c9 c9 07: "Hello" in a fixed block whose end-of-block code is cut (no flush at all).
        let result = Self.walk("f2 48 cd c9 c9 07")
        #expect(result.missingSyncFlush?.contains("does not end with an empty stored block") == true)
        #expect(result.malformed == nil)
    }

    @Test func aBFINALBlockPaddedWrongly() {
        // The BFINAL block of "Hello" ends 2 bits into its 7th byte: fc sets the 6 padding bits (00 clears them).
        #expect(Self.walk("f3 48 cd c9 c9 07 fc 00").badPadding?.contains("6 bits") == true)
        // Two zero bytes after the block, where one (the empty stored block's header) is all there should be.
        #expect(Self.walk("f3 48 cd c9 c9 07 00 00 00").badPadding?.contains("1 zero byte more") == true)
    }

    @Test func aBackReferenceBeyondTheWindowInsideOneMessage() {
        // 300 distinct bytes, then their first 40 again: zlib matches them 300 bytes back, beyond a 256-byte window.
        var generator = SplitMix64(seed: 3)
        let random = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let data = Deflater().compress(random + random.prefix(40))
        #expect(Self.walk(data, windowBits: 8).tooFar == 300)
        #expect(Self.walk(data, windowBits: 9).tooFar == nil)
        #expect(Self.walk(data, windowBits: 8).length == 340)
    }

    /// Dynamic, fixed and stored blocks as zlib writes them: the walk counts what zlib inflates, and finds nothing.
    @Test func zlibsOwnOutputIsSilentAndCountedRight() {
        var generator = SplitMix64(seed: 11)
        let deflater = Deflater()
        for round in 0..<60 {
            deflater.reset()
            let length = Int(generator.next() % 70_000)
            let alphabet = Int(generator.next() % 40) + 2   // few symbols compress into dynamic blocks
            let input = (0..<length).map { _ in round % 5 == 0 ? UInt8(truncatingIfNeeded: generator.next())
                                                               : UInt8(97 + Int(generator.next() % UInt64(alphabet))) }
            let compressed = deflater.compress(input)
            for chunk in [1448, .max] {
                let result = Self.walk(compressed, chunk: chunk)
                #expect(result.length == length && result.missingSyncFlush == nil && result.badPadding == nil && result.malformed == nil,
                        "round \(round) chunk \(chunk): \(result)")
            }
        }
    }

    @Test func malformedDataIsLeftToZlib() {
        // ff: BFINAL 1, BTYPE 11 (reserved).
        let result = Self.walk("ff ff ff")
        #expect(result.malformed != nil && result.missingSyncFlush == nil)
    }
}

/// The walk's findings as `frame --deflate` reports them: on the message, beside zlib's.
@Suite struct DeflateWalkFindingTests {
    static func rules(_ hex: String, windowBits: Int = 15) -> [String] {
        let collector = EventCollector()
        PastedFrames(options: PastedFrames.Options(sender: .server, deflate: DeflateSettings(windowBits: windowBits)), sink: collector)
            .analyse(bytes(hex))
        return collector.events.compactMap { if case .message(let m) = $0 { return m.message } else { return nil } }
            .flatMap(\.diagnostics).map(\.rule.id)
    }

    @Test func eachWalkFindingOnAMessage() {
        // c1 08 + RFC 7692 §7.2.3.4's BFINAL "Hello" and its 00: fine; without the 00; with its padding bits set.
        #expect(Self.rules("c1 08 f3 48 cd c9 c9 07 00 00").isEmpty)
        #expect(Self.rules("c1 07 f3 48 cd c9 c9 07 00") == ["pmd-missing-sync-flush"])
        #expect(Self.rules("c1 08 f3 48 cd c9 c9 07 fc 00") == ["pmd-bad-bfinal-padding"])
        // The trailer left in is its own finding, not also a missing sync flush.
        #expect(Self.rules("c1 0b f2 48 cd c9 c9 07 00 00 00 ff ff") == ["pmd-trailer-not-removed"])
    }

    /// pmd-window-exceeded inside one message, which zlib lets pass (the reference is inside its output buffer).
    @Test func aBackReferenceBeyondTheWindowInsideOneMessage() {
        var generator = SplitMix64(seed: 3)
        let random = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let data = Deflater().compress(random + random.prefix(40))
        let frame = Hex.string(WebSocketBytes.frame(rsv: 4, opcode: 2, payload: data), separator: " ")
        #expect(Self.rules(frame, windowBits: 8) == ["pmd-window-exceeded"])
        #expect(Self.rules(frame, windowBits: 9).isEmpty)
    }
}

/// Large messages are walked as they stream by (past 64 KiB), small ones at their end only when zlib did not end
/// cleanly: the findings are the same either way.
@Suite struct DeflateWalkPathTests {
    static func rules(_ payload: [UInt8]) -> [String] {
        let collector = EventCollector()
        PastedFrames(options: PastedFrames.Options(sender: .server, deflate: DeflateSettings()), sink: collector)
            .analyse(WebSocketBytes.frame(rsv: 4, opcode: 2, payload: payload))
        return collector.events.compactMap { if case .message(let m) = $0 { return m.message } else { return nil } }
            .flatMap(\.diagnostics).map(\.rule.id)
    }

    @Test(arguments: [1_000, 200_000])
    func aMessageWithoutItsLastByteMissesTheSyncFlush(size: Int) {
        // Random bytes compress to stored blocks; the sync flush's empty stored block is the final 00 (its header).
        var generator = SplitMix64(seed: UInt64(size))
        let data = Deflater().compress((0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        #expect(data.count > size && data.last == 0x00)
        #expect(Self.rules(data).isEmpty, "size \(size)")
        #expect(Self.rules(Array(data.dropLast())) == ["pmd-missing-sync-flush"], "size \(size)")
    }
}

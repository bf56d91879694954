import Testing
import WSTestSupport
import WSWire

@Suite struct FrameParserTests {
    /// A stream with every length form, masking, control frames between fragments.
    static let stream: [UInt8] =
        makeFrame(opcode: 0x1, key: [1, 2, 3, 4], payload: Array("Hello".utf8))
        + makeFrame(fin: false, opcode: 0x2, payload: Array(repeating: 7, count: 300))
        + makeFrame(opcode: 0x9, key: [9, 9, 9, 9], payload: Array("ping".utf8))
        + makeFrame(opcode: 0x0, payload: Array(repeating: 8, count: 70_000))
        + makeFrame(opcode: 0x8, payload: [0x03, 0xE8] + Array("bye".utf8))
        + makeFrame(opcode: 0x2, key: [0xAA, 0xBB, 0xCC, 0xDD], payload: [])

    struct Summary: Equatable {
        let header: FrameHeader
        let offset: UInt64
        let payload: [UInt8]
        let rules: [String]
    }

    static func summaries(_ c: FrameCollector) -> [Summary] {
        c.frames.map { Summary(header: $0.header, offset: $0.offset, payload: $0.payload, rules: ruleIDs($0)) }
    }

    @Test func oneByteAtATimeEqualsWholeBuffer() {
        let whole = Self.summaries(decode(Self.stream))
        #expect(whole.count == 6)
        let bytewise = Self.summaries(decode(Self.stream, chunks: [1]))
        #expect(bytewise == whole)
    }

    @Test func randomChunkingsEqualWholeBuffer() {
        let whole = Self.summaries(decode(Self.stream))
        var rng = SplitMix64(seed: 42)
        for _ in 0..<50 {
            let sizes = (0..<7).map { _ in Int.random(in: 1...3000, using: &rng) }
            #expect(Self.summaries(decode(Self.stream, chunks: sizes)) == whole)
        }
    }

    @Test func needMoreReportsWhatIsMissing() {
        var parser = FrameParser()
        var index = 0
        let empty: [UInt8] = []
        empty.withUnsafeBytes { #expect(parser.next($0, index: &index) == .needMore(2)) }
        // 81 FE = FIN text, masked, 16-bit length: header is 2 + 2 + 4 = 8 bytes
        let start: [UInt8] = [0x81, 0xFE]
        index = 0
        start.withUnsafeBytes { #expect(parser.next($0, index: &index) == .needMore(6)) }
        #expect(parser.progress == .header(have: 2, need: 8, offset: 0))
        // 00 0A = 10 bytes; key 01 02 03 04
        let rest: [UInt8] = [0x00, 0x0A, 1, 2, 3, 4]
        index = 0
        rest.withUnsafeBytes { buffer in
            guard case .header(let header, 0) = parser.next(buffer, index: &index) else {
                Issue.record("expected a header"); return
            }
            #expect(header.payloadLength == 10)
            #expect(parser.next(buffer, index: &index) == .needMore(10))
        }
        #expect(parser.progress == .payload(have: 0, declared: 10))
    }

    @Test func truncationAtEveryBytePosition() {
        // 82 FE 01 2C (masked binary, 300 bytes) + key: an 8-byte header, then 300 bytes
        let frame = makeFrame(opcode: 0x2, key: [5, 6, 7, 8], payload: (0..<300).map { UInt8($0 & 0xFF) })
        for cut in 0..<frame.count {
            let result = decode(Array(frame[..<cut]))
            if cut == 0 {
                #expect(result.frames.isEmpty && result.truncatedHeader == nil)
            } else if cut < 8 {
                #expect(result.frames.isEmpty)
                #expect(result.truncatedHeader?.bytes.count == cut)
                #expect(result.truncatedHeader?.needed == (cut < 2 ? 2 : 8))
                #expect(result.truncatedHeader?.diagnostic.rule == .inputEnded)   // the input just stops: nobody is blamed
            } else {
                #expect(result.frames.count == 1)
                let f = result.frames[0]
                #expect(!f.isComplete)
                #expect(f.payloadReceived == UInt64(cut - 8))
                #expect(f.missingDescription == "payload needs 300 bytes, \(cut - 8) present")
                #expect(ruleIDs(f) == ["input-ended"])
                #expect(f.payload == (0..<(cut - 8)).map { UInt8($0 & 0xFF) })
            }
        }
        let whole = decode(frame)
        #expect(whole.frames.count == 1 && whole.frames[0].isComplete && whole.frames[0].diagnostics.isEmpty)
    }

    @Test(arguments: [UInt64(1) << 63, UInt64.max])
    func hugeDeclaredLengthsCostNothing(length: UInt64) {
        // 82 7F + 8-byte length with the MSB set, then 3 payload bytes
        var bytes: [UInt8] = [0x82, 0x7F]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((length >> UInt64(shift)) & 0xFF)) }
        bytes += [1, 2, 3]
        let result = decode(bytes)
        #expect(result.frames.count == 1)
        let frame = result.frames[0]
        #expect(frame.header.payloadLength == length)
        #expect(frame.header.lengthMSBSet)
        #expect(frame.payload == [1, 2, 3])
        #expect(frame.payload.capacity < 1 << 20)
        #expect(ruleIDs(frame) == ["length-msb-set", "input-ended"])
        #expect(frame.missingBytes == length - 3)
    }

    @Test func payloadLimitKeepsOnlyAPrefixButCountsEverything() {
        let payload = Array(repeating: UInt8(ascii: "a"), count: 1000)
        let frame = decode(makeFrame(opcode: 0x1, key: [1, 2, 3, 4], payload: payload), limit: 64).frames[0]
        #expect(frame.payload.count == 64)
        #expect(frame.payloadReceived == 1000)
        #expect(frame.payloadIsCut)
        #expect(frame.text == String(repeating: "a", count: 64))
        // Control frames are kept whole whatever the limit.
        let close = decode(makeFrame(opcode: 0x8, payload: [0x03, 0xE8] + Array("x".utf8)), limit: 0).frames[0]
        #expect(close.close?.code == .normalClosure)
        #expect(close.close?.reason == "x")
    }

    @Test func textCutByTheLimitEndsOnACharacterBoundary() {
        // "你好" is 6 bytes; a 4-byte limit keeps "你" and one byte of "好"
        let frame = decode(makeFrame(opcode: 0x1, payload: Array("你好".utf8)), limit: 4).frames[0]
        #expect(frame.text == "你")
    }

    @Test func manyFramesInOneBuffer() {
        let one = makeFrame(opcode: 0x1, payload: [0x61])
        let bytes = Array([[UInt8]](repeating: one, count: 100_000).joined())
        let result = decode(bytes)
        #expect(result.frames.count == 100_000)
        #expect(result.frames.last?.offset == 299_997)
    }

    @Test func resetAfterAGapStartsAfresh() {
        var decoder = FrameDecoder()
        var collector = FrameCollector()
        decoder.feed([0x81, 0x05, 0x48], into: &collector)
        let abandoned = decoder.reset(at: 100)
        #expect(abandoned?.payloadReceived == 1)
        decoder.feed([0x81, 0x01, 0x41], into: &collector)
        decoder.finish(into: &collector)
        #expect(collector.frames.count == 1)
        #expect(collector.frames[0].offset == 100)
        #expect(collector.frames[0].text == "A")
    }

    @Test func headerParsesAllForms() {
        // 7-bit, unmasked
        let h1 = [UInt8]([0x82, 0x05]).withUnsafeBytes { FrameHeader.parse($0) }
        #expect(h1?.headerLength == 2 && h1?.payloadLength == 5)
        // 16-bit, masked
        let h2 = [UInt8]([0x82, 0xFE, 0x01, 0x00, 1, 2, 3, 4]).withUnsafeBytes { FrameHeader.parse($0) }
        #expect(h2?.headerLength == 8 && h2?.payloadLength == 256 && h2?.maskingKey == MaskingKey(1, 2, 3, 4))
        #expect(h2?.bytes == [0x82, 0xFE, 0x01, 0x00, 1, 2, 3, 4])
        // too short
        let h3 = [UInt8]([0x82, 0xFE, 0x01]).withUnsafeBytes { FrameHeader.parse($0) }
        #expect(h3 == nil)
    }
}

@Suite struct FrameFloodTests {
    struct CountingSink: FrameSink {
        var frames = 0
        var lastOffset: UInt64 = 0
        var diagnostics = 0
        mutating func frameDidEnd(_ frame: consuming Frame) {
            frames += 1
            lastOffset = frame.offset
            diagnostics += frame.diagnostics.count
        }
    }

    @Test func aMillionTinyFramesInOneBufferDecodeInOnePass() {
        // 81 00 × 1,000,000: empty final text frames from the server, 2 MB handed over in one call (as one huge
        // segment would be). The decoder loops; it does not recurse, and keeps nothing per frame.
        let bytes = (0..<2_000_000).map { $0 % 2 == 0 ? UInt8(0x81) : UInt8(0x00) }
        var decoder = FrameDecoder(context: FrameRuleContext(sender: .server))
        var sink = CountingSink()
        decoder.feed(bytes, into: &sink)
        decoder.finish(into: &sink)
        #expect(sink.frames == 1_000_000)
        #expect(sink.lastOffset == 1_999_998)
        #expect(sink.diagnostics == 0)
    }
}

import Testing
import WSAnalysis
import WSTestSupport
import WSWire

/// Runs frames (given as bytes) through the frame decoder and the message assembler, as one direction would.
struct Pipeline {
    var assembler: MessageAssembler
    var frames: [Frame] = []
    var messages: [Message] = []
    /// Each frame's place in its message, as `MessageAssembler.lastFrameInMessage` gave it.
    var places: [FrameInMessage?] = []
    let context: FrameRuleContext

    init(deflate: DeflateSettings? = nil, sender: Sender? = .server, maxMessageSize: Int = 64 << 20) {
        assembler = MessageAssembler(sender: sender, deflate: deflate,
                                     options: MessageAssembler.Options(maxMessageSize: maxMessageSize, keepCompressed: true))
        context = deflate != nil ? .permessageDeflate(sender: sender) : FrameRuleContext(sender: sender)
    }

    /// `chunk` cuts each frame's payload into pieces of that size, as TCP segments would.
    mutating func feed(_ bytes: [UInt8], chunk: Int = .max) {
        for frame in FrameCollector.decode(bytes, context: context).frames {
            var frame = frame
            frame.addDiagnostics(assembler.frameStarted(frame))
            frame.payload.withUnsafeBytes { payload in
                var start = 0
                repeat {
                    let end = min(payload.count, start + min(chunk, payload.count - start))
                    assembler.payload(UnsafeRawBufferPointer(rebasing: payload[start..<end]), header: frame.header)
                    start = end
                } while start < payload.count
            }
            messages += assembler.messagesEnded(by: frame, index: frames.count)
            places.append(assembler.lastFrameInMessage)
            frames.append(frame)
        }
    }

    mutating func finish() {
        if let open = assembler.finish(because: "the test ended") { messages.append(open) }
    }

    var frameRules: [String] { frames.flatMap { $0.diagnostics.map(\.rule.id) } }
    var messageRules: [String] { messages.flatMap { $0.diagnostics.map(\.rule.id) } }
}

func bytes(_ hex: String) -> [UInt8] { try! HexInput.parse(hex) }

@Suite struct RFC7692ExampleTests {
    static let deflate = DeflateSettings()

    @Test(arguments: [
        "c1 07 f2 48 cd c9 c9 07 00",                          // §7.2.3.1 "Hello" compressed
        "41 03 f2 48 cd 80 04 c9 c9 07 00",                    // §7.2.3.2 split into two frames
        "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00",              // §7.2.3.3 no compression (stored block)
        "c1 08 f3 48 cd c9 c9 07 00 00",                       // §7.2.3.4 BFINAL block
        "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00",        // §7.2.3.5 two DEFLATE blocks
    ])
    func helloExamples(hex: String) {
        var p = Pipeline(deflate: Self.deflate)
        p.feed(bytes(hex))
        #expect(p.messages.count == 1)
        #expect(p.messages[0].text == "Hello")
        #expect(p.messages[0].compressed)
        #expect(p.messages[0].opcode == .text)
        #expect(p.frameRules.isEmpty && p.messageRules.isEmpty)
    }

    @Test func sharedWindowHelloPair() {
        // §7.2.3.2: the second "Hello" refers back to the first through the shared window (context takeover).
        var p = Pipeline(deflate: Self.deflate)
        p.feed(bytes("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"))
        #expect(p.messages.map(\.text) == ["Hello", "Hello"])
        #expect(p.messages.map(\.wireLength) == [7, 5])
        // Without context takeover the second message cannot be inflated: it refers to bytes before its start.
        var fresh = Pipeline(deflate: DeflateSettings(noContextTakeover: true))
        fresh.feed(bytes("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"))
        // What inflated before the failure (the literal "H") is shown, marked cut.
        #expect(fresh.messages[1].text == "H")
        #expect(fresh.messages[1].payloadIsCut && fresh.messages[1].inflateFailed)
        #expect(fresh.messageRules == ["pmd-context-takeover-violated"])
    }

    @Test func splitFramesKeepOpcodeOfTheFirst() {
        var p = Pipeline(deflate: Self.deflate)
        p.feed(bytes("41 03 f2 48 cd 80 04 c9 c9 07 00"))
        #expect(p.messages[0].opcode == .text)
        #expect(p.messages[0].frameCount == 2)
        #expect(p.messages[0].firstFrame == 0 && p.messages[0].lastFrame == 1)
    }
}

@Suite struct FragmentationTests {
    @Test func controlFramesBetweenFragmentsDoNotBreakTheMessage() {
        var p = Pipeline(sender: .client)
        p.feed(WebSocketBytes.text("Hel", masked: true, fin: false))
        p.feed(WebSocketBytes.frame(opcode: 9, key: [1, 2, 3, 4], payload: Array("ping".utf8)))
        p.feed(WebSocketBytes.frame(opcode: 0, key: [1, 2, 3, 4], payload: Array("lo".utf8)))
        #expect(p.messages.count == 1)
        #expect(p.messages[0].text == "Hello")
        #expect(p.messages[0].frameCount == 2)
        #expect(p.messages[0].firstFrame == 0 && p.messages[0].lastFrame == 2)
        #expect(p.frameRules.isEmpty)
    }

    @Test func emptyFinalFragmentEndsTheMessage() {
        var p = Pipeline()
        p.feed(WebSocketBytes.frame(fin: false, opcode: 2, payload: [1, 2]))
        p.feed(WebSocketBytes.frame(fin: false, opcode: 0, payload: [3]))
        p.feed(WebSocketBytes.frame(fin: true, opcode: 0, payload: []))
        #expect(p.messages.count == 1)
        #expect(p.messages[0].opcode == .binary)
        #expect(p.messages[0].payload == [1, 2, 3])
        #expect(p.messages[0].complete)
    }

    @Test func unexpectedContinuation() {
        var p = Pipeline()
        p.feed(WebSocketBytes.frame(opcode: 0, payload: Array("orphan".utf8)))
        #expect(p.frameRules == ["unexpected-continuation"])
        #expect(p.messages.isEmpty)
        // A continuation after a complete message is unexpected too.
        var q = Pipeline()
        q.feed(WebSocketBytes.text("done", masked: false) + WebSocketBytes.frame(opcode: 0, payload: [1]))
        #expect(q.frameRules == ["unexpected-continuation"])
    }

    @Test func dataFrameDuringFragmentedMessage() {
        var p = Pipeline()
        p.feed(WebSocketBytes.text("first", masked: false, fin: false))
        p.feed(WebSocketBytes.text("second", masked: false))
        #expect(p.frameRules == ["data-frame-during-fragmented-message"])
        #expect(p.messages.count == 2)
        #expect(!p.messages[0].complete && p.messageRules.contains("message-unfinished"))
        #expect(p.messages[1].text == "second")
    }

    @Test func wellFormedFragmentationIsSilent() {
        var p = Pipeline()
        p.feed(WebSocketBytes.text("a", masked: false, fin: false) + WebSocketBytes.frame(opcode: 0, payload: Array("b".utf8)))
        p.feed(WebSocketBytes.text("c", masked: false))
        #expect(p.frameRules.isEmpty && p.messageRules.isEmpty)
        #expect(p.messages.map(\.text) == ["ab", "c"])
    }

    @Test func unfinishedMessageAtTheEnd() {
        var p = Pipeline()
        p.feed(WebSocketBytes.text("never finished", masked: false, fin: false))
        p.finish()
        #expect(p.messages.count == 1)
        #expect(!p.messages[0].complete)
        #expect(p.messageRules == ["message-unfinished"])
    }

    @Test func utf8SplitBetweenFragmentsAtEveryOffsetIsValid() {
        let text = "Grüße 你好 😀!"
        let utf8 = Array(text.utf8)
        for cut in 0...utf8.count {
            var p = Pipeline()
            p.feed(WebSocketBytes.frame(fin: false, opcode: 1, payload: Array(utf8[..<cut])))
            p.feed(WebSocketBytes.frame(fin: true, opcode: 0, payload: Array(utf8[cut...])))
            #expect(p.messages.first?.text == text, "cut at \(cut)")
            #expect(p.messageRules.isEmpty && p.frameRules.isEmpty, "cut at \(cut)")
        }
    }

    @Test func invalidUTF8AcrossFragments() {
        var p = Pipeline()
        p.feed(WebSocketBytes.frame(fin: false, opcode: 1, payload: [0x48, 0xED]))     // "H" + lead of a surrogate
        p.feed(WebSocketBytes.frame(fin: true, opcode: 0, payload: [0xA0, 0x80]))      // U+D800: not allowed
        #expect(p.messageRules == ["invalid-utf8"])
        #expect(p.messages[0].text == nil)
        // A message cut in the middle of a character is invalid too.
        var q = Pipeline()
        q.feed(WebSocketBytes.frame(fin: false, opcode: 1, payload: [0x41]) + WebSocketBytes.frame(opcode: 0, payload: [0xE4, 0xBD]))
        #expect(q.messageRules == ["invalid-utf8"])
    }

    @Test func singleFrameTextReusesTheFrameCheck() {
        var p = Pipeline()
        p.feed(WebSocketBytes.frame(opcode: 1, payload: [0xC3, 0x28]))
        #expect(p.frameRules == ["invalid-utf8"])
        #expect(p.messageRules.isEmpty)   // reported once, on the frame
        #expect(p.messages[0].text == nil)
    }
}

@Suite struct InflationTests {
    @Test func contextTakeoverMakesTheRepeatCheaper() {
        let message = "the same message, twice over: " + String(repeating: "abc", count: 20)
        let takeover = Deflater()
        let first = takeover.compress(message), second = takeover.compress(message)
        #expect(second.count < first.count)
        var p = Pipeline(deflate: DeflateSettings())
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: first) + WebSocketBytes.frame(rsv: 4, opcode: 1, payload: second))
        #expect(p.messages.map(\.text) == [message, message])

        let fresh = Deflater()
        let a = fresh.compress(message)
        fresh.reset()
        let b = fresh.compress(message)
        #expect(a == b)   // no context takeover: identical messages compress identically
        var q = Pipeline(deflate: DeflateSettings(noContextTakeover: true))
        q.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: a) + WebSocketBytes.frame(rsv: 4, opcode: 1, payload: b))
        #expect(q.messages.map(\.text) == [message, message])
        #expect(q.messageRules.isEmpty)
    }

    @Test(arguments: 8...15)
    func everyWindowSize(bits: Int) {
        let deflater = Deflater(windowBits: bits)
        let text = String(repeating: "window bits \(bits); ", count: 40)
        var p = Pipeline(deflate: DeflateSettings(windowBits: bits))
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress(text)))
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress(text)))
        #expect(p.messages.map(\.text) == [text, text])
        #expect(p.messageRules.isEmpty)
    }

    @Test func windowLargerThanAgreedIsReported() {
        // Two messages of the same 2 KiB of distinct bytes, compressed with a 32 KiB window and context takeover: the
        // second refers 2048 bytes back, beyond the agreed 1 KiB window. (zlib checks distances against the window
        // when they reach before the current output buffer, as here across messages; see Docs/architecture.md.)
        var block: [UInt8] = []
        var seed: UInt32 = 7
        for _ in 0..<2048 { seed = seed &* 1_103_515_245 &+ 12345; block.append(UInt8(seed >> 24)) }
        let deflater = Deflater(windowBits: 15)
        let first = deflater.compress(block), second = deflater.compress(block)
        #expect(second.count < 100)
        var p = Pipeline(deflate: DeflateSettings(windowBits: 10))
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 2, payload: first) + WebSocketBytes.frame(rsv: 4, opcode: 2, payload: second))
        #expect(p.messageRules == ["pmd-window-exceeded"])
        #expect(p.messages[0].payload == block)
    }

    @Test func bombStopsAtTheLimit() {
        let bomb = Deflater().compress([UInt8](repeating: 0, count: 8 << 20))   // 8 MiB of zeros
        #expect(bomb.count < 20_000)
        var p = Pipeline(deflate: DeflateSettings(), maxMessageSize: 1 << 20)
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 2, payload: bomb))
        #expect(p.messageRules == ["message-size-limit"])
        #expect(p.messages[0].length == 1 << 20)
        #expect(p.messages[0].payload.count <= 1 << 20)
        #expect(p.messages[0].inflateFailed)
    }

    @Test func bytesAfterAFinalBlockAreIgnoredHoweverTheyArrive() {
        // Frame 1: RSV1 text, FIN=0, "Hello" as a BFINAL block (RFC 7692 §7.2.3.4). Frame 2: continuation, FIN=1,
        // three bytes after the end of the DEFLATE stream. Frame 3: a new compressed message "Hello".
        for chunk in [1, 2, 1000] {
            var p = Pipeline(deflate: DeflateSettings())
            p.feed(bytes("41 08 f3 48 cd c9 c9 07 00 00  80 03 ff ff ff  c1 07 f2 48 cd c9 c9 07 00"), chunk: chunk)
            #expect(p.messages.map(\.text) == ["Hello", "Hello"], "chunk \(chunk)")
            // zlib ignores them; the bit-level walk sees that they are not the empty stored block RFC 7692 §7.2.1 wants.
            #expect(p.messageRules == ["pmd-missing-sync-flush"], "chunk \(chunk)")
        }
    }

    @Test func inflationDoesNotDependOnHowThePayloadIsCut() {
        // Large messages (above the inflation backlog) with context takeover, their payload delivered whole, in
        // segment-sized pieces and byte by byte, then one cut short by the limit: the same messages every time.
        let deflater = Deflater()
        let text = (0..<12_000).map { "line \($0) of a long text message\n" }.joined()
        let first = deflater.compress(text), second = deflater.compress(text + "again")
        #expect(first.count > MessageAssembler.backlogLimit)
        let wire = WebSocketBytes.frame(fin: false, rsv: 4, opcode: 1, payload: Array(first.prefix(5000)))
            + WebSocketBytes.frame(opcode: 0, payload: Array(first.dropFirst(5000)))
            + WebSocketBytes.frame(rsv: 4, opcode: 1, payload: second)
        var reference: [String] = []
        for chunk in [.max, 1448, 1] {
            var p = Pipeline(deflate: DeflateSettings())
            p.feed(wire, chunk: chunk)
            #expect(p.messages.map(\.text) == [text, text + "again"], "chunk \(chunk)")
            let summary = p.messages.map { "\($0.wireLength) \($0.length) \($0.payload.count) \($0.frameCount) \($0.diagnostics.map(\.rule.id))" }
            if reference.isEmpty { reference = summary } else { #expect(summary == reference, "chunk \(chunk)") }
            var limited = Pipeline(deflate: DeflateSettings(), maxMessageSize: 100_000)
            limited.feed(wire, chunk: chunk)
            #expect(limited.messageRules.first == "message-size-limit")
            #expect(limited.messages[0].length == 100_000)
        }
    }

    @Test func failureIsReportedAndTheNextMessageStillDecodes() {
        let deflater = Deflater()
        deflater.reset()
        var p = Pipeline(deflate: DeflateSettings(noContextTakeover: true))
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: [0xFF, 0xFF, 0xFF]))   // not DEFLATE
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress("after")))
        #expect(p.messageRules == ["pmd-inflate-failed"])
        #expect(p.messages[0].diagnostics[0].message.contains("starts afresh"))
        #expect(p.messages[1].text == "after")
    }

    @Test func trailerNotRemovedAndEmptyPayload() {
        var p = Pipeline(deflate: DeflateSettings())
        p.feed(bytes("c1 0b f2 48 cd c9 c9 07 00 00 00 ff ff"))   // "Hello" with the sync-flush tail left in
        #expect(p.messageRules == ["pmd-trailer-not-removed"])
        #expect(p.messages[0].text == "Hello")
        var q = Pipeline(deflate: DeflateSettings())
        q.feed(bytes("c1 00"))                                      // RSV1 with nothing
        #expect(q.messageRules == ["pmd-empty-compressed-payload"])
        var r = Pipeline(deflate: DeflateSettings())
        r.feed(bytes("c1 01 00"))                                   // an empty message, correctly
        #expect(r.messageRules.isEmpty && r.messages[0].text == "")
    }

    @Test func invalidUTF8AfterInflation() {
        let deflater = Deflater()
        var p = Pipeline(deflate: DeflateSettings())
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress([0x41, 0xFF, 0x42])))
        #expect(p.messageRules == ["invalid-utf8"])
        #expect(p.messages[0].diagnostics[0].message.contains("after inflation"))
    }
}

/// Where each fragment stands in its message: continuations carry their message's type, and a text message's
/// fragments say which characters their edges cut (RFC 6455 §5.6: only the whole message must be valid UTF-8).
@Suite struct FrameInMessageTests {
    @Test(arguments: [1, 1000])
    func aTextMessageCutInsideItsCharacters(chunk: Int) {
        var p = Pipeline()
        // "你好" = e4 bd a0 | e5 a5 bd in three fragments: 01 02 e4 bd, 00 02 a0 e5, 80 02 a5 bd; a ping (89 00) between
        p.feed(bytes("01 02 e4 bd 89 00 00 02 a0 e5 80 02 a5 bd"), chunk: chunk)
        #expect(p.places.map { $0?.opcode } == [.text, nil, .text, .text])
        #expect(p.places[0]?.text == TextSplit(carried: [], continuing: 0, leftOpen: 2))
        #expect(p.places[2]?.text == TextSplit(carried: [0xE4, 0xBD], continuing: 1, leftOpen: 1))
        #expect(p.places[3]?.text == TextSplit(carried: [0xE5], continuing: 2, leftOpen: 0))
        #expect(p.messages.map(\.text) == ["你好"])
    }

    @Test func aBinaryContinuationKnowsItsMessage() {
        var p = Pipeline()
        // 02 02 00 01: binary, not final; 80 01 02: its last fragment
        p.feed(bytes("02 02 00 01 80 01 02"))
        #expect(p.places.map { $0?.opcode } == [.binary, .binary])
        #expect(p.places.allSatisfy { $0?.text == nil })
    }

    @Test func invalidTextLeavesTheFragmentToItsOwnBytes() {
        var p = Pipeline()
        // 01 01 ff: FF never appears in UTF-8, so the message is known bad from its first fragment on
        p.feed(bytes("01 01 ff 80 01 41"))
        #expect(p.places.map { $0?.opcode } == [.text, .text])
        #expect(p.places.allSatisfy { $0?.text == nil })
    }

    @Test func theOpenCharacterAtTheEndOfAText() {
        #expect(TextSplit.widthOfCharacter(startingWith: 0xF0) == 4 && TextSplit.widthOfCharacter(startingWith: 0x41) == 1)
        var p = Pipeline()
        // 😀 = f0 9f 98 80 in four 1-byte fragments
        p.feed(bytes("01 01 f0 00 01 9f 00 01 98 80 01 80"))
        #expect(p.places.map { $0?.text?.carried ?? [] } == [[], [0xF0], [0xF0, 0x9F], [0xF0, 0x9F, 0x98]])
        #expect(p.places.map { $0?.text?.leftOpen ?? -1 } == [1, 1, 1, 0])
    }
}

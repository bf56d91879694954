import Testing
import WSAnalysis
import WSTestSupport
import WSWire

/// `encode` and `frame` are inverses: what is encoded decodes to the same message, and only options that break a
/// rule on purpose give findings.
@Suite struct EncodeRoundTripTests {
    /// Decodes bytes as `frame` does (the pasted-frames analysis) and returns its events.
    static func decode(_ bytes: [UInt8], sender: Sender, deflate: Bool) -> (frames: [FrameRecord], messages: [Message], diagnostics: [Diagnostic]) {
        let collector = EventCollector()
        let settings = deflate ? DeflateSettings(noContextTakeover: true, windowBits: 15) : nil
        PastedFrames(options: PastedFrames.Options(sender: sender, deflate: settings), sink: collector).analyse(bytes)
        let messages = collector.events.compactMap { if case .message(let m) = $0 { return m.message } else { return nil } }
        let diagnostics = collector.frames.flatMap(\.frame.diagnostics) + messages.flatMap(\.diagnostics)
            + collector.diagnostics.map(\.diagnostic)
        return (collector.frames, messages, diagnostics)
    }

    static func randomText(_ random: inout SplitMix64, length: Int) -> String {
        let alphabet = Array("abc xyz 0123 你好 ü é 🎉 \n\t")
        return String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    @Test func randomMessagesComeBackAsTheyWereEncoded() {
        var random = SplitMix64(seed: 13)
        for round in 0..<400 {
            let sender: Sender = random.next() % 2 == 0 ? .client : .server
            let isText = random.next() % 2 == 0
            let length = Int(random.next() % 3) == 0 ? Int(random.next() % 70_000) : Int(random.next() % 200)
            let text = Self.randomText(&random, length: length)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var message = MessageEncoding(content: isText ? .text(text) : .binary(bytes), sender: sender)
            message.fragments = 1 + Int(random.next() % 5)
            message.deflate = random.next() % 3 == 0
            if random.next() % 2 == 0 { message.maskingKey = MaskingKey(1, 2, 3, UInt8(round & 0xFF)) }
            var keys = SplitMix64(seed: UInt64(round))
            let encoded = MessageEncoder.encode(message) {
                MaskingKey(UInt8(truncatingIfNeeded: keys.next()), 7, 7, UInt8(truncatingIfNeeded: keys.next()))
            }
            let decoded = Self.decode(encoded, sender: sender, deflate: message.deflate)
            #expect(decoded.messages.count == 1, "round \(round)")
            guard let got = decoded.messages.first else { continue }
            #expect(got.opcode == (isText ? .text : .binary) && got.frameCount == message.fragments && got.complete, "round \(round)")
            #expect(got.compressed == message.deflate, "round \(round)")
            if isText { #expect(got.text == text, "round \(round)") } else { #expect(got.payload == bytes, "round \(round)") }
            // The one finding an encoding may have: the same key on two frames in a row (--mask with --fragment, or
            // two random keys that happen to be equal), which a client must not send (RFC 6455 §5.3).
            let used = decoded.frames.map(\.frame.header.maskingKey)
            let reused = zip(used, used.dropFirst()).filter { $0 != nil && $0 == $1 }.count
            #expect(decoded.diagnostics.map(\.rule) == Array(repeating: .maskKeyReused, count: reused), "round \(round): \(decoded.diagnostics.map(\.rule.id))")
            if message.maskingKey != nil && sender == .client { #expect(reused == message.fragments - 1, "round \(round)") }
            #expect(decoded.frames.allSatisfy { $0.frame.header.masked == (sender == .client) })
        }
    }

    @Test func controlFramesComeBackToo() {
        for content in [MessageEncoding.Content.ping(Array("are you there".utf8)), .pong([]), .close(code: 1000, reason: "bye"),
                        .close(code: nil, reason: "")] {
            let bytes = MessageEncoder.encode(MessageEncoding(content: content, sender: .server)) { MaskingKey(0, 0, 0, 0) }
            let decoded = Self.decode(bytes, sender: .server, deflate: false)
            #expect(decoded.frames.count == 1 && decoded.diagnostics.isEmpty)
        }
        // 88 05 03 e8 62 79 65: a server close 1000 "bye".
        #expect(MessageEncoder.encode(MessageEncoding(content: .close(code: 1000, reason: "bye"), sender: .server)) { MaskingKey(0, 0, 0, 0) }
                == [0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65])
    }

    @Test func eachBreakingOptionGivesTheFindingItBreaks() {
        func findings(_ change: (inout MessageEncoding) -> Void) -> Set<String> {
            var message = MessageEncoding(content: .text("Hello"), sender: .client)
            message.maskingKey = MaskingKey(0x37, 0xFA, 0x21, 0x3D)
            change(&message)
            let bytes = MessageEncoder.encode(message) { MaskingKey(1, 2, 3, 4) }
            return Set(Self.decode(bytes, sender: message.sender, deflate: false).diagnostics.map(\.rule.id))
        }
        #expect(findings { $0.masked = false }.contains("client-frame-unmasked"))
        #expect(findings { $0.sender = .server }.contains("server-frame-masked"))
        #expect(findings { $0.lengthForm = .sixteenBit }.contains("non-minimal-length"))
        #expect(findings { $0.lengthForm = .sixtyFourBit }.contains("non-minimal-length"))
        #expect(findings { $0.rsv1 = true }.contains("rsv1-without-extension"))
        #expect(findings { $0.rsv3 = true }.contains("rsv-without-extension"))
        // The pasted input ends with the message open: a note (its last fragment may simply not be there).
        #expect(findings { $0.noFin = true }.contains("input-ended"))
        #expect(findings { $0.opcode = Opcode(rawValue: 3) }.contains("reserved-opcode"))
        #expect(findings { _ in }.isEmpty)
    }
}

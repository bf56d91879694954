import Testing
import WSAnalysis
import WSTestSupport
import WSWire

/// A message always carries its payload: as text when it is valid UTF-8 text, as bytes otherwise — never nothing.
@Suite struct MessagePayloadTests {
    @Test func rsv1WithoutAnExtensionIsShownAsSent() {
        // 81 → c1: a text frame with RSV1 set, no extension negotiated; the peer sent the plain text "rsv1 set". The bit
        // announces a transformation nobody agreed on, so the bytes are shown as sent, as bytes: not known to be text.
        var p = Pipeline()
        p.feed(WebSocketBytes.frame(rsv: 0b100, opcode: 1, payload: Array("rsv1 set".utf8)))
        #expect(p.frameRules == ["rsv1-without-extension"])
        let message = p.messages[0]
        #expect(!message.compressed && message.encodingUnknown)
        #expect(!message.showsAsText && message.text == nil && message.payload == Array("rsv1 set".utf8))
        // Fragmented, the same.
        var q = Pipeline()
        q.feed(WebSocketBytes.frame(fin: false, rsv: 0b100, opcode: 1, payload: Array("rsv1 ".utf8))
               + WebSocketBytes.frame(opcode: 0, payload: Array("set".utf8)))
        #expect(q.messages[0].text == nil && q.messages[0].payload == Array("rsv1 set".utf8))
    }

    @Test func textThatIsNotUTF8IsShownAsBytes() {
        // A text frame carrying 41 ff 42: not UTF-8. The message keeps its bytes (shown as hex), not nothing.
        var p = Pipeline()
        p.feed(WebSocketBytes.frame(opcode: 1, payload: [0x41, 0xFF, 0x42]))
        let message = p.messages[0]
        #expect(message.utf8Failure != nil && !message.showsAsText && message.text == nil)
        #expect(message.payload == [0x41, 0xFF, 0x42])
        // Across fragments too.
        var q = Pipeline()
        q.feed(WebSocketBytes.frame(fin: false, opcode: 1, payload: [0x41, 0xE4]) + WebSocketBytes.frame(opcode: 0, payload: [0x42]))
        #expect(q.messageRules == ["invalid-utf8"])
        #expect(!q.messages[0].showsAsText && q.messages[0].payload == [0x41, 0xE4, 0x42])
    }

    @Test func aMessageStoppedBySizeShowsWhatWasInflated() {
        // 2 MiB of "ab" compressed; --max-message-size 1 MiB: the first 1 MiB of text is shown, marked cut.
        let text = [UInt8](repeating: 0, count: 1 << 21).enumerated().map { $0.offset % 2 == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b") }
        var p = Pipeline(deflate: DeflateSettings(), maxMessageSize: 1 << 20)
        p.feed(WebSocketBytes.frame(rsv: 4, opcode: 1, payload: Deflater().compress(text)))
        let message = p.messages[0]
        #expect(p.messageRules == ["message-size-limit"])
        #expect(message.inflateFailed && message.payloadIsCut)
        #expect(message.showsAsText && message.text?.utf8.count == 1 << 20 && message.text?.hasPrefix("abab") == true)
    }

    @Test func aCompressedMessageWithoutTheAgreementKeepsItsCompressedBytes() {
        // Mid-stream (no handshake): RSV1 may be permessage-deflate, but the window and parameters are unknown.
        var assembler = MessageAssembler(sender: .server, deflate: nil, compressionUnknown: true)
        let frame = FrameCollector.decode(bytes("c1 07 f2 48 cd c9 c9 07 00"),
                                          context: FrameRuleContext(sender: .server, negotiatedRSV: 0b100, rsv1MeansCompressed: true)).frames[0]
        _ = assembler.frameStarted(frame)
        frame.payload.withUnsafeBytes { assembler.payload($0, header: frame.header) }
        let message = assembler.messagesEnded(by: frame, index: 0)[0]
        #expect(message.compressed && message.payloadIsCompressed && !message.showsAsText)
        #expect(message.payload == bytes("f2 48 cd c9 c9 07 00"))
    }
}

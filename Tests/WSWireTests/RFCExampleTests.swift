import Testing
import WSWire

/// The examples of RFC 6455 §5.7 and §1.3, and the tutorials' "你好" frame.
@Suite struct RFCExampleTests {
    @Test func unmaskedHello() {
        // 81 = FIN + text; 05 = unmasked, length 5; "Hello"
        let result = decode([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f], context: FrameRuleContext(sender: .server))
        #expect(result.frames.count == 1)
        let frame = result.frames[0]
        #expect(frame.header.fin)
        #expect(frame.header.opcode == .text)
        #expect(!frame.header.masked)
        #expect(frame.header.lengthForm == .sevenBit)
        #expect(frame.text == "Hello")
        #expect(frame.diagnostics.isEmpty)
    }

    @Test func maskedHello() {
        // 81 = FIN + text; 85 = masked, length 5; key 37 fa 21 3d; masked "Hello"
        let bytes: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        let frame = decode(bytes, context: FrameRuleContext(sender: .client)).frames[0]
        #expect(frame.header.maskingKey == MaskingKey(0x37, 0xfa, 0x21, 0x3d))
        #expect(frame.text == "Hello")
        #expect(frame.wirePayload == [0x7f, 0x9f, 0x4d, 0x51, 0x58])
        #expect(frame.diagnostics.isEmpty)
    }

    @Test func fragmentedHello() {
        // 01 03 "Hel" = text, FIN=0; 80 02 "lo" = continuation, FIN=1
        let bytes: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f]
        let frames = decode(bytes).frames
        #expect(frames.count == 2)
        #expect(!frames[0].header.fin && frames[0].header.opcode == .text)
        #expect(frames[1].header.fin && frames[1].header.opcode == .continuation)
        #expect(frames[0].payload + frames[1].payload == Array("Hello".utf8))
        #expect(frames[1].offset == 5)
        // Fragments are not whole messages: the frame level does not claim their text.
        #expect(frames[0].text == nil)
        #expect(frames.allSatisfy { $0.diagnostics.isEmpty })
    }

    @Test func unmaskedPing() {
        // 89 = FIN + ping; 05 unmasked length 5; "Hello"
        let frame = decode([0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]).frames[0]
        #expect(frame.header.opcode == .ping)
        #expect(frame.header.opcode.isControl)
        #expect(frame.payload == Array("Hello".utf8))
        #expect(frame.diagnostics.isEmpty)
    }

    @Test func maskedPong() {
        // 8a = FIN + pong; 85 masked length 5; key 37 fa 21 3d; "Hello" masked
        let frame = decode([0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]).frames[0]
        #expect(frame.header.opcode == .pong)
        #expect(frame.payload == Array("Hello".utf8))
    }

    @Test func binary256Bytes() {
        // 82 = FIN + binary; 7e = 16-bit form; 01 00 = 256
        let payload = (0..<256).map { UInt8($0) }
        let frame = decode([0x82, 0x7E, 0x01, 0x00] + payload).frames[0]
        #expect(frame.header.lengthForm == .sixteenBit)
        #expect(frame.header.payloadLength == 256)
        #expect(frame.header.headerLength == 4)
        #expect(frame.payload == payload)
        #expect(frame.diagnostics.isEmpty)
    }

    @Test func binary64KiB() {
        // 82 = FIN + binary; 7f = 64-bit form; 00 00 00 00 00 01 00 00 = 65536
        let header: [UInt8] = [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]
        let payload = [UInt8](repeating: 0xAB, count: 65536)
        let frame = decode(header + payload).frames[0]
        #expect(frame.header.lengthForm == .sixtyFourBit)
        #expect(frame.header.payloadLength == 65536)
        #expect(frame.header.headerLength == 10)
        #expect(frame.payload.count == 65536)
        #expect(frame.diagnostics.isEmpty)
        // The header alone is a truncated frame that still shows its length.
        let headerOnly = decode(header)
        #expect(headerOnly.frames.count == 1)
        #expect(headerOnly.frames[0].header.payloadLength == 65536)
        #expect(!headerOnly.frames[0].isComplete)
        #expect(ruleIDs(headerOnly.frames[0]) == ["input-ended"])
    }

    @Test func nihao() {
        // 81 = FIN + text; 86 = masked, length 6; key af 87 53 b4; masked 4b 3a f3 51 0a 3a
        let bytes: [UInt8] = [0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a]
        let frame = decode(bytes, context: FrameRuleContext(sender: .client)).frames[0]
        #expect(frame.header.maskingKey?.hex == "af8753b4")
        #expect(frame.payload == [0xe4, 0xbd, 0xa0, 0xe5, 0xa5, 0xbd])
        #expect(frame.text == "你好")
        #expect(frame.diagnostics.isEmpty)
    }

    @Test func acceptExampleOfSection1_3() {
        let derivation = AcceptDerivation(key: "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(derivation.concatenated == "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
        #expect(derivation.digestHex == "b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea")
        #expect(derivation.accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(derivation.check(received: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == nil)
        #expect(derivation.check(received: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo")?.rule == .acceptMismatch)
        #expect(derivation.check(received: nil)?.rule == .acceptMismatch)
    }

    @Test(arguments: [
        ("In1aAp/ya9Lkv+tsUtXLXQ==", "HBMDBbZMiS59r3aAITpGtJ64Mfc="),
        ("sN9cRrP/n9NdMgdcy2VJFQ==", "fFBooB7FAkLlXgRSz0BT3v4hq5s="),
        ("  dGhlIHNhbXBsZSBub25jZQ== ", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
    ])
    func teachingMaterialHandshakes(key: String, accept: String) {
        #expect(AcceptDerivation(key: key).accept == accept)
    }

    @Test func keyCheck() {
        #expect(WebSocketKeyCheck(key: "dGhlIHNhbXBsZSBub25jZQ==").diagnostics.isEmpty)
        #expect(WebSocketKeyCheck(key: "dGhlIHNhbXBsZSBub25jZQ==").decoded?.count == 16)
        // 15 bytes
        #expect(WebSocketKeyCheck(key: "AAAAAAAAAAAAAAAAAAAA").diagnostics.map(\.rule) == [.handshakeKeyNot16Bytes])
        // not base64 at all
        #expect(WebSocketKeyCheck(key: "not a key!").diagnostics.map(\.rule) == [.handshakeKeyNot16Bytes])
        // The RFC's own example key has non-zero pad bits: a note, not an error.
        let padded = WebSocketKeyCheck(key: "AQIDBAUGBwgJCgsMDQ4PEC==")
        #expect(padded.diagnostics.map(\.rule) == [.handshakeKeyPadBits])
        #expect(padded.isValid)
    }
}

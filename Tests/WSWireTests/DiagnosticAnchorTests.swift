import Testing
import WSWire

/// Findings point at the field, bytes or header line they are about.
@Suite struct DiagnosticAnchorTests {
    static func anchors(_ bytes: [UInt8], sender: Sender? = nil, deflate: Bool = false) -> [Rule: DiagnosticAnchor?] {
        let context = deflate ? FrameRuleContext.permessageDeflate(sender: sender) : FrameRuleContext(sender: sender)
        let frame = FrameCollector.decode(bytes, context: context).frames[0]
        return Dictionary(frame.diagnostics.map { ($0.rule, $0.anchor) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func frameHeaderFindingsPointAtTheirField() {
        // 81 01 41 from the client: FIN, text, MASK=0 — the MASK bit is the problem.
        #expect(Self.anchors([0x81, 0x01, 0x41], sender: .client)[.clientFrameUnmasked] == .frameField(.mask))
        // 91 00: FIN, RSV3, text, empty — RSV3 (not RSV2) is the stray bit.
        #expect(Self.anchors([0x91, 0x00])[.rsvWithoutExtension] == .frameField(.rsv3))
        // a1 00: FIN, RSV2 — RSV2.
        #expect(Self.anchors([0xA1, 0x00])[.rsvWithoutExtension] == .frameField(.rsv2))
        // c1 00 without an extension: RSV1.
        #expect(Self.anchors([0xC1, 0x00])[.rsv1WithoutExtension] == .frameField(.rsv1))
        // 83 00: opcode 0x3 is reserved.
        #expect(Self.anchors([0x83, 0x00])[.reservedOpcode] == .frameField(.opcode))
        // 09 00: a ping with FIN=0.
        #expect(Self.anchors([0x09, 0x00])[.controlFrameFragmented] == .frameField(.fin))
        // 82 81 00 00 00 00 00 from the client: masked with an all-zero key.
        #expect(Self.anchors([0x82, 0x81, 0, 0, 0, 0, 0], sender: .client)[.maskKeyZero] == .frameField(.maskingKey))
    }

    @Test func lengthFindingsPointAtTheLengthFieldThatCarriesTheLength() {
        // 82 7e 00 05 + 5 bytes: the 16-bit form carries 5, which fits the 7-bit field.
        #expect(Self.anchors([0x82, 0x7E, 0x00, 0x05, 1, 2, 3, 4, 5])[.nonMinimalLength] == .frameField(.extendedLength16))
        // 82 7f 00…03 + 3 bytes: the 64-bit form carries 3.
        #expect(Self.anchors([0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])[.nonMinimalLength] == .frameField(.extendedLength64))
        // 89 7e 00 7e: a ping declaring 126 bytes in the 16-bit field.
        #expect(Self.anchors([0x89, 0x7E, 0x00, 0x7E])[.controlFrameTooLong] == .frameField(.extendedLength16))
    }

    @Test func payloadFindingsPointAtTheirBytes() {
        // 81 02 c3 28: "c3" announces a 2-byte character, "28" is not a continuation byte: the bad sequence is bytes
        // 0-1, from the lead byte to the byte where it fails.
        #expect(Self.anchors([0x81, 0x02, 0xC3, 0x28])[.invalidUTF8] == .payloadBytes(0..<2))
        // 88 04 03 e8 ff fe: close 1000 with the reason ff fe — byte 2 of the payload is the bad one.
        #expect(Self.anchors([0x88, 0x04, 0x03, 0xE8, 0xFF, 0xFE])[.invalidUTF8] == .payloadBytes(2..<3))
        // 88 01 03: a one-byte close body.
        #expect(Self.anchors([0x88, 0x01, 0x03])[.closePayloadOneByte] == .payloadBytes(0..<1))
        // 88 02 03 ed: close code 1005, which is never sent — the two code bytes.
        #expect(Self.anchors([0x88, 0x02, 0x03, 0xED])[.invalidCloseCode] == .payloadBytes(0..<2))
    }

    static func head(_ text: String) -> HTTPHead { HTTPHead.parse(Array(text.utf8)) }

    @Test func requestFindingsPointAtTheirHeaderLineOrTheMissingHeader() {
        let request = HandshakeRequest(head: Self.head(
            "GET /chat HTTP/1.1\r\nHost: a\r\nHost : b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Protocol: chat, chat\r\nSec-WebSocket-Extensions: permessage-deflate; foo\r\n\r\n"))
        let found = request.check(serverPort: 80)
        func anchor(_ rule: Rule) -> DiagnosticAnchor?? { found.first { $0.rule == rule }.map(\.anchor) }
        #expect(anchor(.headerDuplicate) == .header(.request, name: "host"))
        #expect(anchor(.headerWhitespaceBeforeColon) == .header(.request, name: "host"))
        #expect(anchor(.handshakeKeyMissing) == .missingHeader(.request, name: "sec-websocket-key"))
        #expect(anchor(.handshakeVersionMissing) == .missingHeader(.request, name: "sec-websocket-version"))
        #expect(anchor(.subprotocolOfferedTwice) == .header(.request, name: "sec-websocket-protocol"))
        // The offer's unknown parameter is in the request's extensions header.
        let negotiated = PermessageDeflate.negotiate(offers: request.offeredExtensions, accepted: [])
        #expect(negotiated.diagnostics.first { $0.rule == .pmdUnknownParameter }?.anchor == .header(.request, name: "sec-websocket-extensions"))
    }

    @Test func responseFindingsPointAtTheirHeaderLineOrTheMissingHeader() {
        let request = HandshakeRequest(head: Self.head(
            "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
        // A 101 with no Upgrade and a wrong Accept.
        let wrong = HandshakeOutcome(request: request, response: HandshakeResponse(head: Self.head(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n\r\n")), requestDiagnostics: [])
        func anchor(_ rule: Rule, in outcome: HandshakeOutcome) -> DiagnosticAnchor?? {
            outcome.diagnostics.first { $0.rule == rule }.map(\.anchor)
        }
        #expect(anchor(.acceptMismatch, in: wrong) == .header(.response, name: "sec-websocket-accept"))
        #expect(anchor(.responseUpgradeInvalid, in: wrong) == .missingHeader(.response, name: "upgrade"))
        // A 101 with no Accept at all, and an Upgrade that is not websocket.
        let missing = HandshakeOutcome(request: request, response: HandshakeResponse(head: Self.head(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n")), requestDiagnostics: [])
        #expect(anchor(.acceptMismatch, in: missing) == .missingHeader(.response, name: "sec-websocket-accept"))
        #expect(anchor(.responseUpgradeInvalid, in: missing) == .header(.response, name: "upgrade"))
    }

    @Test func everyHeaderAnchorNamesAHeaderInLowercase() {
        for rule in Rule.allCases {
            switch rule.defaultAnchor {
            case .header(_, let name)?, .missingHeader(_, let name)?:
                #expect(name == name.lowercased(), "\(rule.id)")
            default: break
            }
        }
    }
}

import Testing
import WSWire

/// Each frame-level rule fires on a frame that breaks it and stays silent on its well-formed twin.
@Suite struct FrameRuleTests {
    static let client = FrameRuleContext(sender: .client)
    static let server = FrameRuleContext(sender: .server)
    static let deflate = FrameRuleContext.permessageDeflate(sender: .server)

    @Test func reservedOpcode() {
        for opcode: UInt8 in [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            // opcode N, FIN, unmasked, empty
            let frame = decode([0x80 | opcode, 0x00]).frames[0]
            #expect(ruleIDs(frame) == ["reserved-opcode"])
            #expect(frame.header.opcode.name == "reserved-0x" + String(opcode, radix: 16, uppercase: true))
        }
        for opcode: UInt8 in [0x1, 0x2, 0x8, 0x9, 0xA] {
            #expect(decode([0x80 | opcode, 0x00]).frames[0].diagnostics.isEmpty)
        }
    }

    @Test func rsv1WithoutExtension() {
        // C1 = FIN + RSV1 + text, no extension negotiated
        #expect(ruleIDs(decode([0xC1, 0x01, 0x41]).frames[0]) == ["rsv1-without-extension"])
        // the same frame under permessage-deflate is fine
        #expect(decode([0xC1, 0x01, 0x00], context: Self.deflate).frames[0].diagnostics.isEmpty)
    }

    @Test func rsv2AndRsv3WithoutExtension() {
        // A1 = FIN + RSV2 + text; 91 = FIN + RSV3 + text; B1 = both
        #expect(ruleIDs(decode([0xA1, 0x01, 0x41]).frames[0]) == ["rsv-without-extension"])
        #expect(ruleIDs(decode([0x91, 0x01, 0x41]).frames[0]) == ["rsv-without-extension"])
        let both = decode([0xB1, 0x01, 0x41]).frames[0]
        #expect(ruleIDs(both) == ["rsv-without-extension"])
        #expect(both.diagnostics[0].message.contains("RSV2 and RSV3"))
        // permessage-deflate gives RSV2 no meaning
        #expect(ruleIDs(decode([0xA1, 0x01, 0x41], context: Self.deflate).frames[0]) == ["rsv-without-extension"])
        // an extension that defines RSV2
        #expect(decode([0xA1, 0x01, 0x41], context: FrameRuleContext(negotiatedRSV: 0b010)).frames[0].diagnostics.isEmpty)
    }

    @Test func rsv1OnControlFrameAndContinuation() {
        // C9 = FIN + RSV1 + ping under permessage-deflate
        #expect(ruleIDs(decode([0xC9, 0x00], context: Self.deflate).frames[0]) == ["rsv1-on-control-frame"])
        // C0 = FIN + RSV1 + continuation under permessage-deflate
        #expect(ruleIDs(decode([0xC0, 0x01, 0x00], context: Self.deflate).frames[0]) == ["rsv1-on-continuation"])
        // 80 = plain continuation, 89 = plain ping: silent
        #expect(decode([0x80, 0x00], context: Self.deflate).frames[0].diagnostics.isEmpty)
        #expect(decode([0x89, 0x00], context: Self.deflate).frames[0].diagnostics.isEmpty)
    }

    @Test func controlFrameTooLong() {
        // 89 7E 00 7E = ping with 126 bytes (16-bit form, minimal for 126)
        let long = decode(makeFrame(opcode: 0x9, payload: Array(repeating: 1, count: 126))).frames[0]
        #expect(ruleIDs(long) == ["control-frame-too-long"])
        let max = decode(makeFrame(opcode: 0x9, payload: Array(repeating: 1, count: 125))).frames[0]
        #expect(max.diagnostics.isEmpty)
    }

    @Test func controlFrameFragmented() {
        // 09 00 = ping with FIN=0
        #expect(ruleIDs(decode([0x09, 0x00]).frames[0]) == ["control-frame-fragmented"])
        // 01 00 = text with FIN=0 is a legal first fragment
        #expect(decode([0x01, 0x00]).frames[0].diagnostics.isEmpty)
    }

    @Test func nonMinimalLength() {
        // 82 7E 00 05 = 16-bit form carrying 5
        let sixteen = decode(makeFrame(opcode: 0x2, payload: [1, 2, 3, 4, 5], form: .sixteenBit)).frames[0]
        #expect(ruleIDs(sixteen) == ["non-minimal-length"])
        // 82 7F 00..00 01 00 = 64-bit form carrying 256
        let sixtyFour = decode(makeFrame(opcode: 0x2, payload: Array(repeating: 0, count: 256), form: .sixtyFourBit)).frames[0]
        #expect(ruleIDs(sixtyFour) == ["non-minimal-length"])
        // 16-bit form carrying 126 and 64-bit form carrying 65536 are minimal
        #expect(decode(makeFrame(opcode: 0x2, payload: Array(repeating: 0, count: 126))).frames[0].diagnostics.isEmpty)
        #expect(decode(makeFrame(opcode: 0x2, payload: Array(repeating: 0, count: 65536))).frames[0].diagnostics.isEmpty)
    }

    @Test func lengthMSBSet() {
        // 82 7F 80 00 00 00 00 00 00 00 = 2^63
        let frame = decode([0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0]).frames[0]
        #expect(ruleIDs(frame).first == "length-msb-set")
        // 82 7F 7F FF FF FF FF FF FF FF = 2^63-1 (allowed, though truncated here)
        let max = decode([0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).frames[0]
        #expect(ruleIDs(max) == ["input-ended"])
    }

    @Test func maskingDirection() {
        let masked = makeFrame(opcode: 0x1, key: [1, 2, 3, 4], payload: [0x41])
        let unmasked = makeFrame(opcode: 0x1, payload: [0x41])
        #expect(ruleIDs(decode(unmasked, context: Self.client).frames[0]) == ["client-frame-unmasked"])
        #expect(decode(masked, context: Self.client).frames[0].diagnostics.isEmpty)
        #expect(ruleIDs(decode(masked, context: Self.server).frames[0]) == ["server-frame-masked"])
        #expect(decode(unmasked, context: Self.server).frames[0].diagnostics.isEmpty)
        // Sender unknown: neither rule applies.
        #expect(decode(masked).frames[0].diagnostics.isEmpty)
        #expect(decode(unmasked).frames[0].diagnostics.isEmpty)
    }

    @Test func zeroMaskingKey() {
        let frame = decode(makeFrame(opcode: 0x1, key: [0, 0, 0, 0], payload: [0x41]), context: Self.client).frames[0]
        #expect(ruleIDs(frame) == ["mask-key-zero"])
    }

    @Test func closePayloadOneByte() {
        // 88 01 03 = close with a single byte
        #expect(ruleIDs(decode([0x88, 0x01, 0x03]).frames[0]) == ["close-payload-one-byte"])
        // 88 00 = empty close, 88 02 03 E8 = 1000
        #expect(decode([0x88, 0x00]).frames[0].diagnostics.isEmpty)
        #expect(decode([0x88, 0x02, 0x03, 0xE8]).frames[0].diagnostics.isEmpty)
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])
    func invalidCloseCode(code: Int) {
        let frame = decode([0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)]).frames[0]
        #expect(ruleIDs(frame) == ["invalid-close-code"])
    }

    @Test(arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999])
    func validCloseCode(code: Int) {
        let frame = decode([0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)]).frames[0]
        #expect(frame.diagnostics.isEmpty)
        #expect(frame.close?.code?.rawValue == UInt16(code))
    }

    @Test func invalidUTF8InTextFrame() {
        // 81 02 C3 28 = text "\xC3(" (lead byte without continuation)
        let frame = decode([0x81, 0x02, 0xC3, 0x28]).frames[0]
        #expect(ruleIDs(frame) == ["invalid-utf8"])
        #expect(frame.text == nil)
        // Fragments are not checked at the frame level (the message layer joins them first).
        #expect(decode([0x01, 0x01, 0xC3]).frames[0].diagnostics.isEmpty)
        // Binary frames carry no text.
        #expect(decode([0x82, 0x02, 0xC3, 0x28]).frames[0].diagnostics.isEmpty)
        // Compressed text is checked after inflation, not here.
        #expect(decode([0xC1, 0x02, 0xC3, 0x28], context: Self.deflate).frames[0].diagnostics.isEmpty)
    }

    @Test func invalidUTF8InCloseReason() {
        // 88 04 03 E8 C0 AF = 1000 + C0 AF (what an overlong "/" would be; C0 itself never appears in UTF-8)
        let frame = decode([0x88, 0x04, 0x03, 0xE8, 0xC0, 0xAF]).frames[0]
        #expect(ruleIDs(frame) == ["invalid-utf8"])
        #expect(frame.close?.reason == nil)
        #expect(frame.close?.reasonFailure?.kind == .invalidByte)
    }

    @Test func truncatedFrame() {
        // 81 05 48: a text frame declaring 5 payload bytes, of which 1 is there. Input that just stops blames nobody…
        #expect(ruleIDs(decode([0x81, 0x05, 0x48]).frames[0]) == ["input-ended"])
        // …a sender that closes its stream inside the frame broke RFC 6455 §5.2: an error.
        var decoder = FrameDecoder()
        var collector = FrameCollector()
        decoder.feed([0x81, 0x05, 0x48], into: &collector)
        decoder.finish(into: &collector, because: .closedBySender("the server closed TCP (FIN)"))
        #expect(ruleIDs(collector.frames[0]) == ["truncated-frame"])
        #expect(collector.frames[0].diagnostics[0].severity == .error)
        #expect(collector.frames[0].diagnostics[0].message == "This frame never finished: the server closed TCP (FIN) inside it (payload needs 5 bytes, 1 present).")
        // A header cut the same way (81: one byte of a two-byte header).
        var headerDecoder = FrameDecoder()
        var headerCollector = FrameCollector()
        headerDecoder.feed([0x81], into: &headerCollector)
        headerDecoder.finish(into: &headerCollector, because: .closedBySender("the server closed TCP (FIN)"))
        #expect(headerCollector.truncatedHeader?.diagnostic.rule == .truncatedFrame)
        #expect(decode([0x81, 0x01]).truncatedHeader == nil)
        #expect(decode([0x81]).truncatedHeader?.missing == "header needs 2 bytes, 1 present (byte 1 with MASK and payload len missing)")
        #expect(decode([0x81, 0xFE, 0x00]).truncatedHeader?.missing == "header needs 8 bytes, 3 present (16-bit extended length and masking key missing)")
        #expect(decode([0x81, 0x86, 1, 2]).truncatedHeader?.missing == "header needs 6 bytes, 4 present (masking key missing)")
    }

    @Test func everyRuleHasAUniqueIDAndASection() {
        let ids = Rule.allCases.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in Rule.allCases {
            #expect(rule.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
            // An RFC; the pre-RFC hixie draft for its legacy notes; wsinspect's own limits are named as such.
            #expect(rule.section.hasPrefix("RFC ") || rule.section.hasPrefix("draft-hixie-") || rule.section.hasPrefix("wsinspect limit ("),
                    "\(rule.id): \(rule.section)")
            #expect(rule.summary.hasSuffix("."))
        }
    }

    /// A fragmented message and its final FIN=1 frame are defined in §5.4 (Fragmentation), not in §6.1 (Sending Data).
    @Test func anUnfinishedMessageCitesFragmentation() {
        #expect(Rule.messageUnfinished.section == "RFC 6455 §5.4")
    }

    /// RFC 7230 §3.2.4 gives each recipient its duty: a server rejects the request (400), a proxy repairs the response.
    @Test func whitespaceBeforeTheColonSaysWhoMustDoWhat() {
        #expect(Rule.headerWhitespaceBeforeColon.summary.contains("a server must reject such a request (400 Bad Request)"))
        #expect(Rule.headerWhitespaceBeforeColon.summary.contains("a proxy must remove it from a response before forwarding"))
        #expect(!Rule.headerWhitespaceBeforeColon.summary.contains("a recipient must reject"))
    }
}

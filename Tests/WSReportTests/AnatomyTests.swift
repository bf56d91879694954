import Testing
import WSAnalysis
import WSReport
import WSStream
import WSWire

/// The view models every renderer draws: what a frame's and a handshake's full views show, with each finding
/// attached where it applies.
@Suite struct AnatomyTests {
    /// 81 86 af 87 53 b4 4b 3a f3 51 0a 3a: a masked text frame carrying "你好" (e4 bd a0 e5 a5 bd).
    static let nihao: [UInt8] = [0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a]

    @Test func theFrameAnatomyHoldsFieldsWithSectionsAndTheFigureRows() {
        let frame = FrameCollector.decode(Self.nihao).frames[0]
        let anatomy = FrameAnatomy(frame, number: 1, sender: .client)
        #expect(anatomy.fields.map(\.id) == [.fin, .rsv1, .rsv2, .rsv3, .opcode, .mask, .payloadLength, .maskingKey, .payload])
        #expect(anatomy.fields.first { $0.id == .maskingKey }?.section == "RFC 6455 §5.3")
        #expect(anatomy.fields.allSatisfy { $0.section.hasPrefix("RFC ") })
        // 2 header bytes and a 4-byte key: 48 bits, one full row of 32 and one of 16.
        #expect(anatomy.figure.map { $0.bytes } == [[0x81, 0x86, 0xaf, 0x87], [0x53, 0xb4]])
        #expect(anatomy.figure[0].cells.last?.field.id == .maskingKey && anatomy.figure[1].cells[0].isContinuation)
        #expect(anatomy.title.payloadLength == 6 && anatomy.title.lastByte == 11)
    }

    @Test func theUnmaskingRowsSayWhichCharacterEachByteBelongsTo() {
        let anatomy = FrameAnatomy(FrameCollector.decode(Self.nihao).frames[0], number: 1, sender: .client)
        guard case .table(_, let rows, let remaining) = anatomy.unmasking else { Issue.record("not masked?"); return }
        #expect(remaining == 0 && rows.count == 6)
        // Byte 0: 4b XOR af = e4, the lead byte of 你 (e4 bd a0); byte 1 is its second byte; byte 3 leads 好.
        #expect(rows[0].masked == 0x4b && rows[0].keyByte == 0xaf && rows[0].unmasked == 0xe4)
        #expect(rows[0].character == .lead(character: [0xe4, 0xbd, 0xa0], width: 3))
        #expect(rows[1].character == .continuation(position: 2, width: 3))
        #expect(rows[3].character == .lead(character: [0xe5, 0xa5, 0xbd], width: 3) && rows[3].keyIndex == 3)
        guard case .text(let shown, let total, let invalid, nil) = anatomy.payload else { Issue.record("not text?"); return }
        #expect(shown == Array("你好".utf8) && total == 6 && !invalid)
    }

    @Test func findingsAttachToTheFieldOrByteTheyAreAbout() {
        // 81 02 c3 28 from the client: unmasked (MASK) and not UTF-8 (the sequence C3 28, bytes 0-1: 28 cannot continue C3).
        let frame = FrameCollector.decode([0x81, 0x02, 0xC3, 0x28], context: FrameRuleContext(sender: .client)).frames[0]
        let anatomy = FrameAnatomy(frame, number: 1, sender: .client)
        #expect(anatomy.diagnostics(at: .mask).map(\.rule) == [.clientFrameUnmasked])
        #expect(anatomy.diagnostics(at: .opcode).isEmpty)
        #expect(anatomy.diagnostics(atPayloadByte: 0).map(\.rule) == [.invalidUTF8])
        #expect(anatomy.diagnostics(atPayloadByte: 1).map(\.rule) == [.invalidUTF8])
        #expect(anatomy.diagnostics(atPayloadByte: 2).isEmpty)
    }

    @Test func aClosePayloadIsItsCodeAndReason() {
        // 88 05 03 e8 62 79 65: close 1000 "bye".
        let anatomy = FrameAnatomy(FrameCollector.decode([0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65]).frames[0], number: 1, sender: nil)
        guard case .close(let code, nil, let reason) = anatomy.payload else { Issue.record("not a close body"); return }
        #expect(code == .normalClosure && reason == Array("bye".utf8))
        #expect(anatomy.reference(.payload) == "RFC 6455 §5.5.1, §7.4")
    }

    static func record(request: String, response: String?) -> HandshakeRecord {
        let request = HandshakeRequest(head: HTTPHead.parse(Array(request.utf8)))
        let requestDiagnostics = request.check(serverPort: 80)
        let response = response.map { HandshakeResponse(head: HTTPHead.parse(Array($0.utf8))) }
        let outcome = response.map { HandshakeOutcome(request: request, response: $0, requestDiagnostics: requestDiagnostics) }
        let origin = ByteOrigin(packet: 4, time: Timestamp(seconds: 1_700_000_000, nanoseconds: 0))
        return HandshakeRecord(stream: 0, client: "127.0.0.1:40000", server: "127.0.0.1:80", request: request, requestOrigin: origin,
                               response: response, responseOrigin: response == nil ? nil : origin, outcome: outcome,
                               diagnostics: requestDiagnostics + (outcome?.diagnostics ?? []))
    }

    @Test func theHandshakeAnatomyDescribesEachHeaderAndAttachesFindingsToTheirLine() {
        let anatomy = HandshakeAnatomy(Self.record(
            request: "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: a=b\r\n\r\n",
            response: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong\r\n\r\n"))
        let host = anatomy.request.headers.filter { $0.field.lowercasedName == "host" }
        #expect(host.count == 2 && host.allSatisfy { $0.diagnostics.map(\.rule) == [.headerDuplicate] })
        #expect(host[0].role?.section == "RFC 6455 §4.1 item 4")
        let key = anatomy.request.headers.first { $0.field.lowercasedName == "sec-websocket-key" }
        #expect(key?.diagnostics.map(\.rule) == [.handshakeKeyNotRandom])
        #expect(anatomy.request.headers.first { $0.field.name == "Cookie" }?.role == nil)
        let accept = anatomy.response?.headers.first { $0.field.lowercasedName == "sec-websocket-accept" }
        #expect(accept?.diagnostics.map(\.rule) == [.acceptMismatch])
        guard case .mismatch(let received)? = anatomy.acceptCheck?.verdict else { Issue.record("no mismatch"); return }
        #expect(received == "wrong" && anatomy.acceptCheck?.derivation.accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(anatomy.acceptValid == false && anatomy.upgraded)
    }

    @Test func missingHeadersAndStartLineFindingsAttachToTheirHead() {
        let anatomy = HandshakeAnatomy(Self.record(
            request: "POST / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
            response: nil))
        #expect(anatomy.request.startLineDiagnostics.map(\.rule) == [.handshakeMethodNotGet])
        #expect(anatomy.request.missingHeaderDiagnostics.map(\.rule) == [.handshakeKeyMissing])
        #expect(anatomy.response == nil && anatomy.acceptCheck == nil && anatomy.negotiation == nil)
    }

    @Test func theHandshakeHeaderTableCoversEveryHeaderTheViewsShow() {
        for name in ["Host", "Origin", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                     "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept"] {
            let header = HandshakeHeader.named(name.lowercased())
            #expect((header?.request ?? header?.response)?.section.hasPrefix("RFC 6455 §") == true, "\(name)")
        }
    }
}

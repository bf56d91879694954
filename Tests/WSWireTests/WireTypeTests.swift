import Testing
import WSTestSupport
import WSWire

@Suite struct WireTypeTests {
    @Test func allSixteenOpcodesAreRepresentable() {
        let names = (0..<16).map { Opcode(rawValue: UInt8($0))!.name }
        #expect(names == ["continuation", "text", "binary", "reserved-0x3", "reserved-0x4", "reserved-0x5",
                          "reserved-0x6", "reserved-0x7", "close", "ping", "pong", "reserved-0xB", "reserved-0xC",
                          "reserved-0xD", "reserved-0xE", "reserved-0xF"])
        #expect(Opcode(rawValue: 16) == nil)
        #expect((0..<8).allSatisfy { Opcode(rawValue: UInt8($0))!.isData })
        #expect((8..<16).allSatisfy { Opcode(rawValue: UInt8($0))!.isControl })
    }

    @Test func closeCodeRegistry() {
        #expect(CloseCode(rawValue: 1000) == .normalClosure)
        #expect(CloseCode(rawValue: 1000).meaning == "normal closure")
        for code: UInt16 in [1005, 1006, 1015] { #expect(CloseCode(rawValue: code).category == .notOnWire) }
        for code: UInt16 in [1004, 1016, 2999] { #expect(CloseCode(rawValue: code).category == .reserved) }
        for code: UInt16 in [1012, 1013, 1014] { #expect(CloseCode(rawValue: code).category == .standard) }
        #expect(CloseCode(rawValue: 3000).category == .registered)
        #expect(CloseCode(rawValue: 4999).category == .privateUse)
        #expect(CloseCode(rawValue: 999).category == .outOfRange)
        #expect(CloseCode(rawValue: 5000).category == .outOfRange)
        #expect(CloseCode(rawValue: 4321) == .unknown(4321))
        #expect(CloseCode(rawValue: 4321).rawValue == 4321)
    }

    @Test func maskingWordAtATimeMatchesByteAtATime() {
        let key = MaskingKey(0xAF, 0x87, 0x53, 0xB4)
        var rng = SplitMix64(seed: 7)
        for length in 0..<40 {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for phase in 0..<4 {
                let expected = data.enumerated().map { $0.element ^ key[$0.offset + phase] }
                #expect(key.apply(to: data, payloadOffset: UInt64(phase)) == expected)
            }
        }
    }

    @Test func fieldTablePositions() {
        // 81 86 af 87 53 b4: text, masked, 6 bytes
        let header = [UInt8]([0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4]).withUnsafeBytes { FrameHeader.parse($0)! }
        let fields = FrameFieldTable.fields(of: header, payloadReceived: 6)
        #expect(fields.map(\.name) == ["FIN", "RSV1", "RSV2", "RSV3", "opcode", "MASK", "payload len", "masking key", "payload data"])
        let opcode = fields[4]
        #expect(opcode.bitRange == "bits 4-7" && opcode.rawBits == "0001" && opcode.value == "0x1" && opcode.meaning == "text frame")
        let length = fields[6]
        #expect(length.bitRange == "bits 9-15" && length.rawBits == "0000110" && length.value == "6" && length.meaning == "7-bit form (0-125)")
        #expect(fields[7].byteRange == "bytes 2-5" && fields[7].value == "af 87 53 b4")
        #expect(fields[8].byteRange == "bytes 6-11")
        // 64-bit form: extended length occupies bits 16-79
        let big = [UInt8]([0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]).withUnsafeBytes { FrameHeader.parse($0)! }
        let bigFields = FrameFieldTable.fields(of: big)
        #expect(bigFields.last?.name == "extended payload length (64)")
        #expect(bigFields.last?.bitRange == "bits 16-79")
        #expect(bigFields.last?.value == "65536")
    }

    /// MASK's meaning is true for the sender: an unmasked client frame (or a masked server frame) is named a violation,
    /// never described as travelling in the other direction.
    @Test func maskMeaningFollowsTheSender() {
        // 81 06: text, unmasked, 6 bytes (a client's "你好" sent without a key)
        let unmasked = [UInt8]([0x81, 0x06]).withUnsafeBytes { FrameHeader.parse($0)! }
        // 81 86 af 87 53 b4: text, masked with af 87 53 b4, 6 bytes
        let masked = [UInt8]([0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4]).withUnsafeBytes { FrameHeader.parse($0)! }
        func mask(_ header: FrameHeader, _ sender: Sender?) -> String {
            FrameFieldTable.fields(of: header, sender: sender).first { $0.id == .mask }!.meaning
        }
        #expect(mask(unmasked, .client) == "payload is not masked, but a client must mask every frame it sends (RFC 6455 §5.1)")
        #expect(!mask(unmasked, .client).contains("server to client"))
        #expect(mask(unmasked, .server) == "payload is not masked (server to client)")
        #expect(mask(masked, .client) == "payload is masked (client to server)")
        #expect(mask(masked, .server) == "payload is masked, but a server must not mask the frames it sends (RFC 6455 §5.1)")
        #expect(mask(masked, nil) == "payload is masked (as a client's frames must be)")
        #expect(mask(unmasked, nil) == "payload is not masked (as a server's frames must be)")
    }

    @Test func countsTakeTheRightNumber() {
        #expect(counted(1, "byte") == "1 byte")
        #expect(counted(0, "byte") == "0 bytes")
        #expect(counted(UInt64(5), "more byte") == "5 more bytes")
        #expect(counted(2, "WebSocket connection") == "2 WebSocket connections")
    }
}

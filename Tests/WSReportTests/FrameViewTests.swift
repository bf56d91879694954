import Foundation
import Testing
import WSReport
import WSWire

@Suite struct FrameViewTests {
    static let nihao: [UInt8] = [0x81, 0x86, 0xaf, 0x87, 0x53, 0xb4, 0x4b, 0x3a, 0xf3, 0x51, 0x0a, 0x3a]

    @Test func nihaoTextViewMatchesGoldenFile() throws {
        let frame = FrameCollector.decode(Self.nihao).frames[0]
        let text = FrameView().render(frame, number: 0).joined(separator: "\n") + "\n"
        try GoldenFile.check(text, against: "nihao.txt")
    }

    @Test func viewHasTheFiveSectionsInOrder() {
        let frame = FrameCollector.decode(Self.nihao).frames[0]
        let text = FrameView().render(frame, number: 0).joined(separator: "\n")
        let order = ["Header bits", "Fields", "Unmasking", "Payload", "Diagnostics"].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(text.contains("opcode        bits 4-7 (byte 0)"))
        #expect(text.contains("0  4b 01001011  XOR  af 10101111 (0)  =  e4 11100100  你 1/3 (UTF-8 lead byte)"))
        #expect(text.contains("\"你好\""))
    }

    @Test func bitFigureFollowsTheRFCShape() {
        let frame = FrameCollector.decode(Self.nihao).frames[0]
        let figure = BitFigure.render(FrameAnatomy(frame, number: 1, sender: nil).figure)
        #expect(figure[2] == "+-+-+-+-+-------+-+-------------+-------------------------------+")
        #expect(figure[3].hasPrefix("|1|0|0|0|0 0 0 1|1|0 0 0 0 1 1 0|1 0 1 0 1 1 1 1 1 0 0 0 0 1 1 1|"))
        #expect(figure[3].hasSuffix("81 86 af 87"))
        #expect(figure[4] == "|F|R|R|R|opcode |M| payload len |          masking key          |")
        // A 64-bit length spreads over three rows and the key over two more.
        let big = FrameCollector.decode([0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4]).frames[0]
        let rows = BitFigure.render(FrameAnatomy(big, number: 1, sender: nil).figure).filter { $0.hasPrefix("|0") || $0.hasPrefix("|1") }
        #expect(rows.count == 4)
    }

    @Test func unmaskTableIsLimitedUnlessAll() {
        let payload = Array(repeating: UInt8(ascii: "x"), count: 40)
        let key: [UInt8] = [1, 2, 3, 4]
        let bytes = [0x81, 0x80 | 40] + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        let frame = FrameCollector.decode(bytes).frames[0]
        let short = UnmaskTableView.render(FrameAnatomy(frame, number: 1, sender: nil).unmasking)
        #expect(short.last == "… 24 more bytes (--all shows every byte)")
        #expect(short.count == 1 + 1 + 16 + 1)
        let all = UnmaskTableView.render(FrameAnatomy(frame, number: 1, sender: nil, limits: .everything).unmasking)
        #expect(all.count == 1 + 1 + 40)
    }

    @Test func closeFramePayloadView() {
        // 88 05 03 E8 62 79 65 = close 1000 "bye"
        let frame = FrameCollector.decode([0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65]).frames[0]
        #expect(PayloadView.render(FrameAnatomy(frame, number: 1, sender: nil, limits: .everything).payload) == ["close code 1000: normal closure", "reason: \"bye\""])
    }

    @Test func binaryPayloadIsAHexDump() {
        let frame = FrameCollector.decode([0x82, 0x03, 0x00, 0x41, 0xFF]).frames[0]
        let lines = PayloadView.render(FrameAnatomy(frame, number: 1, sender: nil, limits: .everything).payload)
        #expect(lines == ["hex dump, 3 bytes:", "  0000  00 41 ff" + String(repeating: " ", count: 42) + "|.A.|"])
        // A full row puts its gutter in the same column.
        let full = FrameCollector.decode([0x82, 0x10] + (0..<16).map { UInt8($0) }).frames[0]
        #expect(PayloadView.render(FrameAnatomy(full, number: 1, sender: nil, limits: .everything).payload)[1].firstIndex(of: "|") == lines[1].firstIndex(of: "|"))
    }
}

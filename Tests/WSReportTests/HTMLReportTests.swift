import Foundation
import Testing
@testable import WSReport
import WSAnalysis
import WSWire

/// The HTML report's page and data, without a browser (Tests/WSInspectCLITests/HTMLReportTests loads it in one).
@Suite struct HTMLReportPageTests {
    /// The embedded JSON, as the page's script reads it.
    static func data(_ page: [UInt8]) throws -> [String: Any] {
        let html = String(decoding: page, as: UTF8.self)
        let start = try #require(html.range(of: #"<script type="application/json" id="wsinspect-data">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
    }

    /// Pasted frames through the same analysis as `frame`, into the HTML renderer.
    static func report(_ bytes: [UInt8], sender: Sender? = .client, maxFrames: Int = 100) throws -> (page: [UInt8], data: [String: Any]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try #require(Output(path: file.path))
        let renderer = HTMLReportRenderer(output: output, title: "test", maxFrames: maxFrames)
        let order = PastedFramesOrder(forwardingTo: renderer, messages: true)
        PastedFrames(options: PastedFrames.Options(sender: sender), sink: order).analyse(bytes)
        order.finish()
        renderer.finish()
        let page = Array(try Data(contentsOf: file))
        return (page, try data(page))
    }

    /// Whatever the strings hold, the data element cannot be closed from inside: `<`, `>` and `&` are JSON escapes,
    /// and the text decodes back to what was sent.
    @Test func capturedTextCannotCloseTheDataElement() throws {
        let hostile = "</script><script>alert(1)</script><!-- & -->"
        // An unmasked server text frame (FIN, opcode 1) carrying `hostile`.
        let frame = [0x81, UInt8(hostile.utf8.count)] + Array(hostile.utf8)
        let (page, data) = try Self.report(frame, sender: .server)
        let html = String(decoding: page, as: UTF8.self)
        #expect(html.components(separatedBy: "</script>").count - 1 == 2)
        #expect(!html.contains("<!--"))
        #expect(!html.contains("alert(1)</"))
        let frames = try #require((data["connections"] as? [[String: Any]])?.first?["frames"] as? [[Any]])
        #expect(frames.count == 1)
        #expect(frames[0][13] as? String == hostile)
    }

    /// The policy names the inline style and script by their SHA-256 (the empty string's is a known value), and
    /// allows nothing else.
    @Test func thePolicyAllowsOnlyThePagesOwnCode() throws {
        #expect(HTMLPage.hash("") == "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        let html = String(decoding: HTMLPage.render(data: Array("{}".utf8)), as: UTF8.self)
        let script = HTMLScript.core + HTMLScript.anatomy + HTMLScript.finish
        #expect(html.contains("default-src 'none'; style-src '\(HTMLPage.hash(HTMLStyle.css))'; script-src '\(HTMLPage.hash(script))'; base-uri 'none'; form-action 'none'"))
        #expect(html.contains("<style>\(HTMLStyle.css)</style>"))
        #expect(html.contains("<script>\(script)</script>"))
    }

    /// Frames keep the numbers of their JSON records; past `maxFrames` they are counted, not embedded.
    @Test func framesAreNumberedAsInJSONAndTheLimitIsCounted() throws {
        // Three masked client text frames "a", "b", "c" (FIN, opcode 1, MASK, length 1, key 00 00 00 01).
        let bytes: [UInt8] = ["a", "b", "c"].flatMap { (letter: String) -> [UInt8] in [0x81, 0x81, 0, 0, 0, 1, Array(letter.utf8)[0]] }
        let (_, data) = try Self.report(bytes, maxFrames: 2)
        let embedded = try #require((data["connections"] as? [[String: Any]])?.first?["frames"] as? [[Any]])
        #expect(embedded.map { $0[0] as? Int } == [0, 1])
        #expect(data["omitted"] as? Int == 1)
        // The field table of the first frame: FIN at bit 0, one bit.
        let fields = try #require(embedded[0][17] as? [[Int]])
        let strings = try #require(data["strings"] as? [String])
        #expect(strings[fields[0][0]] == "FIN" && fields[0][1] == 0 && fields[0][2] == 1)
        // Input offset and wire length: the second frame starts at byte 7 and is 7 bytes long.
        #expect(embedded[1][20] as? Int == 7 && embedded[1][21] as? Int == 7)
    }

    /// A fragment of a text message is text in the report as in the text view (a continuation does not say it is
    /// text: its message does); a fragment that cuts a character, and a binary continuation, stay bytes.
    @Test func textFragmentsAreText() throws {
        // 01 03 "Hel" (text, FIN=0), 80 02 "lo" (continuation, FIN=1): both text
        let hello = try Self.report([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F], sender: nil)
        let frames = try #require((hello.data["connections"] as? [[String: Any]])?.first?["frames"] as? [[Any]])
        #expect(frames.map { $0[13] as? String } == ["Hel", "lo"])
        #expect(frames.map { $0[12] as? String } == ["", ""])
        // 01 02 e4 bd | 80 01 a0: "你" cut between the fragments: bytes, not text
        let cut = try Self.report([0x01, 0x02, 0xE4, 0xBD, 0x80, 0x01, 0xA0], sender: nil)
        let cutFrames = try #require((cut.data["connections"] as? [[String: Any]])?.first?["frames"] as? [[Any]])
        #expect(cutFrames.map { $0[12] as? String } == ["e4bd", "a0"] && cutFrames.allSatisfy { $0[13] is NSNull })
        // 02 01 41 | 80 01 42: a binary message whose bytes happen to read "AB": bytes
        let binary = try Self.report([0x02, 0x01, 0x41, 0x80, 0x01, 0x42], sender: nil)
        let binaryFrames = try #require((binary.data["connections"] as? [[String: Any]])?.first?["frames"] as? [[Any]])
        #expect(binaryFrames.map { $0[12] as? String } == ["41", "42"])
    }
}

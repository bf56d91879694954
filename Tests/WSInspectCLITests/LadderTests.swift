import Foundation
import Testing
import WSCapture
import WSReport
import WSTestSupport

/// `--ladder`: the sequence diagram in the terminal, Unicode or `--ascii`.
@Suite struct LadderTests {
    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/\(name)").path }

    static func ladder(_ arguments: [String]) throws -> [String] {
        let result = try CLI.run(arguments + ["--ladder", "--color", "never"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// One arrow per message and control frame after the handshake's two, each ending on the right lifeline's column
    /// (你好 takes two columns a character), client arrows pointing right, server arrows left.
    @Test func oneArrowPerMessageAndControlFrameBetweenAlignedLifelines() throws {
        let lines = try Self.ladder([Self.sample("python-echo.pcap")])
        let arrows = lines.filter { $0.contains("│ ──") || $0.contains("│ ◀") }
        #expect(arrows.count == 2 + 16)
        #expect(arrows[0].contains("── GET /chat HTTP/1.1 ──") && arrows[0].contains("▶ │"))
        #expect(arrows[1].contains("◀──") && arrows[1].contains("HTTP/1.1 101 Switching Protocols ✓ Accept ──"))
        let rightLifeline = Set(arrows.map { line in TerminalText.displayWidth(String(line[..<line.range(of: " │", options: .backwards)!.upperBound])) })
        #expect(rightLifeline.count == 1, "lifelines out of line: \(rightLifeline)")
        #expect(arrows.contains { $0.contains("── text 6 B \"你好\" ──") && $0.hasSuffix("▶ │  #2") })
        #expect(arrows.contains { $0.contains("◀──") && $0.contains("pong 13 B (RTT 0.093 ms) ──") && $0.hasSuffix("│  #13") })
        #expect(arrows.contains { $0.contains("close 1000 normal closure \"bye\"") && $0.hasSuffix("│  #14") })
        #expect(lines.contains("        client                                                           server"))
    }

    /// A message of several frames is one arrow naming its frame count, at its last frame.
    @Test func aFragmentedMessageIsOneArrow() throws {
        let lines = try Self.ladder([Self.sample("fragments.pcap")])
        #expect(lines.contains { $0.contains(" in 3 frames") || $0.contains(" in 2 frames") })
    }

    /// `--ascii`: the drawing is plain ASCII (labels keep the capture's text, escaped as everywhere; the summary
    /// under it is the text view's).
    @Test func asciiArrows() throws {
        let lines = try Self.ladder([Self.sample("close-1000.pcap"), "--ascii"])
        let diagram = lines.filter { $0.contains(" | ") || $0.hasSuffix(" |") }
        #expect(diagram.count == 6)
        #expect(diagram.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(lines.contains { $0.contains("| -- close 1000 normal closure \"normal\" ---") && $0.hasSuffix("> |  #2") })
        #expect(lines.contains { $0.contains("| <---") && $0.contains("HTTP/1.1 101 Switching Protocols Accept OK -- |") })
    }

    /// A segment missing from the capture is marked on the ladder where it happened, not blamed on a peer.
    @Test func aCaptureGapIsMarked() throws {
        var c = Conversation(client: .loopback(40000), server: .loopback(8080))
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        for i in 0..<3 { c.send(fromClient: false, WebSocketBytes.text("message \(i)", masked: false)) }
        c.close()
        // The segment carrying "message 1" is lost.
        let lost = try #require(c.segments.firstIndex { Array($0.payload).starts(with: WebSocketBytes.text("message 1", masked: false)) })
        var kept = c.segments
        kept.remove(at: lost)
        let file = try CaptureFileWriter.write(c.packets(kept), linkType: 1)
        let lines = try Self.ladder([file])
        let gap = try #require(lines.firstIndex { $0.contains("GAP 11 B missing S→C") })
        #expect(lines[gap - 1].contains("\"message 0\""))
        // Decoding resumes at the next frame the bytes prove (RFC 6455 §5.2), marked too.
        #expect(lines[gap + 1].contains("┆ resynchronised S→C"))
        #expect(lines[(gap + 1)...].first { $0.contains("│ ◀") }?.contains("\"message 2\"") == true)
        #expect(!lines.contains { $0.contains("error") && !$0.contains("0 errors") })
    }

    @Test func theLadderIsATextView() throws {
        let result = try CLI.run([Self.sample("python-echo.pcap"), "--ladder", "--json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--ladder is a text view"))
        let ascii = try CLI.run([Self.sample("python-echo.pcap"), "--ascii"])
        #expect(ascii.status == 2)
        #expect(ascii.stderr.contains("--ascii goes with --ladder"))
    }
}

import Foundation
import Testing
import WSCapture
import WSTestSupport

/// `--html FILE`: the report of shipped samples and of pasted input, loaded in a real browser (headless Chromium)
/// once its script has run. Skipped where chromium-headless-shell is missing (scripts/setup.sh installs it).
@Suite(.enabled(if: Chromium.available, "needs chromium-headless-shell (scripts/setup.sh)"))
struct HTMLReportTests {
    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/\(name)").path }

    static func temporary(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    /// Runs wsinspect with `--html` to a new file and returns the file's path.
    static func report(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let file = temporary("report.html")
        let result = try CLI.run(arguments + ["--html", file], stdin: stdin)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("wsinspect: HTML report written to \(file): "), "\(result.stderr)", sourceLocation: sourceLocation)
        return file
    }

    static func jsonFrames(_ arguments: [String]) throws -> [[String: Any]] {
        JSONLines(try CLI.run(arguments + ["--json"]).stdout).frames
    }

    /// One row per frame, numbered as the JSON records are, in every connection of these captures.
    @Test(arguments: ["python-echo.pcap", "browser-chromium.pcap", "fragments.pcap", "fragments-deflate.pcap",
                      "concurrent.pcap", "ws-connect-proxy.pcap", "tutorial-server-a.pcap", "node-ws-deflate.pcap", "ipv6.pcap"])
    func everyFrameHasOneRowWithTheNumbersOfItsJSONRecord(_ name: String) throws {
        let page = try Chromium.load(try Self.report([Self.sample(name)]))
        let rows = page.frameRows.map { "\($0.stream)/\($0.index)" }
        let records = try Self.jsonFrames([Self.sample(name)]).map { "\($0["stream"] as! Int)/\($0["index"] as! Int)" }
        #expect(!records.isEmpty)
        #expect(rows.sorted() == records.sorted())
        #expect(Set(rows).count == rows.count, "a frame drawn twice")
        #expect(page.console.contains { $0.contains("wsinspect report drawn in") }, "the script did not run: \(page.log)")
    }

    /// Payload texts (你好 included), the Accept derivation with its ✓, and the connection's addresses.
    @Test func payloadsAndTheAcceptProofAreOnThePage() throws {
        let page = try Chromium.load(try Self.report([Self.sample("python-echo.pcap")]))
        #expect(page.dom.contains("<td>\"你好\"</td>"))
        #expect(page.dom.contains("<td>\"Hello\"</td>"))
        #expect(page.dom.contains("base64     = EAMhOZ841QVgvzdf5nDW+zFWrOo="))
        #expect(page.dom.contains("<div class=\"ok\" id=\"accept-0\">✓ matches</div>"))
        #expect(page.dom.contains("Connection 0: 127.0.0.1:56966 → 127.0.0.1:44821"))
        // The ladder: one arrow per message and control frame, the pong with its round trip.
        #expect(page.count("<g class=\"arrow\"") == 16)
        #expect(page.dom.contains("pong 13 B (RTT 0.093 ms)"))
        #expect(page.dom.contains("close code 1000 \"bye\""))
    }

    /// Every finding is an element with its `data-rule`, in the per-capture list and where it applies; the header a
    /// handshake finding is about is marked.
    @Test func findingsCarryTheirRuleAndMarkWhatTheyConcern() throws {
        let file = Self.sample("tutorial-server-a.pcap")
        let page = try Chromium.load(try Self.report([file]))
        let json = try CLI.run([file, "--json"]).stdout
        let expected: Set = ["client-accepted-bad-handshake", "header-whitespace-before-colon"]
        for rule in expected { #expect(json.contains("\"rule\":\"\(rule)\"")) }
        for rule in expected {
            #expect(page.rules.filter { $0 == rule }.count >= 2, "\(rule): in the list and at its place")
        }
        // Server A's `Connection : Upgrade` header row is marked with the chip of its rule.
        #expect(page.dom.contains(#"<tr class="hit"><td>Connection : Upgrade</td>"#))
    }

    /// The violations sample: each frame's findings are on its row (`data-rules`, a chip per finding with its
    /// `data-rule`) and in the capture's list, exactly as the JSON records have them.
    @Test func theViolationsSampleShowsEachFindingOnItsFrame() throws {
        let file = Self.sample("violations.pcap")
        let page = try Chromium.load(try Self.report([file]))
        let frames = try Self.jsonFrames([file])
        var expected: [String: Set<String>] = [:]
        for frame in frames {
            let rules = (frame["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            if !rules.isEmpty { expected["\(frame["index"] as! Int)"] = Set(rules) }
        }
        #expect(expected.count >= 10)
        let rows = page.matches(#"<tr class="frame[^"]*" data-stream="0" data-index="([0-9]+)" data-dir="[^"]*" data-op="[^"]*" data-rules="([a-z0-9 -]+)""#)
        var shown: [String: Set<String>] = [:]
        for row in rows { shown[row[0]] = Set(row[1].split(separator: " ").map(String.init)) }
        // A frame's row also carries the findings of the messages it ended (here `message-unfinished` of the message
        // that the new data frame #14 interrupted); those are message records' in JSON.
        let records = JSONLines(try CLI.run([file, "--json"]).stdout).records
        let messageRules = Set(records.filter { $0["kind"] as? String == "message" }
            .flatMap { ($0["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } })
        #expect(messageRules == ["message-unfinished"])
        #expect(Set(shown.keys) == Set(expected.keys))
        for (index, rules) in expected {
            #expect(shown[index].map { $0.subtracting(rules).isSubset(of: messageRules) && rules.isSubset(of: $0) } == true, "frame \(index)")
        }
        for rule in Set(expected.values.flatMap { $0 }) {
            #expect(page.count("data-rule=\"\(rule)\"") >= 2, "\(rule): a chip on its row and an entry in the list")
        }
    }

    /// `report.html#frame-STREAM-INDEX` opens that frame's anatomy: bit figure, field table, unmasking table.
    @Test func aFrameLinkOpensItsAnatomy() throws {
        let page = try Chromium.load(try Self.report([Self.sample("python-echo.pcap")]), fragment: "frame-0-2")
        #expect(page.dom.contains(#"<div id="anatomy" class="open">"#))
        #expect(page.dom.contains("Frame #2 · C→S · text, FIN, masked, 6-byte payload"))
        #expect(page.dom.contains("Header bits (RFC 6455 §5.2)"))
        #expect(page.dom.contains("Unmasking (RFC 6455 §5.3)"))
        // The first payload byte: E4, the lead byte of 你.
        #expect(page.dom.contains("你 1/3 (UTF-8 lead byte)"))
        #expect(page.matches(#"<tr class="frame[a-z ]* sel[a-z ]*" data-stream="0" data-index="2""#).count == 1)
    }

    /// A capture that tries to inject markup and script everywhere a string comes from: after load, no element or
    /// script of the attacker's exists, each string is shown as text, and the title is the report's.
    @Test func aHostileCaptureRendersEveryStringAsText() throws {
        let attack = "\"><img src=x onerror=console.log('pwned')><script>console.log('pwned')</script></script><svg onload=console.log('pwned')><iframe src=javascript:alert(1)>"
        let capture = try HostileInputTests.capture(
            path: "/chat?<script>console.log('pwned')</script>",
            requestExtra: "User-Agent: \(attack)\r\nSec-WebSocket-Protocol: <b id=owned>chat</b>\r\n",
            responseExtra: "Server: \(attack)\r\nSec-WebSocket-Protocol: <b id=owned>chat</b>\r\n",
            client: WebSocketBytes.text(attack, masked: true)
                + WebSocketBytes.frame(opcode: 8, key: [9, 9, 9, 9], payload: [0x03, 0xE8] + Array("<script>console.log('pwned')</script>".utf8)),
            server: WebSocketBytes.text("</script><script>console.log('pwned')</script>", masked: false)
                + WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8] + Array("<img src=x onerror=console.log('pwned')>".utf8)))
        // The file name is markup too.
        let named = Self.temporary("<img src=x onerror=console.log('pwned')>.pcap")
        try FileManager.default.moveItem(atPath: capture, toPath: named)
        let page = try Chromium.load(try Self.report([named]), fragment: "frame-0-0")
        #expect(page.count("<script") == 2, "only the report's data and script")
        for element in ["<img", "<svg onload", "<iframe", "<b id"] { #expect(!page.dom.contains(element), "\(element)") }
        #expect(!page.log.contains("pwned"))
        #expect(page.dom.contains("<title>wsinspect report: "))
        #expect(page.dom.contains("&lt;img src=x onerror=console.log('pwned')&gt;"))
        #expect(page.dom.contains("&lt;/script&gt;&lt;script&gt;"))
    }

    /// The page loads nothing: a Content-Security-Policy allowing only its own inline style and script (by hash, so
    /// the browser runs them), no URL anywhere but the SVG namespace.
    @Test func thePageIsSelfContained() throws {
        let file = try Self.report([Self.sample("python-echo.pcap")])
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-"#))
        for reference in ["src=", "href=", "url(", "@import", "//cdn", "fetch(", "XMLHttpRequest"] {
            #expect(!html.contains(reference), "\(reference)")
        }
        let urls = try NSRegularExpression(pattern: "[a-z]+://[^\"' ]*").matches(in: html, range: NSRange(html.startIndex..., in: html))
            .map { String(html[Range($0.range, in: html)!]) }
        #expect(urls == ["http://www.w3.org/2000/svg"], "the only URL is the SVG namespace")
        let page = try Chromium.load(file)
        #expect(!page.log.contains("Refused to"), "the policy blocked the page's own code: \(page.log)")
        #expect(page.frameRows.count == 16)
    }

    /// `--html-max-frames`: the report holds that many frames and says how many it left out.
    @Test func theReportSaysWhatTheFrameLimitLeftOut() throws {
        let page = try Chromium.load(try Self.report([Self.sample("python-echo.pcap"), "--html-max-frames", "5"]))
        #expect(page.frameRows.count == 5)
        #expect(page.dom.contains("11 frames were left out of this report (--html-max-frames)"))
    }

    /// A connection of thousands of frames shows them a page at a time; a link to a frame turns to its page.
    @Test func aLongConnectionIsPagedAndALinkTurnsToTheFramesPage() throws {
        // 1,200 unmasked text frames from the server, "frame 0" to "frame 1199".
        let frames = (0..<1_200).flatMap { WebSocketBytes.text("frame \($0)", masked: false) }
        let capture = try HostileInputTests.capture(server: frames)
        let file = try Self.report([capture])
        let first = try Chromium.load(file)
        #expect(first.frameRows.map(\.index) == Array(0..<500))
        #expect(first.dom.contains("frames 1–500 of 1200"))
        let last = try Chromium.load(file, fragment: "frame-0-1199")
        #expect(last.frameRows.map(\.index) == Array(1_000..<1_200))
        #expect(last.dom.contains("frames 1001–1200 of 1200"))
        #expect(last.dom.contains("Frame #1199 · S→C · text"))
    }

    /// `frame`, `encode` and `handshake` write the same report for what was pasted; one frame opens its anatomy.
    @Test func pastedInputHasItsReportToo() throws {
        // A masked text frame (FIN, opcode 1, MASK, length 6, key af 87 53 b4) carrying "你好".
        let frame = try Chromium.load(try Self.report(["frame", "81", "86", "af", "87", "53", "b4", "4b", "3a", "f3", "51", "0a", "3a"]))
        #expect(frame.frameRows.map(\.index) == [0])
        #expect(frame.dom.contains(#"<div id="anatomy" class="open">"#))
        #expect(frame.dom.contains("你 1/3 (UTF-8 lead byte)"))
        #expect(frame.dom.contains("<title>wsinspect report: frame 81 86 af 87 53 b4 4b 3a f3 51 0a 3a</title>"))

        let encoded = try Chromium.load(try Self.report(["encode", "--text", "Hello", "--fragment", "2", "--mask", "37fa213d"]))
        #expect(encoded.frameRows.map(\.index) == [0, 1])

        let handshake = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            + "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        let pasted = try Chromium.load(try Self.report(["handshake", "-"], stdin: handshake))
        #expect(pasted.dom.contains("✓ matches"))
        #expect(pasted.dom.contains("base64     = s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
    }
}

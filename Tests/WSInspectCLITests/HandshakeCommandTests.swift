import Foundation
import Testing

@Suite struct HandshakeCommandTests {
    /// RFC 6455 §1.3's example request, with bare LF line ends as a paste usually has them.
    static let rfcRequest = """
        GET /chat HTTP/1.1
        Host: server.example.com
        Upgrade: websocket
        Connection: Upgrade
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
        Origin: http://example.com
        Sec-WebSocket-Protocol: chat, superchat
        Sec-WebSocket-Version: 13

        """

    static func request(key: String, extra: String = "") -> String {
        "GET /chat HTTP/1.1\r\nHost: localhost:8888\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n"
    }

    static func response(accept: String) -> String {
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
    }

    @Test func theRFCExampleWithItsResponseChecksOut() throws {
        let paste = Self.rfcRequest + "\n" + "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\nSec-WebSocket-Protocol: chat\n"
        let result = try CLI.run(["handshake", "-", "--color", "never"], stdin: paste)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, received s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  ✓ matches"))
        #expect(result.stdout.contains("negotiated: subprotocol chat"))
        // Each header with what it does.
        #expect(result.stdout.contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==  16 random bytes in base64 (RFC 6455 §4.1 item 7)"))
        // A paste cannot prove line ends: bare LF is a note; the sample nonce is reused on purpose (a warning).
        #expect(result.stdout.contains("note    [pasted-bare-lf]"))
        #expect(result.stdout.contains("[handshake-key-not-random]"))
        #expect(!result.stdout.contains("error "))
    }

    @Test func tutorialServerAsResponseIsCaught() throws {
        // Server A of the tutorials answers with a trailing space in the reason, no space after colons, and
        // "Connection : Upgrade" (whitespace before the colon, forbidden by RFC 7230 §3.2.4).
        let paste = Self.request(key: "In1aAp/ya9Lkv+tsUtXLXQ==") + "HTTP/1.1 101 Web Socket Protocol Handshake \r\nUpgrade:WebSocket\r\nConnection : Upgrade\r\nsec-websocket-accept: HBMDBbZMiS59r3aAITpGtJ64Mfc=\r\n\r\n"
        let result = try CLI.run(["handshake", "--json"], stdin: paste)
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.split(separator: "\n")[0].utf8)) as! [String: Any]
        let rules = (record["diagnostics"] as! [[String: Any]]).map { $0["rule"] as! String }
        #expect(rules.contains("header-whitespace-before-colon"))
        // In a response the proxy's duty applies (RFC 7230 §3.2.4), not the server's 400.
        let message = (record["diagnostics"] as! [[String: Any]]).first { $0["rule"] as? String == "header-whitespace-before-colon" }?["message"] as? String ?? ""
        #expect(message.contains("a proxy must remove it before forwarding the response") && !message.contains("a recipient must reject"))
        #expect(!rules.contains("pasted-bare-lf"))   // CRLF throughout
        #expect(record["accept_valid"] as? Bool == true && record["stream"] is NSNull && record["packet"] is NSNull)
        #expect(try CLI.run(["handshake", "--strict"], stdin: paste).status == 1)
    }

    /// The same whitespace in a request: the server must answer 400 (RFC 7230 §3.2.4).
    @Test func whitespaceBeforeTheColonInARequestIsA400() throws {
        // "Host : x": whitespace between the name Host and its colon
        let paste = "GET / HTTP/1.1\r\nHost : x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: In1aAp/ya9Lkv+tsUtXLXQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let result = try CLI.run(["handshake", "--color", "never"], stdin: paste)
        #expect(result.stdout.contains("\"Host : x\" has whitespace between the name and the colon; a server must reject such a request with 400 (Bad Request)."))
    }

    @Test func theTutorialsAcceptPairsMatch() throws {
        // Chrome to ws://localhost:8888, and the handshake with Origin: null.
        for (key, accept) in [("In1aAp/ya9Lkv+tsUtXLXQ==", "HBMDBbZMiS59r3aAITpGtJ64Mfc="), ("sN9cRrP/n9NdMgdcy2VJFQ==", "fFBooB7FAkLlXgRSz0BT3v4hq5s=")] {
            let result = try CLI.run(["handshake", "--color", "never"], stdin: Self.request(key: key) + Self.response(accept: accept))
            #expect(result.stdout.contains("✓ matches"), "\(key)")
        }
        let wrong = try CLI.run(["handshake", "--color", "never"], stdin: Self.request(key: "In1aAp/ya9Lkv+tsUtXLXQ==") + Self.response(accept: "nope="))
        #expect(wrong.stdout.contains("✗ does not match") && wrong.stdout.contains("[accept-mismatch]"))
    }

    @Test func curlVerboseOutputIsRead() throws {
        let curl = """
            *   Trying 127.0.0.1:8080...
            * Connected to localhost (127.0.0.1) port 8080
            > GET /chat HTTP/1.1\r
            > Host: localhost:8080\r
            > Upgrade: websocket\r
            > Connection: Upgrade\r
            > Sec-WebSocket-Key: In1aAp/ya9Lkv+tsUtXLXQ==\r
            > Sec-WebSocket-Version: 13\r
            > \r
            < HTTP/1.1 101 Switching Protocols\r
            < Upgrade: websocket\r
            < Connection: Upgrade\r
            < Sec-WebSocket-Accept: HBMDBbZMiS59r3aAITpGtJ64Mfc=\r
            < \r
            * Connection #0 to host localhost left intact

            """
        let result = try CLI.run(["handshake", "--color", "never"], stdin: curl)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("C→S GET /chat HTTP/1.1") && result.stdout.contains("✓ matches"))
    }

    @Test func aRequestAloneAndVerbose() throws {
        let result = try CLI.run(["handshake", "--color", "never"], stdin: Self.request(key: "In1aAp/ya9Lkv+tsUtXLXQ==", extra: "Pragma: no-cache\r\nUser-Agent: test\r\n"))
        #expect(result.stdout.contains("S→C no response given"))
        #expect(result.stdout.contains("(2 more headers: -v shows every header)"))
        let verbose = try CLI.run(["handshake", "-v", "--color", "never"], stdin: Self.request(key: "In1aAp/ya9Lkv+tsUtXLXQ==", extra: "Pragma: no-cache\r\n"))
        #expect(verbose.stdout.contains("Pragma: no-cache") && !verbose.stdout.contains("more header"))
    }

    @Test func whatIsNotAHandshakeIsOneLineAndExit2() throws {
        for (input, message) in [("", "no handshake given"), ("HTTP/1.1 101 Switching Protocols\r\n\r\n", "this is a response"),
                                 ("hello there\n", "is not an HTTP request line")] {
            let result = try CLI.run(["handshake"], stdin: input)
            #expect(result.status == 2 && result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        #expect(try CLI.run(["handshake", "/no/such/file"]).status == 2)
    }
}

import Testing
@testable import WSWire

/// Every rule of the opening request (checklist HC-1…HC-27), each on a request that breaks it and on a look-alike that
/// does not. Requests are built from a correct one (RFC 6455 §4.1) by replacing, adding or removing header lines.
@Suite struct HandshakeRequestRuleTests {
    static let lines = ["GET /chat HTTP/1.1", "Host: server.example.com:8080", "Upgrade: websocket", "Connection: Upgrade",
                        "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==", "Sec-WebSocket-Version: 13"]

    /// The rule ids `check` reports for the request made of `lines` (CRLF line ends), sent to `port`.
    static func rules(_ lines: [String], port: UInt16 = 8080) -> [String] {
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n"
        return HandshakeRequest(head: HTTPHead.parse(Array(text.utf8))).check(serverPort: port).map(\.rule.id)
    }

    /// The correct request with the line starting `prefix` replaced by `line` (removed when nil), or `line` added.
    static func with(_ prefix: String, _ line: String?) -> [String] {
        var result = lines
        if let index = result.firstIndex(where: { $0.hasPrefix(prefix) }) {
            if let line { result[index] = line } else { result.remove(at: index) }
        } else if let line {
            result.append(line)
        }
        return result
    }

    @Test func theCorrectRequestIsSilent() {
        #expect(Self.rules(Self.lines).isEmpty)
    }

    /// (request lines, the rule they break, a look-alike that must not break it)
    static let cases: [(broken: [String], rule: String, lookAlike: [String])] = [
        (with("GET", "GET /chat"), "handshake-request-malformed", with("GET", "GET /chat HTTP/1.1")),
        (with("GET", "POST /chat HTTP/1.1"), "handshake-method-not-get", with("GET", "GET /chat?x=POST HTTP/1.1")),
        (with("GET", "GET /chat HTTP/1.0"), "handshake-http-version-too-old", with("GET", "GET /chat HTTP/1.2")),
        (with("GET", "GET /chat#top HTTP/1.1"), "handshake-uri-fragment", with("GET", "GET /chat%23top HTTP/1.1")),
        (with("GET", "GET chat HTTP/1.1"), "handshake-bad-request-target", with("GET", "GET /chat HTTP/1.1")),
        (with("GET", "GET ws://server.example.com:8080/chat HTTP/1.1"), "handshake-bad-request-target",
         with("GET", "GET http://server.example.com:8080/chat HTTP/1.1")),
        (with("GET", "GET http://elsewhere.example.com:8080/chat HTTP/1.1"), "handshake-bad-request-target",
         with("GET", "GET http://SERVER.example.com:8080/ HTTP/1.1")),
        (with("Host", nil), "handshake-missing-host", with("Host", "Host: server.example.com:8080")),
        (with("Host", "Host: server.example.com:9090"), "handshake-host-port-mismatch", with("Host", "Host: server.example.com:8080")),
        (with("Upgrade", "Upgrade: h2c"), "handshake-upgrade-missing", with("Upgrade", "Upgrade: WebSocket")),
        (with("Connection", "Connection: keep-alive"), "handshake-connection-missing-upgrade", with("Connection", "Connection: keep-alive, Upgrade")),
        (with("Sec-WebSocket-Key", nil), "handshake-key-missing", with("Sec-WebSocket-Key", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==")),
        // 20 bytes in base64, then a key that is not base64 at all; the look-alike decodes to 16 bytes.
        (with("Sec-WebSocket-Key", "Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODxAREhM="), "handshake-key-not-16-bytes",
         with("Sec-WebSocket-Key", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==")),
        (with("Sec-WebSocket-Key", "Sec-WebSocket-Key: not a key!"), "handshake-key-not-16-bytes",
         with("Sec-WebSocket-Key", "Sec-WebSocket-Key:   x3JJHMbDL1EzLkh9GBhXDw==  ")),
        // ...Dw== has unused bits 0 in its last character; ...Dx== carries a 1 there (same 16 bytes).
        (with("Sec-WebSocket-Key", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDx=="), "handshake-key-pad-bits",
         with("Sec-WebSocket-Key", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==")),
        (lines + ["Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw=="], "handshake-key-repeated", lines),
        (with("Sec-WebSocket-Version", nil), "handshake-version-missing", lines),
        (lines + ["Sec-WebSocket-Version: 13"], "handshake-version-repeated", lines),
        (with("Sec-WebSocket-Version", "Sec-WebSocket-Version: 013"), "handshake-version-not-13", lines),
        (with("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8"), "handshake-version-not-13", lines),
        (lines + ["User-Agent: Mozilla/5.0 (X11; Linux x86_64)"], "handshake-browser-without-origin",
         lines + ["User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "Origin: http://server.example.com"]),
        (lines + ["Sec-WebSocket-Protocol: chat, v1.chat/x"], "subprotocol-invalid-token", lines + ["Sec-WebSocket-Protocol: chat, v1.chat"]),
        (lines + ["Sec-WebSocket-Protocol:"], "subprotocol-invalid-token", lines + ["Sec-WebSocket-Protocol: chat"]),
        (lines + ["Sec-WebSocket-Protocol: chat, , superchat"], "subprotocol-invalid-token", lines + ["Sec-WebSocket-Protocol: chat, superchat"]),
        (lines + ["Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: superchat, chat"], "subprotocol-offered-twice",
         lines + ["Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: superchat"]),
        (lines + ["Sec-WebSocket-Extensions: permessage-deflate; a=\"b c\""], "extensions-header-malformed",
         lines + ["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=\"10\""]),
        (lines + ["Sec-WebSocket-Extensions: x-private-compression"], "extension-not-registered",
         lines + ["Sec-WebSocket-Extensions: permessage-deflate"]),
        (with("Connection", "Connection : Upgrade"), "header-whitespace-before-colon", with("Connection", "Connection:Upgrade")),
        (with("Connection", "Connection: keep-alive,\r\n Upgrade"), "header-obs-fold", with("Connection", "Connection: keep-alive, Upgrade")),
        (lines + ["Origin: http://a.example", "Origin: http://b.example"], "header-duplicate",
         lines + ["Accept-Language: en", "Accept-Language: fr"]),
        (["GET /demo HTTP/1.1", "Host: example.com", "Connection: Upgrade", "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00",
          "Upgrade: WebSocket", "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5", "Origin: http://example.com"], "legacy-hixie-handshake", lines),
    ]

    @Test(arguments: 0..<cases.count)
    func eachRuleFiresAndItsLookAlikeStaysSilent(_ index: Int) {
        let (broken, rule, lookAlike) = Self.cases[index]
        #expect(Self.rules(broken, port: 8080).contains(rule), "\(rule): \(Self.rules(broken))")
        #expect(!Self.rules(lookAlike, port: 8080).contains(rule), "\(rule) look-alike: \(Self.rules(lookAlike))")
    }

    /// HC-12: the RFC's sample nonce, and keys whose 16 bytes are anything but random; a random key passes.
    @Test(arguments: [
        ("dGhlIHNhbXBsZSBub25jZQ==", "sample nonce"),        // "the sample nonce" (RFC 6455 §1.3)
        ("AAAAAAAAAAAAAAAAAAAAAA==", "all zero"),            // 16 × 00
        ("qqqqqqqqqqqqqqqqqqqqqg==", "repeated"),            // 16 × aa
        ("AQIDBAUGBwgJCgsMDQ4PEA==", "count up"),            // 01 02 … 10 (RFC 6455 §4.1's example, canonical)
        ("AAEAAQABAAEAAQABAAEAAQ==", "different values"),    // 00 01 00 01 …: two values
        ("bXlzZWNyZXRrZXkxMjM0NQ==", "printable text"),      // "mysecretkey12345"
    ])
    func keysThatAreNotRandom(key: String, reason: String) {
        let request = Self.with("Sec-WebSocket-Key", "Sec-WebSocket-Key: \(key)")
        let text = request.joined(separator: "\r\n") + "\r\n\r\n"
        let found = HandshakeRequest(head: HTTPHead.parse(Array(text.utf8))).check(serverPort: 8080).filter { $0.rule == .handshakeKeyNotRandom }
        #expect(found.count == 1 && found[0].message.contains(reason), "\(key): \(found.map(\.message))")
    }

    @Test func aRandomKeyIsRandomEnough() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(HandshakeRequest.weakness(ofNonce: nonce) == nil, "\(nonce)")
        }
    }
}

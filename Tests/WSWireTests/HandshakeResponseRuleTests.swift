import Testing
import WSWire

/// Every rule of the server's response (checklist HS-1, HS-3, HS-5…HS-15, and the legacy notes), each on a response
/// that breaks it and on a look-alike that does not. The request is RFC 6455 §1.3's (key "the sample nonce", so the
/// Accept is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=), offering subprotocols chat and superchat and permessage-deflate.
@Suite struct HandshakeResponseRuleTests {
    static let request = ["GET /chat HTTP/1.1", "Host: server.example.com", "Upgrade: websocket", "Connection: Upgrade",
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
                          "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Extensions: permessage-deflate"]
    static let response = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]

    static func head(_ lines: [String]) -> HTTPHead {
        HTTPHead.parse(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8))
    }

    /// The rule ids of the outcome of `response` answering `request` (with the request's own findings).
    static func rules(_ response: [String], request: [String] = request) -> [String] {
        let handshake = HandshakeRequest(head: head(request))
        let outcome = HandshakeOutcome(request: handshake, response: HandshakeResponse(head: head(response)),
                                       requestDiagnostics: handshake.check(serverPort: 80))
        return outcome.diagnostics.map(\.rule.id)
    }

    static func with(_ prefix: String, _ line: String?) -> [String] {
        var result = response
        if let index = result.firstIndex(where: { $0.hasPrefix(prefix) }) {
            if let line { result[index] = line } else { result.remove(at: index) }
        } else if let line {
            result.append(line)
        }
        return result
    }

    @Test func theCorrectResponseIsSilent() {
        // (The request's sample nonce is its own finding, handshake-key-not-random: a warning, which a server need not
        // refuse.)
        #expect(Self.rules(Self.response).isEmpty)
    }

    static let cases: [(broken: [String], rule: String, lookAlike: [String])] = [
        (with("HTTP", "HTTP/1.1 101"), "response-malformed", with("HTTP", "HTTP/1.1 101 ")),
        (with("HTTP", "HTTP/1.1 1O1 Switching Protocols"), "response-malformed", with("HTTP", "HTTP/1.1 101 OK")),
        (with("Upgrade", "Upgrade: h2c"), "response-upgrade-invalid", with("Upgrade", "Upgrade: WebSocket")),
        (with("Connection", nil), "response-connection-invalid", with("Connection", "Connection: keep-alive, upgrade")),
        (with("Sec-WebSocket-Accept", nil), "accept-mismatch", response),
        (with("Sec-WebSocket-Accept", "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ=="), "accept-mismatch", response),
        (response + ["Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="], "accept-repeated", response),
        (response + ["Sec-WebSocket-Protocol: megachat"], "subprotocol-not-offered", response + ["Sec-WebSocket-Protocol: superchat"]),
        (response + ["Sec-WebSocket-Protocol: chat, superchat"], "subprotocol-response-invalid", response + ["Sec-WebSocket-Protocol: chat"]),
        (response + ["Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat"], "subprotocol-header-repeated",
         response + ["Sec-WebSocket-Protocol: chat"]),
        (response + ["Sec-WebSocket-Extensions: x-private"], "extension-not-offered", response + ["Sec-WebSocket-Extensions: permessage-deflate"]),
        (response + ["Sec-WebSocket-Extensions: permessage-deflate", "Sec-WebSocket-Extensions: permessage-deflate"], "extensions-header-repeated",
         response + ["Sec-WebSocket-Extensions: permessage-deflate"]),
        (response + ["Sec-WebSocket-Extensions: permessage-deflate; a=\"b c\""], "extensions-header-malformed",
         response + ["Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=\"12\""]),
        (["HTTP/1.1 403 Forbidden", "Content-Length: 0"], "upgrade-refused", response),
        (response + ["Sec-WebSocket-Origin: http://example.com", "Sec-WebSocket-Location: ws://server.example.com/chat"],
         "legacy-hixie-header", response + ["Server: example"]),
        (with("Connection", "Connection : Upgrade"), "header-whitespace-before-colon", response),
        (response + ["Server: a", "Server: b"], "header-duplicate", response + ["Vary: a", "Vary: b"]),
    ]

    @Test(arguments: 0..<cases.count)
    func eachRuleFiresAndItsLookAlikeStaysSilent(_ index: Int) {
        let (broken, rule, lookAlike) = Self.cases[index]
        #expect(Self.rules(broken).contains(rule), "\(rule): \(Self.rules(broken))")
        #expect(!Self.rules(lookAlike).contains(rule), "\(rule) look-alike: \(Self.rules(lookAlike))")
    }

    /// HS-1: a 101 to a request that breaks a MUST; HS-3: a version refusal that does not list the versions.
    @Test func whatTheServerShouldHaveRefused() {
        let badRequest = RequestLines.replacing(Self.request, "Sec-WebSocket-Version", "Sec-WebSocket-Version: 8")
        #expect(Self.rules(Self.response, request: badRequest).contains("server-accepted-invalid-request"))
        #expect(!Self.rules(Self.response).contains("server-accepted-invalid-request"))
        let refusal = ["HTTP/1.1 426 Upgrade Required", "Content-Length: 0"]
        #expect(Self.rules(refusal, request: badRequest).contains("response-version-list-missing"))
        #expect(!Self.rules(refusal + ["Sec-WebSocket-Version: 13"], request: badRequest).contains("response-version-list-missing"))
    }

    /// HS-16's input: which findings make a 101 one the client must refuse. A request finding never does.
    @Test func whichFindingsMakeTheClientFail() {
        func outcome(_ response: [String], request: [String] = Self.request) -> HandshakeOutcome {
            let handshake = HandshakeRequest(head: Self.head(request))
            return HandshakeOutcome(request: handshake, response: HandshakeResponse(head: Self.head(response)),
                                    requestDiagnostics: handshake.check(serverPort: 80))
        }
        #expect(!outcome(Self.response).clientMustFail)
        #expect(outcome(Self.with("Sec-WebSocket-Accept", nil)).clientMustFail)
        #expect(outcome(Self.response + ["Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat"]).clientMustFail)
        // An invalid offer (unknown parameter), declined by a 101 without extensions: nothing for the client to refuse.
        let badOffer = RequestLines.replacing(Self.request, "Sec-WebSocket-Extensions",
                                                                  "Sec-WebSocket-Extensions: permessage-deflate; foo")
        #expect(outcome(Self.response, request: badOffer).diagnostics.contains { $0.rule == .pmdUnknownParameter })
        #expect(!outcome(Self.response, request: badOffer).clientMustFail)
    }
}

enum RequestLines {
    static func replacing(_ lines: [String], _ prefix: String, _ line: String) -> [String] {
        lines.map { $0.hasPrefix(prefix) ? line : $0 }
    }
}

import Testing
import WSWire

@Suite struct PermessageDeflateTests {
    static func negotiate(_ offer: String, _ response: String) -> (agreement: DeflateAgreement?, rules: [String]) {
        let offers = ExtensionElement.parseList(offer).elements
        let accepted = ExtensionElement.parseList(response).elements
        let result = PermessageDeflate.negotiate(offers: offers, accepted: accepted)
        return (result.agreement, result.diagnostics.map(\.rule.id))
    }

    @Test func defaultAgreement() {
        let (agreement, rules) = Self.negotiate("permessage-deflate; client_max_window_bits", "permessage-deflate")
        #expect(rules.isEmpty)
        #expect(agreement?.client == DeflateSettings(noContextTakeover: false, windowBits: 15))
        #expect(agreement?.server == DeflateSettings(noContextTakeover: false, windowBits: 15))
    }

    @Test func clientParametersGovernTheClientsMessages() {
        // client_* describe what the client compresses; server_* what the server compresses (not the other way round).
        let (agreement, rules) = Self.negotiate(
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=12",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=10; server_max_window_bits=11")
        #expect(rules.isEmpty)
        #expect(agreement?.settings(for: .client) == DeflateSettings(noContextTakeover: true, windowBits: 10))
        #expect(agreement?.settings(for: .server) == DeflateSettings(noContextTakeover: false, windowBits: 11))
    }

    @Test func quotedValuesAreAllowed() {
        let (agreement, rules) = Self.negotiate("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=\"12\"")
        #expect(rules.isEmpty)
        #expect(agreement?.client.windowBits == 12)
    }

    @Test(arguments: [
        ("permessage-deflate", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", "pmd-duplicate-parameter"),
        ("permessage-deflate", "permessage-deflate; compression_level=9", "pmd-unknown-parameter"),
        ("permessage-deflate", "permessage-deflate; server_no_context_takeover=1", "pmd-unexpected-value"),
        ("permessage-deflate", "permessage-deflate; server_max_window_bits=7", "pmd-invalid-window-bits"),
        ("permessage-deflate", "permessage-deflate; server_max_window_bits=16", "pmd-invalid-window-bits"),
        ("permessage-deflate", "permessage-deflate; server_max_window_bits=010", "pmd-invalid-window-bits"),
        ("permessage-deflate", "permessage-deflate; server_max_window_bits", "pmd-invalid-window-bits"),
        ("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits", "pmd-invalid-window-bits"),
        ("permessage-deflate", "permessage-deflate; client_max_window_bits=10", "pmd-client-window-bits-not-offered"),
        ("permessage-deflate; server_max_window_bits=10", "permessage-deflate", "pmd-server-window-bits-not-honoured"),
        ("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=12", "pmd-server-window-bits-not-honoured"),
        ("permessage-deflate, x-webkit-deflate-frame", "permessage-deflate, permessage-deflate", "pmd-rsv1-conflict"),
        ("permessage-deflate; bogus", "permessage-deflate", "pmd-invalid-offer-accepted"),
        ("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=9", "pmd-small-window"),
        ("x-webkit-deflate-frame", "", "legacy-deflate-frame"),
    ])
    func invalidResponsesAreDiagnosed(offer: String, response: String, rule: String) {
        #expect(Self.negotiate(offer, response).rules.contains(rule))
    }

    @Test func validOffersAndResponsesAreSilent() {
        for (offer, response) in [
            ("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10"),
            ("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=9; client_no_context_takeover"),
            ("permessage-deflate; client_max_window_bits, permessage-deflate", "permessage-deflate; server_no_context_takeover"),
        ] {
            let rules = Self.negotiate(offer, response).rules.filter { $0 != "pmd-small-window" }
            #expect(rules.isEmpty, "\(offer) / \(response): \(rules)")
        }
    }

    @Test func handshakeCarriesTheAgreement() {
        let request = HandshakeRequest(head: HTTPHead.parse(Array("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n".utf8)))
        let response = HandshakeResponse(head: HTTPHead.parse(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: HSmrc0sMlYUkAGmm5OPpG2HaGWk=\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=12\r\n\r\n".utf8)))
        let outcome = HandshakeOutcome(request: request, response: response, requestDiagnostics: [])
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.permessageDeflate)
        #expect(outcome.deflate?.client.windowBits == 12)
    }
}

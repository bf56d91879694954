/// The client's half of an opening handshake: an HTTP request that asks to upgrade to WebSocket (RFC 6455 §4.1).
public struct HandshakeRequest: Hashable, Sendable {
    public let head: HTTPHead
    public let line: HTTPRequestLine?
    public let offeredSubprotocols: [String]
    public let offeredExtensions: [ExtensionElement]

    public init(head: HTTPHead) {
        self.head = head
        self.line = HTTPRequestLine(head.startLine)
        self.offeredSubprotocols = head.listElements("Sec-WebSocket-Protocol")
        self.offeredExtensions = ExtensionElement.parseList(head.values("Sec-WebSocket-Extensions").joined(separator: ", ")).elements
    }

    /// True when the request asks for WebSocket: an Upgrade naming websocket, or WebSocket key headers.
    public var isUpgrade: Bool {
        head.listContains("Upgrade", "websocket") || head.count("Sec-WebSocket-Key") > 0 || isHixie76
    }

    /// The pre-RFC draft-hixie-thewebsocketprotocol-76 handshake (Sec-WebSocket-Key1/Key2, 8 key bytes after the head).
    public var isHixie76: Bool {
        head.count("Sec-WebSocket-Key1") > 0 && head.count("Sec-WebSocket-Key2") > 0
    }

    public var key: String? { head.values("Sec-WebSocket-Key").first }

    /// Checks the request against RFC 6455 §4.1 and RFC 7230. `serverPort` is the TCP port the request went to.
    public func check(serverPort: UInt16?) -> [Diagnostic] {
        var found = HeaderSyntax.check(head, side: .request, singletons: HeaderSyntax.requestSingletons)
        guard let line else {
            found.insert(Diagnostic(.handshakeRequestMalformed,
                "The request line \"\(head.startLine.prefix(80))\" is not of the form METHOD SP target SP HTTP/x.y."), at: 0)
            return found
        }
        if !head.problems.isEmpty {
            found.append(Diagnostic(.handshakeRequestMalformed, "The request head is malformed: \(head.problems.joined(separator: "; "))."))
        }
        if isHixie76 {
            found.append(Diagnostic(.legacyHixieHandshake,
                "Sec-WebSocket-Key1/Key2 belong to draft-hixie-thewebsocketprotocol-76 (2010), not RFC 6455; its frames are not RFC 6455 frames and are not decoded."))
            return found
        }
        if line.method != "GET" {
            found.append(Diagnostic(.handshakeMethodNotGet, "The method is \(line.method); the opening handshake must be a GET."))
        }
        if let (major, minor) = line.versionNumbers, major < 1 || (major == 1 && minor < 1) {
            found.append(Diagnostic(.handshakeHTTPVersionTooOld, "The request uses \(line.version); HTTP/1.1 or later is required."))
        }
        if line.target.contains("#") {
            found.append(Diagnostic(.handshakeURIFragment, "The request target \"\(line.target.prefix(80))\" contains '#'; a WebSocket URI has no fragment (send # as %23)."))
        }
        if let host = head.values("Host").first {
            if let serverPort, let port = Self.port(ofHost: host), port != serverPort {
                found.append(Diagnostic(.handshakeHostPortMismatch,
                    "Host says \"\(host)\" (port \(port)) but the connection goes to port \(serverPort); behind a proxy this can be legitimate."))
            }
        } else {
            found.append(Diagnostic(.handshakeMissingHost, "The request has no Host header."))
        }
        if head.count("Upgrade") == 0 {
            found.append(Diagnostic(.handshakeUpgradeMissing, "The request has no Upgrade header; it must contain the token websocket.",
                                    at: .missingHeader(.request, name: "upgrade")))
        } else if !head.listContains("Upgrade", "websocket") {
            found.append(Diagnostic(.handshakeUpgradeMissing, "Upgrade is \"\(head.value("Upgrade") ?? "")\", which does not contain the token websocket."))
        }
        if !head.listContains("Connection", "upgrade") {
            let value = head.value("Connection").map { "is \"\($0)\", which lacks" } ?? "is missing; it needs"
            found.append(Diagnostic(.handshakeConnectionMissingUpgrade, "Connection \(value) the token Upgrade.",
                                    at: head.count("Connection") == 0 ? .missingHeader(.request, name: "connection") : nil))
        }
        let keys = head.values("Sec-WebSocket-Key")
        if keys.isEmpty {
            found.append(Diagnostic(.handshakeKeyMissing, "The request has no Sec-WebSocket-Key."))
        } else {
            if keys.count > 1 {
                found.append(Diagnostic(.handshakeKeyRepeated, "Sec-WebSocket-Key appears \(keys.count) times; it must appear once."))
            }
            found += WebSocketKeyCheck(key: keys[0]).diagnostics
            if keys[0].trimmingWhitespace == "dGhlIHNhbXBsZSBub25jZQ==" {
                found.append(Diagnostic(.handshakeKeyNotRandom, "The key is the RFC 6455 §1.3 sample nonce (\"the sample nonce\"); each connection needs a fresh random key."))
            }
        }
        let versions = head.values("Sec-WebSocket-Version")
        if versions.isEmpty {
            found.append(Diagnostic(.handshakeVersionMissing, "The request has no Sec-WebSocket-Version."))
        } else {
            if versions.count > 1 {
                found.append(Diagnostic(.handshakeVersionRepeated, "Sec-WebSocket-Version appears \(versions.count) times; it must appear once."))
            }
            if versions[0] != "13" {
                found.append(Diagnostic(.handshakeVersionNot13, "Sec-WebSocket-Version is \"\(versions[0])\"; RFC 6455 is version 13 (7 and 8 were drafts)."))
            }
        }
        if head.count("Origin") == 0, let agent = head.values("User-Agent").first, agent.hasPrefix("Mozilla/") {
            found.append(Diagnostic(.handshakeBrowserWithoutOrigin, "A browser-like User-Agent sent no Origin header; browsers always send one."))
        }
        for value in head.values("Sec-WebSocket-Protocol") {
            // An empty header or an empty element (`chat, , superchat`) offers no token; listElements drops them.
            let elements = HTTPHead.splitListKeepingEmpty(value)
            if elements.contains(where: \.isEmpty) {
                found.append(Diagnostic(.subprotocolInvalidToken, value.isEmpty
                    ? "Sec-WebSocket-Protocol is empty; it must list one or more subprotocol tokens (or be left out)."
                    : "Sec-WebSocket-Protocol \"\(value.prefix(80))\" has an empty element; each offered subprotocol is a non-empty token."))
            }
        }
        var seen = Set<String>()
        for protocolName in offeredSubprotocols {
            if !HTTPHead.isToken(protocolName) {
                found.append(Diagnostic(.subprotocolInvalidToken, "The offered subprotocol \"\(protocolName)\" is not a token."))
            }
            if !seen.insert(protocolName).inserted {
                found.append(Diagnostic(.subprotocolOfferedTwice, "The subprotocol \"\(protocolName)\" is offered more than once."))
            }
        }
        let extensions = ExtensionElement.parseList(head.values("Sec-WebSocket-Extensions").joined(separator: ", "))
        for problem in extensions.problems {
            found.append(Diagnostic(.extensionsHeaderMalformed, "Sec-WebSocket-Extensions in the request: \(problem).",
                                    at: .header(.request, name: "sec-websocket-extensions")))
        }
        return found + heuristicFindings(line: line)
    }

    /// The port in a Host value (`example.com:8080`, `[::1]:8080`), or 80 when none is given.
    static func port(ofHost host: String) -> UInt16? {
        let trimmed = host.trimmingWhitespace
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return nil }
            let rest = trimmed[trimmed.index(after: close)...]
            return rest.hasPrefix(":") ? UInt16(rest.dropFirst()) : 80
        }
        if let colon = trimmed.lastIndex(of: ":") { return UInt16(trimmed[trimmed.index(after: colon)...]) }
        return 80
    }
}

/// The server's answer to a `HandshakeRequest` and what it settles (RFC 6455 §4.2.2, §4.1 client checks).
public struct HandshakeResponse: Hashable, Sendable {
    public let head: HTTPHead
    public let line: HTTPStatusLine?

    public init(head: HTTPHead) {
        self.head = head
        self.line = HTTPStatusLine(head.startLine)
    }

    public var status: Int? { line?.status }

    /// True for a 101 status.
    public var switchesProtocols: Bool { line?.status == 101 }
}

/// Everything the handshake settled, with the findings about it.
public struct HandshakeOutcome: Hashable, Sendable {
    public let derivation: AcceptDerivation?
    /// The Sec-WebSocket-Accept the server sent.
    public let accept: String?
    /// nil when there was nothing to compare (no key, or no 101).
    public let acceptValid: Bool?
    public let subprotocol: String?
    /// The extension elements the server accepted.
    public let extensions: [ExtensionElement]
    /// What permessage-deflate settled, when the server accepted it.
    public let deflate: DeflateAgreement?
    /// True when the connection switched to WebSocket (RFC 6455 framing from here on).
    public let upgraded: Bool
    public let diagnostics: [Diagnostic]

    /// Evaluates `response` as the answer to `request`; `requestDiagnostics` are the request's own findings.
    public init(request: HandshakeRequest, response: HandshakeResponse, requestDiagnostics: [Diagnostic]) {
        var found = HeaderSyntax.check(response.head, side: .response, singletons: HeaderSyntax.responseSingletons)
        let head = response.head
        guard let line = response.line else {
            found.insert(Diagnostic(.responseMalformed, "The status line \"\(head.startLine.prefix(80))\" is not of the form HTTP/x.y SP 3-digit-status SP reason."), at: 0)
            self.init(derivation: request.key.map(AcceptDerivation.init), accept: nil, acceptValid: nil, subprotocol: nil,
                      extensions: [], upgraded: false, diagnostics: found)
            return
        }
        if !head.problems.isEmpty {
            found.append(Diagnostic(.responseMalformed, "The response head is malformed: \(head.problems.joined(separator: "; "))."))
        }
        if !line.hasReasonSeparator {
            found.append(Diagnostic(.responseMalformed,
                "The status line \"\(head.startLine.prefix(80))\" ends after the status code; HTTP/1.1 needs a space before the (possibly empty) reason phrase."))
        }
        for legacy in ["Sec-WebSocket-Origin", "Sec-WebSocket-Location"] where head.count(legacy) > 0 {
            found.append(Diagnostic(.legacyHixieHeader, "\(legacy) is a header of the pre-RFC hixie drafts, not of RFC 6455.",
                                    at: .headerLine(.response, legacy)))
        }
        let derivation = request.key.map(AcceptDerivation.init)
        guard line.status == 101 else {
            found.append(Diagnostic(.upgradeRefused, "The server answered the upgrade with \(line.status) \(line.reason.trimmingWhitespace); the connection stays HTTP."))
            if let version = request.head.values("Sec-WebSocket-Version").first, version != "13", head.count("Sec-WebSocket-Version") == 0,
               (400..<500).contains(line.status) {
                found.append(Diagnostic(.responseVersionListMissing, "The request asked for version \(version) and was refused without a Sec-WebSocket-Version header listing the versions the server supports."))
            }
            self.init(derivation: derivation, accept: head.values("Sec-WebSocket-Accept").first, acceptValid: nil, subprotocol: nil,
                      extensions: [], upgraded: false, diagnostics: found)
            return
        }
        if request.isHixie76 {
            self.init(derivation: nil, accept: nil, acceptValid: nil, subprotocol: nil, extensions: [], upgraded: true, diagnostics: found)
            return
        }
        let upgrade = head.values("Upgrade")
        if upgrade.count != 1 || upgrade[0].lowercased() != "websocket" {
            let seen = upgrade.isEmpty ? "missing" : "\"\(upgrade.joined(separator: ", "))\""
            found.append(Diagnostic(.responseUpgradeInvalid, "Upgrade in the 101 is \(seen); it must be websocket (any case).",
                                    at: upgrade.isEmpty ? .missingHeader(.response, name: "upgrade") : nil))
        }
        if !head.listContains("Connection", "upgrade") {
            let seen = head.value("Connection").map { "\"\($0)\"" } ?? "missing"
            found.append(Diagnostic(.responseConnectionInvalid, "Connection in the 101 is \(seen); it must contain Upgrade.",
                                    at: head.count("Connection") == 0 ? .missingHeader(.response, name: "connection") : nil))
        }
        let accepts = head.values("Sec-WebSocket-Accept")
        if accepts.count > 1 {
            found.append(Diagnostic(.acceptRepeated, "Sec-WebSocket-Accept appears \(accepts.count) times; it must appear once."))
        }
        var acceptValid: Bool?
        if let derivation {
            acceptValid = accepts.first.map(derivation.matches) ?? false
            if let problem = derivation.check(received: accepts.first) { found.append(problem) }
        }
        let protocols = head.values("Sec-WebSocket-Protocol")
        var subprotocol: String?
        if protocols.count > 1 {
            found.append(Diagnostic(.subprotocolHeaderRepeated, "Sec-WebSocket-Protocol appears \(protocols.count) times in the response; at most once."))
        }
        if let chosen = protocols.first {
            subprotocol = chosen
            if !HTTPHead.isToken(chosen) {
                found.append(Diagnostic(.subprotocolResponseInvalid, "The response's subprotocol \"\(chosen)\" is not a single token (a list or an empty value is not allowed)."))
            } else if !request.offeredSubprotocols.contains(chosen) {
                let offered = request.offeredSubprotocols.isEmpty ? "none were offered" : "the client offered \(request.offeredSubprotocols.joined(separator: ", "))"
                found.append(Diagnostic(.subprotocolNotOffered, "The server chose subprotocol \"\(chosen)\" but \(offered)."))
            }
        }
        let extensionValues = head.values("Sec-WebSocket-Extensions")
        if extensionValues.count > 1 {
            found.append(Diagnostic(.extensionsHeaderRepeated, "Sec-WebSocket-Extensions appears \(extensionValues.count) times in the response."))
        }
        let parsed = ExtensionElement.parseList(extensionValues.joined(separator: ", "))
        for problem in parsed.problems {
            found.append(Diagnostic(.extensionsHeaderMalformed, "Sec-WebSocket-Extensions in the response: \(problem)."))
        }
        let offeredNames = Set(request.offeredExtensions.map { $0.name.lowercased() })
        for element in parsed.elements where !offeredNames.contains(element.name.lowercased()) {
            found.append(Diagnostic(.extensionNotOffered, "The server accepted extension \"\(element.name)\", which the client did not offer."))
        }
        let deflate = PermessageDeflate.negotiate(offers: request.offeredExtensions, accepted: parsed.elements)
        found += deflate.diagnostics
        if requestDiagnostics.contains(where: { $0.severity == .error }) {
            let rules = Set(requestDiagnostics.filter { $0.severity == .error }.map(\.rule.id)).sorted().joined(separator: ", ")
            found.append(Diagnostic(.serverAcceptedInvalidRequest, "The server switched protocols although the request breaks \(rules); it should have answered with an HTTP error such as 400."))
        }
        self.init(derivation: derivation, accept: accepts.first, acceptValid: acceptValid, subprotocol: subprotocol,
                  extensions: parsed.elements, deflate: deflate.agreement, upgraded: true, diagnostics: found)
    }

    /// What a 101 settles on its own, when the request it answers is missing from the capture: the subprotocol and
    /// the extensions it names (permessage-deflate's parameters as the response gives them). Nothing is checked
    /// against the request, and the Accept cannot be verified without the key.
    public init(upgradeResponse response: HandshakeResponse) {
        let head = response.head
        let parsed = ExtensionElement.parseList(head.values("Sec-WebSocket-Extensions").joined(separator: ", "))
        let deflate = PermessageDeflate.negotiate(offers: parsed.elements, accepted: parsed.elements).agreement
        self.init(derivation: nil, accept: head.values("Sec-WebSocket-Accept").first, acceptValid: nil,
                  subprotocol: head.values("Sec-WebSocket-Protocol").first, extensions: parsed.elements, deflate: deflate,
                  upgraded: true, diagnostics: [])
    }

    init(derivation: AcceptDerivation?, accept: String?, acceptValid: Bool?, subprotocol: String?,
         extensions: [ExtensionElement], deflate: DeflateAgreement? = nil, upgraded: Bool, diagnostics: [Diagnostic]) {
        self.derivation = derivation
        self.accept = accept
        self.acceptValid = acceptValid
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.deflate = deflate
        self.upgraded = upgraded
        self.diagnostics = diagnostics
    }

    /// True when the server accepted permessage-deflate.
    public var permessageDeflate: Bool { deflate != nil }

    /// True when the server accepted an extension that gives RSV1 a meaning (permessage-deflate or a legacy
    /// per-frame deflate).
    public var usesRSV1: Bool {
        permessageDeflate || extensions.contains { PermessageDeflate.legacyNames.contains($0.name.lowercased()) }
    }

    /// True when a finding about the response makes the 101 one that a conforming client must refuse
    /// (RFC 6455 §4.1). Findings about the request (an invalid permessage-deflate offer the server rightly
    /// declined) say nothing about the 101.
    public var clientMustFail: Bool {
        let fatal: Set<String> = [Rule.responseUpgradeInvalid.id, Rule.responseConnectionInvalid.id, Rule.acceptMismatch.id,
                                  Rule.acceptRepeated.id, Rule.subprotocolNotOffered.id, Rule.subprotocolResponseInvalid.id,
                                  Rule.subprotocolHeaderRepeated.id,
                                  Rule.extensionNotOffered.id, Rule.headerWhitespaceBeforeColon.id, Rule.responseMalformed.id,
                                  Rule.pmdUnknownParameter.id, Rule.pmdDuplicateParameter.id, Rule.pmdUnexpectedValue.id,
                                  Rule.pmdInvalidWindowBits.id, Rule.pmdClientWindowBitsNotOffered.id,
                                  Rule.pmdServerWindowBitsNotHonoured.id, Rule.pmdRSV1Conflict.id]
        return diagnostics.contains { fatal.contains($0.rule.id) && !$0.concernsRequest }
    }
}

/// Rules about header syntax shared by requests and responses (RFC 7230 §3.2).
enum HeaderSyntax {
    static let requestSingletons: Set<String> = ["host", "origin", "user-agent", "content-length", "content-type", "authorization", "referer"]
    static let responseSingletons: Set<String> = ["content-length", "content-type", "location", "server", "date"]

    static func check(_ head: HTTPHead, side: HTTPSide, singletons: Set<String>) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for field in head.fields where field.whitespaceBeforeColon {
            // RFC 7230 §3.2.4 says what each recipient does: a server rejects the request, a proxy repairs the response.
            let consequence = side == .request
                ? "a server must reject such a request with 400 (Bad Request)"
                : "the header grammar does not allow it, and a proxy must remove it before forwarding the response (a server must reject a request with it, 400 Bad Request)"
            found.append(Diagnostic(.headerWhitespaceBeforeColon,
                "\"\(field.line.prefix(80))\" has whitespace between the name and the colon; \(consequence).",
                at: .headerLine(side, field.name)))
        }
        for field in head.fields where field.folded {
            found.append(Diagnostic(.headerObsFold, "The \(field.name) header continues on a folded line (obsolete line folding).",
                                    at: .headerLine(side, field.name)))
        }
        var counts: [String: Int] = [:]
        for field in head.fields { counts[field.lowercasedName, default: 0] += 1 }
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 && singletons.contains(name) {
            let display = head.fields.first { $0.lowercasedName == name }!.name
            found.append(Diagnostic(.headerDuplicate, "\(display) appears \(count) times; it is not a comma list, so it may appear once.",
                                    at: .header(side, name: name)))
        }
        return found
    }
}

extension Diagnostic {
    /// True when the finding points into the request of a handshake (its start line or a header of it).
    var concernsRequest: Bool {
        switch anchor {
        case .startLine(.request), .header(.request, _), .missingHeader(.request, _): true
        default: false
        }
    }
}

import Foundation

/// The request rules a capture can only partly judge (checklist HC-4, HC-12, HC-21): each finding is a warning that
/// says what it cannot know.
extension HandshakeRequest {
    /// The names of the IANA WebSocket Extension Name Registry that wsinspect knows (RFC 6455 §11.4): RFC 7692's.
    public static let registeredExtensions: Set<String> = [PermessageDeflate.name]

    func heuristicFindings(line: HTTPRequestLine) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if let problem = targetProblem(line.target) {
            found.append(Diagnostic(.handshakeBadRequestTarget, "The request target \"\(line.target.prefix(80))\" \(problem) (the URI the client meant cannot be seen)."))
        }
        var named = Set<String>()
        for element in offeredExtensions {
            let name = element.name.lowercased()
            guard HTTPHead.isToken(name), !Self.registeredExtensions.contains(name), !PermessageDeflate.legacyNames.contains(name),
                  named.insert(name).inserted else { continue }
            found.append(Diagnostic(.extensionNotRegistered,
                "The client offers the extension \"\(element.name)\", which is not in the IANA WebSocket Extension Name Registry as wsinspect knows it (permessage-deflate); a private extension needs a registered name (the registry may have grown since)."))
        }
        if let key = key?.trimmingWhitespace, key != "dGhlIHNhbXBsZSBub25jZQ==",
           let bytes = Data(base64Encoded: key).map(Array.init), bytes.count == 16, let weakness = Self.weakness(ofNonce: bytes) {
            found.append(Diagnostic(.handshakeKeyNotRandom,
                "The key's 16 bytes \(weakness); each connection needs a fresh random nonce (a random key does this about once in 10^7 connections or far less)."))
        }
        return found
    }

    /// Why the target is neither the resource name (`/path`) nor an absolute http/https URI matching Host, nil when it
    /// is one of them.
    func targetProblem(_ target: String) -> String? {
        if target.hasPrefix("/") { return nil }
        guard let schemeEnd = target.range(of: "://") else {
            return "is neither a resource name starting with / nor an absolute http or https URI"
        }
        let scheme = target[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "is an absolute URI with the scheme \(scheme), where only http and https are allowed (ws and wss URIs are sent as their resource name)"
        }
        let rest = target[schemeEnd.upperBound...]
        let authority = String(rest.prefix { $0 != "/" && $0 != "?" })
        guard let host = head.values("Host").first?.trimmingWhitespace else { return nil }
        let defaultPort: UInt16 = scheme == "https" ? 443 : 80
        if Self.hostAndPort(authority, defaultPort: defaultPort) != Self.hostAndPort(host, defaultPort: defaultPort) {
            return "names \(authority), which does not match the Host header \"\(host)\""
        }
        return nil
    }

    /// `Example.com:8080` → ("example.com", 8080); `[::1]` → ("[::1]", defaultPort).
    static func hostAndPort(_ value: String, defaultPort: UInt16) -> (host: String, port: UInt16?) {
        let lower = value.lowercased()
        if lower.hasPrefix("["), let close = lower.firstIndex(of: "]") {
            let rest = lower[lower.index(after: close)...]
            return (String(lower[...close]), rest.hasPrefix(":") ? UInt16(rest.dropFirst()) : defaultPort)
        }
        if let colon = lower.lastIndex(of: ":") { return (String(lower[..<colon]), UInt16(lower[lower.index(after: colon)...])) }
        return (lower, defaultPort)
    }

    /// What makes a 16-byte nonce anything but random, nil when nothing does. Each test passes a random nonce except
    /// with a probability below 10^-6.
    static func weakness(ofNonce bytes: [UInt8]) -> String? {
        if bytes.allSatisfy({ $0 == 0 }) { return "are all zero" }
        if Set(bytes).count == 1 { return "are one byte (\(Hex.byte(bytes[0]))) repeated" }
        let step = bytes[1] &- bytes[0]
        if zip(bytes, bytes.dropFirst()).allSatisfy({ $1 &- $0 == step }) {
            return "count up by \(step) (\(Hex.byte(bytes[0])) \(Hex.byte(bytes[1])) \(Hex.byte(bytes[2])) …), a counter rather than a nonce"
        }
        let distinct = Set(bytes).count
        if distinct < 8 { return "take only \(distinct) different values (16 random bytes take about 15)" }
        if bytes.allSatisfy({ (0x20...0x7E).contains($0) }) {
            return "are all printable text (\"\(String(decoding: bytes, as: UTF8.self))\"), not random bytes"
        }
        return nil
    }
}

import Crypto
import Foundation

/// The Sec-WebSocket-Accept derivation of RFC 6455 §4.2.2 (step 5.4), every intermediate value kept so that it can be
/// shown step by step: key + GUID -> SHA-1 -> base64.
public struct AcceptDerivation: Hashable, Sendable {
    /// The GUID every server appends to the key.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The key exactly as given.
    public let key: String
    /// The key with leading and trailing whitespace removed (the RFC hashes the trimmed string).
    public let trimmedKey: String
    /// Step 1: trimmed key + GUID.
    public let concatenated: String
    /// Step 2: SHA-1 of the UTF-8 bytes of step 1 (20 bytes).
    public let digest: [UInt8]
    /// Step 3: base64 of the digest: the value Sec-WebSocket-Accept must carry.
    public let accept: String

    public init(key: String) {
        self.key = key
        self.trimmedKey = key.trimmingWhitespace
        self.concatenated = trimmedKey + Self.guid
        self.digest = Array(Insecure.SHA1.hash(data: Array(concatenated.utf8)))
        self.accept = Data(digest).base64EncodedString()
    }

    /// The digest as hex pairs separated by spaces.
    public var digestHex: String { Hex.string(digest, separator: " ") }

    /// True when `received` is the expected accept value (compared after trimming surrounding whitespace).
    public func matches(_ received: String) -> Bool {
        received.trimmingWhitespace == accept
    }

    /// The `accept-mismatch` diagnostic for a received value, nil when it matches.
    public func check(received: String?) -> Diagnostic? {
        guard let received else {
            return Diagnostic(.acceptMismatch, "The response has no Sec-WebSocket-Accept; \(accept) was expected.",
                              at: .missingHeader(.response, name: "sec-websocket-accept"))
        }
        if matches(received) { return nil }
        return Diagnostic(.acceptMismatch,
            "Sec-WebSocket-Accept is \"\(received)\" but base64(SHA-1(key + GUID)) is \"\(accept)\".")
    }
}

/// A check of the Sec-WebSocket-Key value itself: base64 of exactly 16 bytes (RFC 6455 §4.1, item 7).
public struct WebSocketKeyCheck: Hashable, Sendable {
    /// The decoded nonce, nil when the key is not valid base64.
    public let decoded: [UInt8]?
    public let diagnostics: [Diagnostic]

    public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }

    public init(key raw: String) {
        let key = raw.trimmingWhitespace
        var found: [Diagnostic] = []
        let decoded = Data(base64Encoded: key).map { Array($0) }
        self.decoded = decoded
        if let decoded {
            if decoded.count != 16 {
                found.append(Diagnostic(.handshakeKeyNot16Bytes,
                    "The key decodes to \(counted(decoded.count, "byte")); it must be a 16-byte nonce (24 base64 characters ending in ==)."))
            } else if Self.hasNonZeroPadBits(key) {
                found.append(Diagnostic(.handshakeKeyPadBits,
                    "The key's last character before == carries non-zero unused bits; the canonical spelling is \(Self.canonical(key))."))
            }
        } else {
            found.append(Diagnostic(.handshakeKeyNot16Bytes,
                "The key \"\(key)\" is not valid base64, so it cannot be a 16-byte nonce."))
        }
        self.diagnostics = found
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// In a 24-character key ending in ==, the 22nd character holds 2 data bits and 4 unused bits.
    private static func hasNonZeroPadBits(_ key: String) -> Bool {
        let chars = Array(key)
        guard chars.count == 24, chars[22] == "=", let value = alphabet.firstIndex(of: chars[21]) else { return false }
        return value & 0x0F != 0
    }

    private static func canonical(_ key: String) -> String {
        var chars = Array(key)
        guard let value = alphabet.firstIndex(of: chars[21]) else { return key }
        chars[21] = alphabet[value & ~0x0F]
        return String(chars)
    }
}

/// A Sec-WebSocket-Key as a user gives it to `wsinspect accept`: the key alone, or the whole `Sec-WebSocket-Key: …`
/// header line, from the arguments or from standard input.
public enum WebSocketKeyInput {
    /// Why standard input holds no usable key.
    public enum Problem: Error, Hashable, Sendable {
        /// Nothing but whitespace.
        case empty
        /// Several non-blank lines, and not exactly one of them a Sec-WebSocket-Key header line.
        case severalLines(Int)
    }

    /// The value of a `Sec-WebSocket-Key:` header line (the name in any case, spaces or tabs allowed around the name
    /// and the colon, the value without the spaces and tabs around it), or nil when `line` is not such a line.
    public static func headerValue(in line: String) -> String? {
        let name = "sec-websocket-key"
        var rest = Substring(line)
        while let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() }
        guard rest.count > name.count, rest.prefix(name.count).lowercased() == name else { return nil }
        rest = rest.dropFirst(name.count)
        while let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() }
        guard rest.first == ":" else { return nil }
        return String(rest.dropFirst()).trimmingWhitespace
    }

    /// The key in one line: a header line's value, else the line as given.
    public static func key(in line: String) -> String {
        headerValue(in: line) ?? line
    }

    /// The key in standard input: its one non-blank line (the key or its header line), or, when several lines are
    /// pasted (a whole request), the one Sec-WebSocket-Key header line among them. Line endings are not part of it.
    public static func key(inText text: String) -> Result<String, Problem> {
        // "\r\n" is one Character in Swift: split on every line ending, not on "\n" alone.
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map(String.init).filter { !$0.trimmingWhitespace.isEmpty }
        if lines.isEmpty { return .failure(.empty) }
        if lines.count == 1 { return .success(key(in: lines[0])) }
        let values = lines.compactMap(headerValue(in:))
        return values.count == 1 ? .success(values[0]) : .failure(.severalLines(lines.count))
    }
}

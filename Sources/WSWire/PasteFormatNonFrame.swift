/// Input that is plainly not WebSocket frames although it is often pasted as if it were: HTTP text (a handshake) and
/// TLS records (an encrypted connection). Naming it in one line beats decoding it into a wall of reserved-opcode
/// errors.
///
/// Neither can be mistaken for a frame that follows RFC 6455: every first byte recognised here breaks a rule of §5.2.
/// TLS content types 0x14-0x17 set RSV3 (no extension defines it) with reserved opcodes 4-7. The HTTP methods and
/// `HTTP/` start with `G` 0x47, `P` 0x50, `H` 0x48, `D` 0x44, `O` 0x4F, `C` 0x43, `T` 0x54: RSV1 with a reserved
/// opcode, RSV3, or (`H`) a close frame without FIN. Recognition still asks for more than one byte: a request line
/// `METHOD /target` (or `METHOD target HTTP/…`), a status line `HTTP/1.1 101`, or a TLS record header with version
/// 03 00-03 03 and a length no record exceeds.
public enum NonFrameInput: Equatable, Sendable {
    case httpRequest
    case httpResponse
    /// A TLS record header: its content type and record-layer version, named (`"handshake"`, `"TLS 1.2"`).
    case tlsRecord(contentType: String, version: String)

    /// What pasted `text` is, when it is HTTP (leading whitespace ignored); nil for anything else.
    public init?(text: String) {
        guard let recognised = Self.http(Array(text.drop { $0.isWhitespace }.utf8.prefix(8192))) else { return nil }
        self = recognised
    }

    /// What `bytes` are, when they start like HTTP or a TLS record; nil for anything else (frames included).
    public init?(bytes: [UInt8]) {
        guard let recognised = Self.tls(bytes) ?? Self.http(Array(bytes.prefix(8192))) else { return nil }
        self = recognised
    }

    private static let methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"]

    private static func http(_ bytes: [UInt8]) -> NonFrameInput? {
        let line = bytes.prefix { $0 != 0x0D && $0 != 0x0A }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // HTTP/1.1 101 …, HTTP/2 200
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].count > 5, parts[0].dropFirst(5).allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  parts[1].count == 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return .httpResponse
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count >= 2, methods.contains(String(parts[0])), !parts[1].isEmpty else { return nil }
        if parts[1].hasPrefix("/") || (parts.count == 3 && parts[2].hasPrefix("HTTP/")) { return .httpRequest }
        return nil
    }

    private static func tls(_ bytes: [UInt8]) -> NonFrameInput? {
        let types: [UInt8: String] = [0x14: "change_cipher_spec", 0x15: "alert", 0x16: "handshake", 0x17: "application data"]
        let versions: [UInt8: String] = [0: "SSL 3.0", 1: "TLS 1.0", 2: "TLS 1.1", 3: "TLS 1.2"]
        guard bytes.count >= 5, let type = types[bytes[0]], bytes[1] == 3, let version = versions[bytes[2]] else { return nil }
        // A record carries 1 to 2^14 + 2048 bytes (RFC 5246 §6.2.3; TLS 1.3 allows 2^14 + 256).
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        guard (1...(16384 + 2048)).contains(length) else { return nil }
        return .tlsRecord(contentType: type, version: version)
    }
}

/// A handshake message type (RFC 8446 §4, RFC 5246 §7.4).
public struct TLSHandshakeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let clientHello = TLSHandshakeType(rawValue: 1)
    public static let serverHello = TLSHandshakeType(rawValue: 2)
    public static let newSessionTicket = TLSHandshakeType(rawValue: 4)
    public static let endOfEarlyData = TLSHandshakeType(rawValue: 5)
    public static let encryptedExtensions = TLSHandshakeType(rawValue: 8)
    public static let certificate = TLSHandshakeType(rawValue: 11)
    public static let serverKeyExchange = TLSHandshakeType(rawValue: 12)
    public static let certificateRequest = TLSHandshakeType(rawValue: 13)
    public static let serverHelloDone = TLSHandshakeType(rawValue: 14)
    public static let certificateVerify = TLSHandshakeType(rawValue: 15)
    public static let clientKeyExchange = TLSHandshakeType(rawValue: 16)
    public static let finished = TLSHandshakeType(rawValue: 20)
    public static let keyUpdate = TLSHandshakeType(rawValue: 24)

    public var description: String {
        switch rawValue {
        case 0: "hello_request"
        case 1: "client_hello"
        case 2: "server_hello"
        case 4: "new_session_ticket"
        case 5: "end_of_early_data"
        case 8: "encrypted_extensions"
        case 11: "certificate"
        case 12: "server_key_exchange"
        case 13: "certificate_request"
        case 14: "server_hello_done"
        case 15: "certificate_verify"
        case 16: "client_key_exchange"
        case 20: "finished"
        case 24: "key_update"
        default: "handshake(\(rawValue))"
        }
    }
}

/// One handshake message: its type and body.
public struct TLSHandshakeMessage: Sendable {
    public let type: TLSHandshakeType
    public let body: [UInt8]
}

/// Joins the handshake bytes of one direction into messages: a message may span records and a record may carry
/// several (RFC 8446 §5.1). Messages larger than 256 KiB (certificate chains are far smaller) end the reader.
public struct TLSHandshakeReader: Sendable {
    static let maximumMessage = 256 * 1024
    private var buffer: [UInt8] = []
    /// Set when a message announced more than the limit: nothing more is read.
    public private(set) var failed = false

    public init() {}

    /// Adds handshake bytes (a record's fragment, or its decrypted content) and returns the messages completed.
    public mutating func append(_ bytes: [UInt8]) -> [TLSHandshakeMessage] {
        guard !failed else { return [] }
        buffer.append(contentsOf: bytes)
        var messages: [TLSHandshakeMessage] = []
        var position = 0
        while buffer.count - position >= 4 {
            let length = Int(buffer[position + 1]) << 16 | Int(buffer[position + 2]) << 8 | Int(buffer[position + 3])
            guard length <= Self.maximumMessage else { failed = true; buffer = []; return messages }
            guard buffer.count - position - 4 >= length else { break }
            messages.append(TLSHandshakeMessage(type: TLSHandshakeType(rawValue: buffer[position]),
                                                body: Array(buffer[(position + 4)..<(position + 4 + length)])))
            position += 4 + length
        }
        buffer.removeFirst(position)
        return messages
    }

    /// True while part of a message is held.
    public var isHoldingPartialMessage: Bool { !buffer.isEmpty }
}

/// Reads big-endian fields from a byte array without trapping: every read past the end returns nil.
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { end - position }

    mutating func uint8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// A vector with a length prefix of `lengthBytes` (1 or 2) bytes, as a cursor over its contents.
    mutating func vector(lengthBytes: Int) -> ByteCursor? {
        let length: Int
        switch lengthBytes {
        case 1: guard let n = uint8() else { return nil }; length = Int(n)
        default: guard let n = uint16() else { return nil }; length = Int(n)
        }
        guard remaining >= length else { return nil }
        defer { position += length }
        return ByteCursor(bytes, from: position, to: position + length)
    }
}

/// What wsinspect reads from a ClientHello (RFC 8446 §4.1.2).
public struct TLSClientHello: Sendable {
    public let legacyVersion: TLSVersion
    /// The 32-byte client random: the key log's key.
    public let random: [UInt8]
    public let cipherSuites: [UInt16]
    /// server_name (SNI), the first host_name.
    public let serverName: String?
    /// application_layer_protocol_negotiation: the protocols offered.
    public let alpn: [String]
    /// supported_versions: the versions offered (empty when the extension is absent).
    public let supportedVersions: [TLSVersion]
    /// The client offers 0-RTT early data (early_data extension).
    public let offersEarlyData: Bool

    public init?(_ body: [UInt8]) {
        var cursor = ByteCursor(body)
        guard let version = cursor.uint16(), let random = cursor.take(32), cursor.vector(lengthBytes: 1) != nil,
              var suites = cursor.vector(lengthBytes: 2), cursor.vector(lengthBytes: 1) != nil else { return nil }
        legacyVersion = TLSVersion(rawValue: version)
        self.random = random
        var list: [UInt16] = []
        while let suite = suites.uint16() { list.append(suite) }
        cipherSuites = list
        var serverName: String?
        var alpn: [String] = []
        var versions: [TLSVersion] = []
        var earlyData = false
        if var extensions = cursor.vector(lengthBytes: 2) {
            while let type = extensions.uint16(), var data = extensions.vector(lengthBytes: 2) {
                switch type {
                case 0:   // server_name
                    if var names = data.vector(lengthBytes: 2) {
                        while let kind = names.uint8(), let name = names.vector(lengthBytes: 2) {
                            if kind == 0, serverName == nil { serverName = TLSText.printable(name.rest) }
                        }
                    }
                case 16:  // application_layer_protocol_negotiation
                    alpn = TLSExtensions.protocolNames(&data)
                case 42:  // early_data
                    earlyData = true
                case 43:  // supported_versions
                    if var list = data.vector(lengthBytes: 1) {
                        while let v = list.uint16() { versions.append(TLSVersion(rawValue: v)) }
                    }
                default:
                    break
                }
            }
        }
        self.serverName = serverName
        self.alpn = alpn
        self.supportedVersions = versions
        self.offersEarlyData = earlyData
    }
}

/// What wsinspect reads from a ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).
public struct TLSServerHello: Sendable {
    /// The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3).
    static let helloRetryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C]

    public let random: [UInt8]
    public let cipherSuite: UInt16
    /// The negotiated version: supported_versions when present (TLS 1.3), else the legacy version.
    public let version: TLSVersion
    /// The protocol the server chose, when it says so here (TLS 1.2; TLS 1.3 says it in EncryptedExtensions).
    public let alpn: String?

    public init?(_ body: [UInt8]) {
        var cursor = ByteCursor(body)
        guard let legacy = cursor.uint16(), let random = cursor.take(32), cursor.vector(lengthBytes: 1) != nil,
              let suite = cursor.uint16(), cursor.uint8() != nil else { return nil }
        self.random = random
        cipherSuite = suite
        var version = TLSVersion(rawValue: legacy)
        var alpn: String?
        if var extensions = cursor.vector(lengthBytes: 2) {
            while let type = extensions.uint16(), var data = extensions.vector(lengthBytes: 2) {
                switch type {
                case 43: if let v = data.uint16() { version = TLSVersion(rawValue: v) }
                case 16: alpn = TLSExtensions.protocolNames(&data).first
                default: break
                }
            }
        }
        self.version = version
        self.alpn = alpn
    }

    /// A HelloRetryRequest rather than a ServerHello: another ClientHello follows.
    public var isHelloRetryRequest: Bool { random == Self.helloRetryRandom }
}

enum TLSExtensions {
    /// The protocol names of an ALPN extension body.
    static func protocolNames(_ data: inout ByteCursor) -> [String] {
        var names: [String] = []
        if var list = data.vector(lengthBytes: 2) {
            while let name = list.vector(lengthBytes: 1) { names.append(TLSText.printable(name.rest)) }
        }
        return names
    }

    /// The ALPN protocol an EncryptedExtensions message selects (TLS 1.3).
    static func selectedProtocol(inEncryptedExtensions body: [UInt8]) -> String? {
        var cursor = ByteCursor(body)
        guard var extensions = cursor.vector(lengthBytes: 2) else { return nil }
        while let type = extensions.uint16(), var data = extensions.vector(lengthBytes: 2) {
            if type == 16 { return protocolNames(&data).first }
        }
        return nil
    }
}

extension ByteCursor {
    /// The bytes not read yet.
    var rest: [UInt8] { Array(bytes[position..<end]) }
}

enum TLSText {
    /// Names from the handshake (SNI, ALPN) as text: UTF-8 when valid, else with each byte that is not printable
    /// ASCII as `\xNN` — they are untrusted and renderers escape them again.
    static func printable(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return bytes.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
    }
}

/// The record protection a cipher suite uses, when wsinspect can remove it.
public enum TLSAEAD: Sendable {
    case aes128GCM, aes256GCM, chacha20Poly1305

    public var keyLength: Int {
        switch self {
        case .aes128GCM: 16
        case .aes256GCM, .chacha20Poly1305: 32
        }
    }
}

/// The hash of a suite's key schedule (TLS 1.3 HKDF, TLS 1.2 PRF).
public enum TLSHash: Sendable {
    case sha256, sha384

    public var length: Int { self == .sha256 ? 32 : 48 }
}

/// A TLS cipher suite: its IANA name, and whether (and how) its records can be decrypted with a key log.
public struct TLSCipherSuite: Hashable, Sendable, CustomStringConvertible {
    public let id: UInt16

    public init(id: UInt16) { self.id = id }

    /// The suites wsinspect decrypts: TLS 1.3's three AEAD suites and TLS 1.2's AEAD suites (GCM, ChaCha20-Poly1305).
    static let table: [UInt16: (name: String, aead: TLSAEAD, hash: TLSHash, tls13: Bool)] = [
        0x1301: ("TLS_AES_128_GCM_SHA256", .aes128GCM, .sha256, true),
        0x1302: ("TLS_AES_256_GCM_SHA384", .aes256GCM, .sha384, true),
        0x1303: ("TLS_CHACHA20_POLY1305_SHA256", .chacha20Poly1305, .sha256, true),
        0xC02B: ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", .aes128GCM, .sha256, false),
        0xC02C: ("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", .aes256GCM, .sha384, false),
        0xC02F: ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", .aes128GCM, .sha256, false),
        0xC030: ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", .aes256GCM, .sha384, false),
        0x009C: ("TLS_RSA_WITH_AES_128_GCM_SHA256", .aes128GCM, .sha256, false),
        0x009D: ("TLS_RSA_WITH_AES_256_GCM_SHA384", .aes256GCM, .sha384, false),
        0x009E: ("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", .aes128GCM, .sha256, false),
        0x009F: ("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", .aes256GCM, .sha384, false),
        0xCCA8: ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .chacha20Poly1305, .sha256, false),
        0xCCA9: ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", .chacha20Poly1305, .sha256, false),
        0xCCAA: ("TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .chacha20Poly1305, .sha256, false),
    ]

    /// Suites that are named but not decrypted (CBC with HMAC, and others common enough to name).
    static let named: [UInt16: String] = [
        0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x003C: "TLS_RSA_WITH_AES_128_CBC_SHA256", 0x003D: "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xC023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xC024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xC027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0x1304: "TLS_AES_128_CCM_SHA256", 0x1305: "TLS_AES_128_CCM_8_SHA256",
        0xC09C: "TLS_RSA_WITH_AES_128_CCM", 0xC0AC: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
    ]

    /// The IANA name, or `0xC0FF` for a suite wsinspect does not know.
    public var description: String {
        Self.table[id]?.name ?? Self.named[id] ?? "0x" + String(id, radix: 16, uppercase: true)
    }

    /// How its records are protected, when wsinspect can decrypt them.
    var protection: (aead: TLSAEAD, hash: TLSHash, tls13: Bool)? {
        Self.table[id].map { ($0.aead, $0.hash, $0.tls13) }
    }

    /// True when wsinspect decrypts this suite's records.
    public var isDecryptable: Bool { Self.table[id] != nil }
}

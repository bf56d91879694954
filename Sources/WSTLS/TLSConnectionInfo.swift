import WSStream

/// What the TLS handshake says about a connection, and whether wsinspect can read inside it.
public struct TLSConnectionInfo: Sendable {
    /// The negotiated version (from the ServerHello; the record version when the handshake was not captured).
    public var version: TLSVersion?
    public var cipherSuite: TLSCipherSuite?
    /// server_name from the ClientHello.
    public var serverName: String?
    /// The protocols the client offered (ALPN).
    public var offeredALPN: [String] = []
    /// The protocol the server chose (ServerHello in TLS 1.2, EncryptedExtensions in TLS 1.3: known only when
    /// decrypted).
    public var alpn: String?
    /// The ClientHello (and ServerHello) were captured.
    public var handshakeSeen = false
    /// A HelloRetryRequest came first (TLS 1.3).
    public var helloRetry = false
    /// Whether the records are decrypted, and why not.
    public var decryption: TLSDecryption = .pending

    public init() {}
}

/// Whether a TLS connection's records are decrypted.
public enum TLSDecryption: Hashable, Sendable {
    /// The handshake has not said enough yet.
    case pending
    /// Both directions are decrypted.
    case decrypted
    /// Not decrypted, and why.
    case notDecrypted(TLSNotDecryptedReason)

    public var isDecrypted: Bool { self == .decrypted }
}

/// Why a TLS connection is not decrypted.
public enum TLSNotDecryptedReason: Hashable, Sendable, CustomStringConvertible {
    /// No key log was given.
    case noKeyLog
    /// The key log has no (or not all) secrets for this connection's client random.
    case noSecrets
    /// The cipher suite is not one wsinspect decrypts (CBC, CCM…).
    case unsupportedCipherSuite(TLSCipherSuite)
    /// The connection was first seen after its handshake: the client random and the suite are unknown.
    case handshakeNotCaptured
    /// A record did not authenticate with the logged secrets (wrong key log, or altered bytes).
    case authenticationFailed
    /// Bytes were lost from the capture before decryption could start.
    case captureGap
    /// A version wsinspect does not decrypt (SSL 3.0, TLS 1.0 and 1.1 have no AEAD suites).
    case unsupportedVersion(TLSVersion)

    /// Why, as a clause that follows "not decrypted: ", saying what to do when there is something to do.
    public var description: String {
        switch self {
        case .noKeyLog: "no key log given (pass --keylog FILE, written by a client run with SSLKEYLOGFILE set)"
        case .noSecrets: "the key log has no secrets for this connection (its client random)"
        case .unsupportedCipherSuite(let suite): "its cipher suite \(suite) is not one wsinspect decrypts (AES-GCM and ChaCha20-Poly1305 only)"
        case .handshakeNotCaptured: "the TLS handshake was not captured, so the connection's secrets cannot be found"
        case .authenticationFailed: "a record did not authenticate with the logged secrets (wrong key log?)"
        case .captureGap: "bytes of the TLS handshake are missing from the capture"
        case .unsupportedVersion(let version): "wsinspect decrypts TLS 1.2 and 1.3 only, not \(version)"
        }
    }

    /// A short stable code for JSON (`no-keylog`, `no-secrets`, …).
    public var code: String {
        switch self {
        case .noKeyLog: "no-keylog"
        case .noSecrets: "no-secrets"
        case .unsupportedCipherSuite: "unsupported-cipher-suite"
        case .handshakeNotCaptured: "handshake-not-captured"
        case .authenticationFailed: "authentication-failed"
        case .captureGap: "capture-gap"
        case .unsupportedVersion: "unsupported-version"
        }
    }
}

/// What the TLS layer tells its delegate besides the plaintext.
public enum TLSEvent: Sendable {
    /// An alert (plaintext, or decrypted). `level` 1 warning, 2 fatal; `description` the RFC 8446 §6 code.
    case alert(level: UInt8, description: UInt8, record: Int)
    /// A record did not authenticate: this direction is not decrypted from here on.
    case authenticationFailed(record: Int, contentType: TLSContentType, length: Int)
    /// Bytes that are not a TLS record header where one should start: the direction is not read further.
    case malformedRecord(record: Int, header: TLSRecordHeader)
    /// A capture gap: records cannot be found again after it, so this direction is not read further.
    case stoppedAtGap(bytes: UInt64)
    /// The stream ended inside a record (`have` of `need` bytes).
    case truncatedRecord(record: Int, have: Int, need: Int)
    /// A KeyUpdate (TLS 1.3): the sender's records use the next traffic secret from the following record on.
    case keyUpdate(record: Int, requested: Bool)
    /// Records that were not decrypted although the connection is (0-RTT early data, a renegotiation).
    case recordsSkipped(count: Int, why: String)
}

/// One record, for the teaching view: which records carried a frame.
public struct TLSRecordSummary: Hashable, Sendable {
    /// 1-based, per direction, counting every record from the first.
    public let number: Int
    /// The real content type (decrypted, for TLS 1.3).
    public let contentType: TLSContentType
    /// The record's length on the wire (the fragment, without the 5-byte header).
    public let length: Int
    /// Where its plaintext lies in the decrypted stream of its direction.
    public let plaintextStart: UInt64
    public let plaintextLength: Int
}

/// The byte accounting of one direction of a TLS layer: every byte of the stream below is one of these.
public struct TLSAccounting: Hashable, Sendable {
    /// Bytes the layer received (TCP bytes, or a tunnel's).
    public var streamBytes: UInt64 = 0
    /// 5 bytes per record.
    public var recordHeaderBytes: UInt64 = 0
    /// Fragments of handshake records in the clear (ClientHello, ServerHello…).
    public var handshakeBytes: UInt64 = 0
    public var changeCipherSpecBytes: UInt64 = 0
    /// Fragments of alert records in the clear.
    public var alertBytes: UInt64 = 0
    /// Fragments of records decrypted (their ciphertext and tags).
    public var decryptedBytes: UInt64 = 0
    /// Fragments of records not decrypted, and bytes after the layer stopped.
    public var undecryptedBytes: UInt64 = 0
    /// Bytes missing from the capture.
    public var gapBytes: UInt64 = 0
    /// Bytes held at the end inside an unfinished record.
    public var unfinishedBytes: UInt64 = 0
    /// Plaintext application data delivered to the layer above.
    public var plaintextBytes: UInt64 = 0
    /// Records counted.
    public var records = 0

    /// True when every byte below is accounted for.
    public var isBalanced: Bool {
        recordHeaderBytes + handshakeBytes + changeCipherSpecBytes + alertBytes + decryptedBytes + undecryptedBytes
            + gapBytes + unfinishedBytes == streamBytes
    }
}

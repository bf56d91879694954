// The keys of the objects that describe the layers under WebSocket: TLS and HTTP proxies.

/// The `tls` object of a connection record: what the TLS handshake said and whether the records are decrypted.
public enum TLSInfoKey: RecordSchema {
    public static let recordKind = "connection.tls"
    public static let inOrder = allCases

    case version, cipher, sni, alpn, alpnOffered, handshakeSeen, decrypted, reason, explanation

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .version: "version"
        case .cipher: "cipher"
        case .sni: "sni"
        case .alpn: "alpn"
        case .alpnOffered: "alpn_offered"
        case .handshakeSeen: "handshake_seen"
        case .decrypted: "decrypted"
        case .reason: "reason"
        case .explanation: "explanation"
        }
    }
}

/// The `proxy` object of a connection record: the CONNECT exchange with an HTTP proxy.
public enum ProxyKey: RecordSchema {
    public static let recordKind = "connection.proxy"
    public static let inOrder = allCases

    case connect, status, reason, requestPacket, responsePacket

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .connect: "connect"
        case .status: "status"
        case .reason: "reason"
        case .requestPacket: "request_packet"
        case .responsePacket: "response_packet"
        }
    }
}

/// The `tls` object of a summary: the TLS layer at the end of the connection.
public enum TLSSummaryKey: RecordSchema {
    public static let recordKind = "summary.tls"
    public static let inOrder = allCases

    case decrypted, reason, keyUpdates, client, server

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .decrypted: "decrypted"
        case .reason: "reason"
        case .keyUpdates: "key_updates"
        case .client: "client"
        case .server: "server"
        }
    }
}

/// One direction of a summary's `tls` object: every byte the TLS layer received, by what it was.
public enum TLSAccountingKey: RecordSchema {
    public static let recordKind = "summary.tls.*"
    public static let inOrder = allCases

    case streamBytes, recordHeaderBytes, handshakeBytes, changeCipherSpecBytes, alertBytes, decryptedBytes, undecryptedBytes, gapBytes, unfinishedBytes, records, plaintextBytes

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .streamBytes: "stream_bytes"
        case .recordHeaderBytes: "record_header_bytes"
        case .handshakeBytes: "handshake_bytes"
        case .changeCipherSpecBytes: "change_cipher_spec_bytes"
        case .alertBytes: "alert_bytes"
        case .decryptedBytes: "decrypted_bytes"
        case .undecryptedBytes: "undecrypted_bytes"
        case .gapBytes: "gap_bytes"
        case .unfinishedBytes: "unfinished_bytes"
        case .records: "records"
        case .plaintextBytes: "plaintext_bytes"
        }
    }
}

/// The `tunnel` object of a summary: a CONNECT tunnel at the end of the connection.
public enum TunnelSummaryKey: RecordSchema {
    public static let recordKind = "summary.tunnel"
    public static let inOrder = allCases

    case connect, status, client, server

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .connect: "connect"
        case .status: "status"
        case .client: "client"
        case .server: "server"
        }
    }
}

/// One direction of a summary's `tunnel` object.
public enum TunnelAccountingKey: RecordSchema {
    public static let recordKind = "summary.tunnel.*"
    public static let inOrder = allCases

    case streamBytes, httpBytes, tunnelBytes, skippedBytes, gapBytes

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .streamBytes: "stream_bytes"
        case .httpBytes: "http_bytes"
        case .tunnelBytes: "tunnel_bytes"
        case .skippedBytes: "skipped_bytes"
        case .gapBytes: "gap_bytes"
        }
    }
}

/// One entry of a frame's `tls_records` (`-v`, decrypted TLS): a record that carried some of its bytes.
public enum TLSRecordKey: RecordSchema {
    public static let recordKind = "frame.tls_records[]"
    public static let inOrder = allCases

    case record, type, length, plaintextStart, plaintextLength

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .record: "record"
        case .type: "type"
        case .length: "length"
        case .plaintextStart: "plaintext_start"
        case .plaintextLength: "plaintext_length"
        }
    }
}

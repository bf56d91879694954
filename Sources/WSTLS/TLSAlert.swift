/// Alert descriptions (RFC 8446 §6, RFC 5246 §7.2).
public enum TLSAlert {
    static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed", 22: "record_overflow",
        30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
        43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
        47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error", 51: "decrypt_error",
        60: "export_restriction", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
        86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
        110: "unsupported_extension", 111: "certificate_unobtainable", 112: "unrecognized_name",
        113: "bad_certificate_status_response", 114: "bad_certificate_hash_value", 115: "unknown_psk_identity",
        116: "certificate_required", 120: "no_application_protocol",
    ]

    /// `bad_record_mac`, or `alert(199)` for a code no RFC defines.
    public static func name(_ description: UInt8) -> String { names[description] ?? "alert(\(description))" }
}

/// Recognises TLS from the first bytes of a connection.
public enum TLSSniffer {
    public enum Verdict: Equatable, Sendable {
        /// A handshake record whose first message is a ClientHello: this direction is the client.
        case clientHello
        /// A handshake record whose first message is a ServerHello: this direction is the server.
        case serverHello
        /// The bytes so far are the start of such a record; more are needed.
        case undecided
        case notTLS
    }

    /// Looks at the start of a direction's bytes: `16 03 0x LL LL` then handshake type 1 or 2.
    public static func classify(_ bytes: [UInt8]) -> Verdict {
        let expected: [(UInt8) -> Bool] = [{ $0 == 22 }, { $0 == 3 }, { $0 <= 4 }, { _ in true }, { _ in true }, { $0 == 1 || $0 == 2 }]
        for (i, test) in expected.enumerated() {
            guard i < bytes.count else { return .undecided }
            guard test(bytes[i]) else { return .notTLS }
        }
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        guard length >= 4, length <= TLSRecordHeader.maximumFragment else { return .notTLS }
        return bytes[5] == 1 ? .clientHello : .serverHello
    }

    /// What `recordChain` found.
    public enum ChainSearch: Equatable, Sendable {
        /// `chain` plausible record headers follow one another from this offset.
        case found(Int)
        /// Positions before this one are ruled out; from it on, more bytes are needed to decide.
        case needMore(Int)
        /// No position within reach starts a chain: a record boundary would be within the first 18 KiB.
        case none
    }

    /// For a stream first seen after its handshake: the first offset where `chain` plausible record headers follow
    /// one another. The search resumes at `from` (positions before it were ruled out by an earlier call), so that a
    /// stream arriving in small pieces costs linear time.
    public static func recordChain(in bytes: [UInt8], from start: Int = 0, chain: Int = 3) -> ChainSearch {
        let reach = TLSRecordHeader.maximumFragment + TLSRecordHeader.size
        var candidate = start
        while candidate < reach {
            var position = candidate
            var found = 0
            while found < chain {
                guard position + TLSRecordHeader.size <= bytes.count else { return .needMore(candidate) }
                guard let header = TLSRecordHeader(bytes[position..<(position + TLSRecordHeader.size)]), header.isPlausible else { break }
                position += TLSRecordHeader.size + header.length
                found += 1
            }
            if found == chain { return .found(candidate) }
            candidate += 1
        }
        return .none
    }
}

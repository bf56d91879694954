import Crypto
import Foundation

/// The key derivations wsinspect needs, on swift-crypto's HKDF and HMAC: TLS 1.3's HKDF-Expand-Label (RFC 8446
/// §7.1) for traffic keys and KeyUpdate, and TLS 1.2's PRF (RFC 5246 §5) for the key block.
public enum TLSKeySchedule {
    /// HKDF-Expand-Label(secret, label, context, length) with the `tls13 ` prefix.
    public static func expandLabel(_ secret: [UInt8], _ label: String, context: [UInt8] = [], length: Int, hash: TLSHash) -> [UInt8] {
        let fullLabel = Array(("tls13 " + label).utf8)
        var info: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(fullLabel.count)]
        info += fullLabel
        info.append(UInt8(context.count))
        info += context
        let key: SymmetricKey
        switch hash {
        case .sha256: key = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
        case .sha384: key = HKDF<SHA384>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
        }
        return key.withUnsafeBytes { Array($0) }
    }

    /// A TLS 1.3 traffic secret's key and IV (RFC 8446 §7.3).
    public static func trafficKeys(secret: [UInt8], aead: TLSAEAD, hash: TLSHash) -> (key: [UInt8], iv: [UInt8]) {
        (expandLabel(secret, "key", length: aead.keyLength, hash: hash), expandLabel(secret, "iv", length: 12, hash: hash))
    }

    /// The next application traffic secret after a KeyUpdate (RFC 8446 §7.2).
    public static func nextTrafficSecret(_ secret: [UInt8], hash: TLSHash) -> [UInt8] {
        expandLabel(secret, "traffic upd", length: hash.length, hash: hash)
    }

    /// The TLS 1.2 PRF: P_hash(secret, label + seed) cut to `length` bytes.
    public static func prf(secret: [UInt8], label: String, seed: [UInt8], length: Int, hash: TLSHash) -> [UInt8] {
        switch hash {
        case .sha256: pHash(SHA256.self, secret: secret, seed: Array(label.utf8) + seed, length: length)
        case .sha384: pHash(SHA384.self, secret: secret, seed: Array(label.utf8) + seed, length: length)
        }
    }

    private static func pHash<H: HashFunction>(_: H.Type, secret: [UInt8], seed: [UInt8], length: Int) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        var output: [UInt8] = []
        var a = seed   // A(0)
        while output.count < length {
            a = Array(HMAC<H>.authenticationCode(for: a, using: key))          // A(i) = HMAC(secret, A(i-1))
            output += Array(HMAC<H>.authenticationCode(for: a + seed, using: key))
        }
        return Array(output.prefix(length))
    }

    /// The TLS 1.2 AEAD key block (RFC 5246 §6.3; RFC 5288 §3 for GCM's 4-byte implicit IVs, RFC 7905 §2 for
    /// ChaCha20-Poly1305's 12-byte IVs): client key, server key, client IV, server IV (AEAD suites have no MAC keys).
    public static func tls12Keys(masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8], aead: TLSAEAD,
                          hash: TLSHash) -> (client: (key: [UInt8], iv: [UInt8]), server: (key: [UInt8], iv: [UInt8])) {
        let ivLength = aead == .chacha20Poly1305 ? 12 : 4
        let block = prf(secret: masterSecret, label: "key expansion", seed: serverRandom + clientRandom,
                        length: 2 * (aead.keyLength + ivLength), hash: hash)
        let k = aead.keyLength
        return ((Array(block[0..<k]), Array(block[(2 * k)..<(2 * k + ivLength)])),
                (Array(block[k..<(2 * k)]), Array(block[(2 * k + ivLength)..<(2 * k + 2 * ivLength)])))
    }
}

/// The keys that protect one direction's records, and the record sequence number (RFC 8446 §5.3, RFC 5246 §6.2.3.3).
struct TLSRecordProtection {
    let aead: TLSAEAD
    let key: SymmetricKey
    let iv: [UInt8]
    /// TLS 1.3 records (inner content type, header as additional data) rather than TLS 1.2 ones.
    let tls13: Bool
    var sequence: UInt64 = 0

    init(aead: TLSAEAD, key: [UInt8], iv: [UInt8], tls13: Bool) {
        self.aead = aead
        self.key = SymmetricKey(data: key)
        self.iv = iv
        self.tls13 = tls13
    }

    /// Why a record could not be opened.
    enum Failure: Error {
        /// Too short to hold the nonce and the tag.
        case tooShort
        /// The tag does not match: wrong keys, or bytes changed.
        case authentication
        /// TLS 1.3: the decrypted content is all padding (no content type).
        case noContentType
    }

    /// Decrypts one record; returns its real content type and plaintext, and advances the sequence number.
    mutating func open(_ header: TLSRecordHeader, _ fragment: [UInt8]) throws(Failure) -> (TLSContentType, [UInt8]) {
        let tagLength = 16
        var nonce: [UInt8]
        var ciphertext: ArraySlice<UInt8>
        var additional: [UInt8]
        if tls13 || aead == .chacha20Poly1305 {
            // nonce = IV XOR the 64-bit sequence number, left-padded to the IV's length.
            guard fragment.count >= tagLength else { throw .tooShort }
            nonce = iv
            for i in 0..<8 { nonce[nonce.count - 1 - i] ^= UInt8(truncatingIfNeeded: sequence >> (8 * UInt64(i))) }
            ciphertext = fragment[0..<(fragment.count - tagLength)]
        } else {
            // GCM in TLS 1.2: nonce = 4-byte implicit IV + the record's 8-byte explicit nonce.
            guard fragment.count >= 8 + tagLength else { throw .tooShort }
            nonce = iv + fragment[0..<8]
            ciphertext = fragment[8..<(fragment.count - tagLength)]
        }
        let tag = fragment[(fragment.count - tagLength)...]
        if tls13 {
            additional = header.bytes
        } else {
            // seq_num + type + version + length of the plaintext.
            additional = (0..<8).map { UInt8(truncatingIfNeeded: sequence >> (8 * UInt64(7 - $0))) }
            additional += [header.contentType.rawValue, UInt8(header.version.rawValue >> 8), UInt8(header.version.rawValue & 0xFF),
                           UInt8(ciphertext.count >> 8), UInt8(ciphertext.count & 0xFF)]
        }
        let plain: Data
        do {
            switch aead {
            case .aes128GCM, .aes256GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                plain = try AES.GCM.open(box, using: key, authenticating: additional)
            case .chacha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                plain = try ChaChaPoly.open(box, using: key, authenticating: additional)
            }
        } catch {
            throw .authentication
        }
        sequence &+= 1
        guard tls13 else { return (header.contentType, Array(plain)) }
        // TLSInnerPlaintext: content, the real type, then zero padding.
        var bytes = Array(plain)
        while let last = bytes.last, last == 0 { bytes.removeLast() }
        guard let type = bytes.popLast() else { throw .noContentType }
        return (TLSContentType(rawValue: type), bytes)
    }
}

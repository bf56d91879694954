import Testing
import WSTLS

/// Known answers for the key derivations and record protection, computed with other implementations.
@Suite struct KeyScheduleTests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex {
            let j = text.index(i, offsetBy: 2)
            bytes.append(UInt8(text[i..<j], radix: 16)!)
            i = j
        }
        return bytes
    }

    @Test func theTLS12PRFMatchesThePublishedSHA256Vector() {
        // The P_SHA256 test vector circulated on the IETF TLS list (secret, seed, label "test label", 100 bytes);
        // Python's hmac module gives the same bytes.
        let out = TLSKeySchedule.prf(secret: Self.hex("9bbe436ba940f017b17652849a71db35"), label: "test label",
                                     seed: Self.hex("a0ba9f936cda311827a6f796ffd5198c"), length: 100, hash: .sha256)
        #expect(out == Self.hex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66"))
    }

    @Test func hkdfExpandLabelMatchesPythonCryptography() {
        // Expected values from Python `cryptography` 48 (HKDFExpand with the RFC 8446 §7.1 HkdfLabel built by hand).
        let secret = (0..<32).map { UInt8($0) }
        #expect(TLSKeySchedule.expandLabel(secret, "key", length: 16, hash: .sha256) == Self.hex("9c9783cf77ea32d44f369da41f19f3cc"))
        #expect(TLSKeySchedule.expandLabel(secret, "iv", length: 12, hash: .sha256) == Self.hex("2f41c846a431a163814bcd71"))
        #expect(TLSKeySchedule.nextTrafficSecret(secret, hash: .sha256)
                == Self.hex("2cecd0a17506ef5fa73edc062d6e7b5397cf074ec1b4d8f99a120772932f0b45"))
        let secret48 = (0..<48).map { UInt8($0) }
        #expect(TLSKeySchedule.expandLabel(secret48, "key", length: 32, hash: .sha384)
                == Self.hex("6877d022f1c61d24ebb7487c16752d9a4798e40431c75b39320e537c90e23225"))
        #expect(TLSKeySchedule.nextTrafficSecret(secret48, hash: .sha384)
                == Self.hex("401331b63e9d59f202e8f041042d9516f4cd7fa2e2ee14631d3b49fc340d7af37fc2c0c9f252d8036f81ec5b85cbe5db"))
    }
}

import Crypto
import Foundation
import WSTLS

/// Builds the records of a TLS 1.3 or TLS 1.2 connection — hellos in the clear, protected handshake messages,
/// application data, KeyUpdate, alerts — sealed with swift-crypto under secrets it chooses, and the NSS key log that
/// names those secrets: the input of TLS-layer tests, without a real TLS stack. (The key derivations it uses are
/// WSTLS's own, which KeyScheduleTests check against independent known answers.)
public struct TLSTestSession {
    public enum Version: Sendable {
        /// TLS 1.3 with one of its three suites (0x1301, 0x1302, 0x1303).
        case tls13(suite: UInt16)
        /// TLS 1.2 with an AEAD suite (0xC02F, 0xC030, 0xCCA8, …).
        case tls12(suite: UInt16)
    }

    public let version: Version
    public let clientRandom: [UInt8]
    public let serverRandom: [UInt8]
    private let aead: TLSAEAD
    private let hash: TLSHash
    private let suite: UInt16
    private var client: Sealer
    private var server: Sealer
    /// TLS 1.3: each side's application secret, for the switch after Finished and each KeyUpdate.
    private var clientApplication: [UInt8] = []
    private var serverApplication: [UInt8] = []
    /// The key log lines for this connection.
    public private(set) var keyLog: String

    /// One side's record sealing state.
    struct Sealer {
        var key: [UInt8]
        var iv: [UInt8]
        var sequence: UInt64 = 0
    }

    public init(_ version: Version, seed: UInt8 = 1) {
        self.version = version
        func bytes(_ tag: UInt8, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) * 31 + Int(tag) * 7 + $0 * 13) } }
        clientRandom = bytes(1, 32)
        serverRandom = bytes(2, 32)
        switch version {
        case .tls13(let suite), .tls12(let suite): self.suite = suite
        }
        switch suite {
        case 0x1301, 0xC02B, 0xC02F, 0x009C, 0x009E: (aead, hash) = (.aes128GCM, .sha256)
        case 0x1302, 0xC02C, 0xC030, 0x009D, 0x009F: (aead, hash) = (.aes256GCM, .sha384)
        default: (aead, hash) = (.chacha20Poly1305, .sha256)
        }
        let random = HexText.lower(clientRandom)
        switch version {
        case .tls13:
            let clientHandshake = bytes(3, hash.length), serverHandshake = bytes(4, hash.length)
            clientApplication = bytes(5, hash.length)
            serverApplication = bytes(6, hash.length)
            let c = TLSKeySchedule.trafficKeys(secret: clientHandshake, aead: aead, hash: hash)
            let s = TLSKeySchedule.trafficKeys(secret: serverHandshake, aead: aead, hash: hash)
            client = Sealer(key: c.key, iv: c.iv)
            server = Sealer(key: s.key, iv: s.iv)
            keyLog = """
                CLIENT_HANDSHAKE_TRAFFIC_SECRET \(random) \(HexText.lower(clientHandshake))
                SERVER_HANDSHAKE_TRAFFIC_SECRET \(random) \(HexText.lower(serverHandshake))
                CLIENT_TRAFFIC_SECRET_0 \(random) \(HexText.lower(clientApplication))
                SERVER_TRAFFIC_SECRET_0 \(random) \(HexText.lower(serverApplication))

                """
        case .tls12:
            let master = bytes(7, 48)
            let block = TLSKeySchedule.tls12Keys(masterSecret: master, clientRandom: clientRandom, serverRandom: serverRandom,
                                                 aead: aead, hash: hash)
            client = Sealer(key: block.client.key, iv: block.client.iv)
            server = Sealer(key: block.server.key, iv: block.server.iv)
            keyLog = "CLIENT_RANDOM \(random) \(HexText.lower(master))\n"
        }
    }

    var isTLS13: Bool { if case .tls13 = version { true } else { false } }

    /// A record in the clear.
    public static func record(_ type: UInt8, _ fragment: [UInt8], version: UInt16 = 0x0303) -> [UInt8] {
        [type, UInt8(version >> 8), UInt8(version & 0xFF), UInt8(fragment.count >> 8), UInt8(fragment.count & 0xFF)] + fragment
    }

    static func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, UInt8(body.count >> 16), UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)] + body
    }

    static func vector(_ bytes: [UInt8], lengthBytes: Int) -> [UInt8] {
        (lengthBytes == 1 ? [UInt8(bytes.count)] : [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)]) + bytes
    }

    static func `extension`(_ type: UInt16, _ body: [UInt8]) -> [UInt8] {
        [UInt8(type >> 8), UInt8(type & 0xFF)] + vector(body, lengthBytes: 2)
    }

    static func alpnBody(_ names: [String]) -> [UInt8] {
        vector(names.flatMap { vector(Array($0.utf8), lengthBytes: 1) }, lengthBytes: 2)
    }

    /// The ClientHello record (its handshake message alone with `recordWrapped: false`).
    public func clientHello(serverName: String? = "example.test", alpn: [String] = ["http/1.1"], earlyData: Bool = false) -> [UInt8] {
        var extensions: [UInt8] = []
        if let serverName {
            let entry = [UInt8(0)] + Self.vector(Array(serverName.utf8), lengthBytes: 2)
            extensions += Self.extension(0, Self.vector(entry, lengthBytes: 2))
        }
        if !alpn.isEmpty { extensions += Self.extension(16, Self.alpnBody(alpn)) }
        if earlyData { extensions += Self.extension(42, []) }
        if isTLS13 { extensions += Self.extension(43, Self.vector([0x03, 0x04, 0x03, 0x03], lengthBytes: 1)) }
        let suites: [UInt8] = [UInt8(suite >> 8), UInt8(suite & 0xFF)]
        let body: [UInt8] = [0x03, 0x03] + clientRandom + Self.vector([], lengthBytes: 1) + Self.vector(suites, lengthBytes: 2)
            + Self.vector([0], lengthBytes: 1) + Self.vector(extensions, lengthBytes: 2)
        return Self.record(22, Self.handshake(1, body), version: 0x0301)
    }

    /// The ServerHello record; TLS 1.2 servers name the ALPN protocol here.
    public func serverHello(alpn: String? = nil) -> [UInt8] {
        var extensions: [UInt8] = []
        if isTLS13 { extensions += Self.extension(43, [0x03, 0x04]) }
        if let alpn, !isTLS13 { extensions += Self.extension(16, Self.alpnBody([alpn])) }
        let body: [UInt8] = [0x03, 0x03] + serverRandom + Self.vector([], lengthBytes: 1)
            + [UInt8(suite >> 8), UInt8(suite & 0xFF), 0] + Self.vector(extensions, lengthBytes: 2)
        return Self.record(22, Self.handshake(2, body))
    }

    public func changeCipherSpec() -> [UInt8] { Self.record(20, [1]) }

    /// TLS 1.3: the server's protected flight (EncryptedExtensions naming `alpn`, Finished), after which the server
    /// uses its application secret. TLS 1.2: the server's change_cipher_spec and protected Finished.
    public mutating func serverFinishedFlight(alpn: String? = "http/1.1") -> [UInt8] {
        let finished = Self.handshake(20, Array(repeating: 0xAB, count: hash.length))
        if isTLS13 {
            let extensions = alpn.map { Self.extension(16, Self.alpnBody([$0])) } ?? []
            let flight = Self.handshake(8, Self.vector(extensions, lengthBytes: 2)) + finished
            let record = seal(&server, type: 22, flight)
            server = Self.sealer(serverApplication, aead: aead, hash: hash)
            return record
        }
        return changeCipherSpec() + seal(&server, type: 22, finished)
    }

    /// The client's Finished (TLS 1.2: after its change_cipher_spec), after which it uses its application secret.
    public mutating func clientFinished() -> [UInt8] {
        let finished = Self.handshake(20, Array(repeating: 0xCD, count: hash.length))
        if isTLS13 {
            let record = seal(&client, type: 22, finished)
            client = Self.sealer(clientApplication, aead: aead, hash: hash)
            return record
        }
        return changeCipherSpec() + seal(&client, type: 22, finished)
    }

    /// Application data in one protected record.
    public mutating func applicationData(fromClient: Bool, _ bytes: [UInt8], padding: Int = 0) -> [UInt8] {
        fromClient ? seal(&client, type: 23, bytes, padding: padding) : seal(&server, type: 23, bytes, padding: padding)
    }

    /// A protected alert (close_notify by default).
    public mutating func alert(fromClient: Bool, level: UInt8 = 1, description: UInt8 = 0) -> [UInt8] {
        fromClient ? seal(&client, type: 21, [level, description]) : seal(&server, type: 21, [level, description])
    }

    /// TLS 1.3: a KeyUpdate from one side, after which that side uses its next application secret.
    public mutating func keyUpdate(fromClient: Bool, requestPeer: Bool = false) -> [UInt8] {
        let message = Self.handshake(24, [requestPeer ? 1 : 0])
        if fromClient {
            let record = seal(&client, type: 22, message)
            clientApplication = TLSKeySchedule.nextTrafficSecret(clientApplication, hash: hash)
            client = Self.sealer(clientApplication, aead: aead, hash: hash)
            return record
        }
        let record = seal(&server, type: 22, message)
        serverApplication = TLSKeySchedule.nextTrafficSecret(serverApplication, hash: hash)
        server = Self.sealer(serverApplication, aead: aead, hash: hash)
        return record
    }

    private static func sealer(_ secret: [UInt8], aead: TLSAEAD, hash: TLSHash) -> Sealer {
        let keys = TLSKeySchedule.trafficKeys(secret: secret, aead: aead, hash: hash)
        return Sealer(key: keys.key, iv: keys.iv)
    }

    /// Seals one record (TLS 1.3: content type inside, outer type application_data).
    private func seal(_ sealer: inout Sealer, type: UInt8, _ content: [UInt8], padding: Int = 0) -> [UInt8] {
        defer { sealer.sequence += 1 }
        let key = SymmetricKey(data: sealer.key)
        var nonce = sealer.iv
        let sequenceBytes = (0..<8).map { UInt8(truncatingIfNeeded: sealer.sequence >> (8 * UInt64(7 - $0))) }
        if isTLS13 || aead == .chacha20Poly1305 {
            for i in 0..<8 { nonce[nonce.count - 8 + i] ^= sequenceBytes[i] }
        } else {
            nonce += sequenceBytes   // GCM in TLS 1.2: the explicit nonce is the sequence number
        }
        let plaintext = isTLS13 ? content + [type] + Array(repeating: 0, count: padding) : content
        let outerType: UInt8 = isTLS13 ? 23 : type
        let extra = (isTLS13 || aead == .chacha20Poly1305) ? 16 : 24
        let header = [outerType, 3, 3, UInt8((plaintext.count + extra) >> 8), UInt8((plaintext.count + extra) & 0xFF)]
        let additional = isTLS13 ? header
            : sequenceBytes + [type, 3, 3, UInt8(plaintext.count >> 8), UInt8(plaintext.count & 0xFF)]
        let sealed: (ciphertext: Data, tag: Data)
        switch aead {
        case .aes128GCM, .aes256GCM:
            let box = try! AES.GCM.seal(plaintext, using: key, nonce: try! AES.GCM.Nonce(data: nonce), authenticating: additional)
            sealed = (box.ciphertext, box.tag)
        case .chacha20Poly1305:
            let box = try! ChaChaPoly.seal(plaintext, using: key, nonce: try! ChaChaPoly.Nonce(data: nonce), authenticating: additional)
            sealed = (box.ciphertext, box.tag)
        }
        let explicit = (isTLS13 || aead == .chacha20Poly1305) ? [] : sequenceBytes
        return header + explicit + Array(sealed.ciphertext) + Array(sealed.tag)
    }
}

enum HexText {
    static func lower(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

import WSStream

/// Receives what a TLS layer learns besides the plaintext.
public protocol TLSLayerDelegate: AnyObject {
    /// `layer.info` changed: the hellos were read, the suite chosen, decryption decided, the ALPN protocol learned.
    func tlsLayerInfoChanged(_ layer: TLSLayer, origin: ByteOrigin)
    /// Something happened in one direction (an alert, a failure, a stop, a KeyUpdate…).
    func tlsLayer(_ layer: TLSLayer, event: TLSEvent, direction: StreamDirection, origin: ByteOrigin)
}

/// The TLS layer of one connection (RFC 8446, RFC 5246): it sits between the ordered bytes of a connection and what
/// reads the application data. It cuts each direction into records, reads the handshake in the clear (versions, the
/// cipher suite, SNI, ALPN, the randoms), finds the connection's secrets in a key log, decrypts the records
/// (TLS 1.3 with its handshake and application traffic secrets and every KeyUpdate; TLS 1.2 AEAD suites with the key
/// block from the master secret), and delivers the application data to `downstream` as a byte stream of its own,
/// with the origin of the packet that completed each record. Every byte it receives is accounted for.
///
/// Nothing is decrypted without keys; a record that does not authenticate stops its direction (`streamStopped`
/// downstream): no plaintext is ever guessed.
public final class TLSLayer: ByteStreamObserver {
    /// Records kept per direction for `records(direction:covering:)`.
    static let historyLimit = 4096
    /// While a growing key log may still receive a connection's secrets, encrypted records wait: up to this many
    /// bytes per connection (the handshake's encrypted flight and the first application data) and `waitSeconds` of
    /// capture time; past either they are counted as not decrypted. A browser writes its secrets during the handshake,
    /// so they normally arrive within milliseconds.
    static let waitLimit = 64 << 10
    static let waitSeconds = 3.0

    public private(set) var info = TLSConnectionInfo()
    /// The layer above: it receives the decrypted application data.
    public let downstream: ByteStreamObserver
    private unowned(unsafe) let delegate: TLSLayerDelegate
    private let keys: TLSKeyProvider?
    let sides: [TLSDirectionState]
    /// The direction of the ClientHello.
    public private(set) var clientDirection: StreamDirection?
    private var clientRandom: [UInt8]?
    private var serverRandom: [UInt8]?
    private var clientOffersEarlyData = false
    /// Encrypted records held while a growing key log may still get this connection's secrets.
    private var waiting: [(direction: StreamDirection, header: TLSRecordHeader, fragment: [UInt8], origin: ByteOrigin, number: Int)] = []
    private var waitingBytes = 0
    private var awaitingSecrets = false
    private var waitingSince: Timestamp?

    /// False for a connection first seen after its handshake: its record boundaries are not known where the capture
    /// starts and nothing can be decrypted, so its bytes are only counted.
    private let recordsKnown: Bool

    /// `handshakeExpected` is false for a connection first seen after its handshake.
    public init(downstream: ByteStreamObserver, delegate: TLSLayerDelegate, keys: TLSKeyProvider?, handshakeExpected: Bool) {
        self.downstream = downstream
        self.delegate = delegate
        self.keys = keys
        self.recordsKnown = handshakeExpected
        sides = [TLSDirectionState(), TLSDirectionState()]
        if !handshakeExpected { info.decryption = .notDecrypted(.handshakeNotCaptured) }
    }

    /// One direction's byte accounting.
    public func accounting(_ direction: StreamDirection) -> TLSAccounting { sides[direction.rawValue].accounting }

    /// The records (as far as they are remembered) whose plaintext overlaps `range` of a direction's decrypted stream.
    public func records(direction: StreamDirection, covering range: Range<UInt64>) -> [TLSRecordSummary] {
        let history = sides[direction.rawValue].history
        // The first record that ends after the range starts (history is in stream order).
        var low = 0, high = history.count
        while low < high {
            let mid = (low + high) / 2
            if history[mid].plaintextStart + UInt64(history[mid].plaintextLength) <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var found: [TLSRecordSummary] = []
        var i = low
        while i < history.count, history[i].plaintextStart < range.upperBound {
            found.append(history[i])
            i += 1
        }
        return found
    }

    // MARK: - ByteStreamObserver

    public func streamReceived(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        side.accounting.streamBytes += UInt64(bytes.count)
        if side.stopped || !recordsKnown {
            side.accounting.undecryptedBytes += UInt64(bytes.count)
            return
        }
        side.reader.append(bytes)
        while !side.stopped {
            switch side.reader.next() {
            case .needMore:
                return
            case .malformed(let header):
                side.records += 1
                delegate.tlsLayer(self, event: .malformedRecord(record: side.records, header: header), direction: direction, origin: origin)
                stop(direction, origin: origin)
            case .record(let header, let fragment):
                side.records += 1
                side.accounting.records += 1
                side.accounting.recordHeaderBytes += UInt64(TLSRecordHeader.size)
                handle(header, fragment, number: side.records, direction: direction, origin: origin)
            }
        }
    }

    public func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) {
        let side = sides[direction.rawValue]
        side.accounting.streamBytes += count
        side.accounting.gapBytes += count
        guard !side.stopped, recordsKnown else { return }
        if info.decryption == .pending { info.decryption = .notDecrypted(.captureGap); delegate.tlsLayerInfoChanged(self, origin: origin) }
        delegate.tlsLayer(self, event: .stoppedAtGap(bytes: count), direction: direction, origin: origin)
        stop(direction, origin: origin)
    }

    public func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin) {
        // Reported by the layer below, whose offsets these are; the bytes first delivered are the ones read.
    }

    public func streamStartedMidStream(direction: StreamDirection) {}

    public func streamFinished(direction: StreamDirection, origin: ByteOrigin) {
        downstream.streamFinished(direction: direction, origin: origin)
    }

    public func streamStopped(direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        guard !side.stopped else { return }
        stop(direction, origin: origin)
    }

    public func streamClosed(_ end: StreamEnd, origin: ByteOrigin, latest: Timestamp) {
        giveUpWaiting(origin: origin)
        for direction in [StreamDirection.fromInitiator, .fromResponder] {
            let side = sides[direction.rawValue]
            let pending = side.reader.pending
            if pending > 0 && !side.stopped && recordsKnown {
                side.accounting.unfinishedBytes += UInt64(pending)
                let need = side.reader.pendingRecordLength.map { $0 + TLSRecordHeader.size } ?? TLSRecordHeader.size
                delegate.tlsLayer(self, event: .truncatedRecord(record: side.records + 1, have: pending, need: need),
                                  direction: direction, origin: origin)
                side.reader.reset()
            }
        }
        downstream.streamClosed(end, origin: origin, latest: latest)
    }

    // MARK: - Records

    private func handle(_ header: TLSRecordHeader, _ fragment: [UInt8], number: Int, direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        let length = UInt64(fragment.count)
        let tls13 = info.version == .tls13
        if side.encrypted && !(tls13 && header.contentType == .changeCipherSpec) {
            if awaitingSecrets {
                waiting.append((direction, header, fragment, origin, number))
                waitingBytes += fragment.count
                retryWaiting(origin: origin)
                return
            }
            decrypt(header, fragment, number: number, direction: direction, origin: origin)
            return
        }
        switch header.contentType {
        case .handshake:
            side.accounting.handshakeBytes += length
            for message in side.handshake.append(fragment) {
                handshakeMessage(message, number: number, direction: direction, origin: origin)
            }
        case .changeCipherSpec:
            side.accounting.changeCipherSpecBytes += length
            if let version = info.version, version < .tls13 {
                // TLS 1.2: this direction's records are protected from the next one on.
                side.encrypted = true
                side.protection = side.pendingProtection
            }
        case .alert:
            side.accounting.alertBytes += length
            if fragment.count >= 2 {
                delegate.tlsLayer(self, event: .alert(level: fragment[0], description: fragment[1], record: number),
                                  direction: direction, origin: origin)
            }
        default:
            side.accounting.undecryptedBytes += length
            if header.contentType == .applicationData, direction == clientDirection, clientOffersEarlyData {
                side.skippedEarlyRecords += 1   // 0-RTT data sent before the ServerHello
            }
        }
    }

    private func decrypt(_ header: TLSRecordHeader, _ fragment: [UInt8], number: Int, direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        let length = UInt64(fragment.count)
        guard var protection = side.protection else {
            side.accounting.undecryptedBytes += length
            return
        }
        let content: TLSContentType, plain: [UInt8]
        do {
            (content, plain) = try protection.open(header, fragment)
        } catch {
            if direction == clientDirection, clientOffersEarlyData, !side.decryptedAny, info.version == .tls13 {
                // 0-RTT early data, protected with the early traffic secret: skipped (its sequence does not count).
                side.accounting.undecryptedBytes += length
                side.skippedEarlyRecords += 1
                return
            }
            side.accounting.undecryptedBytes += length
            if info.decryption != .notDecrypted(.authenticationFailed) {
                info.decryption = .notDecrypted(.authenticationFailed)
                delegate.tlsLayerInfoChanged(self, origin: origin)
            }
            delegate.tlsLayer(self, event: .authenticationFailed(record: number, contentType: header.contentType, length: fragment.count),
                              direction: direction, origin: origin)
            stop(direction, origin: origin)
            return
        }
        side.protection = protection
        if !side.decryptedAny {
            side.decryptedAny = true
            if side.skippedEarlyRecords > 0 {
                delegate.tlsLayer(self, event: .recordsSkipped(count: side.skippedEarlyRecords, why: "0-RTT early data (its secret is not used)"),
                                  direction: direction, origin: origin)
            }
        }
        side.accounting.decryptedBytes += length
        switch content {
        case .applicationData:
            deliver(plain, number: number, length: fragment.count, direction: direction, origin: origin)
        case .handshake:
            for message in side.handshake.append(plain) {
                handshakeMessage(message, number: number, direction: direction, origin: origin)
            }
        case .alert:
            if plain.count >= 2 {
                delegate.tlsLayer(self, event: .alert(level: plain[0], description: plain[1], record: number),
                                  direction: direction, origin: origin)
            }
        default:
            break
        }
    }

    private func deliver(_ plain: [UInt8], number: Int, length: Int, direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        side.remember(TLSRecordSummary(number: number, contentType: .applicationData, length: length,
                                       plaintextStart: side.plaintextOffset, plaintextLength: plain.count))
        guard !plain.isEmpty else { return }
        side.plaintextOffset += UInt64(plain.count)
        side.accounting.plaintextBytes += UInt64(plain.count)
        plain.withUnsafeBytes { downstream.streamReceived($0, direction: direction, origin: origin) }
    }

    /// This direction is not read further: what is held is not decrypted, and the layer above learns that nothing
    /// more comes.
    private func stop(_ direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        side.stopped = true
        side.accounting.undecryptedBytes += UInt64(side.reader.pending)
        side.reader.reset()
        downstream.streamStopped(direction: direction, origin: origin)
    }

    // MARK: - Handshake

    private func handshakeMessage(_ message: TLSHandshakeMessage, number: Int, direction: StreamDirection, origin: ByteOrigin) {
        let side = sides[direction.rawValue]
        switch message.type {
        case .clientHello where clientRandom == nil || clientDirection == direction:
            guard let hello = TLSClientHello(message.body) else { return }
            clientDirection = direction
            if clientRandom == nil {   // after a HelloRetryRequest the second ClientHello keeps the random
                clientRandom = hello.random
                info.serverName = hello.serverName
                info.offeredALPN = hello.alpn
                clientOffersEarlyData = hello.offersEarlyData
            }
            info.handshakeSeen = true
            delegate.tlsLayerInfoChanged(self, origin: origin)
        case .serverHello where serverRandom == nil:
            guard let hello = TLSServerHello(message.body) else { return }
            if clientDirection == nil { clientDirection = direction.reversed }
            info.version = hello.version
            info.cipherSuite = TLSCipherSuite(id: hello.cipherSuite)
            if hello.isHelloRetryRequest {
                info.helloRetry = true
                delegate.tlsLayerInfoChanged(self, origin: origin)
                return
            }
            serverRandom = hello.random
            if let alpn = hello.alpn { info.alpn = alpn }
            if hello.version == .tls13 {
                // Every later record of both directions is protected (but TLS 1.3's compatibility change_cipher_spec).
                for s in sides { s.encrypted = true }
            }
            setUpKeys(origin: origin)
        case .encryptedExtensions:
            if let alpn = TLSExtensions.selectedProtocol(inEncryptedExtensions: message.body) {
                info.alpn = alpn
                delegate.tlsLayerInfoChanged(self, origin: origin)
            }
        case .finished where info.version == .tls13 && !side.applicationKeysInUse:
            // The sender's handshake is over: its next record uses the application traffic secret.
            side.applicationKeysInUse = true
            if let secret = side.applicationSecret, let suite = info.cipherSuite?.protection {
                let keys = TLSKeySchedule.trafficKeys(secret: secret, aead: suite.aead, hash: suite.hash)
                side.protection = TLSRecordProtection(aead: suite.aead, key: keys.key, iv: keys.iv, tls13: true)
            }
        case .keyUpdate where info.version == .tls13:
            if let secret = side.applicationSecret, let suite = info.cipherSuite?.protection {
                let next = TLSKeySchedule.nextTrafficSecret(secret, hash: suite.hash)
                side.applicationSecret = next
                let keys = TLSKeySchedule.trafficKeys(secret: next, aead: suite.aead, hash: suite.hash)
                side.protection = TLSRecordProtection(aead: suite.aead, key: keys.key, iv: keys.iv, tls13: true)
            }
            delegate.tlsLayer(self, event: .keyUpdate(record: number, requested: message.body.first == 1),
                              direction: direction, origin: origin)
        default:
            break
        }
    }

    /// After the ServerHello: finds the connection's secrets and prepares each direction's record protection.
    private func setUpKeys(origin: ByteOrigin) {
        defer { delegate.tlsLayerInfoChanged(self, origin: origin) }
        guard let suite = info.cipherSuite, let version = info.version else { return }
        guard let clientRandom, let serverRandom, let clientDirection else {
            info.decryption = .notDecrypted(.handshakeNotCaptured)
            return
        }
        guard version >= .tls12 else { info.decryption = .notDecrypted(.unsupportedVersion(version)); return }
        guard let protection = suite.protection, protection.tls13 == (version == .tls13) else {
            info.decryption = .notDecrypted(.unsupportedCipherSuite(suite))
            return
        }
        guard let keys else { info.decryption = .notDecrypted(.noKeyLog); return }
        let client = sides[clientDirection.rawValue], server = sides[clientDirection.reversed.rawValue]
        guard let secrets = keys.secrets(clientRandom: clientRandom),
              version == .tls13 ? secrets.hasTLS13Secrets : secrets.masterSecret != nil else {
            if keys.mayGrow {
                awaitingSecrets = true
                waitingSince = origin.time
            } else {
                info.decryption = .notDecrypted(.noSecrets)
            }
            return
        }
        if version == .tls13 {
            func protect(_ secret: [UInt8]) -> TLSRecordProtection {
                let k = TLSKeySchedule.trafficKeys(secret: secret, aead: protection.aead, hash: protection.hash)
                return TLSRecordProtection(aead: protection.aead, key: k.key, iv: k.iv, tls13: true)
            }
            client.protection = protect(secrets.clientHandshakeTraffic!)
            server.protection = protect(secrets.serverHandshakeTraffic!)
            client.applicationSecret = secrets.clientTraffic0
            server.applicationSecret = secrets.serverTraffic0
        } else {
            let block = TLSKeySchedule.tls12Keys(masterSecret: secrets.masterSecret!, clientRandom: clientRandom, serverRandom: serverRandom,
                                                 aead: protection.aead, hash: protection.hash)
            client.pendingProtection = TLSRecordProtection(aead: protection.aead, key: block.client.key, iv: block.client.iv, tls13: false)
            server.pendingProtection = TLSRecordProtection(aead: protection.aead, key: block.server.key, iv: block.server.iv, tls13: false)
            // A direction already past its change_cipher_spec (records reordered across directions) starts now.
            for side in [client, server] where side.encrypted && side.protection == nil { side.protection = side.pendingProtection }
        }
        info.decryption = .decrypted
    }

    /// Held records are decrypted once the secrets appear, or counted as not decrypted past the limit.
    private func retryWaiting(origin: ByteOrigin) {
        guard let clientRandom, let secrets = keys?.secrets(clientRandom: clientRandom),
              info.version == .tls13 ? secrets.hasTLS13Secrets : secrets.masterSecret != nil else {
            let waited = waitingSince.map { origin.time.seconds(since: $0) } ?? 0
            if waitingBytes > Self.waitLimit || waited > Self.waitSeconds { giveUpWaiting(origin: origin) }
            return
        }
        awaitingSecrets = false
        setUpKeys(origin: origin)
        replayWaiting()
    }

    private func giveUpWaiting(origin: ByteOrigin) {
        guard awaitingSecrets else { return }
        awaitingSecrets = false
        info.decryption = .notDecrypted(.noSecrets)
        delegate.tlsLayerInfoChanged(self, origin: origin)
        replayWaiting()
    }

    private func replayWaiting() {
        let held = waiting
        waiting = []
        waitingBytes = 0
        for record in held where !sides[record.direction.rawValue].stopped {
            decrypt(record.header, record.fragment, number: record.number, direction: record.direction, origin: record.origin)
        }
    }
}

/// One direction of a `TLSLayer`.
final class TLSDirectionState {
    var reader = TLSRecordReader()
    var handshake = TLSHandshakeReader()
    var records = 0
    /// From the next record on (TLS 1.3: after the ServerHello; TLS 1.2: after change_cipher_spec) records are protected.
    var encrypted = false
    var protection: TLSRecordProtection?
    /// TLS 1.2: the protection that change_cipher_spec turns on.
    var pendingProtection: TLSRecordProtection?
    /// TLS 1.3: the current application traffic secret (the next KeyUpdate derives from it).
    var applicationSecret: [UInt8]?
    var applicationKeysInUse = false
    var decryptedAny = false
    var skippedEarlyRecords = 0
    var stopped = false
    var plaintextOffset: UInt64 = 0
    var accounting = TLSAccounting()
    /// The last records that carried application data, in stream order.
    private(set) var history: [TLSRecordSummary] = []

    func remember(_ record: TLSRecordSummary) {
        if history.count >= TLSLayer.historyLimit { history.removeFirst(TLSLayer.historyLimit / 4) }
        history.append(record)
    }
}

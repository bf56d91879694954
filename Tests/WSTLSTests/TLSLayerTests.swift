import Testing
import WSStream
import WSTLS
import WSTestSupport

/// Receives what a TLS layer delivers.
final class Recorder: ByteStreamObserver, TLSLayerDelegate {
    var plaintext: [[UInt8]] = [[], []]
    var stopped: [Bool] = [false, false]
    var closed = false
    var events: [(TLSEvent, StreamDirection)] = []

    func streamReceived(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {
        plaintext[direction.rawValue] += Array(bytes)
    }
    func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) {}
    func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin) {}
    func streamStartedMidStream(direction: StreamDirection) {}
    func streamFinished(direction: StreamDirection, origin: ByteOrigin) {}
    func streamStopped(direction: StreamDirection, origin: ByteOrigin) { stopped[direction.rawValue] = true }
    func streamClosed(_ end: StreamEnd, origin: ByteOrigin, latest: Timestamp) { closed = true }

    func tlsLayerInfoChanged(_ layer: TLSLayer, origin: ByteOrigin) {}
    func tlsLayer(_ layer: TLSLayer, event: TLSEvent, direction: StreamDirection, origin: ByteOrigin) {
        events.append((event, direction))
    }

    var eventNames: [String] { events.map { "\($0.0)".prefix { $0 != "(" } }.map(String.init) }
}

/// A key provider over a key log text.
final class Keys: TLSKeyProvider, @unchecked Sendable {
    var log: TLSKeyLog
    let mayGrow: Bool
    init(_ text: String, mayGrow: Bool = false) {
        log = TLSKeyLog(text: text)
        self.mayGrow = mayGrow
    }
    func secrets(clientRandom: [UInt8]) -> TLSSecrets? { log.secrets(clientRandom: clientRandom) }
}

@Suite struct TLSLayerTests {
    static let client = StreamDirection.fromInitiator, server = StreamDirection.fromResponder
    static let origin = ByteOrigin(packet: 1, time: Timestamp(seconds: 1_700_000_000, nanoseconds: 0))

    /// A whole connection: hellos, the protected handshake, then `exchange` (client and server application data).
    static func conversation(_ session: inout TLSTestSession, alpn: String? = "http/1.1",
                             exchange: [(fromClient: Bool, bytes: [UInt8])]) -> [(StreamDirection, [UInt8])] {
        var flow: [(StreamDirection, [UInt8])] = [(client, session.clientHello())]
        if case .tls13 = session.version {
            flow.append((server, session.serverHello() + session.changeCipherSpec() + session.serverFinishedFlight(alpn: alpn)))
            flow.append((client, session.changeCipherSpec() + session.clientFinished()))
        } else {
            flow.append((server, session.serverHello(alpn: alpn)))
            flow.append((client, session.clientFinished()))
            flow.append((server, session.serverFinishedFlight()))
        }
        for (fromClient, bytes) in exchange {
            flow.append((fromClient ? client : server, session.applicationData(fromClient: fromClient, bytes)))
        }
        return flow
    }

    /// Feeds the flow to a layer in chunks of `chunk` bytes (0: each element whole).
    static func run(_ flow: [(StreamDirection, [UInt8])], keys: TLSKeyProvider?, chunk: Int = 0) -> (TLSLayer, Recorder) {
        let recorder = Recorder()
        let layer = TLSLayer(downstream: recorder, delegate: recorder, keys: keys, handshakeExpected: true)
        for (direction, bytes) in flow {
            let size = chunk == 0 ? max(bytes.count, 1) : chunk
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                bytes[start..<end].withUnsafeBytes { layer.streamReceived($0, direction: direction, origin: origin) }
                start = end
            }
        }
        layer.streamClosed(.fin, origin: origin, latest: origin.time)
        return (layer, recorder)
    }

    static let hello = Array("GET /chat HTTP/1.1\r\n\r\n".utf8)
    static let answer = Array("HTTP/1.1 101 Switching Protocols\r\n\r\n".utf8)

    @Test(arguments: [TLSTestSession.Version.tls13(suite: 0x1301), .tls13(suite: 0x1302), .tls13(suite: 0x1303),
                      .tls12(suite: 0xC02F), .tls12(suite: 0xC030), .tls12(suite: 0xCCA8), .tls12(suite: 0x009C)])
    func everySupportedSuiteIsDecrypted(_ version: TLSTestSession.Version) {
        var session = TLSTestSession(version)
        let flow = Self.conversation(&session, exchange: [(true, Self.hello), (false, Self.answer), (true, [0x81, 0x80, 1, 2, 3, 4])])
        let (layer, recorder) = Self.run(flow, keys: Keys(session.keyLog))
        #expect(layer.info.decryption == .decrypted)
        #expect(recorder.plaintext[0] == Self.hello + [0x81, 0x80, 1, 2, 3, 4])
        #expect(recorder.plaintext[1] == Self.answer)
        #expect(layer.info.alpn == "http/1.1" && layer.info.serverName == "example.test")
        #expect(layer.accounting(Self.client).isBalanced && layer.accounting(Self.server).isBalanced)
        #expect(recorder.events.isEmpty)
    }

    @Test func recordsSplitAcrossSegmentsOrSharingOneComeOutTheSame() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        let flow = Self.conversation(&session, exchange: [(true, Self.hello), (true, [1, 2, 3]), (false, Self.answer), (false, [9])])
        let whole = Self.run(flow, keys: Keys(session.keyLog)).1
        // One byte at a time.
        let bytewise = Self.run(flow, keys: Keys(session.keyLog), chunk: 1).1
        #expect(bytewise.plaintext == whole.plaintext)
        // Everything of a direction in one segment (several records each).
        var merged: [(StreamDirection, [UInt8])] = []
        for (direction, bytes) in flow {
            if let last = merged.last, last.0 == direction { merged[merged.count - 1].1 += bytes } else { merged.append((direction, bytes)) }
        }
        #expect(Self.run(merged, keys: Keys(session.keyLog)).1.plaintext == whole.plaintext)
        #expect(whole.plaintext[0] == Self.hello + [1, 2, 3])
    }

    @Test func tls13PaddingIsRemoved() {
        var session = TLSTestSession(.tls13(suite: 0x1303))
        var flow = Self.conversation(&session, exchange: [])
        flow.append((Self.client, session.applicationData(fromClient: true, [7, 7], padding: 40)))
        #expect(Self.run(flow, keys: Keys(session.keyLog)).1.plaintext[0] == [7, 7])
    }

    @Test func keyUpdatesMoveToTheNextSecret() {
        var session = TLSTestSession(.tls13(suite: 0x1302))
        var flow = Self.conversation(&session, exchange: [(false, [1])])
        flow.append((Self.server, session.keyUpdate(fromClient: false, requestPeer: true)))
        flow.append((Self.server, session.applicationData(fromClient: false, [2])))
        flow.append((Self.client, session.keyUpdate(fromClient: true)))
        flow.append((Self.client, session.applicationData(fromClient: true, [3])))
        flow.append((Self.server, session.keyUpdate(fromClient: false)))
        flow.append((Self.server, session.applicationData(fromClient: false, [4])))
        let (layer, recorder) = Self.run(flow, keys: Keys(session.keyLog))
        #expect(recorder.plaintext[1] == [1, 2, 4] && recorder.plaintext[0] == [3])
        #expect(recorder.eventNames == ["keyUpdate", "keyUpdate", "keyUpdate"])
        #expect(layer.info.decryption == .decrypted)
    }

    @Test func withoutAKeyLogTheConnectionIsNamedAndNothingIsDecoded() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        let flow = Self.conversation(&session, exchange: [(true, Self.hello)])
        let (layer, recorder) = Self.run(flow, keys: nil)
        #expect(layer.info.decryption == .notDecrypted(.noKeyLog))
        #expect(layer.info.version == .tls13 && layer.info.cipherSuite?.description == "TLS_AES_128_GCM_SHA256")
        #expect(recorder.plaintext == [[], []] && recorder.events.isEmpty)
        #expect(layer.accounting(Self.client).undecryptedBytes > 0 && layer.accounting(Self.client).isBalanced)
        // A key log without this connection's secrets.
        let other = TLSTestSession(.tls13(suite: 0x1301), seed: 9)
        #expect(Self.run(flow, keys: Keys(other.keyLog)).0.info.decryption == .notDecrypted(.noSecrets))
    }

    @Test func aWrongKeyLogDecryptsNothingAndSaysSoOnce() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        let flow = Self.conversation(&session, exchange: [(true, Self.hello), (false, Self.answer)])
        // The right client random with other secrets: every record fails to authenticate.
        let wrong = session.keyLog.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return "\(fields[0]) \(fields[1]) " + String(repeating: "5a", count: fields[2].count / 2)
        }.joined(separator: "\n")
        let (layer, recorder) = Self.run(flow, keys: Keys(wrong))
        #expect(recorder.plaintext == [[], []])
        #expect(layer.info.decryption == .notDecrypted(.authenticationFailed))
        #expect(recorder.eventNames == ["authenticationFailed", "authenticationFailed"])   // one per direction
        #expect(recorder.stopped == [true, true])
        #expect(layer.accounting(Self.server).isBalanced)
    }

    @Test func tls12WithAWrongMasterSecretFailsAtTheFirstProtectedRecord() {
        var session = TLSTestSession(.tls12(suite: 0xC02F))
        let flow = Self.conversation(&session, exchange: [(true, Self.hello)])
        let other = TLSTestSession(.tls12(suite: 0xC02F), seed: 5)
        let wrong = "CLIENT_RANDOM " + session.keyLog.split(separator: " ")[1] + " " + other.keyLog.split(separator: " ")[2]
        let (_, recorder) = Self.run(flow, keys: Keys(wrong))
        #expect(recorder.plaintext[0].isEmpty && recorder.events.first.map { "\($0.0)".hasPrefix("authenticationFailed") } == true)
    }

    @Test func alertsAreReportedAndCloseNotifyToo() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        var flow = Self.conversation(&session, exchange: [])
        flow.append((Self.server, session.alert(fromClient: false, level: 2, description: 20)))
        let (_, recorder) = Self.run(flow, keys: Keys(session.keyLog))
        guard case .alert(let level, let description, _)? = recorder.events.first?.0 else { Issue.record("no alert"); return }
        #expect(level == 2 && description == 20 && TLSAlert.name(description) == "bad_record_mac")
    }

    @Test func aRecordCutOffAtTheEndIsCountedAndReported() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        var flow = Self.conversation(&session, exchange: [(true, Self.hello)])
        let record = session.applicationData(fromClient: true, [1, 2, 3, 4, 5])
        flow.append((Self.client, Array(record.prefix(10))))   // 10 of 27 bytes
        let (layer, recorder) = Self.run(flow, keys: Keys(session.keyLog))
        guard case .truncatedRecord(_, let have, let need)? = recorder.events.first?.0 else { Issue.record("no truncation"); return }
        #expect(have == 10 && need == record.count)
        #expect(layer.accounting(Self.client).unfinishedBytes == 10 && layer.accounting(Self.client).isBalanced)
        #expect(recorder.plaintext[0] == Self.hello)
    }

    @Test func aGapStopsItsDirectionAndTellsTheLayerAbove() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        let flow = Self.conversation(&session, exchange: [(true, Self.hello)])
        let recorder = Recorder()
        let layer = TLSLayer(downstream: recorder, delegate: recorder, keys: Keys(session.keyLog), handshakeExpected: true)
        for (direction, bytes) in flow { bytes.withUnsafeBytes { layer.streamReceived($0, direction: direction, origin: Self.origin) } }
        layer.streamGap(100, direction: Self.client, origin: Self.origin, reason: .acknowledged)
        let later = session.applicationData(fromClient: true, [1])
        later.withUnsafeBytes { layer.streamReceived($0, direction: Self.client, origin: Self.origin) }
        #expect(recorder.plaintext[0] == Self.hello && recorder.stopped == [true, false])
        #expect(recorder.eventNames == ["stoppedAtGap"])
        #expect(layer.accounting(Self.client).gapBytes == 100 && layer.accounting(Self.client).isBalanced)
    }

    @Test func bytesThatAreNotRecordsStopTheDirection() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        var flow = Self.conversation(&session, exchange: [])
        flow.append((Self.client, Array("GET / HTTP/1.1\r\n".utf8)))
        let (layer, recorder) = Self.run(flow, keys: Keys(session.keyLog))
        #expect(recorder.eventNames == ["malformedRecord"] && recorder.stopped == [true, false])
        #expect(layer.accounting(Self.client).isBalanced)
    }

    @Test func earlyDataIsSkippedNotBlamed() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        var flow: [(StreamDirection, [UInt8])] = [(Self.client, session.clientHello(earlyData: true))]
        // A 0-RTT record (sealed with a secret the key log does not give) right after the ClientHello.
        flow.append((Self.client, TLSTestSession.record(23, Array(repeating: 0x55, count: 40))))
        flow.append((Self.server, session.serverHello() + session.serverFinishedFlight()))
        flow.append((Self.client, session.clientFinished()))
        flow.append((Self.client, session.applicationData(fromClient: true, Self.hello)))
        let (layer, recorder) = Self.run(flow, keys: Keys(session.keyLog))
        #expect(recorder.plaintext[0] == Self.hello && layer.info.decryption == .decrypted)
        #expect(recorder.eventNames == ["recordsSkipped"])
    }

    @Test func encryptedRecordsWaitForAGrowingKeyLog() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        let flow = Self.conversation(&session, exchange: [(true, Self.hello)])
        let keys = Keys("", mayGrow: true)
        let recorder = Recorder()
        let layer = TLSLayer(downstream: recorder, delegate: recorder, keys: keys, handshakeExpected: true)
        for (index, (direction, bytes)) in flow.enumerated() {
            if index == 3 { keys.log = TLSKeyLog(text: session.keyLog) }   // the browser writes its secrets late
            bytes.withUnsafeBytes { layer.streamReceived($0, direction: direction, origin: Self.origin) }
        }
        #expect(recorder.plaintext[0] == Self.hello && layer.info.decryption == .decrypted)
    }

    @Test func theRecordsThatCarriedPlaintextAreRemembered() {
        var session = TLSTestSession(.tls13(suite: 0x1301))
        let flow = Self.conversation(&session, exchange: [(true, [1, 2, 3]), (true, [4, 5]), (true, [6])])
        let (layer, _) = Self.run(flow, keys: Keys(session.keyLog))
        // Plaintext bytes 2..<5 lie in the first two application records (the client's records 2-3 are its CCS and Finished).
        let records = layer.records(direction: Self.client, covering: 2..<5)
        #expect(records.map(\.plaintextStart) == [0, 3] && records.map(\.plaintextLength) == [3, 2])
        #expect(records.map(\.number) == [4, 5])
    }
}

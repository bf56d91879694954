import Foundation
import Testing
import WSCapture
import WSTestSupport

/// wss and proxies end to end: real samples (their peers wrote the key logs) and generated captures with TLS sealed
/// by `TLSTestSession`.
@Suite struct TLSCaptureTests {
    static let wssSamples = SampleTests.samples.filter { $0.hasPrefix("wss-") }

    static func records(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    static func kinds(_ records: [[String: Any]], _ kind: String) -> [[String: Any]] {
        records.filter { $0["kind"] as? String == kind }
    }

    /// Every diagnostic of an output, with its severity: the records' and those inside frames, messages, handshakes.
    static func severities(_ records: [[String: Any]]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for record in records {
            let list = (record["kind"] as? String == "diagnostic") ? [record] : (record["diagnostics"] as? [[String: Any]] ?? [])
            for d in list { counts[d["severity"] as! String, default: 0] += 1 }
        }
        return counts
    }

    @Test(arguments: wssSamples)
    func withoutAKeyLogAWssSampleIsNamedAsTLSAndNothingIsDecoded(sample: String) throws {
        let result = try CLI.run(["--json", SampleTests.path(sample)], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let records = Self.records(result.stdout)
        let connections = Self.kinds(records, "connection")
        #expect(!connections.isEmpty)
        for connection in connections {
            let tls = connection["tls"] as? [String: Any]
            #expect(tls?["decrypted"] as? Bool == false && tls?["reason"] as? String == "no-keylog", "\(sample)")
            #expect((tls?["version"] as? String)?.hasPrefix("TLS 1.") == true && tls?["cipher"] is String)
        }
        #expect(Self.kinds(records, "frame").isEmpty && Self.kinds(records, "message").isEmpty)
        #expect(Self.severities(records)["error"] == nil && Self.severities(records)["warning"] == nil, "\(sample)")
    }

    @Test func aKeyLogWithTheWrongSecretsDecryptsNothingAndSaysSo() throws {
        // wss-tls13's client random with secrets that are not its own.
        let keys = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/wss-tls13.keys"), encoding: .utf8)
        let wrong = keys.split(separator: "\n").map { line -> String in
            let fields = line.split(separator: " ")
            guard fields.count == 3 else { return String(line) }
            return "\(fields[0]) \(fields[1]) " + String(repeating: "5a", count: fields[2].count / 2)
        }.joined(separator: "\n") + "\n"
        let file = LiveRun.temporary(".keys")
        defer { try? FileManager.default.removeItem(at: file) }
        try wrong.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["--json", "--keylog", file.path, "Samples/wss-tls13.pcap"], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let records = Self.records(result.stdout)
        #expect(Self.kinds(records, "frame").isEmpty && Self.kinds(records, "handshake").isEmpty)
        let failures = Self.kinds(records, "diagnostic").filter { $0["rule"] as? String == "tls-decryption-failed" }
        #expect(failures.count == 2, "one per direction")
        #expect(Self.severities(records)["error"] == nil)
        let summary = Self.kinds(records, "summary").first?["tls"] as? [String: Any]
        #expect(summary?["decrypted"] as? Bool == false && summary?["reason"] as? String == "authentication-failed")
        // Another connection's key log: no secrets for this one.
        let other = try CLI.run(["--json", "--keylog", "Samples/wss-tls13-aes128.keys", "Samples/wss-tls13.pcap"], directory: CLI.packageRoot)
        let tls = Self.kinds(Self.records(other.stdout), "connection").first?["tls"] as? [String: Any]
        #expect(tls?["reason"] as? String == "no-secrets")
    }

    @Test func theTextViewNamesTheLayersAndVerboseShowsTheRecords() throws {
        let plain = try CLI.run(["Samples/wss-connect-proxy.pcap"], directory: CLI.packageRoot)
        #expect(plain.stdout.contains("via HTTP proxy: CONNECT 127.0.0.1:"))
        // The reason reads as one clause after "not decrypted" (not "not decrypted: encrypted: …").
        #expect(plain.stdout.contains("TLS 1.3 · TLS_AES_256_GCM_SHA384 · not decrypted: no key log given (pass --keylog FILE, written by a client run with SSLKEYLOGFILE set)"))
        #expect(!plain.stdout.contains("decrypted: encrypted"))
        let verbose = try CLI.run(["-v", "--keylog", "Samples/wss-tls13.keys", "Samples/wss-tls13.pcap"], directory: CLI.packageRoot)
        // The 40 000-byte message spans three records; the burst of small frames shares one.
        #expect(verbose.stdout.contains("TLS records that carried this frame: #9 application_data 16401 B"))
        let lines = verbose.stdout.split(separator: "\n").filter { $0.contains("TLS record that carried this frame: #12 ") }
        #expect(lines.count >= 2, "several frames in one record")
        #expect(verbose.stdout.contains("decrypted: the plaintext table counts what the records carried"))
        // JSON -v: the same records as `tls_records`.
        let json = try CLI.run(["--json", "-v", "--keylog", "Samples/wss-tls13.keys", "Samples/wss-tls13.pcap"], directory: CLI.packageRoot)
        let frames = Self.kinds(Self.records(json.stdout), "frame")
        #expect(frames.allSatisfy { ($0["tls_records"] as? [[String: Any]])?.isEmpty == false })
    }

    @Test func keyUpdatesAreFollowed() throws {
        let result = try CLI.run(["--json", "--keylog", "Samples/wss-keyupdate.keys", "Samples/wss-keyupdate.pcap"], directory: CLI.packageRoot)
        let summary = Self.kinds(Self.records(result.stdout), "summary").first
        let updates = (summary?["tls"] as? [String: Any])?["key_updates"] as? [String: Int]
        #expect(updates == ["client": 2, "server": 1])
        #expect(Self.kinds(Self.records(result.stdout), "message").count == 10)
    }

    @Test func aRefusedConnectIsReported() throws {
        let result = try CLI.run(["--json", "Samples/connect-refused.pcap"], directory: CLI.packageRoot)
        let records = Self.records(result.stdout)
        let connection = Self.kinds(records, "connection").first
        #expect(connection?["detection"] as? String == "connect")
        #expect((connection?["proxy"] as? [String: Any])?["status"] as? Int == 407)
        #expect(Self.kinds(records, "diagnostic").map { $0["rule"] as? String } == ["connect-refused"])
        // The CONNECT exchange (100 bytes asked, 194 answered) is the proxy's, in the tunnel's accounting; no byte was
        // tunneled, since no tunnel opened.
        let summary = Self.kinds(records, "summary").first
        let tunnel = (summary?["tunnel"] as? [String: Any])?.compactMapValues { $0 as? [String: Any] }
        #expect(tunnel?["client"]?["http_bytes"] as? Int == 100 && tunnel?["client"]?["tunnel_bytes"] as? Int == 0)
        #expect(tunnel?["server"]?["http_bytes"] as? Int == 194 && tunnel?["server"]?["tunnel_bytes"] as? Int == 0)
        let directions = summary?["directions"] as? [String: [String: Any]]
        #expect(directions?["client"]?["stream_bytes"] as? Int == 0 && directions?["client"]?["http_bytes"] as? Int == 0)
        #expect(directions?["server"]?["stream_bytes"] as? Int == 0 && directions?["server"]?["http_bytes"] as? Int == 0)
        let text = try CLI.run(["--summary", "Samples/connect-refused.pcap"], directory: CLI.packageRoot).stdout
        #expect(!text.contains("  C→S          100     100"))   // the old "tunneled" row
        #expect(!text.contains("tunneled") && text.contains("  tunnel  stream  = http  + tunnel  + skipped  + gaps"))
    }

    @Test func wsPort443DoesNotDecodeTLSRecordsAsFrames() throws {
        let result = try CLI.run(["--json", "--ws-port", "18400", "Samples/wss-tls13.pcap"], directory: CLI.packageRoot)
        let records = Self.records(result.stdout)
        #expect(Self.kinds(records, "frame").isEmpty)
        #expect(Self.severities(records)["error"] == nil)
    }

    // MARK: - Generated captures

    /// A wss connection over TCP: the TLS session's records as `session` makes them, in segments of `segment` bytes.
    static func tlsCapture(_ version: TLSTestSession.Version = .tls13(suite: 0x1301), segment: Int = 1448, dropSegment: Int? = nil,
                           dropFirst: Int = 0, serverName: String? = "example.test", host: String = "example.test:8443",
                           build: (inout TLSTestSession, inout Conversation) -> Void) throws -> (capture: String, keys: String) {
        var session = TLSTestSession(version)
        var c = Conversation(client: .loopback(40000), server: .loopback(8443))
        c.open()
        c.send(fromClient: true, session.clientHello(serverName: serverName), segmentSize: segment)
        if case .tls13 = version {
            c.send(fromClient: false, session.serverHello() + session.serverFinishedFlight(), segmentSize: segment)
            c.send(fromClient: true, session.clientFinished(), segmentSize: segment)
        } else {
            c.send(fromClient: false, session.serverHello(), segmentSize: segment)
            c.send(fromClient: true, session.clientFinished(), segmentSize: segment)
            c.send(fromClient: false, session.serverFinishedFlight(), segmentSize: segment)
        }
        c.send(fromClient: true, session.applicationData(fromClient: true, WebSocketBytes.request(host: host)), segmentSize: segment)
        c.send(fromClient: false, session.applicationData(fromClient: false, WebSocketBytes.response()), segmentSize: segment)
        build(&session, &c)
        var packets = c.packets()
        if let dropSegment { packets.remove(at: dropSegment) }
        packets.removeFirst(dropFirst)
        let capture = try CaptureFileWriter.write(packets, linkType: 1)
        let keys = URL(fileURLWithPath: capture).deletingLastPathComponent().appendingPathComponent("keys.log").path
        try session.keyLog.write(toFile: keys, atomically: true, encoding: .utf8)
        return (capture, keys)
    }

    @Test func framesSplitAcrossRecordsAndRecordsAcrossSegmentsDecodeExactly() throws {
        let frames = (0..<5).map { WebSocketBytes.text("message \($0) " + String(repeating: "x", count: $0 * 300), masked: true) }
        let files = try Self.tlsCapture(segment: 7) { session, c in
            // Frames 0-2 in one record; frame 3 cut across two records; frame 4 alone.
            let all = frames.flatMap { $0 }
            let cut = frames[0].count + frames[1].count + frames[2].count + 100
            c.send(fromClient: true, session.applicationData(fromClient: true, Array(all[..<cut])), segmentSize: 7)
            c.send(fromClient: true, session.applicationData(fromClient: true, Array(all[cut...])), segmentSize: 7)
            c.close()
        }
        let result = try CLI.run(["--json", "--keylog", files.keys, files.capture])
        #expect(result.status == 0, "\(result.stderr)")
        let texts = Self.kinds(Self.records(result.stdout), "message").compactMap { $0["text"] as? String }
        #expect(texts == (0..<5).map { "message \($0) " + String(repeating: "x", count: $0 * 300) })
        #expect(Self.severities(Self.records(result.stdout))["error"] == nil)
    }

    @Test(arguments: [TLSTestSession.Version.tls12(suite: 0xC02F), .tls12(suite: 0xCCA8), .tls13(suite: 0x1303)])
    func generatedSessionsOfEachKindDecrypt(_ version: TLSTestSession.Version) throws {
        let files = try Self.tlsCapture(version) { session, c in
            c.send(fromClient: true, session.applicationData(fromClient: true, WebSocketBytes.text("hi", masked: true)))
            c.close()
        }
        let result = try CLI.run(["--json", "--keylog", files.keys, files.capture])
        let records = Self.records(result.stdout)
        #expect(Self.kinds(records, "message").compactMap { $0["text"] as? String } == ["hi"])
        let tls = Self.kinds(records, "connection").first?["tls"] as? [String: Any]
        #expect(tls?["decrypted"] as? Bool == true && tls?["sni"] as? String == "example.test")
    }

    /// HC-24: a wss client whose ClientHello names no server although Host is a name (not an IP address).
    @Test func aClientHelloWithoutServerNameIsTLSNoSNI() throws {
        func rules(serverName: String?, host: String) throws -> [String] {
            let files = try Self.tlsCapture(serverName: serverName, host: host) { _, c in c.close() }
            let result = try CLI.run(["--json", "--keylog", files.keys, files.capture])
            return Self.kinds(Self.records(result.stdout), "diagnostic").compactMap { $0["rule"] as? String }
        }
        #expect(try rules(serverName: nil, host: "example.test:8443").contains("tls-no-sni"))
        #expect(try !rules(serverName: "example.test", host: "example.test:8443").contains("tls-no-sni"))
        // An IP address has no server name to send (RFC 6066 §3).
        #expect(try !rules(serverName: nil, host: "127.0.0.1:8443").contains("tls-no-sni"))
    }

    /// A TLS connection without its secrets is named (`tls-not-decrypted`, a note); with them it is not.
    @Test func tlsNotDecryptedOnlyWithoutTheSecrets() throws {
        let files = try Self.tlsCapture { _, c in c.close() }
        let without = try CLI.run(["--json", files.capture])
        let notes = Self.kinds(Self.records(without.stdout), "diagnostic").filter { $0["rule"] as? String == "tls-not-decrypted" }
        #expect(notes.count == 1 && notes.first?["severity"] as? String == "note")
        let with = try CLI.run(["--json", "--keylog", files.keys, files.capture])
        #expect(!with.stdout.contains("\"tls-not-decrypted\""))
    }

    /// Bytes where a record header belongs that are none (`tls-record-malformed`): content type 0x63 is not TLS's.
    @Test func aRecordHeaderThatIsNoneIsMalformed() throws {
        let broken = try Self.tlsCapture { session, c in
            // 63 03 03 00 05 + 5 bytes: a "record" of content type 99.
            c.send(fromClient: true, [0x63, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5])
            c.close()
        }
        let rules = Self.kinds(Self.records(try CLI.run(["--json", "--keylog", broken.keys, broken.capture]).stdout), "diagnostic")
            .compactMap { $0["rule"] as? String }
        #expect(rules.contains("tls-record-malformed"))
        // Look-alike: the same bytes sealed in an application_data record (type 23) are its content, not a header.
        let sealed = try Self.tlsCapture { session, c in
            c.send(fromClient: true, session.applicationData(fromClient: true, WebSocketBytes.text("fine", masked: true)))
            c.close()
        }
        #expect(!(try CLI.run(["--json", "--keylog", sealed.keys, sealed.capture]).stdout.contains("tls-record-malformed")))
    }

    @Test func aFatalAlertAndARecordCutByTheCaptureAreReported() throws {
        let files = try Self.tlsCapture { session, c in
            c.send(fromClient: false, session.alert(fromClient: false, level: 2, description: 40))
            let record = session.applicationData(fromClient: true, WebSocketBytes.text("lost", masked: true))
            c.send(fromClient: true, Array(record.prefix(9)))
        }
        let result = try CLI.run(["--json", "--keylog", files.keys, files.capture])
        let rules = Self.kinds(Self.records(result.stdout), "diagnostic").compactMap { $0["rule"] as? String }
        #expect(rules.contains("tls-alert") && rules.contains("tls-record-truncated"))
        #expect(Self.kinds(Self.records(result.stdout), "frame").isEmpty)
    }

    @Test func aGapUnderTLSStopsThatDirectionWithoutInventingAnything() throws {
        // Packets: 3 TCP handshake, ClientHello, ServerHello flight, client Finished, request, response, then the
        // records of frame 0 (dropped), an ACK that passes it, frame 1's record…
        let files = try Self.tlsCapture(dropSegment: 8) { session, c in
            for i in 0..<4 {
                c.send(fromClient: true, session.applicationData(fromClient: true, WebSocketBytes.text("frame \(i)", masked: true)))
                c.acknowledge(fromClient: false)
            }
            c.close()
        }
        let result = try CLI.run(["--json", "--keylog", files.keys, files.capture])
        let records = Self.records(result.stdout)
        let texts = Self.kinds(records, "message").compactMap { $0["text"] as? String }
        #expect(texts.isEmpty, "nothing after the gap can be decrypted: \(texts)")
        let notes = Self.kinds(records, "diagnostic").filter { $0["rule"] as? String == "capture-gap" }
        #expect(notes.contains { ($0["message"] as? String)?.contains("Records cannot be found again") == true })
        #expect(Self.severities(records)["error"] == nil && Self.severities(records)["warning"] == nil)
    }

    @Test func aConnectionFirstSeenAfterItsHandshakeIsNamedAsTLS() throws {
        // Without the TCP handshake, the hellos and the upgrade (the first 8 packets).
        let files = try Self.tlsCapture(dropFirst: 8) { session, c in
            for i in 0..<4 { c.send(fromClient: true, session.applicationData(fromClient: true, WebSocketBytes.text("m\(i)", masked: true))) }
        }
        let result = try CLI.run(["--json", "--keylog", files.keys, files.capture])
        let records = Self.records(result.stdout)
        let tls = Self.kinds(records, "connection").first?["tls"] as? [String: Any]
        #expect(tls?["reason"] as? String == "handshake-not-captured")
        #expect(Self.kinds(records, "frame").isEmpty)
    }

    @Test func aConnectTunnelCarriesPlainWebSocketOrTLS() throws {
        for tls in [false, true] {
            var session = TLSTestSession(.tls13(suite: 0x1301))
            var c = Conversation(client: .loopback(40000), server: .loopback(3128))
            c.open()
            c.send(fromClient: true, Array("CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n".utf8))
            // The client does not wait: its first bytes follow the CONNECT before the proxy answers.
            let request = WebSocketBytes.request(host: "example.test:443")
            c.send(fromClient: true, tls ? session.clientHello() : request)
            c.send(fromClient: false, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            if tls {
                c.send(fromClient: false, session.serverHello() + session.serverFinishedFlight())
                c.send(fromClient: true, session.clientFinished() + session.applicationData(fromClient: true, request))
                c.send(fromClient: false, session.applicationData(fromClient: false, WebSocketBytes.response()))
                c.send(fromClient: true, session.applicationData(fromClient: true, WebSocketBytes.text("through", masked: true)))
            } else {
                c.send(fromClient: false, WebSocketBytes.response())
                c.send(fromClient: true, WebSocketBytes.text("through", masked: true))
            }
            c.close()
            let capture = try CaptureFileWriter.write(c.packets(), linkType: 1)
            let keys = URL(fileURLWithPath: capture).deletingLastPathComponent().appendingPathComponent("keys.log").path
            try session.keyLog.write(toFile: keys, atomically: true, encoding: .utf8)
            let result = try CLI.run(["--json", "--keylog", keys, capture])
            let records = Self.records(result.stdout)
            #expect(Self.kinds(records, "message").compactMap { $0["text"] as? String } == ["through"], "tls \(tls)")
            let connection = Self.kinds(records, "connection").first
            #expect((connection?["proxy"] as? [String: Any])?["connect"] as? String == "example.test:443")
            #expect((connection?["tls"] != nil) == tls)
            let summary = Self.kinds(records, "summary").first
            #expect((summary?["tunnel"] as? [String: Any])?["status"] as? Int == 200)
            // Plain ws through the tunnel is a cleartext-websocket note (loopback); inside TLS there is nothing.
            #expect(Self.severities(records) == (tls ? [:] : ["note": 1]), "tls \(tls): \(Self.kinds(records, "diagnostic"))")
        }
    }

    @Test func aKeepAliveRequestBeforeTheUpgradeStillWorks() throws {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, Array("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".utf8))
        c.send(fromClient: false, Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8))
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: true, WebSocketBytes.text("after", masked: true))
        c.close()
        let result = try CLI.run(["--json", try CaptureFileWriter.write(c.packets(), linkType: 1)])
        #expect(Self.kinds(Self.records(result.stdout), "message").compactMap { $0["text"] as? String } == ["after"])
    }
}

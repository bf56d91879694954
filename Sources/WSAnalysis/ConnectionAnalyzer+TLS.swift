import WSStream
import WSTLS
import WSWire

/// TLS under the connection: a `TLSLayer` takes the bytes, and an inner analyzer reads the decrypted application
/// data as a fresh connection start (HTTP upgrade, WebSocket). Without secrets the connection is named as TLS and
/// nothing is decoded from its ciphertext.
extension ConnectionAnalyzer: TLSLayerDelegate {
    /// Switches this analyzer to TLS. `handshakeExpected` is false for a connection first seen after its handshake.
    func startTLS(clientDirection: StreamDirection, handshakeExpected: Bool) {
        self.clientDirection = clientDirection
        mode = .tls
        // The plaintext starts at its beginning when the TLS handshake was captured.
        let innerInfo = StreamInfo(stream: info.stream, initiator: info.initiator, responder: info.responder,
                                   handshakeSeen: handshakeExpected, firstPacket: info.firstPacket)
        let inner = ConnectionAnalyzer(info: innerInfo, inspector: inspector, parent: self)
        inner.clientDirection = clientDirection
        tlsLayer = TLSLayer(downstream: inner, delegate: self, keys: inspector.options.tlsKeys, handshakeExpected: handshakeExpected)
    }

    /// Looks for TLS in the first bytes of a direction; true when the connection became TLS.
    func detectTLS(_ probe: [UInt8], direction: StreamDirection) -> Bool? {
        switch TLSSniffer.classify(Array(probe.prefix(6))) {
        case .clientHello:
            startTLS(clientDirection: direction, handshakeExpected: true)
            return true
        case .serverHello:
            // The ClientHello is not there (lost, or before the capture): the secrets cannot be found.
            startTLS(clientDirection: direction.reversed, handshakeExpected: false)
            return true
        case .undecided:
            return nil
        case .notTLS:
            return false
        }
    }

    /// A connection first seen after its handshake: TLS when three record headers follow one another (the search
    /// resumes where the last one stopped).
    func detectTLSMidStream(_ state: DirectionState) -> Bool {
        guard let from = state.tlsSearchFrom else { return false }
        switch TLSSniffer.recordChain(in: state.probe, from: from) {
        case .found: break
        case .needMore(let next):
            state.tlsSearchFrom = next
            return false
        case .none:
            state.tlsSearchFrom = nil
            return false
        }
        // Which side is the client is not known without the hellos: the TCP responder is taken as the server.
        startTLS(clientDirection: .fromInitiator, handshakeExpected: false)
        return true
    }

    // MARK: - TLSLayerDelegate

    public func tlsLayerInfoChanged(_ layer: TLSLayer, origin: ByteOrigin) {
        guard case .notDecrypted(let reason) = layer.info.decryption, !tlsReportedNotDecrypted else { return }
        tlsReportedNotDecrypted = true
        reportConnection(.tls)
        // A record that fails authentication has a finding of its own.
        guard reason != .authenticationFailed else { return }
        report(Diagnostic(.tlsNotDecrypted, "This \(Self.describe(layer.info)) is not decrypted: \(reason). Its records are counted, and nothing is decoded from ciphertext."),
               sender: nil, origin: origin)
    }

    public func tlsLayer(_ layer: TLSLayer, event: TLSEvent, direction: StreamDirection, origin: ByteOrigin) {
        let who = sender(direction).rawValue
        switch event {
        case .keyUpdate:
            root.keyUpdates[Int(sender(direction) == .client ? 0 : 1)] += 1
            return
        case .alert(_, 0, _):
            return   // close_notify: the orderly end of the TLS session
        default:
            break
        }
        reportConnection(.tls)
        let diagnostic: Diagnostic
        switch event {
        case .alert(let level, let description, let record):
            diagnostic = Diagnostic(.tlsAlert,
                "The \(who) sent a \(level == 2 ? "fatal" : "warning") TLS alert, \(TLSAlert.name(description)) (\(description)), in its record #\(record)\(level == 2 ? ": the connection ends" : "").")
        case .authenticationFailed(let record, let type, let length):
            diagnostic = Diagnostic(.tlsDecryptionFailed,
                "The \(who)'s record #\(record) (\(type), \(counted(length, "byte"))) does not authenticate with the key log's secrets for this connection: the key log is not this connection's, or the bytes were altered. The \(who)'s records are not decrypted from here on.")
        case .malformedRecord(let record, let header):
            diagnostic = Diagnostic(.tlsRecordMalformed,
                "Where the \(who)'s record #\(record) should start, the bytes \(Hex.string(header.bytes, separator: " ")) are not a TLS record header (content type \(header.contentType), version \(header.version), length \(header.length)); the rest of this direction is not read.")
        case .stoppedAtGap(let bytes):
            diagnostic = Diagnostic(.captureGap,
                "\(bytes) byte\(bytes == 1 ? " is" : "s are") missing from the capture in the \(who)'s TLS stream. Records cannot be found again after a gap (each is sealed with its sequence number), so the rest of this direction is not decrypted.")
        case .truncatedRecord(let record, let have, let need):
            diagnostic = Diagnostic(.tlsRecordTruncated,
                "The \(who)'s TLS stream ends inside its record #\(record): \(have) of its \(counted(need, "byte")) arrived, so it is not decrypted.")
        case .recordsSkipped(let count, let why):
            diagnostic = Diagnostic(.tlsNotDecrypted, "\(count) record\(count == 1 ? "" : "s") of the \(who) \(count == 1 ? "is" : "are") not decrypted: \(why).")
        case .keyUpdate, .alert:
            return
        }
        report(diagnostic, sender: sender(direction), origin: origin)
    }

    /// "TLS 1.3 connection (TLS_AES_128_GCM_SHA256, SNI example.com)".
    static func describe(_ info: TLSConnectionInfo) -> String {
        var details: [String] = []
        if let suite = info.cipherSuite { details.append(suite.description) }
        if let name = info.serverName { details.append("SNI \(name)") }
        let version = info.version.map { "\($0) connection" } ?? "TLS connection"
        return details.isEmpty ? version : "\(version) (\(details.joined(separator: ", ")))"
    }

    /// RFC 6455 §4.1 (connect 5): a wss client sends SNI unless the host is an IP address. Checked on the upgrade
    /// request read inside TLS, whose Host names the host.
    func checkServerName(_ request: HandshakeRequest, origin: ByteOrigin) {
        guard let tls = tlsBelow, tls.info.handshakeSeen, tls.info.serverName == nil,
              let host = request.head.value("Host").map(HostName.withoutPort), !host.isEmpty, !HostName.isIPLiteral(host) else { return }
        report(Diagnostic(.tlsNoSNI,
            "The ClientHello of this wss connection names no server (no server_name extension), although the Host header is \"\(host)\", not an IP address."),
            sender: .client, origin: origin)
    }
}

/// Host header values.
enum HostName {
    /// `example.com:8443` → `example.com`; `[::1]:80` → `::1`.
    static func withoutPort(_ host: String) -> String {
        let trimmed = host.trimmingWhitespace
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
        }
        if let colon = trimmed.lastIndex(of: ":"), trimmed.filter({ $0 == ":" }).count == 1 {
            return String(trimmed[..<colon])
        }
        return trimmed
    }

    /// True for an IPv4 dotted quad or an IPv6 address.
    static func isIPLiteral(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255 }
    }
}

import WSStream
import WSWire

extension ConnectionAnalyzer {
    /// Client bytes held after an upgrade request while waiting for the response.
    static let heldLimit = 1 << 20

    /// HTTP bytes of one direction: heads are parsed, bodies skipped, the upgrade exchange evaluated.
    func feedHTTP(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin, offset: UInt64) {
        let index = direction.rawValue
        var rest = bytes
        var position = offset
        while !rest.isEmpty {
            guard mode == .http else {
                route(rest, direction: direction, origin: origin, offset: position)
                return
            }
            if directions[index].httpLost {
                // After a gap this direction's HTTP framing is unknown.
                directions[index].accounting.skippedBytes += UInt64(rest.count)
                return
            }
            if direction == clientDirection, upgrade != nil || requestLost || pendingConnect != nil, directions[index].http.body == .none {
                hold(rest, origin: origin)
                return
            }
            if direction != clientDirection, upgrade != nil, directions[index].accounting.httpBytes == 0,
               !directions[index].http.hasPartialHead,
               HTTPSniffer.classify(Array(rest.prefix(32))) == .notHTTP {
                // A server answers an upgrade request with an HTTP response first: its response was lost before the
                // capture saw this direction (first seen mid-stream).
                responseLost(origin: origin, serverOffset: position)
                route(rest, direction: direction, origin: origin, offset: position)
                return
            }
            if let status = refusedUpgrade, directions[index].http.body == .none, !directions[index].http.hasPartialHead,
               framesBeforeOpen(rest, direction: direction, origin: origin, status: status) {
                return
            }
            switch directions[index].http.step(rest, origin: origin) {
            case .consumed(let n):
                directions[index].accounting.httpBytes += UInt64(n)
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
                position += UInt64(n)
            case .headTooLarge(let n, let mentionsWebSocket):
                directions[index].accounting.httpBytes += UInt64(n)
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
                position += UInt64(n)
                directions[index].httpLost = true
                // A handshake too large to parse is still shown, with the reason nothing more is.
                if mentionsWebSocket { reportConnection(.handshake) }
                if reported {
                    let rule: Rule = direction == clientDirection ? .handshakeRequestMalformed : .responseMalformed
                    report(Diagnostic(rule, "An HTTP head runs past \(counted(directions[index].http.headLimit, "byte")) (--max-http-head) without its empty line; the rest of this direction is not parsed."),
                           sender: sender(direction), origin: origin)
                }
            case .head(let head, let headOrigin, let n):
                directions[index].accounting.httpBytes += UInt64(n)
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
                position += UInt64(n)
                if direction == clientDirection {
                    handleRequest(head, origin: headOrigin)
                } else {
                    handleResponse(head, origin: headOrigin, nextOffset: position)
                }
            }
        }
    }

    func hold(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) {
        guard heldBytes + bytes.count <= Self.heldLimit else {
            directions[clientDirection.rawValue].accounting.skippedBytes += UInt64(bytes.count)
            return
        }
        held.append(HeldChunk(bytes: Array(bytes), origin: origin))
        heldBytes += bytes.count
    }

    private func handleRequest(_ head: HTTPHead, origin: ByteOrigin) {
        let request = HandshakeRequest(head: head)
        let index = clientDirection.rawValue
        if let line = request.line, line.method == "CONNECT", pendingMethods.isEmpty, upgrade == nil {
            // A proxy request: what the client sends next waits for the proxy's answer (RFC 9110 §9.3.6).
            pendingConnect = (line.target, origin)
            return
        }
        guard request.isUpgrade else {
            pendingMethods.append(request.line?.method ?? "")
            directions[index].http.expectBody(after: head, isResponse: false, requestMethod: nil)
            return
        }
        reportConnection(.handshake)
        checkServerName(request, origin: origin)
        var diagnostics = request.check(serverPort: portTheRequestReaches)
        if let key = request.key?.trimmingWhitespace, let owner = inspector.noteKey(key, stream: info.stream, throughProxy: !isRoot && root.proxyHop?.established == true) {
            diagnostics.append(Diagnostic(.handshakeKeyNotRandom,
                "The key \(key) was already used by connection \(owner) in this capture; keys must be fresh for every connection."))
        }
        diagnostics += connectingFindings(origin: origin)
        upgrade = PendingUpgrade(request: request, origin: origin, diagnostics: diagnostics)
        if request.isHixie76 {
            directions[index].http.expectBody(length: 8)   // the hixie-76 client sends 8 key bytes after the head
        } else {
            directions[index].http.expectBody(after: head, isResponse: false, requestMethod: nil)
        }
    }

    private func handleResponse(_ head: HTTPHead, origin: ByteOrigin, nextOffset: UInt64) {
        let response = HandshakeResponse(head: head)
        let serverIndex = clientDirection.reversed.rawValue
        if let status = response.status, (100..<200).contains(status), status != 101 {
            return   // interim response (100 Continue): the final one follows
        }
        if requestLost && upgrade == nil && pendingMethods.isEmpty {
            requestLost = false
            if response.status == 101, response.head.values("Upgrade").contains(where: { $0.lowercased() == "websocket" }) {
                upgradeWithoutRequest(response, origin: origin, nextOffset: nextOffset)
                return
            }
            // Not an upgrade: the client's HTTP framing stays unknown; what it sent meanwhile is skipped.
            let index = clientDirection.rawValue
            directions[index].httpLost = true
            directions[index].accounting.skippedBytes += UInt64(heldBytes)
            held = []
            heldBytes = 0
        }
        if let connect = pendingConnect, pendingMethods.isEmpty {
            answerConnect(connect, response: response, head: head, origin: origin, nextOffset: nextOffset)
            return
        }
        guard let pending = upgrade, pendingMethods.isEmpty else {
            let method = pendingMethods.isEmpty ? nil : pendingMethods.removeFirst()
            directions[serverIndex].http.expectBody(after: head, isResponse: true, requestMethod: method)
            return
        }
        upgrade = nil
        upgradeAnswered()
        let outcome = HandshakeOutcome(request: pending.request, response: response, requestDiagnostics: pending.diagnostics)
        self.outcome = outcome
        let all = pending.diagnostics + outcome.diagnostics
        count(all)
        inspector.emit(.handshake(HandshakeRecord(
            stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
            request: pending.request, requestOrigin: pending.origin, response: response, responseOrigin: origin,
            outcome: outcome, diagnostics: all)))

        let heldChunks = held
        held = []
        heldBytes = 0
        let clientStart = directions[clientDirection.rawValue].accounting.streamBytes - heldChunks.reduce(0) { $0 + $1.length }
        if outcome.upgraded && pending.request.isHixie76 {
            mode = .hixie
            directions[serverIndex].http.expectBody(length: 16)   // the hixie-76 server answers with 16 bytes after the head
            for chunk in heldChunks { directions[clientDirection.rawValue].accounting.skippedBytes += UInt64(chunk.bytes.count) }
            return
        }
        if outcome.upgraded {
            var offsets: [UInt64] = [0, 0]
            offsets[clientDirection.rawValue] = clientStart
            offsets[serverIndex] = nextOffset
            startWebSocket(detection: .handshake, resynchronise: false, outcome: outcome, startOffsets: offsets)
            if let first = heldChunks.first(where: { !$0.bytes.isEmpty }) {
                report(Diagnostic(.clientDataBeforeResponse,
                    "The client sent \(heldChunks.reduce(0) { $0 + $1.bytes.count }) bytes (packet \(first.origin.packet)) after its upgrade request but before the 101 arrived (packet \(origin.packet))."),
                    sender: .client, origin: first.origin)
            }
        } else {
            upgradeFailed = true
            refusedUpgrade = response.status
            directions[serverIndex].http.expectBody(after: head, isResponse: true, requestMethod: "GET")
        }
        // What the client sent while waiting now goes where it belongs: frames, or more HTTP.
        replayHeld(heldChunks, from: clientStart)
    }

    /// A 101 whose request the capture lost: the connection is WebSocket from the end of the response head on, with
    /// what the response alone settles; the client's frames are found by a boundary search.
    private func upgradeWithoutRequest(_ response: HandshakeResponse, origin: ByteOrigin, nextOffset: UInt64) {
        let outcome = HandshakeOutcome(upgradeResponse: response)
        self.outcome = outcome
        let heldChunks = held
        held = []
        heldBytes = 0
        var offsets: [UInt64] = [0, 0]
        offsets[clientDirection.rawValue] = directions[clientDirection.rawValue].accounting.streamBytes - heldChunks.reduce(0) { $0 + $1.length }
        offsets[clientDirection.reversed.rawValue] = nextOffset
        startWebSocket(detection: .upgradeResponse, resynchronise: false, outcome: outcome, startOffsets: offsets,
                       resynchroniseClient: true, searchCause: .upgradeRequestLost)
        let extensions = outcome.extensions.isEmpty ? "none" : outcome.extensions.map(\.text).joined(separator: ", ")
        report(Diagnostic(.captureGap,
            "The upgrade request is missing from the capture; the server's \(response.head.startLine) (packet \(origin.packet)) shows the connection was upgraded. Without the request the Accept key cannot be checked; the response names subprotocol \(outcome.subprotocol ?? "none") and extensions \(extensions)."),
            sender: nil, origin: origin)
        replayHeld(heldChunks, from: offsets[clientDirection.rawValue])
    }

    /// Routes held client chunks (and the gaps between them) through the connection's current mode.
    func replayHeld(_ chunks: [HeldChunk], from start: UInt64) {
        var offset = start
        for chunk in chunks {
            if chunk.gap > 0 {
                routeGap(chunk.gap, direction: clientDirection, origin: chunk.origin)
            } else {
                chunk.bytes.withUnsafeBytes { route($0, direction: clientDirection, origin: chunk.origin, offset: offset) }
            }
            offset += chunk.length
        }
    }

    /// `frame-before-open` (RFC 6455 §4.1, §6.1): after a refused upgrade, a direction whose next message is not HTTP
    /// but starts like a WebSocket frame sends frames although no 101 was exchanged. Reported once; the direction's HTTP
    /// framing is then lost, and its bytes are skipped. True when the bytes were taken.
    func framesBeforeOpen(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin, status: Int) -> Bool {
        let probe = Array(bytes.prefix(32))
        guard HTTPSniffer.classify(probe) == .notHTTP,
              let header = probe.withUnsafeBytes({ FrameBoundary.plausibleHeader(in: $0, at: 0, expecting: .init(masked: nil, allowRSV1: true)) })
        else { return false }
        let index = direction.rawValue
        directions[index].httpLost = true
        directions[index].accounting.skippedBytes += UInt64(bytes.count)
        if reported {
            let who = sender(direction)
            report(Diagnostic(.frameBeforeOpen,
                "The \(who.rawValue) sends what starts like a WebSocket frame (\(header.opcode.name), \(header.payloadLength) bytes) after the server answered the upgrade with \(status), not 101; without a 101 the connection is still HTTP, and these bytes are skipped."),
                sender: who, origin: origin)
        }
        return true
    }

    /// hixie-76 after the handshake: the key bytes are HTTP, the rest is counted as skipped (not RFC 6455 frames).
    func feedHixie(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {
        let index = direction.rawValue
        var rest = bytes
        if directions[index].http.body != .none, case .consumed(let n) = directions[index].http.step(rest, origin: origin) {
            directions[index].accounting.httpBytes += UInt64(n)
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
        directions[index].accounting.skippedBytes += UInt64(rest.count)
    }

    /// A gap while the connection is still HTTP.
    func httpGap(_ lost: UInt64, direction: StreamDirection, origin: ByteOrigin) {
        if direction == clientDirection, upgrade != nil || requestLost, directions[direction.rawValue].http.body == .none {
            // After the upgrade request: whether these bytes were frames or HTTP is decided by the response.
            held.append(HeldChunk(bytes: [], origin: origin, gap: lost))
            return
        }
        if direction != clientDirection, upgrade != nil {
            responseLost(origin: origin)
            return
        }
        directions[direction.rawValue].http.reset()
        directions[direction.rawValue].httpLost = true
    }

    /// The response to the pending upgrade was lost: it is assumed to have been a 101 (most are), and the server's
    /// frames are found by a boundary search.
    /// `serverOffset`: where the server's frames start (by default, after everything of it seen so far).
    func responseLost(origin: ByteOrigin, serverOffset: UInt64? = nil) {
        if let pending = upgrade {
            upgrade = nil
            upgradeAnswered()
            count(pending.diagnostics)
            inspector.emit(.handshake(HandshakeRecord(
                stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
                request: pending.request, requestOrigin: pending.origin, response: nil, responseOrigin: nil,
                outcome: nil, diagnostics: pending.diagnostics)))
            let heldChunks = held
            held = []
            heldBytes = 0
            var offsets: [UInt64] = [0, 0]
            offsets[clientDirection.rawValue] = directions[clientDirection.rawValue].accounting.streamBytes - heldChunks.reduce(0) { $0 + $1.length }
            offsets[clientDirection.reversed.rawValue] = serverOffset ?? directions[clientDirection.reversed.rawValue].accounting.streamBytes
            startWebSocket(detection: .handshake, resynchronise: true, outcome: nil,
                           startOffsets: offsets, resynchroniseClient: false, searchCause: .upgradeResponseLost)
            replayHeld(heldChunks, from: offsets[clientDirection.rawValue])
        }
    }

    /// The connection ended while an upgrade request still waited for its response.
    func finishUnansweredUpgrade(_ pending: PendingUpgrade, how: StreamEnd, origin: ByteOrigin) {
        upgrade = nil
        var diagnostics = pending.diagnostics
        // The browser's handshake fails whoever closed (RFC 6455 §4.1): error, CloseEvent 1006, never open.
        switch how {
        case .fin, .reset: upgradeFailed = true
        default: break
        }
        // Only a server that ended the connection first refused it: a client that gave up first (its FIN, its RST)
        // left the server no time to answer.
        let serverDirection = clientDirection.reversed
        let clientFIN = directions[clientDirection.rawValue].finTime, serverFIN = directions[serverDirection.rawValue].finTime
        var serverEnded: String?
        if let serverFIN, clientFIN.map({ serverFIN < $0 || (serverFIN == $0 && root.firstFIN == serverDirection) }) ?? true {
            serverEnded = "FIN"
        } else if case .reset(let by) = how, by == serverDirection, clientFIN == nil {
            serverEnded = "RST"
        }
        if let serverEnded {
            diagnostics.append(Diagnostic(.handshakeRejectedWithoutResponse,
                "The server closed the connection (\(serverEnded)) without any HTTP response to the upgrade request."))
        }
        count(diagnostics)
        inspector.emit(.handshake(HandshakeRecord(
            stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
            request: pending.request, requestOrigin: pending.origin, response: nil, responseOrigin: nil,
            outcome: nil, diagnostics: diagnostics)))
        directions[clientDirection.rawValue].accounting.skippedBytes += UInt64(heldBytes)
        held = []
        heldBytes = 0
    }
}

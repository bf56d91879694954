import WSStream
import WSTLS
import WSWire

extension ConnectionAnalyzer {
    /// The connection's totals (on the root): the WebSocket layer's and its byte accounting from the innermost
    /// layer (the TLS plaintext, a tunnel's content, or the TCP stream itself), and each layer below with its own.
    func summary(_ how: StreamEnd) -> ConnectionSummary {
        let app = application
        // A CONNECT the proxy refused opened no tunnel: the exchange with the proxy is in the tunnel table (as http),
        // and nothing was tunneled.
        let noTunnel = app === self && app.session == nil && proxyHop.map { !$0.established } == true
        func direction(_ sender: Sender) -> DirectionSummary {
            let index = app.direction(of: sender).rawValue
            var accounting = noTunnel ? ByteAccounting() : app.directions[index].accounting
            let side = app.session?.side(sender)
            if let stream = side?.stream {
                accounting.frameBytes += stream.frameBytes
                accounting.skippedBytes += stream.skippedBytes
            }
            if !noTunnel { accounting.skippedBytes += UInt64(app.directions[index].probe.count) }
            var summary = DirectionSummary(
                sender: sender, framesByOpcode: SessionDirection.named(side?.framesByOpcode ?? []), frames: side?.frames ?? 0,
                payloadBytes: side?.payloadBytes ?? 0, messagesByOpcode: SessionDirection.named(side?.messagesByOpcode ?? []),
                messages: side?.messages ?? 0, compressedMessages: side?.compressedMessages ?? 0,
                compressedBytes: side?.compressedBytes ?? 0, inflatedBytes: side?.inflatedBytes ?? 0,
                pingRoundTrips: WebSocketSession.roundTripSummary(side?.roundTrips ?? []), accounting: accounting)
            summary.delivered = side?.receiver.delivered ?? 0
            return summary
        }
        var close: CloseHandshake?
        if let session = app.session, let initiator = session.closeInitiator, let first = session.side(initiator).closeSent {
            let answer = session.side(initiator.peer).closeSent
            close = CloseHandshake(initiator: initiator, code: first.code, reason: first.reason, answerCode: answer?.code, answered: answer != nil)
        }
        let counts = tally.sortedByID
        var summary = ConnectionSummary(
            stream: info.stream, client: app.clientEndpoint.description, server: app.serverEndpoint.description,
            clientDirection: direction(.client), serverDirection: direction(.server),
            close: close, tcpEnd: tcpEndDescription(how), firstFIN: firstFIN.map(app.sender),
            duration: relativeTime(lastTime), diagnosticCounts: counts)
        if case .captureEnded = how { summary.stoppedEarly = inspector.stoppedEarly }
        if let session = app.session {
            summary.opened = true
            summary.serverCloseEvent = Self.closeEvent(session, receiver: .server, how: how)
            if session.clientMustFail {
                // A 101 that a conforming client refuses (RFC 6455 §4.1): its API never opens, whatever the lenient
                // client of the capture went on to do.
                summary.handshakeFailed = true
                summary.clientCloseEvent = CloseEvent(code: 1006, reason: "", wasClean: false)
            } else {
                summary.clientCloseEvent = Self.closeEvent(session, receiver: .client, how: how)
            }
        } else if app.upgradeFailed {
            // The client's API never opened: it reports an error and an abnormal close (WHATWG WebSockets, "fail the
            // WebSocket connection"; RFC 6455 §4.1, §7.1.7). The server never had a WebSocket to report on.
            summary.handshakeFailed = true
            summary.clientCloseEvent = CloseEvent(code: 1006, reason: "", wasClean: false)
        }
        if let layer = connectionTLS {
            let client = app.clientDirection
            summary.tls = TLSSummary(info: layer.info, client: layer.accounting(client), server: layer.accounting(client.reversed),
                                     clientKeyUpdates: keyUpdates[0], serverKeyUpdates: keyUpdates[1])
        }
        if let hop = proxyHop, mode == .tunnel || hop.status != nil {
            func tunnelAccounting(_ direction: StreamDirection) -> TunnelAccounting {
                let state = directions[direction.rawValue]
                var a = TunnelAccounting()
                a.streamBytes = state.accounting.streamBytes
                a.httpBytes = state.accounting.httpBytes
                a.tunnelBytes = state.tunnelBytes
                a.gapBytes = state.accounting.gapBytes
                a.skippedBytes = state.accounting.skippedBytes + UInt64(state.probe.count)
                return a
            }
            let client = app.clientDirection
            summary.tunnel = TunnelSummary(hop: hop, client: tunnelAccounting(client), server: tunnelAccounting(client.reversed))
        }
        return summary
    }

    /// The `CloseEvent` of the endpoint `receiver` (RFC 6455 §7.1.5-§7.1.6): nil while the connection was still open
    /// at the end of the capture, or when the Close it would have received may be in a capture gap.
    static func closeEvent(_ session: WebSocketSession, receiver: Sender, how: StreamEnd) -> CloseEvent? {
        // A conforming endpoint fails the connection at the first frame it must not accept (RFC 6455 §7.1.7).
        if let failure = session.side(receiver.peer).receiver.failure {
            return CloseEvent(code: 1006, reason: "", wasClean: false, failure: failure)
        }
        switch how {
        case .captureEnded, .evicted: return nil
        default: break
        }
        let received = session.side(receiver.peer).closeSent
        if received == nil && session.side(receiver.peer).gaps > 0 { return nil }
        let sent = session.side(receiver).closeSent
        return CloseEvent(code: received.map { $0.code ?? 1005 } ?? 1006, reason: received?.reason ?? "",
                          wasClean: received != nil && sent != nil)
    }
}

import WSStream
import WSWire

/// How a connection ended, told to its WebSocket session: per sender whether it closed its own stream (so that a frame
/// or message it leaves unfinished is its doing) or the input simply stops there, and the transport facts the
/// end-of-connection rules need (who sent FIN when, who reset).
extension ConnectionAnalyzer {
    /// Finishes the session at the end of the connection (`latest`: the connection's latest packet time).
    func finishSession(_ session: WebSocketSession, how: StreamEnd, origin: ByteOrigin, latest: Timestamp) {
        session.finish { sender in self.streamStop(for: sender, how) }
        let end = transportEnd(how, latest: latest)
        session.finishConversation(end, origin: origin)
        if !end.closed, case .captureEnded = how, let unclosed = session.unclosedAfterHandshake(watchedUntil: end.watchedUntil) {
            report(unclosed, sender: .server, origin: origin)
        }
    }

    /// The client and server of this connection as `ClientHistory` knows them; nil through a proxy (the proxy's
    /// address stands for every target behind it).
    var historyPair: ClientHistory.Pair? {
        root.proxyHop == nil ? ClientHistory.Pair(client: clientEndpoint.address, server: serverEndpoint) : nil
    }

    /// An upgrade request is sent: `concurrent-connecting` when another of the client's requests to the server waits,
    /// and `reconnect-without-backoff` (reported) when this is the third quick reconnection in a row.
    func connectingFindings(origin: ByteOrigin) -> [Diagnostic] {
        guard let pair = historyPair else { return [] }
        sentUpgrade = true
        let timing = inspector.options.timing
        let (other, reconnection) = inspector.clientHistory.upgradeRequested(pair, stream: info.stream, opened: info.firstPacket.time,
                                                                           window: timing.reconnect)
        if let reconnection, reconnection.streak == ClientHistory.streakReported {
            report(Diagnostic(.reconnectWithoutBackoff,
                "The client reconnects \(WebSocketSession.seconds(reconnection.delay)) after its previous connection to \(pair.server) closed abnormally, the third quick reconnection in a row (each within --reconnect-window \(WebSocketSession.seconds(timing.reconnect)), none waiting longer than the one before); clients back off with growing random delays (another client behind the same address would look the same)."),
                sender: .client, origin: origin)
        }
        guard let other else { return [] }
        return [Diagnostic(.concurrentConnecting,
            "Connection \(other) from the same client address to \(pair.server) still waits for the answer to its upgrade request; a client opens one connection at a time to a server (other clients behind the same NAT address look the same).")]
    }

    func upgradeAnswered() {
        if let pair = historyPair { inspector.clientHistory.upgradeAnswered(pair, stream: info.stream) }
    }

    /// Tells the history how the connection ended: abnormally when TCP closed without a close handshake (no 101, or no
    /// Close frame either way).
    func recordClosing(_ how: StreamEnd, time: Timestamp) {
        guard sentUpgrade, let pair = historyPair else { return }
        switch how {
        case .fin, .reset:
            let closeHandshake = session.map { $0.side(.client).closeSent != nil || $0.side(.server).closeSent != nil } ?? false
            inspector.clientHistory.closed(pair, stream: info.stream, at: time, abnormal: !closeHandshake)
        default:
            inspector.clientHistory.upgradeAnswered(pair, stream: info.stream)
        }
    }

    /// Why `sender`'s stream stops, and whether the sender itself stopped it.
    func streamStop(for sender: Sender?, _ how: StreamEnd) -> StreamStop {
        guard let sender else { return StreamStop(bySender: false, reason: "the input ended") }
        let direction = direction(of: sender)
        if directions[direction.rawValue].finTime != nil {
            return StreamStop(bySender: true, reason: "the \(sender.rawValue) closed TCP (FIN)")
        }
        switch how {
        case .reset(let by):
            return by == direction
                ? StreamStop(bySender: true, reason: "the \(sender.rawValue) reset the connection (RST)")
                : StreamStop(bySender: false, reason: "the \(sender.peer.rawValue) reset the connection (RST)")
        case .fin:
            return StreamStop(bySender: true, reason: "the \(sender.rawValue) closed TCP (FIN)")
        case .captureEnded:
            return StreamStop(bySender: false, reason: inspector.stoppedEarly.map { "reading stopped (\($0))" } ?? "the capture ended")
        case .evicted:
            return StreamStop(bySender: false, reason: "wsinspect stopped following the connection (--max-connections)")
        case .replaced:
            return StreamStop(bySender: false, reason: "a new connection on the same ports replaced it")
        }
    }

    /// The transport facts of the connection's end.
    func transportEnd(_ how: StreamEnd, latest: Timestamp) -> TransportEnd {
        var end = TransportEnd(closed: true, watchedUntil: max(latest, inspector.lastPacketTime))
        switch how {
        case .captureEnded, .evicted: end.closed = false
        case .reset(let by):
            end.resetBy = sender(by)
            end.resetTime = latest
        case .fin, .replaced: break
        }
        end.clientFIN = directions[clientDirection.rawValue].finTime
        end.serverFIN = directions[clientDirection.reversed.rawValue].finTime
        return end
    }
}

import WSStream
import WSWire

/// How the transport under a session ended, as the end-of-connection rules need it.
struct TransportEnd {
    /// False when the capture ended (or wsinspect stopped following the connection) with TCP still open: answers
    /// and closes may simply come after the capture's end, so nothing is concluded from their absence.
    var closed: Bool
    /// The sender whose RST ended the connection, and when.
    var resetBy: Sender?
    var resetTime: Timestamp?
    /// When each sender's FIN arrived (nil: none).
    var clientFIN: Timestamp?
    var serverFIN: Timestamp?
    /// The latest time the capture shows while the connection was followed: how long it was watched.
    var watchedUntil: Timestamp

    func fin(_ sender: Sender) -> Timestamp? { sender == .client ? clientFIN : serverFIN }

    /// How `sender` ended TCP, in words ("closed TCP (FIN)", "reset the connection (RST)"); nil when it did not.
    func closing(by sender: Sender) -> String? {
        if resetBy == sender { return "reset the connection (RST)" }
        if fin(sender) != nil { return "closed TCP (FIN)" }
        return nil
    }

    /// True when the server's FIN came before the client's.
    var clientClosedAfterServer: Bool {
        guard let clientFIN else { return false }
        return serverFIN.map { $0 <= clientFIN } ?? false
    }
}

/// The conversation rules applied when the connection is over: a Close or a ping left unanswered, a failed
/// connection without a Close, and how TCP was closed after the close handshake (RFC 6455 §5.5.1, §7.1.1).
extension WebSocketSession {
    func finishConversation(_ end: TransportEnd, origin: ByteOrigin) {
        guard end.closed else { return }
        if let initiator = closeInitiator, side(initiator.peer).closeSent == nil {
            let answerMayBeLost = side(initiator).closeSent.map { $0.peerGaps != side(initiator.peer).gaps } ?? false
            // Only a peer that ended TCP itself is blamed: an initiator that reset the connection right after its Close
            // gave its peer no chance to answer.
            if !answerMayBeLost, end.resetBy != initiator, let how = end.closing(by: initiator.peer) {
                host.sessionReport(Diagnostic(.closeNotAnswered,
                    "The \(initiator.rawValue) sent Close but the \(initiator.peer.rawValue) \(how) without answering with a Close.",
                    at: side(initiator).closeSent.map { .frame(index: $0.frame) }),
                    sender: initiator.peer, origin: origin)
            }
        }
        for sender in [Sender.client, Sender.server] {
            // The answerer is blamed only when it ended the connection itself (not when the pinger reset it).
            guard end.resetBy != sender, let how = end.closing(by: sender.peer) else {
                side(sender).unansweredPings.removeAll()
                continue
            }
            for diagnostic in unansweredPings(of: side(sender), answerer: side(sender.peer), because: how) {
                host.sessionReport(diagnostic, sender: sender.peer, origin: origin)
            }
        }
        for (diagnostic, sender) in failureDiagnostics(end) {
            host.sessionReport(diagnostic, sender: sender, origin: origin)
        }
        for (diagnostic, sender) in transportCloseDiagnostics(end) {
            host.sessionReport(diagnostic, sender: sender, origin: origin)
        }
    }

    /// `tcp-reset-close`, and after a complete close handshake `tcp-not-closed-after-close` and
    /// `client-closed-tcp-first`.
    func transportCloseDiagnostics(_ end: TransportEnd) -> [(Diagnostic, Sender)] {
        var found: [(Diagnostic, Sender)] = []
        if let resetter = end.resetBy {
            found.append((Diagnostic(.tcpResetClose,
                "The \(resetter.rawValue) reset the connection (RST) instead of closing it with FIN; unread data may be lost on the way."),
                resetter))
        }
        guard let client = side(.client).closeSent, let server = side(.server).closeSent else { return found }
        let handshakeEnd = max(client.time, server.time)
        let limit = timing.close
        // The server's TCP close: its FIN or its reset; else what the capture shows it did not do.
        let serverEnd = end.serverFIN ?? (end.resetBy == .server ? end.resetTime : nil)
        let clientEnd = end.clientFIN ?? (end.resetBy == .client ? end.resetTime : nil)
        if let serverEnd, serverEnd.seconds(since: handshakeEnd) > limit {
            found.append((Diagnostic(.tcpNotClosedAfterClose,
                "The server closed TCP \(Self.seconds(serverEnd.seconds(since: handshakeEnd))) after the close handshake, not at once (beyond --close-timeout \(Self.seconds(limit)))."),
                .server))
        } else if serverEnd == nil, let clientEnd, clientEnd.seconds(since: handshakeEnd) > limit {
            found.append((Diagnostic(.tcpNotClosedAfterClose,
                "The server had not closed TCP \(Self.seconds(clientEnd.seconds(since: handshakeEnd))) after the close handshake, when the client closed it (beyond --close-timeout \(Self.seconds(limit)))."),
                .server))
        }
        if let clientFIN = end.clientFIN, end.serverFIN.map({ clientFIN < $0 }) ?? true, end.resetBy != .server,
           clientFIN.seconds(since: handshakeEnd) <= limit {
            let before = clientFIN < server.time ? " before the server's Close even arrived" : ""
            found.append((Diagnostic(.clientClosedTCPFirst,
                "The client sent the first FIN\(before), \(Self.seconds(max(0, clientFIN.seconds(since: handshakeEnd)))) after the close handshake; the server closes TCP first and the client waits for it (up to --close-timeout \(Self.seconds(limit)))."),
                .client))
        }
        return found
    }

    /// `tcp-not-closed-after-close` for a connection still open when the capture ended: the capture went on longer
    /// than --close-timeout after the close handshake without the server closing TCP.
    func unclosedAfterHandshake(watchedUntil: Timestamp) -> Diagnostic? {
        guard let client = side(.client).closeSent, let server = side(.server).closeSent else { return nil }
        let waited = watchedUntil.seconds(since: max(client.time, server.time))
        guard waited > timing.close else { return nil }
        return Diagnostic(.tcpNotClosedAfterClose,
            "The server had not closed TCP \(Self.seconds(waited)) after the close handshake, when the capture ended (beyond --close-timeout \(Self.seconds(timing.close))).")
    }
}

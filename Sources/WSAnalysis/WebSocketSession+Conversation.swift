import WSStream
import WSWire

/// The conversation rules that need both directions: the close handshake and ping/pong.
extension WebSocketSession {
    /// Findings about a frame's place in the conversation (adds to the frame's own diagnostics).
    func conversationDiagnostics(_ frame: Frame, side: SessionDirection) -> [Diagnostic] {
        let opcode = frame.header.opcode
        // The common case: a data frame before any Close.
        if !opcode.isControl && side.closeSent == nil { return [] }
        let peer = sides[1 - Self.slot(side.sender)]
        let who = side.sender?.rawValue ?? "sender"
        var found: [Diagnostic] = []
        // After its Close, a direction whose boundaries were lost in a gap may show frames that are not what it sent
        // after the Close: nothing is concluded from them.
        let closeStillProven = side.closeSent.map { $0.ownLosses == side.boundaryLosses } ?? false
        if opcode.isData, let sent = side.closeSent, closeStillProven {
            found.append(Diagnostic(.dataAfterClose,
                "The \(who) sent this \(opcode.name) frame after its own Close (frame #\(sent.frame)); no data may follow a Close."))
        }
        switch opcode {
        case .close:
            if let earlier = side.closeSent {
                if closeStillProven {
                    found.append(Diagnostic(.closeSentTwice, "The \(who) already sent a Close (frame #\(earlier.frame)); this one is redundant."))
                }
            } else {
                side.closeSent = (frameIndex, frame.close?.code?.rawValue, frame.close?.reason, side.boundaryLosses, peer.gaps)
                if closeInitiator == nil, let sender = side.sender { closeInitiator = sender }
                // The peer's pings that this side never answered before closing (unless a gap may hold the pong).
                for ping in peer.unansweredPings where ping.answererGaps == side.gaps {
                    let sender = side.sender ?? .client
                    found.append(Diagnostic(.pingNotAnswered,
                        "The \(sender.rawValue) closes without having answered the \(sender.peer.rawValue)'s ping (frame #\(ping.frame)) with a pong.",
                        at: .frame(index: ping.frame)))
                }
                peer.unansweredPings.removeAll()
            }
        case .ping:
            side.unansweredPings.append(OutstandingPing(payload: frame.payload, time: frame.origin.time, frame: frameIndex,
                                                        answererGaps: peer.gaps))
        case .pong:
            let outstanding = peer.unansweredPings
            if !outstanding.isEmpty {
                if let match = outstanding.lastIndex(where: { $0.payload == frame.payload }) {
                    let ping = outstanding[match]
                    peer.roundTrips.append(frame.origin.time.seconds(since: ping.time) * 1000)
                    peer.unansweredPings.removeFirst(match + 1)   // one pong may answer several pings
                } else if peer.gaps == 0 {
                    // (After a gap in the pinging direction, the ping this pong answers may be the one lost.)
                    let last = outstanding.last!
                    found.append(Diagnostic(.pongPayloadMismatch,
                        "This pong carries \(counted(frame.payload.count, "byte")) that do not echo the last unanswered ping (frame #\(last.frame), \(counted(last.payload.count, "byte")))."))
                }
            }
        default:
            break
        }
        return found
    }

    /// The connection ended: a Close left unanswered, pings never answered. `closedBy` describes how the transport
    /// closed (`fin`, `reset by client`…); nil when the capture ended first (the answers may simply be after its end).
    func finishConversation(closedBy: String?, origin: ByteOrigin) {
        guard let closedBy else { return }
        if let initiator = closeInitiator, side(initiator.peer).closeSent == nil {
            let answerMayBeLost = side(initiator).closeSent.map { $0.peerGaps != side(initiator.peer).gaps } ?? false
            if !answerMayBeLost {   // else the answer may be in a capture gap
                host.sessionReport(Diagnostic(.closeNotAnswered,
                    "The \(initiator.rawValue) sent Close but the \(initiator.peer.rawValue) closed TCP (\(closedBy)) without answering with a Close.",
                    at: side(initiator).closeSent.map { .frame(index: $0.frame) }),
                    sender: initiator.peer, origin: origin)
            }
        }
        for sender in [Sender.client, Sender.server] {
            let pinger = side(sender)
            for ping in pinger.unansweredPings where ping.answererGaps == side(sender.peer).gaps {
                host.sessionReport(Diagnostic(.pingNotAnswered,
                    "The \(sender.rawValue)'s ping (frame #\(ping.frame)) never got a pong before the connection closed.",
                    at: .frame(index: ping.frame)),
                    sender: sender.peer, origin: origin)
            }
            pinger.unansweredPings.removeAll()
        }
    }

    /// Ping round trips as a summary, nil when none.
    static func roundTripSummary(_ values: [Double]) -> RoundTrips? {
        guard let minimum = values.min(), let maximum = values.max() else { return nil }
        return RoundTrips(count: values.count, minimum: minimum, average: values.reduce(0, +) / Double(values.count), maximum: maximum)
    }
}

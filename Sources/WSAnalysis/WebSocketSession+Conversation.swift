import WSStream
import WSWire

/// The conversation rules that need both directions, as frames arrive: the close handshake and ping/pong.
extension WebSocketSession {
    /// Findings about a frame's place in the conversation (adds to the frame's own diagnostics).
    func conversationDiagnostics(_ frame: Frame, side: SessionDirection) -> [Diagnostic] {
        let opcode = frame.header.opcode
        let peer = sides[1 - Self.slot(side.sender)]
        // The common case: a data frame before any Close, with nothing the peer did to react to.
        if !opcode.isControl && side.closeSent == nil && peer.closeSent == nil && peer.violation == nil { return [] }
        let who = side.sender?.rawValue ?? "sender"
        var found: [Diagnostic] = []
        // After its Close, a direction whose boundaries were lost in a gap may show frames that are not what it sent
        // after the Close: nothing is concluded from them.
        let closeStillProven = side.closeSent.map { $0.ownLosses == side.boundaryLosses } ?? false
        if opcode.isData, let sent = side.closeSent, closeStillProven {
            found.append(Diagnostic(.dataAfterClose,
                "The \(who) sent this \(opcode.name) frame after its own Close (frame #\(sent.frame)); no data may follow a Close."))
        }
        if (opcode == .text || opcode == .binary), side.closeSent == nil, let received = peer.closeSent,
           !side.reportedLateAnswer, side.gaps == received.peerGaps {
            side.reportedLateAnswer = true
            found.append(Diagnostic(.closeAnswerLate,
                "The \(who) starts a new \(opcode.name) message after the \(peer.sender?.rawValue ?? "peer")'s Close (frame #\(received.frame)) instead of answering it (finishing a message already begun is allowed; unless the two crossed on the way)."))
        }
        found += reactionDiagnostics(frame, side: side, peer: peer)
        switch opcode {
        case .close:
            found += closeDiagnostics(frame, side: side, peer: peer, proven: closeStillProven)
        case .ping:
            // A ping sent after the sender's own Close needs no pong: its peer has already received a Close (§5.5.2).
            if side.closeSent == nil {
                side.unansweredPings.append(OutstandingPing(payload: frame.payload, time: frame.origin.time, frame: frameIndex,
                                                            answererGaps: peer.gaps, answererFrames: peer.frames))
            }
        case .pong:
            found += pongDiagnostics(frame, side: side, peer: peer)
        default:
            break
        }
        return found
    }

    private func closeDiagnostics(_ frame: Frame, side: SessionDirection, peer: SessionDirection, proven: Bool) -> [Diagnostic] {
        let who = side.sender?.rawValue ?? "sender"
        var found: [Diagnostic] = []
        if frame.close?.code?.rawValue == 1010 {
            var problems: [String] = []
            if side.sender == .server { problems.append("a server sends it (it refuses the handshake instead)") }
            if (frame.close?.reason ?? "").isEmpty { problems.append("its reason does not name the extensions that were needed") }
            if !problems.isEmpty {
                found.append(Diagnostic(.close1010Misuse,
                    "Close code 1010 (mandatory extension) is for a client whose server did not accept an extension it needs; here \(problems.joined(separator: ", and "))."))
            }
        }
        if let earlier = side.closeSent {
            if proven {
                found.append(Diagnostic(.closeSentTwice, "The \(who) already sent a Close (frame #\(earlier.frame)); this one is redundant."))
            }
            return found
        }
        side.closeSent = (frameIndex, frame.close?.code?.rawValue, frame.close?.reason, side.boundaryLosses, peer.gaps, frame.origin.time)
        if closeInitiator == nil, let sender = side.sender { closeInitiator = sender }
        if let received = peer.closeSent, start != nil, !side.reportedLateAnswer {
            let delay = frame.origin.time.seconds(since: received.time)
            if delay > timing.close {
                found.append(Diagnostic(.closeAnswerLate,
                    "The \(who) answers the Close (frame #\(received.frame)) \(Self.seconds(delay)) later, more than --close-timeout \(Self.seconds(timing.close)) (a slow network cannot be told apart)."))
            }
        }
        // The peer's pings that this side never answered before closing (unless a gap may hold the pong).
        found += unansweredPings(of: peer, answerer: side, because: "closes")
        found += rejectionDiagnostics(frame, side: side, peer: peer)
        return found
    }

    private func pongDiagnostics(_ frame: Frame, side: SessionDirection, peer: SessionDirection) -> [Diagnostic] {
        let outstanding = peer.unansweredPings
        guard !outstanding.isEmpty else { return [] }   // an unsolicited pong is legal (a heartbeat)
        guard let match = outstanding.lastIndex(where: { $0.payload == frame.payload }) else {
            // Not (yet) an answer: an unsolicited pong may come first. Only if no later pong carries the ping's data
            // is this one taken as a wrong answer (at the answerer's Close or at the end of the connection).
            if peer.gaps == 0 {   // (after a gap in the pinging direction, the ping this pong answers may be the one lost)
                for i in peer.unansweredPings.indices where peer.unansweredPings[i].mismatchedPong == nil {
                    peer.unansweredPings[i].mismatchedPong = frameIndex
                }
            }
            return []
        }
        let ping = outstanding[match]
        let delay = frame.origin.time.seconds(since: ping.time)
        peer.roundTrips.append(delay * 1000)
        peer.unansweredPings.removeFirst(match + 1)   // one pong may answer several pings
        if start != nil, delay > timing.pong, side.frames > ping.answererFrames {
            let who = side.sender?.rawValue ?? "sender"
            return [Diagnostic(.pongLate,
                "The \(who) answers the ping (frame #\(ping.frame)) \(Self.seconds(delay)) later, more than --pong-timeout \(Self.seconds(timing.pong)), although it sent \(side.frames - ping.answererFrames) other frame\(side.frames - ping.answererFrames == 1 ? "" : "s") meanwhile.")]
        }
        return []
    }

    /// The pings of `pinger` still unanswered when `answerer` closes (its Close, or TCP): each is a `ping-not-answered`
    /// or, when a pong came that did not carry its data, a `pong-payload-mismatch`. Pings whose pong a later gap in
    /// the answering direction may hold are left alone. Clears the list.
    func unansweredPings(of pinger: SessionDirection, answerer: SessionDirection, because how: String) -> [Diagnostic] {
        defer { pinger.unansweredPings.removeAll() }
        let pingerName = pinger.sender?.rawValue ?? "sender", answererName = answerer.sender?.rawValue ?? "peer"
        return pinger.unansweredPings.filter { $0.answererGaps == answerer.gaps }.map { ping in
            if let pong = ping.mismatchedPong {
                return Diagnostic(.pongPayloadMismatch,
                    "The \(answererName)'s pong (frame #\(pong)) does not carry the data of the \(pingerName)'s ping (frame #\(ping.frame), \(ping.payload.count) bytes), and no later pong does before the \(answererName) \(how).",
                    at: .frame(index: pong))
            }
            return Diagnostic(.pingNotAnswered,
                "The \(answererName) \(how) without having answered the \(pingerName)'s ping (frame #\(ping.frame)) with a pong.",
                at: .frame(index: ping.frame))
        }
    }

    /// A duration as findings print it: `35 µs`, `0.4 ms`, `120.0 ms`, `2.5 s`.
    static func seconds(_ value: Double) -> String {
        if value < 0.001 { return "\(Int((value * 1_000_000).rounded())) µs" }
        return value < 1 ? "\((value * 10_000).rounded() / 10) ms" : "\((value * 1000).rounded() / 1000) s"
    }

    /// Ping round trips as a summary, nil when none.
    static func roundTripSummary(_ values: [Double]) -> RoundTrips? {
        guard let minimum = values.min(), let maximum = values.max() else { return nil }
        return RoundTrips(count: values.count, minimum: minimum, average: values.reduce(0, +) / Double(values.count), maximum: maximum)
    }
}

import WSCapture
import WSWire

/// The conversation rules that need both directions: the close handshake and ping/pong.
extension ConnectionAnalyzer {
    struct OutstandingPing {
        let payload: [UInt8]
        let time: Timestamp
        let frame: Int
        /// Gaps in the answering direction when the ping was sent: a later gap may hold the pong.
        let answererGaps: Int
    }

    /// Findings about a frame's place in the conversation (adds to the frame's own diagnostics).
    func conversationDiagnostics(_ frame: Frame, from sender: Sender) -> [Diagnostic] {
        let index = direction(of: sender).rawValue
        let opcode = frame.header.opcode
        // The common case: a data frame before any Close.
        if !opcode.isControl && directions[index].closeSent == nil { return [] }
        let peer = 1 - index
        var found: [Diagnostic] = []
        // After its Close, a direction whose boundaries were lost in a gap may show frames that are not what it sent
        // after the Close: nothing is concluded from them.
        let closeStillProven = directions[index].closeSent.map { $0.ownLosses == directions[index].boundaryLosses } ?? false
        if opcode.isData, let sent = directions[index].closeSent, closeStillProven {
            found.append(Diagnostic(.dataAfterClose,
                "The \(sender.rawValue) sent this \(opcode.name) frame after its own Close (frame #\(sent.frame)); no data may follow a Close."))
        }
        switch opcode {
        case .close:
            if let earlier = directions[index].closeSent {
                if closeStillProven {
                    found.append(Diagnostic(.closeSentTwice, "The \(sender.rawValue) already sent a Close (frame #\(earlier.frame)); this one is redundant."))
                }
            } else {
                directions[index].closeSent = (frameIndex, frame.close?.code?.rawValue, frame.close?.reason,
                                               directions[index].boundaryLosses, directions[peer].gaps)
                if closeInitiator == nil { closeInitiator = sender }
                // The peer's pings that this side never answered before closing (unless a gap may hold the pong).
                for ping in directions[peer].unansweredPings where ping.answererGaps == directions[index].gaps {
                    found.append(Diagnostic(.pingNotAnswered,
                        "The \(sender.rawValue) closes without having answered the \(sender.peer.rawValue)'s ping (frame #\(ping.frame)) with a pong."))
                }
                directions[peer].unansweredPings.removeAll()
            }
        case .ping:
            directions[index].unansweredPings.append(OutstandingPing(payload: frame.payload, time: frame.origin.time, frame: frameIndex,
                                                                     answererGaps: directions[peer].gaps))
        case .pong:
            let outstanding = directions[peer].unansweredPings
            if !outstanding.isEmpty {
                if let match = outstanding.lastIndex(where: { $0.payload == frame.payload }) {
                    let ping = outstanding[match]
                    directions[peer].roundTrips.append(frame.origin.time.seconds(since: ping.time) * 1000)
                    directions[peer].unansweredPings.removeFirst(match + 1)   // one pong may answer several pings
                } else if directions[peer].gaps == 0 {
                    // (After a gap in the pinging direction, the ping this pong answers may be the one lost.)
                    let last = outstanding.last!
                    found.append(Diagnostic(.pongPayloadMismatch,
                        "This pong carries \(frame.payload.count) bytes that do not echo the last unanswered ping (frame #\(last.frame), \(last.payload.count) bytes)."))
                }
            }
        default:
            break
        }
        return found
    }

    /// The connection ended: a Close left unanswered, pings never answered.
    func finishConversation(_ how: TCPClose, origin: ByteOrigin) {
        let initiatorIndex = closeInitiator.map { direction(of: $0).rawValue }
        if let initiator = closeInitiator, let initiatorIndex, directions[direction(of: initiator.peer).rawValue].closeSent == nil {
            let answerMayBeLost = directions[initiatorIndex].closeSent.map { $0.peerGaps != directions[1 - initiatorIndex].gaps } ?? false
            switch how {
            case .captureEnded, .evicted:
                break   // the answer may simply be after the end of the capture (or of what was followed)
            case _ where answerMayBeLost:
                break   // the answer may be in a capture gap
            default:
                report(Diagnostic(.closeNotAnswered,
                    "The \(initiator.rawValue) sent Close but the \(initiator.peer.rawValue) closed TCP (\(tcpEndDescription(how))) without answering with a Close."),
                    sender: initiator.peer, origin: origin)
            }
        }
        switch how {
        case .captureEnded, .evicted: return
        default: break
        }
        for sender in [Sender.client, Sender.server] {
            let index = direction(of: sender).rawValue
            for ping in directions[index].unansweredPings where ping.answererGaps == directions[1 - index].gaps {
                report(Diagnostic(.pingNotAnswered,
                    "The \(sender.rawValue)'s ping (frame #\(ping.frame)) never got a pong before the connection closed."),
                    sender: sender.peer, origin: origin)
            }
            directions[index].unansweredPings.removeAll()
        }
    }

    func tcpEndDescription(_ how: TCPClose) -> String {
        switch how {
        case .fin: return "fin"
        case .reset(let by): return "reset by \(sender(by).rawValue)"
        case .captureEnded: return "capture ended"
        case .replaced: return "replaced by a new connection on the same ports"
        case .evicted: return "evicted (too many open connections)"
        }
    }

    /// Ping round trips as a summary, nil when none.
    func roundTripSummary(_ values: [Double]) -> RoundTrips? {
        guard let minimum = values.min(), let maximum = values.max() else { return nil }
        return RoundTrips(count: values.count, minimum: minimum, average: values.reduce(0, +) / Double(values.count), maximum: maximum)
    }
}

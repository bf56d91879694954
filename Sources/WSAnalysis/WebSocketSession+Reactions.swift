import WSStream
import WSWire

/// How an endpoint reacts to what its peer sent: a receiver that goes on after a frame it had to fail the connection
/// for (RFC 6455 §7.1.7), one that closes at a valid fragmented message (§5.4), a client that refuses
/// client_no_context_takeover (RFC 7692 §7.1.1.2). A capture shows the reaction, never the reason, so these are
/// warnings that say what they cannot know.
extension WebSocketSession {
    /// Findings whose receiver must fail the connection (RFC 6455 §5.1, §5.2, §8.1; RFC 7692 §6.1).
    static let failRules: Set<Rule> = [.clientFrameUnmasked, .serverFrameMasked, .rsvWithoutExtension, .rsv1WithoutExtension,
                                       .reservedOpcode, .invalidUTF8, .rsv1OnControlFrame, .rsv1OnContinuation]

    /// Notes the first finding of `side` that obliges its peer to fail the connection, and counts its errors.
    func noteViolations(_ diagnostics: [Diagnostic], side: SessionDirection, frame: Int, time: Timestamp) {
        for diagnostic in diagnostics where diagnostic.severity == .error {
            side.errors += 1
            if side.violation == nil, Self.failRules.contains(diagnostic.rule) {
                side.violation = (frame, time, diagnostic.rule)
            }
        }
    }

    /// `peer-continued-after-violation`: `side` sends data or a pong well after a frame of `peer` that it had to fail
    /// the connection for (once per connection).
    func reactionDiagnostics(_ frame: Frame, side: SessionDirection, peer: SessionDirection) -> [Diagnostic] {
        let opcode = frame.header.opcode
        guard let violation = peer.violation, !side.reportedContinuing, side.closeSent == nil, start != nil,
              opcode.isData || opcode == .pong else { return [] }
        let delay = frame.origin.time.seconds(since: violation.time)
        guard delay > timing.fail else { return [] }
        side.reportedContinuing = true
        let who = side.sender?.rawValue ?? "receiver", other = peer.sender?.rawValue ?? "peer"
        return [Diagnostic(.peerContinuedAfterViolation,
            "The \(who) still sends (this \(opcode.name) frame) \(Self.seconds(delay)) after the \(other)'s frame #\(violation.frame) broke \(violation.rule.id), for which it must fail the connection (beyond --fail-timeout \(Self.seconds(timing.fail)); it may not have read that frame yet).")]
    }

    /// Findings on `side`'s first Close about what it closes at: a valid fragmented message of the peer
    /// (`peer-rejected-valid-fragmentation`), or client_no_context_takeover (`pmd-client-rejected-cnct`).
    func rejectionDiagnostics(_ frame: Frame, side: SessionDirection, peer: SessionDirection) -> [Diagnostic] {
        guard let code = frame.close?.code?.rawValue else { return [] }
        let who = side.sender?.rawValue ?? "sender", other = peer.sender?.rawValue ?? "peer"
        var found: [Diagnostic] = []
        if code == 1002 || code == 1003, peer.errors == 0, let last = peer.lastMessage, last.clean,
           last.frames > 1 || last.controlsInside {
            let shape = last.controlsInside ? "with a control frame between its fragments" : "in \(last.frames) fragments"
            found.append(Diagnostic(.peerRejectedValidFragmentation,
                "The \(who) closes with \(code) right after the \(other)'s valid message \(shape) (message #\(last.index)); endpoints must accept fragmentation (the real reason for \(code) cannot be seen)."))
        }
        if code == 1010, side.sender == .client, clientNoContextTakeover, side.frames == 0 {
            found.append(Diagnostic(.pmdClientRejectedCNCT,
                "The client closes with 1010 before sending anything, after a 101 whose permessage-deflate has client_no_context_takeover, which clients must accept (it may have missed something else)."))
        }
        return found
    }

    /// Findings of the end of the connection about failing it: `failed-without-close` (a peer of a violator closed
    /// TCP without a Close) and `pmd-client-rejected-cnct` (a client that left right after the 101).
    func failureDiagnostics(_ end: TransportEnd) -> [(Diagnostic, Sender)] {
        var found: [(Diagnostic, Sender)] = []
        for sender in [Sender.client, Sender.server] {
            let violator = side(sender), receiver = side(sender.peer)
            guard let violation = violator.violation, receiver.closeSent == nil, violator.closeSent == nil,
                  let how = end.closing(by: sender.peer) else { continue }
            found.append((Diagnostic(.failedWithoutClose,
                "The \(sender.peer.rawValue) \(how) without a Close frame after the \(sender.rawValue)'s frame #\(violation.frame) broke \(violation.rule.id); failing a connection starts with a Close such as 1002 or 1007."),
                sender.peer))
        }
        if clientNoContextTakeover, side(.client).frames == 0, let how = end.closing(by: .client), !end.clientClosedAfterServer {
            found.append((Diagnostic(.pmdClientRejectedCNCT,
                "The client \(how) without sending a frame, right after a 101 whose permessage-deflate has client_no_context_takeover, which clients must accept (it may have failed for another reason)."),
                .client))
        }
        return found
    }
}

/// A client masking key that is not new and unpredictable (RFC 6455 §5.3, §10.3): the previous frame's key again, or
/// keys that follow a constant step (a counter). Random 32-bit keys do either by chance once in 2^32 frames.
struct MaskKeyHistory {
    private var last: UInt32?
    private var step: UInt32?
    private(set) var reported = false

    /// Takes the next frame's key; a description when it is predictable (reported once per direction).
    mutating func next(_ key: MaskingKey) -> String? {
        let value = UInt32(key[0]) << 24 | UInt32(key[1]) << 16 | UInt32(key[2]) << 8 | UInt32(key[3])
        defer { last = value }
        guard let last, !reported, value != 0 else { return nil }
        // The previous key again is mask-key-reused (reported by the frame decoder, frame by frame).
        if value == last { return nil }
        let difference = value &- last
        defer { step = difference }
        if difference == step {
            reported = true
            return "The masking keys follow a constant step of 0x\(String(difference, radix: 16)) (a counter), which makes them predictable; each frame needs a new, unpredictable key."
        }
        return nil
    }
}

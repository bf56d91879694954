import WSWire

/// What a conforming endpoint's WebSocket API makes of the frames it receives, for the summary's browser-API lines
/// and `CloseEvent`s. It delivers each message that its final frame completes (`onmessage`; an unfinished message
/// is never delivered), until the peer's Close arrives or until a frame or message breaks a rule that obliges the
/// receiver to _Fail the WebSocket Connection_ (RFC 6455 §7.1.7). From then on it delivers nothing: its API fires
/// `error` and a `CloseEvent` with code 1006 and `wasClean` false (WHATWG WebSockets, "fail the WebSocket
/// connection"), whatever the capture shows the (lenient) peer doing next.
struct ReceivingEndpoint {
    /// Messages delivered.
    private(set) var delivered = 0
    /// Where the receiver failed the connection.
    private(set) var failure: ReceiverFailure?
    /// The peer's Close arrived (and did not itself fail the connection): later frames are not delivered.
    private var closed = false

    /// Still delivering: neither failed nor closed.
    var isListening: Bool { failure == nil && !closed }

    /// The peer's frame `index` arrived with these findings (its own and the conversation's).
    mutating func receive(frame index: Int, findings: [Diagnostic]) {
        guard isListening, !findings.isEmpty, let rule = Self.firstFailing(findings) else { return }
        failure = ReceiverFailure(frame: index, rule: rule)
    }

    /// A message of the peer finished at frame `index`: `completed` by its final frame (else interrupted, or cut
    /// short by a Close): delivered unless it breaks a rule that fails the connection.
    mutating func receive(_ message: borrowing Message, at index: Int, completed: Bool) {
        guard isListening else { return }
        if !message.diagnostics.isEmpty, let rule = Self.firstFailing(message.diagnostics) {
            failure = ReceiverFailure(frame: index, rule: rule)
        } else if completed {
            delivered += 1
        }
    }

    /// The peer's Close arrived (after its findings and the messages it finished were received).
    mutating func receiveClose() {
        closed = true
    }

    private static func firstFailing(_ diagnostics: [Diagnostic]) -> Rule? {
        diagnostics.first { $0.rule.failsTheReceiver }?.rule
    }
}

/// The peer's frame at which a conforming receiver fails the connection, and the rule that frame (or the message it
/// finished) breaks.
public struct ReceiverFailure: Hashable, Sendable {
    public let frame: Int
    public let rule: Rule
}

extension Rule {
    /// A receiver that finds this in what its peer sent must fail the connection (RFC 6455 §5.1-§5.5, §7.4.1, §8.1;
    /// RFC 7692 §6.1, §7.2.2): the framing and message rules whose violation leaves it no valid way to go on. Rules
    /// about the conversation (a Close not answered, data after Close, pings), about wsinspect's limits, and those a
    /// receiver cannot notice (an unremoved `00 00 ff ff` inflates to nothing) are not among them.
    var failsTheReceiver: Bool {
        switch self {
        case .rsvWithoutExtension, .rsv1WithoutExtension, .reservedOpcode, .controlFrameTooLong, .controlFrameFragmented,
             .nonMinimalLength, .lengthMSBSet, .clientFrameUnmasked, .serverFrameMasked, .closePayloadOneByte,
             .invalidCloseCode, .invalidUTF8, .rsv1OnControlFrame, .rsv1OnContinuation, .unexpectedContinuation,
             .dataFrameDuringFragmentedMessage, .pmdInflateFailed, .pmdContextTakeoverViolated, .pmdWindowExceeded:
            return true
        default:
            return false
        }
    }
}

/// The rows of Docs/rfc-must-checklist.md (a copy of the project's checklist of the wire-observable requirements of
/// RFC 6455, RFC 7692 and RFC 7230 §3.2) that wsinspect checks, and the rule that checks each. Docs/rules.md is
/// generated from it (which rows each rule realises, how many rows are covered); a test walks the checklist file and
/// fails when one of its `yes` or `partly` rows has neither a rule of its id nor a rename listed here.
public struct ChecklistRow: Hashable, Sendable {
    /// How much of a requirement a capture can show (the checklist's "observable?" column).
    public enum Observable: String, Hashable, Sendable {
        /// A capture shows every violation: the rule is conclusive.
        case yes
        /// A capture shows some cases, or only hints: the rule is a warning or note that says what it cannot know.
        case partly
    }

    /// The row's number, e.g. `HC-12`.
    public let id: String
    public let observable: Observable
    public let rule: Rule
    /// The id the checklist proposes, when the rule has another one (see `renames`).
    public let renamedFrom: String?

    init(_ id: String, _ observable: Observable, _ rule: Rule, renamedFrom: String? = nil) {
        self.id = id
        self.observable = observable
        self.rule = rule
        self.renamedFrom = renamedFrom
    }

    /// Every `yes` and `partly` row of the checklist, in its order.
    public static let all: [ChecklistRow] = [
        ChecklistRow("HC-1", .yes, .handshakeRequestMalformed),
        ChecklistRow("HC-2", .yes, .handshakeMethodNotGet),
        ChecklistRow("HC-3", .yes, .handshakeHTTPVersionTooOld),
        ChecklistRow("HC-4", .partly, .handshakeBadRequestTarget),
        ChecklistRow("HC-5", .yes, .handshakeURIFragment),
        ChecklistRow("HC-6", .yes, .handshakeMissingHost),
        ChecklistRow("HC-7", .partly, .handshakeHostPortMismatch),
        ChecklistRow("HC-8", .yes, .handshakeUpgradeMissing),
        ChecklistRow("HC-9", .yes, .handshakeConnectionMissingUpgrade),
        ChecklistRow("HC-10", .yes, .handshakeKeyMissing),
        ChecklistRow("HC-11", .yes, .handshakeKeyNot16Bytes),
        ChecklistRow("HC-12", .partly, .handshakeKeyNotRandom),
        ChecklistRow("HC-13", .partly, .handshakeBrowserWithoutOrigin),
        ChecklistRow("HC-14", .yes, .handshakeVersionMissing),
        ChecklistRow("HC-15", .yes, .handshakeVersionNot13),
        ChecklistRow("HC-16", .yes, .handshakeKeyRepeated),
        ChecklistRow("HC-17", .yes, .handshakeVersionRepeated),
        ChecklistRow("HC-18", .yes, .subprotocolInvalidToken),
        ChecklistRow("HC-19", .yes, .subprotocolOfferedTwice),
        ChecklistRow("HC-20", .yes, .extensionsHeaderMalformed),
        ChecklistRow("HC-21", .partly, .extensionNotRegistered),
        ChecklistRow("HC-22", .partly, .clientDataBeforeResponse),
        ChecklistRow("HC-23", .partly, .concurrentConnecting),
        ChecklistRow("HC-24", .partly, .tlsNoSNI),
        ChecklistRow("HC-25", .yes, .headerWhitespaceBeforeColon),
        ChecklistRow("HC-26", .yes, .headerObsFold),
        ChecklistRow("HC-27", .yes, .headerDuplicate),
        ChecklistRow("HS-1", .yes, .serverAcceptedInvalidRequest),
        ChecklistRow("HS-2", .yes, .handshakeRejectedWithoutResponse),
        ChecklistRow("HS-3", .partly, .responseVersionListMissing),
        ChecklistRow("HS-5", .yes, .responseMalformed),
        ChecklistRow("HS-6", .yes, .responseUpgradeInvalid),
        ChecklistRow("HS-7", .yes, .responseConnectionInvalid),
        ChecklistRow("HS-8", .yes, .acceptMismatch, renamedFrom: "accept-missing"),
        ChecklistRow("HS-9", .yes, .acceptMismatch),
        ChecklistRow("HS-10", .yes, .acceptRepeated),
        ChecklistRow("HS-11", .yes, .subprotocolNotOffered),
        ChecklistRow("HS-12", .yes, .subprotocolResponseInvalid),
        ChecklistRow("HS-13", .yes, .subprotocolHeaderRepeated),
        ChecklistRow("HS-14", .yes, .extensionNotOffered),
        ChecklistRow("HS-15", .yes, .extensionsHeaderRepeated),
        ChecklistRow("HS-16", .yes, .clientAcceptedBadHandshake),
        ChecklistRow("HS-17", .yes, .frameBeforeOpen),
        ChecklistRow("FR-1", .yes, .clientFrameUnmasked),
        ChecklistRow("FR-2", .yes, .serverFrameMasked),
        ChecklistRow("FR-3", .yes, .rsvWithoutExtension),
        ChecklistRow("FR-4", .yes, .reservedOpcode),
        ChecklistRow("FR-5", .yes, .nonMinimalLength),
        ChecklistRow("FR-6", .yes, .lengthMSBSet),
        ChecklistRow("FR-7", .partly, .truncatedFrame),
        ChecklistRow("FR-8", .partly, .maskKeyZero),
        ChecklistRow("FR-9", .partly, .maskKeyPredictable),
        ChecklistRow("FR-10", .partly, .messageUnfinished),
        ChecklistRow("FR-11", .partly, .peerContinuedAfterViolation),
        ChecklistRow("FR-12", .partly, .failedWithoutClose),
        ChecklistRow("FR-13", .partly, .cleartextWebsocket),
        ChecklistRow("FG-1", .yes, .unexpectedContinuation),
        ChecklistRow("FG-2", .yes, .dataFrameDuringFragmentedMessage),
        ChecklistRow("FG-3", .partly, .peerRejectedValidFragmentation),
        ChecklistRow("CF-1", .yes, .controlFrameTooLong),
        ChecklistRow("CF-2", .yes, .controlFrameFragmented),
        ChecklistRow("CF-3", .partly, .pingNotAnswered),
        ChecklistRow("CF-4", .partly, .pongLate),
        ChecklistRow("CF-5", .partly, .pongPayloadMismatch),
        ChecklistRow("CL-1", .yes, .closePayloadOneByte),
        ChecklistRow("CL-2", .yes, .invalidCloseCode),
        ChecklistRow("CL-3", .yes, .invalidCloseCode),
        ChecklistRow("CL-4", .yes, .invalidCloseCode, renamedFrom: "close-code-reserved"),
        ChecklistRow("CL-5", .yes, .close1010Misuse),
        ChecklistRow("CL-6", .yes, .dataAfterClose),
        ChecklistRow("CL-7", .yes, .closeNotAnswered),
        ChecklistRow("CL-8", .partly, .closeAnswerLate),
        ChecklistRow("CL-9", .partly, .tcpNotClosedAfterClose),
        ChecklistRow("CL-10", .yes, .clientClosedTCPFirst),
        ChecklistRow("CL-11", .yes, .tcpResetClose),
        ChecklistRow("CL-12", .partly, .reconnectWithoutBackoff),
        ChecklistRow("U-1", .yes, .invalidUTF8),
        ChecklistRow("U-2", .yes, .invalidUTF8, renamedFrom: "close-reason-invalid-utf8"),
        ChecklistRow("PN-1", .yes, .pmdUnknownParameter),
        ChecklistRow("PN-2", .yes, .pmdDuplicateParameter),
        ChecklistRow("PN-3", .yes, .pmdUnexpectedValue),
        ChecklistRow("PN-4", .yes, .pmdInvalidWindowBits),
        ChecklistRow("PN-5", .yes, .pmdInvalidOfferAccepted),
        ChecklistRow("PN-6", .yes, .pmdClientWindowBitsNotOffered),
        ChecklistRow("PN-7", .yes, .pmdServerWindowBitsNotHonoured),
        ChecklistRow("PN-8", .yes, .pmdRSV1Conflict),
        ChecklistRow("PN-9", .partly, .pmdClientRejectedCNCT),
        ChecklistRow("PN-10", .yes, .pmdSmallWindow),
        ChecklistRow("PF-1", .yes, .rsv1OnContinuation),
        ChecklistRow("PF-2", .yes, .rsv1OnControlFrame),
        ChecklistRow("PF-3", .yes, .pmdInflateFailed),
        ChecklistRow("PF-4", .yes, .pmdTrailerNotRemoved),
        ChecklistRow("PF-5", .yes, .pmdEmptyCompressedPayload),
        ChecklistRow("PF-6", .partly, .pmdMissingSyncFlush),
        ChecklistRow("PF-7", .partly, .pmdBadBFinalPadding),
        ChecklistRow("PF-8", .yes, .pmdContextTakeoverViolated),
        ChecklistRow("PF-9", .yes, .pmdContextTakeoverViolated),
        ChecklistRow("PF-10", .yes, .pmdWindowExceeded),
        ChecklistRow("PF-11", .yes, .pmdWindowExceeded),
    ]

    /// Checklist ids realised under another rule id, and why (each is also in Docs/rules.md).
    public static let renames: [(checklistID: String, rule: Rule, reason: String)] = [
        ("accept-missing", .acceptMismatch,
         "Issue #3 names accept-mismatch for a wrong or missing Sec-WebSocket-Accept; its message says which."),
        ("close-code-reserved", .invalidCloseCode,
         "Issue #2 reports every close code outside the ranges RFC 6455 §7.4 allows as invalid-close-code, an error (1004 and 1016-2999 are reserved for the protocol, and receivers reject them), not a softer warning."),
        ("close-reason-invalid-utf8", .invalidUTF8,
         "Issue #2 asks for invalid-utf8 on close reasons too; a finding about a Close cites §5.5.1 and §7.1.6, one about a text message §5.6 and §8.1."),
    ]

    /// The rows `rule` realises.
    public static func rows(of rule: Rule) -> [ChecklistRow] {
        all.filter { $0.rule == rule }
    }
}

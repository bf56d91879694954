/// Which HTTP message of an opening handshake.
public enum HTTPSide: String, Hashable, Sendable {
    case request, response
}

/// Where a finding applies inside the record that carries it, so that a renderer can point at it: highlight a
/// field of the frame, a run of payload bytes, a header line. A diagnostic without an anchor is about its record
/// as a whole (the frame, the message, the handshake, the connection).
///
/// The record itself is given by where the diagnostic is found: a frame's `diagnostics`, a message's, a
/// handshake's, or a `diagnostic` record (with its connection, direction and packet).
public enum DiagnosticAnchor: Hashable, Sendable {
    /// A header field of the frame the finding is on (the MASK bit, the opcode, the 16-bit length…).
    case frameField(FrameFieldID)
    /// Bytes of the payload of the frame or message the finding is on: offsets in the payload as the application
    /// sees it (unmasked; inflated for a compressed message).
    case payloadBytes(Range<UInt64>)
    /// The request line or the status line.
    case startLine(HTTPSide)
    /// Every line of one header of the request or response; `name` is lowercased.
    case header(HTTPSide, name: String)
    /// A header that the request or response should carry and does not; `name` is lowercased.
    case missingHeader(HTTPSide, name: String)
    /// Another frame of the same connection, by its `index` (a ping never answered, a Close never answered).
    case frame(index: Int)

    /// The header line of a handshake header (lowercasing the name).
    public static func headerLine(_ side: HTTPSide, _ name: String) -> DiagnosticAnchor {
        .header(side, name: name.lowercased())
    }

    /// The length field that carries a header's payload length: the 7-bit field, or the extended one.
    public static func lengthField(of header: FrameHeader) -> DiagnosticAnchor {
        switch header.lengthForm {
        case .sevenBit: .frameField(.payloadLength)
        case .sixteenBit: .frameField(.extendedLength16)
        case .sixtyFourBit: .frameField(.extendedLength64)
        }
    }
}

extension Rule {
    /// Where a finding of this rule applies when the finding does not say more precisely (a diagnostic made with an
    /// explicit anchor overrides it). The switch is exhaustive: a new rule needs a decision here.
    public var defaultAnchor: DiagnosticAnchor? {
        switch self {
        // The frame header.
        case .rsvWithoutExtension: .frameField(.rsv2)
        case .rsv1WithoutExtension, .rsv1OnControlFrame, .rsv1OnContinuation: .frameField(.rsv1)
        case .reservedOpcode, .unexpectedContinuation, .dataFrameDuringFragmentedMessage: .frameField(.opcode)
        case .controlFrameTooLong, .nonMinimalLength, .lengthMSBSet: .frameField(.payloadLength)
        case .controlFrameFragmented: .frameField(.fin)
        case .clientFrameUnmasked, .serverFrameMasked: .frameField(.mask)
        case .maskKeyZero, .maskKeyReused, .maskKeyPredictable: .frameField(.maskingKey)
        // The payload.
        case .closePayloadOneByte: .payloadBytes(0..<1)
        case .invalidCloseCode, .close1010Misuse: .payloadBytes(0..<2)
        case .invalidUTF8, .pongPayloadMismatch, .pmdInflateFailed, .pmdTrailerNotRemoved, .pmdEmptyCompressedPayload,
             .pmdContextTakeoverViolated, .pmdWindowExceeded, .messageSizeLimit, .pmdMissingSyncFlush, .pmdBadBFinalPadding: nil
        // The request.
        case .handshakeRequestMalformed, .handshakeMethodNotGet, .handshakeHTTPVersionTooOld, .handshakeURIFragment,
             .handshakeBadRequestTarget: .startLine(.request)
        case .handshakeMissingHost: .missingHeader(.request, name: "host")
        case .handshakeHostPortMismatch: .header(.request, name: "host")
        case .handshakeUpgradeMissing: .header(.request, name: "upgrade")
        case .handshakeConnectionMissingUpgrade: .header(.request, name: "connection")
        case .handshakeKeyMissing: .missingHeader(.request, name: "sec-websocket-key")
        case .handshakeKeyNot16Bytes, .handshakeKeyPadBits, .handshakeKeyRepeated, .handshakeKeyNotRandom:
            .header(.request, name: "sec-websocket-key")
        case .handshakeVersionMissing: .missingHeader(.request, name: "sec-websocket-version")
        case .handshakeVersionRepeated, .handshakeVersionNot13: .header(.request, name: "sec-websocket-version")
        case .handshakeBrowserWithoutOrigin: .missingHeader(.request, name: "origin")
        case .subprotocolInvalidToken, .subprotocolOfferedTwice: .header(.request, name: "sec-websocket-protocol")
        case .legacyHixieHandshake: .header(.request, name: "sec-websocket-key1")
        case .extensionNotRegistered: .header(.request, name: "sec-websocket-extensions")
        // Either message: the finding names the header.
        case .extensionsHeaderMalformed, .pmdUnknownParameter, .pmdDuplicateParameter, .pmdUnexpectedValue,
             .pmdInvalidWindowBits, .legacyDeflateFrame:
            .header(.response, name: "sec-websocket-extensions")
        case .headerWhitespaceBeforeColon, .headerObsFold, .headerDuplicate, .legacyHixieHeader: nil
        // The response.
        case .responseMalformed, .serverAcceptedInvalidRequest, .upgradeRefused: .startLine(.response)
        case .responseUpgradeInvalid: .header(.response, name: "upgrade")
        case .responseConnectionInvalid: .header(.response, name: "connection")
        case .acceptMismatch, .acceptRepeated: .header(.response, name: "sec-websocket-accept")
        case .subprotocolNotOffered, .subprotocolResponseInvalid, .subprotocolHeaderRepeated:
            .header(.response, name: "sec-websocket-protocol")
        case .extensionNotOffered, .extensionsHeaderRepeated, .pmdInvalidOfferAccepted, .pmdClientWindowBitsNotOffered,
             .pmdServerWindowBitsNotHonoured, .pmdRSV1Conflict, .pmdSmallWindow:
            .header(.response, name: "sec-websocket-extensions")
        case .responseVersionListMissing: .missingHeader(.response, name: "sec-websocket-version")
        // The record as a whole: a frame, a message, a connection, a packet.
        case .truncatedFrame, .messageUnfinished, .dataAfterClose, .closeNotAnswered, .closeSentTwice, .pingNotAnswered,
             .handshakeRejectedWithoutResponse, .clientDataBeforeResponse, .clientAcceptedBadHandshake,
             .websocketWithoutHandshake, .tcpRetransmissionConflict, .streamResynchronised, .captureGap,
             .ipFragmentNotReassembled, .packetMalformed, .connectionEvicted, .tlsNotDecrypted, .tlsDecryptionFailed,
             .tlsAlert, .tlsRecordMalformed, .tlsRecordTruncated, .tlsNoSNI, .pastedBareLF, .inputEnded, .frameBeforeOpen,
             .pongLate, .closeAnswerLate, .peerRejectedValidFragmentation, .peerContinuedAfterViolation,
             .failedWithoutClose, .tcpNotClosedAfterClose, .clientClosedTCPFirst, .tcpResetClose,
             .reconnectWithoutBackoff, .cleartextWebsocket, .concurrentConnecting, .pmdClientRejectedCNCT: nil
        case .connectRefused: .startLine(.response)
        }
    }
}

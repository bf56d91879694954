// The one catalog of every rule wsinspect checks. Docs/rules.md is generated from it (`wsinspect rules --markdown`)
// and a test fails when the two disagree. Rule ids are a contract: add rules, never rename them.

extension Rule {
    // MARK: Framing (RFC 6455 §5)
    public static let rsvWithoutExtension = Rule("rsv-without-extension", .error, "RFC 6455 §5.2",
        "RSV2 and RSV3 are 0 unless a negotiated extension defines them.")
    public static let rsv1WithoutExtension = Rule("rsv1-without-extension", .error, "RFC 6455 §5.2, RFC 7692 §6",
        "RSV1 is 0 unless an extension that uses it (permessage-deflate) was negotiated.")
    public static let reservedOpcode = Rule("reserved-opcode", .error, "RFC 6455 §5.2",
        "Opcodes 0x3-0x7 and 0xB-0xF are reserved and are not sent unless an extension defines them.")
    public static let controlFrameTooLong = Rule("control-frame-too-long", .error, "RFC 6455 §5.5",
        "A control frame (close, ping, pong) carries at most 125 bytes of payload.")
    public static let controlFrameFragmented = Rule("control-frame-fragmented", .error, "RFC 6455 §5.5",
        "A control frame is never fragmented: its FIN bit is 1.")
    public static let nonMinimalLength = Rule("non-minimal-length", .error, "RFC 6455 §5.2",
        "The payload length uses the shortest form: 0-125 in 7 bits, up to 65535 in 16 bits, else 64 bits.")
    public static let lengthMSBSet = Rule("length-msb-set", .error, "RFC 6455 §5.2",
        "The most significant bit of a 64-bit payload length is 0.")
    public static let clientFrameUnmasked = Rule("client-frame-unmasked", .error, "RFC 6455 §5.1, §5.3",
        "Every frame a client sends is masked (MASK=1).")
    public static let serverFrameMasked = Rule("server-frame-masked", .error, "RFC 6455 §5.1",
        "A server never masks the frames it sends (MASK=0).")
    public static let maskKeyZero = Rule("mask-key-zero", .warning, "RFC 6455 §5.3, §10.3",
        "The masking key is unpredictable; the key 00 00 00 00 leaves the payload unmasked.")
    public static let truncatedFrame = Rule("truncated-frame", .warning, "RFC 6455 §5.2",
        "Each direction is a sequence of complete frames; this one ends before its declared length.")

    // MARK: Close frames (RFC 6455 §5.5.1, §7.4)
    public static let closePayloadOneByte = Rule("close-payload-one-byte", .error, "RFC 6455 §5.5.1",
        "A close payload is empty or starts with a 2-byte status code; one byte is impossible.")
    public static let invalidCloseCode = Rule("invalid-close-code", .error, "RFC 6455 §7.4",
        "A close code on the wire is 1000-1003, 1007-1014, 3000-3999 or 4000-4999.")

    // MARK: UTF-8 (RFC 6455 §5.6, §8.1)
    public static let invalidUTF8 = Rule("invalid-utf8", .error, "RFC 6455 §5.6, §8.1",
        "Text messages and close reasons are valid UTF-8.")

    // MARK: permessage-deflate framing (RFC 7692 §6)
    public static let rsv1OnControlFrame = Rule("rsv1-on-control-frame", .error, "RFC 7692 §6.1",
        "RSV1 (\"compressed\") is never set on a control frame.")
    public static let rsv1OnContinuation = Rule("rsv1-on-continuation", .error, "RFC 7692 §6.1",
        "RSV1 (\"compressed\") is set only on the first frame of a message, never on a continuation frame.")

    // MARK: Messages and the close handshake (RFC 6455 §5.4, §5.5, §7)
    public static let unexpectedContinuation = Rule("unexpected-continuation", .error, "RFC 6455 §5.4",
        "A continuation frame only follows an unfinished (FIN=0) text or binary frame.")
    public static let dataFrameDuringFragmentedMessage = Rule("data-frame-during-fragmented-message", .error, "RFC 6455 §5.4",
        "No new text or binary frame starts while a fragmented message is still open.")
    public static let messageUnfinished = Rule("message-unfinished", .warning, "RFC 6455 §6.1",
        "The last frame of each message has FIN=1; a message still open at Close or at the end of the connection never finished.")
    public static let dataAfterClose = Rule("data-after-close", .error, "RFC 6455 §5.5.1",
        "An endpoint sends no data frames after its own Close frame.")
    public static let closeNotAnswered = Rule("close-not-answered", .error, "RFC 6455 §5.5.1",
        "An endpoint that receives a Close frame answers with a Close frame before closing TCP.")
    public static let closeSentTwice = Rule("close-sent-twice", .note, "RFC 6455 §5.5.1",
        "Each endpoint sends one Close frame; a second one is redundant.")
    public static let pongPayloadMismatch = Rule("pong-payload-mismatch", .note, "RFC 6455 §5.5.3",
        "A Pong that answers a Ping carries the Ping's application data.")
    public static let pingNotAnswered = Rule("ping-not-answered", .note, "RFC 6455 §5.5.2",
        "A Ping gets a Pong before the peer closes (unless a Close arrived first).")

    // MARK: permessage-deflate (RFC 7692)
    public static let pmdUnknownParameter = Rule("pmd-unknown-parameter", .error, "RFC 7692 §7",
        "permessage-deflate offers and responses use only the four parameters of RFC 7692.")
    public static let pmdDuplicateParameter = Rule("pmd-duplicate-parameter", .error, "RFC 7692 §7",
        "No parameter repeats within one permessage-deflate offer or response.")
    public static let pmdUnexpectedValue = Rule("pmd-unexpected-value", .error, "RFC 7692 §7.1.1",
        "server_no_context_takeover and client_no_context_takeover have no value.")
    public static let pmdInvalidWindowBits = Rule("pmd-invalid-window-bits", .error, "RFC 7692 §7.1.2",
        "Window bits are decimal 8-15; server_max_window_bits always has a value, client_max_window_bits is bare only in an offer.")
    public static let pmdInvalidOfferAccepted = Rule("pmd-invalid-offer-accepted", .error, "RFC 7692 §7",
        "A server declines permessage-deflate offers with unknown, repeated or invalid parameters.")
    public static let pmdClientWindowBitsNotOffered = Rule("pmd-client-window-bits-not-offered", .error, "RFC 7692 §7.1.2.2",
        "client_max_window_bits appears in the response only if the accepted offer had it.")
    public static let pmdServerWindowBitsNotHonoured = Rule("pmd-server-window-bits-not-honoured", .error, "RFC 7692 §7.1.2.1",
        "An offer's server_max_window_bits is answered with an equal or smaller value.")
    public static let pmdRSV1Conflict = Rule("pmd-rsv1-conflict", .error, "RFC 7692 §5",
        "permessage-deflate is accepted at most once and not with another extension that uses RSV1.")
    public static let pmdSmallWindow = Rule("pmd-small-window", .warning, "RFC 7692 §7.3",
        "An LZ77 window of at least 1024 bytes (window bits 10 or more) is recommended.")
    public static let legacyDeflateFrame = Rule("legacy-deflate-frame", .note, "RFC 7692 §1",
        "x-webkit-deflate-frame and deflate-frame are pre-standard per-frame compression, superseded by permessage-deflate.")
    public static let pmdInflateFailed = Rule("pmd-inflate-failed", .error, "RFC 7692 §7.2.2",
        "A compressed message (all fragments + 00 00 ff ff) inflates as raw DEFLATE with its direction's window.")
    public static let pmdTrailerNotRemoved = Rule("pmd-trailer-not-removed", .error, "RFC 7692 §7.2.1",
        "The sender removes the final 00 00 ff ff of the sync flush from a compressed message.")
    public static let pmdEmptyCompressedPayload = Rule("pmd-empty-compressed-payload", .error, "RFC 7692 §7.2.1",
        "A compressed message is never empty: an empty message compresses to the single byte 00.")
    public static let pmdContextTakeoverViolated = Rule("pmd-context-takeover-violated", .error, "RFC 7692 §7.2.1",
        "Under *_no_context_takeover each message of that direction starts from an empty window.")
    public static let pmdWindowExceeded = Rule("pmd-window-exceeded", .error, "RFC 7692 §7.2.1",
        "With *_max_window_bits=w, back-references reach at most 2^w bytes back.")
    public static let connectionEvicted = Rule("connection-evicted", .warning, "RFC 6455 §10.4",
        "wsinspect follows at most --max-connections open connections; past that the least recently active is dropped.")
    public static let messageSizeLimit = Rule("message-size-limit", .warning, "RFC 6455 §10.4",
        "A message's inflated size stays within --max-message-size (wsinspect stops inflating it there).")

    // MARK: Opening handshake: the request (RFC 6455 §4.1, RFC 7230)
    public static let handshakeRequestMalformed = Rule("handshake-request-malformed", .error, "RFC 6455 §4.1, RFC 7230 §3",
        "The opening handshake is a well-formed HTTP/1.1 request: request line, CRLF-terminated header lines, empty line.")
    public static let handshakeMethodNotGet = Rule("handshake-method-not-get", .error, "RFC 6455 §4.1",
        "The opening handshake is a GET request.")
    public static let handshakeHTTPVersionTooOld = Rule("handshake-http-version-too-old", .error, "RFC 6455 §4.1",
        "The opening handshake uses HTTP/1.1 or later.")
    public static let handshakeURIFragment = Rule("handshake-uri-fragment", .error, "RFC 6455 §3",
        "A WebSocket URI has no fragment; a literal # is sent as %23.")
    public static let handshakeMissingHost = Rule("handshake-missing-host", .error, "RFC 6455 §4.1, RFC 7230 §5.4",
        "The request carries a Host header.")
    public static let handshakeHostPortMismatch = Rule("handshake-host-port-mismatch", .warning, "RFC 6455 §4.1",
        "Host names the port the connection goes to (omitted only for the default port).")
    public static let handshakeUpgradeMissing = Rule("handshake-upgrade-missing", .error, "RFC 6455 §4.1",
        "The request has an Upgrade header containing the token websocket (any case).")
    public static let handshakeConnectionMissingUpgrade = Rule("handshake-connection-missing-upgrade", .error, "RFC 6455 §4.1",
        "The request's Connection header contains the token Upgrade (any case, in a comma list).")
    public static let handshakeKeyMissing = Rule("handshake-key-missing", .error, "RFC 6455 §4.1",
        "The request carries a Sec-WebSocket-Key.")
    public static let handshakeKeyNot16Bytes = Rule("handshake-key-not-16-bytes", .error, "RFC 6455 §4.1",
        "Sec-WebSocket-Key is the base64 encoding of exactly 16 bytes (24 characters ending in ==).")
    public static let handshakeKeyPadBits = Rule("handshake-key-pad-bits", .note, "RFC 4648 §3.5",
        "The last base64 character of the key carries unused bits that a canonical encoder sets to 0.")
    public static let handshakeKeyRepeated = Rule("handshake-key-repeated", .error, "RFC 6455 §11.3.1",
        "Sec-WebSocket-Key appears only once in a request.")
    public static let handshakeKeyNotRandom = Rule("handshake-key-not-random", .warning, "RFC 6455 §4.1",
        "The key is a fresh random nonce for each connection (not the RFC's sample, not reused).")
    public static let handshakeVersionMissing = Rule("handshake-version-missing", .error, "RFC 6455 §4.1",
        "The request carries Sec-WebSocket-Version.")
    public static let handshakeVersionRepeated = Rule("handshake-version-repeated", .error, "RFC 6455 §11.3.5",
        "Sec-WebSocket-Version appears only once in a request.")
    public static let handshakeVersionNot13 = Rule("handshake-version-not-13", .error, "RFC 6455 §4.1",
        "Sec-WebSocket-Version is exactly 13.")
    public static let handshakeBrowserWithoutOrigin = Rule("handshake-browser-without-origin", .warning, "RFC 6455 §4.1",
        "Browser clients send an Origin header.")
    public static let subprotocolInvalidToken = Rule("subprotocol-invalid-token", .error, "RFC 6455 §4.1",
        "Each offered subprotocol is a non-empty token.")
    public static let subprotocolOfferedTwice = Rule("subprotocol-offered-twice", .error, "RFC 6455 §4.1",
        "Offered subprotocols are all different.")
    public static let extensionsHeaderMalformed = Rule("extensions-header-malformed", .error, "RFC 6455 §9.1",
        "Sec-WebSocket-Extensions follows the extension-list grammar; quoted values unquote to tokens.")
    public static let headerWhitespaceBeforeColon = Rule("header-whitespace-before-colon", .error, "RFC 7230 §3.2.4",
        "No whitespace between a header name and its colon; a recipient must reject such a message.")
    public static let headerObsFold = Rule("header-obs-fold", .error, "RFC 7230 §3.2.4",
        "No obsolete line folding (continuation lines starting with a space or tab).")
    public static let headerDuplicate = Rule("header-duplicate", .error, "RFC 7230 §3.2.2",
        "A header field repeats only if its value is a comma-separated list.")
    public static let legacyHixieHandshake = Rule("legacy-hixie-handshake", .warning, "RFC 6455 §1.1",
        "The handshake is the pre-RFC hixie-76 draft (Sec-WebSocket-Key1/Key2), not RFC 6455.")
    public static let legacyHixieHeader = Rule("legacy-hixie-header", .note, "RFC 6455 §4.2.2",
        "Sec-WebSocket-Origin and Sec-WebSocket-Location belong to the pre-RFC hixie drafts, not RFC 6455.")

    // MARK: Opening handshake: the response (RFC 6455 §4.2.2, §4.1)
    public static let responseMalformed = Rule("response-malformed", .error, "RFC 6455 §4.2.2",
        "The response is a valid HTTP status line (101 to accept) followed by header lines.")
    public static let responseUpgradeInvalid = Rule("response-upgrade-invalid", .error, "RFC 6455 §4.1, §4.2.2",
        "The 101 response carries Upgrade: websocket (any case).")
    public static let responseConnectionInvalid = Rule("response-connection-invalid", .error, "RFC 6455 §4.1, §4.2.2",
        "The 101 response carries a Connection header containing Upgrade.")
    public static let acceptMismatch = Rule("accept-mismatch", .error, "RFC 6455 §4.2.2",
        "Sec-WebSocket-Accept is present and equals base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)).")
    public static let acceptRepeated = Rule("accept-repeated", .error, "RFC 6455 §11.3.3",
        "Sec-WebSocket-Accept appears only once.")
    public static let subprotocolNotOffered = Rule("subprotocol-not-offered", .error, "RFC 6455 §4.1",
        "A subprotocol in the response is one the client offered.")
    public static let subprotocolResponseInvalid = Rule("subprotocol-response-invalid", .error, "RFC 6455 §4.2.2",
        "The response's subprotocol is one non-empty token, not a list.")
    public static let subprotocolHeaderRepeated = Rule("subprotocol-header-repeated", .error, "RFC 6455 §11.3.4",
        "Sec-WebSocket-Protocol appears at most once in the response.")
    public static let extensionNotOffered = Rule("extension-not-offered", .error, "RFC 6455 §4.1, §9.1",
        "Every extension in the response was offered by the client.")
    public static let extensionsHeaderRepeated = Rule("extensions-header-repeated", .warning, "RFC 6455 §11.3.2",
        "Sec-WebSocket-Extensions appears at most once in the response (§4.2.2 allows splitting it, hence a warning).")
    public static let serverAcceptedInvalidRequest = Rule("server-accepted-invalid-request", .error, "RFC 6455 §4.2.1",
        "A request that breaks the handshake rules gets an HTTP error, not a 101.")
    public static let upgradeRefused = Rule("upgrade-refused", .note, "RFC 6455 §4.1",
        "The server answered the upgrade with a status other than 101, so the connection stays HTTP.")
    public static let responseVersionListMissing = Rule("response-version-list-missing", .warning, "RFC 6455 §4.2.2, §4.4",
        "A refusal for an unsupported version lists the supported versions in Sec-WebSocket-Version.")
    public static let handshakeRejectedWithoutResponse = Rule("handshake-rejected-without-response", .warning, "RFC 6455 §4.2.1",
        "A refused handshake gets an HTTP error response rather than a bare TCP close.")
    public static let clientDataBeforeResponse = Rule("client-data-before-response", .warning, "RFC 6455 §4.1",
        "The client sends no frames until the server's 101 has arrived.")
    public static let clientAcceptedBadHandshake = Rule("client-accepted-bad-handshake", .error, "RFC 6455 §4.1",
        "A client fails the connection when the 101 is invalid, instead of sending frames.")
    public static let websocketWithoutHandshake = Rule("websocket-without-handshake", .note, "RFC 6455 §4",
        "The connection was decoded as WebSocket without its opening handshake (first seen mid-stream).")

    // MARK: Below WebSocket: TCP and IP
    public static let tcpRetransmissionConflict = Rule("tcp-retransmission-conflict", .warning, "RFC 9293 §3.10.7.4",
        "Retransmitted or overlapping TCP segments carry the same bytes as the original ones.")
    public static let streamResynchronised = Rule("stream-resynchronised", .note, "RFC 6455 §5.2",
        "After a capture gap swallowed a frame header (or a connection was first seen mid-stream), decoding resumes at the first frame boundary the bytes prove.")
    public static let captureGap = Rule("capture-gap", .note, "RFC 9293 §3.4",
        "Bytes that the TCP sequence numbers show were sent are missing from the capture: nothing is concluded about them and no peer is blamed.")
    public static let ipFragmentNotReassembled = Rule("ip-fragment-not-reassembled", .warning, "RFC 791 §3.2",
        "IP fragments are detected and reported; wsinspect does not reassemble them.")
    public static let packetMalformed = Rule("packet-malformed", .warning, "RFC 9293 §3.1",
        "Every captured packet has complete link, IP and TCP headers.")
}

/// Every rule, in the order Docs/rules.md lists them.
public enum RuleCatalog {
    public static let all: [Rule] = [
        .rsvWithoutExtension, .rsv1WithoutExtension, .reservedOpcode, .controlFrameTooLong,
        .controlFrameFragmented, .nonMinimalLength, .lengthMSBSet, .clientFrameUnmasked, .serverFrameMasked,
        .maskKeyZero, .truncatedFrame,
        .closePayloadOneByte, .invalidCloseCode,
        .invalidUTF8,
        .rsv1OnControlFrame, .rsv1OnContinuation,
        .unexpectedContinuation, .dataFrameDuringFragmentedMessage, .messageUnfinished, .dataAfterClose,
        .closeNotAnswered, .closeSentTwice, .pongPayloadMismatch, .pingNotAnswered,
        .pmdUnknownParameter, .pmdDuplicateParameter, .pmdUnexpectedValue, .pmdInvalidWindowBits,
        .pmdInvalidOfferAccepted, .pmdClientWindowBitsNotOffered, .pmdServerWindowBitsNotHonoured, .pmdRSV1Conflict,
        .pmdSmallWindow, .legacyDeflateFrame, .pmdInflateFailed, .pmdTrailerNotRemoved, .pmdEmptyCompressedPayload,
        .pmdContextTakeoverViolated, .pmdWindowExceeded, .messageSizeLimit,
        .handshakeRequestMalformed, .handshakeMethodNotGet, .handshakeHTTPVersionTooOld, .handshakeURIFragment,
        .handshakeMissingHost, .handshakeHostPortMismatch, .handshakeUpgradeMissing, .handshakeConnectionMissingUpgrade,
        .handshakeKeyMissing, .handshakeKeyNot16Bytes, .handshakeKeyPadBits, .handshakeKeyRepeated, .handshakeKeyNotRandom,
        .handshakeVersionMissing, .handshakeVersionRepeated, .handshakeVersionNot13, .handshakeBrowserWithoutOrigin,
        .subprotocolInvalidToken, .subprotocolOfferedTwice, .extensionsHeaderMalformed,
        .headerWhitespaceBeforeColon, .headerObsFold, .headerDuplicate, .legacyHixieHandshake, .legacyHixieHeader,
        .responseMalformed, .responseUpgradeInvalid, .responseConnectionInvalid, .acceptMismatch, .acceptRepeated,
        .subprotocolNotOffered, .subprotocolResponseInvalid, .subprotocolHeaderRepeated, .extensionNotOffered,
        .extensionsHeaderRepeated, .serverAcceptedInvalidRequest, .upgradeRefused, .responseVersionListMissing,
        .handshakeRejectedWithoutResponse, .clientDataBeforeResponse, .clientAcceptedBadHandshake,
        .websocketWithoutHandshake,
        .tcpRetransmissionConflict, .streamResynchronised, .captureGap, .ipFragmentNotReassembled, .packetMalformed,
        .connectionEvicted,
    ]

    /// The rule with this id, if there is one.
    public static func rule(id: String) -> Rule? {
        all.first { $0.id == id }
    }
}

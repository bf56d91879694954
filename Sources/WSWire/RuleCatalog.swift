// The one catalog of every rule wsinspect checks. Each rule is declared once, as a case of `Rule`; its severity,
// section and summary sit in the exhaustive switch below, which the compiler keeps in step with the cases. The
// catalog, `wsinspect rules`, Docs/rules.md (`wsinspect rules --markdown`, compared by a test) and the tests all derive
// from `Rule.allCases`. Rule ids are a contract: add rules, never rename them.

/// One rule of the protocol that a capture or a pasted frame can break; the raw value is its stable id.
public enum Rule: String, CaseIterable, Hashable, Sendable, Identifiable {
    // MARK: Framing (RFC 6455 §5)
    case rsvWithoutExtension = "rsv-without-extension"
    case rsv1WithoutExtension = "rsv1-without-extension"
    case reservedOpcode = "reserved-opcode"
    case controlFrameTooLong = "control-frame-too-long"
    case controlFrameFragmented = "control-frame-fragmented"
    case nonMinimalLength = "non-minimal-length"
    case lengthMSBSet = "length-msb-set"
    case clientFrameUnmasked = "client-frame-unmasked"
    case serverFrameMasked = "server-frame-masked"
    case maskKeyZero = "mask-key-zero"
    case maskKeyReused = "mask-key-reused"
    case maskKeyPredictable = "mask-key-predictable"
    case truncatedFrame = "truncated-frame"
    // MARK: Close frames (RFC 6455 §5.5.1, §7.4)
    case closePayloadOneByte = "close-payload-one-byte"
    case invalidCloseCode = "invalid-close-code"
    // MARK: UTF-8 (RFC 6455 §5.6, §8.1; close reasons §5.5.1, §7.1.6)
    case invalidUTF8 = "invalid-utf8"
    // MARK: permessage-deflate framing (RFC 7692 §6)
    case rsv1OnControlFrame = "rsv1-on-control-frame"
    case rsv1OnContinuation = "rsv1-on-continuation"
    // MARK: Messages and the close handshake (RFC 6455 §5.4, §5.5, §7)
    case unexpectedContinuation = "unexpected-continuation"
    case dataFrameDuringFragmentedMessage = "data-frame-during-fragmented-message"
    case messageUnfinished = "message-unfinished"
    case dataAfterClose = "data-after-close"
    case closeNotAnswered = "close-not-answered"
    case closeSentTwice = "close-sent-twice"
    case pongPayloadMismatch = "pong-payload-mismatch"
    case pingNotAnswered = "ping-not-answered"
    case pongLate = "pong-late"
    case close1010Misuse = "close-1010-misuse"
    case closeAnswerLate = "close-answer-late"
    case peerRejectedValidFragmentation = "peer-rejected-valid-fragmentation"
    case peerContinuedAfterViolation = "peer-continued-after-violation"
    case failedWithoutClose = "failed-without-close"
    // MARK: Closing the connection (RFC 6455 §7.1.1, §7.2.3) and its transport (RFC 6455 §10.6)
    case tcpNotClosedAfterClose = "tcp-not-closed-after-close"
    case clientClosedTCPFirst = "client-closed-tcp-first"
    case tcpResetClose = "tcp-reset-close"
    case reconnectWithoutBackoff = "reconnect-without-backoff"
    case cleartextWebsocket = "cleartext-websocket"
    // MARK: permessage-deflate (RFC 7692)
    case pmdUnknownParameter = "pmd-unknown-parameter"
    case pmdDuplicateParameter = "pmd-duplicate-parameter"
    case pmdUnexpectedValue = "pmd-unexpected-value"
    case pmdInvalidWindowBits = "pmd-invalid-window-bits"
    case pmdInvalidOfferAccepted = "pmd-invalid-offer-accepted"
    case pmdClientWindowBitsNotOffered = "pmd-client-window-bits-not-offered"
    case pmdServerWindowBitsNotHonoured = "pmd-server-window-bits-not-honoured"
    case pmdRSV1Conflict = "pmd-rsv1-conflict"
    case pmdSmallWindow = "pmd-small-window"
    case legacyDeflateFrame = "legacy-deflate-frame"
    case pmdInflateFailed = "pmd-inflate-failed"
    case pmdTrailerNotRemoved = "pmd-trailer-not-removed"
    case pmdEmptyCompressedPayload = "pmd-empty-compressed-payload"
    case pmdContextTakeoverViolated = "pmd-context-takeover-violated"
    case pmdWindowExceeded = "pmd-window-exceeded"
    case pmdMissingSyncFlush = "pmd-missing-sync-flush"
    case pmdBadBFinalPadding = "pmd-bad-bfinal-padding"
    case pmdClientRejectedCNCT = "pmd-client-rejected-cnct"
    // MARK: Opening handshake: the request (RFC 6455 §4.1, RFC 7230)
    case handshakeRequestMalformed = "handshake-request-malformed"
    case handshakeMethodNotGet = "handshake-method-not-get"
    case handshakeHTTPVersionTooOld = "handshake-http-version-too-old"
    case handshakeBadRequestTarget = "handshake-bad-request-target"
    case handshakeURIFragment = "handshake-uri-fragment"
    case handshakeMissingHost = "handshake-missing-host"
    case handshakeHostPortMismatch = "handshake-host-port-mismatch"
    case handshakeUpgradeMissing = "handshake-upgrade-missing"
    case handshakeConnectionMissingUpgrade = "handshake-connection-missing-upgrade"
    case handshakeKeyMissing = "handshake-key-missing"
    case handshakeKeyNot16Bytes = "handshake-key-not-16-bytes"
    case handshakeKeyPadBits = "handshake-key-pad-bits"
    case handshakeKeyRepeated = "handshake-key-repeated"
    case handshakeKeyNotRandom = "handshake-key-not-random"
    case handshakeVersionMissing = "handshake-version-missing"
    case handshakeVersionRepeated = "handshake-version-repeated"
    case handshakeVersionNot13 = "handshake-version-not-13"
    case handshakeBrowserWithoutOrigin = "handshake-browser-without-origin"
    case subprotocolInvalidToken = "subprotocol-invalid-token"
    case subprotocolOfferedTwice = "subprotocol-offered-twice"
    case extensionsHeaderMalformed = "extensions-header-malformed"
    case extensionNotRegistered = "extension-not-registered"
    case concurrentConnecting = "concurrent-connecting"
    case headerWhitespaceBeforeColon = "header-whitespace-before-colon"
    case headerObsFold = "header-obs-fold"
    case headerDuplicate = "header-duplicate"
    case legacyHixieHandshake = "legacy-hixie-handshake"
    case legacyHixieHeader = "legacy-hixie-header"
    case pastedBareLF = "pasted-bare-lf"
    // MARK: Opening handshake: the response (RFC 6455 §4.2.2, §4.1)
    case responseMalformed = "response-malformed"
    case responseUpgradeInvalid = "response-upgrade-invalid"
    case responseConnectionInvalid = "response-connection-invalid"
    case acceptMismatch = "accept-mismatch"
    case acceptRepeated = "accept-repeated"
    case subprotocolNotOffered = "subprotocol-not-offered"
    case subprotocolResponseInvalid = "subprotocol-response-invalid"
    case subprotocolHeaderRepeated = "subprotocol-header-repeated"
    case extensionNotOffered = "extension-not-offered"
    case extensionsHeaderRepeated = "extensions-header-repeated"
    case serverAcceptedInvalidRequest = "server-accepted-invalid-request"
    case upgradeRefused = "upgrade-refused"
    case responseVersionListMissing = "response-version-list-missing"
    case handshakeRejectedWithoutResponse = "handshake-rejected-without-response"
    case clientDataBeforeResponse = "client-data-before-response"
    case clientAcceptedBadHandshake = "client-accepted-bad-handshake"
    case frameBeforeOpen = "frame-before-open"
    case websocketWithoutHandshake = "websocket-without-handshake"
    // MARK: Below WebSocket: TLS and proxies (RFC 8446, RFC 5246, RFC 9110)
    case tlsNotDecrypted = "tls-not-decrypted"
    case tlsDecryptionFailed = "tls-decryption-failed"
    case tlsAlert = "tls-alert"
    case tlsRecordMalformed = "tls-record-malformed"
    case tlsRecordTruncated = "tls-record-truncated"
    case tlsNoSNI = "tls-no-sni"
    case connectRefused = "connect-refused"
    // MARK: Below WebSocket: TCP and IP
    case tcpRetransmissionConflict = "tcp-retransmission-conflict"
    case streamResynchronised = "stream-resynchronised"
    case captureGap = "capture-gap"
    case inputEnded = "input-ended"
    case ipFragmentNotReassembled = "ip-fragment-not-reassembled"
    case packetMalformed = "packet-malformed"
    // MARK: wsinspect's own limits (notes: the traffic broke no rule)
    case messageSizeLimit = "message-size-limit"
    case connectionEvicted = "connection-evicted"

    /// Stable kebab-case identifier, e.g. `client-frame-unmasked`. Other tools match on it: never rename.
    public var id: String { rawValue }
    public var severity: Severity { spec.severity }
    /// Where the requirement is written, e.g. `RFC 6455 §5.2`.
    public var section: String { spec.section }
    /// What the rule requires, in one sentence.
    public var summary: String { spec.summary }

    /// Where the UTF-8 of close reasons is required (an `invalid-utf8` finding about a Close cites it).
    public static let closeReasonUTF8Section = "RFC 6455 §5.5.1, §7.1.6"
    /// Where the UTF-8 of text messages is required.
    public static let textUTF8Section = "RFC 6455 §5.6, §8.1"

    /// The rule with this id, if there is one.
    public init?(id: String) { self.init(rawValue: id) }

    struct Spec {
        let severity: Severity
        let section: String
        let summary: String
        init(_ severity: Severity, _ section: String, _ summary: String) {
            self.severity = severity
            self.section = section
            self.summary = summary
        }
    }

    var spec: Spec {
        switch self {
        case .rsvWithoutExtension: return Spec(.error, "RFC 6455 §5.2",
            "RSV2 and RSV3 are 0 unless a negotiated extension defines them.")
        case .rsv1WithoutExtension: return Spec(.error, "RFC 6455 §5.2, RFC 7692 §6",
            "RSV1 is 0 unless an extension that uses it (permessage-deflate) was negotiated.")
        case .reservedOpcode: return Spec(.error, "RFC 6455 §5.2",
            "Opcodes 0x3-0x7 and 0xB-0xF are reserved and are not sent unless an extension defines them.")
        case .controlFrameTooLong: return Spec(.error, "RFC 6455 §5.5",
            "A control frame (close, ping, pong) carries at most 125 bytes of payload.")
        case .controlFrameFragmented: return Spec(.error, "RFC 6455 §5.5",
            "A control frame is never fragmented: its FIN bit is 1.")
        case .nonMinimalLength: return Spec(.error, "RFC 6455 §5.2",
            "The payload length uses the shortest form: 0-125 in 7 bits, up to 65535 in 16 bits, else 64 bits.")
        case .lengthMSBSet: return Spec(.error, "RFC 6455 §5.2",
            "The most significant bit of a 64-bit payload length is 0.")
        case .clientFrameUnmasked: return Spec(.error, "RFC 6455 §5.1, §5.3",
            "Every frame a client sends is masked (MASK=1).")
        case .serverFrameMasked: return Spec(.error, "RFC 6455 §5.1",
            "A server never masks the frames it sends (MASK=0).")
        case .maskKeyZero: return Spec(.warning, "RFC 6455 §5.3, §10.3",
            "The masking key is unpredictable; the key 00 00 00 00 leaves the payload unmasked.")
        case .maskKeyReused: return Spec(.warning, "RFC 6455 §5.3, §10.3",
            "Each frame gets a fresh masking key; the key of the sender's previous frame is a predictable one.")
        case .maskKeyPredictable: return Spec(.warning, "RFC 6455 §5.3, §10.3",
            "Each frame's masking key is new and unpredictable: not a counter or a constant step from the previous keys (the previous key again is mask-key-reused).")
        case .truncatedFrame: return Spec(.error, "RFC 6455 §5.2",
            "Each direction is a sequence of complete frames: its sender's FIN or RST does not cut a frame short.")
        case .closePayloadOneByte: return Spec(.error, "RFC 6455 §5.5.1",
            "A close payload is empty or starts with a 2-byte status code; one byte is impossible.")
        case .invalidCloseCode: return Spec(.error, "RFC 6455 §7.4",
            "A close code on the wire is 1000-1003, 1007-1014, 3000-3999 or 4000-4999.")
        case .invalidUTF8: return Spec(.error, "RFC 6455 §5.6, §8.1, §5.5.1, §7.1.6",
            "Text messages (§5.6, §8.1) and close reasons (§5.5.1, §7.1.6) are valid UTF-8.")
        case .rsv1OnControlFrame: return Spec(.error, "RFC 7692 §6.1",
            "RSV1 (\"compressed\") is never set on a control frame.")
        case .rsv1OnContinuation: return Spec(.error, "RFC 7692 §6.1",
            "RSV1 (\"compressed\") is set only on the first frame of a message, never on a continuation frame.")
        case .unexpectedContinuation: return Spec(.error, "RFC 6455 §5.4",
            "A continuation frame only follows an unfinished (FIN=0) text or binary frame.")
        case .dataFrameDuringFragmentedMessage: return Spec(.error, "RFC 6455 §5.4",
            "No new text or binary frame starts while a fragmented message is still open.")
        case .messageUnfinished: return Spec(.warning, "RFC 6455 §5.4",
            "The last frame of each message has FIN=1; a message still open when its sender sends Close or closes TCP never finished.")
        case .dataAfterClose: return Spec(.error, "RFC 6455 §5.5.1",
            "An endpoint sends no data frames after its own Close frame.")
        case .closeNotAnswered: return Spec(.error, "RFC 6455 §5.5.1",
            "An endpoint that receives a Close frame answers with a Close frame before closing TCP.")
        case .closeSentTwice: return Spec(.note, "RFC 6455 §5.5.1",
            "Each endpoint sends one Close frame; a second one is redundant.")
        case .pongPayloadMismatch: return Spec(.note, "RFC 6455 §5.5.3",
            "A Pong that answers a Ping carries the Ping's application data.")
        case .pingNotAnswered: return Spec(.note, "RFC 6455 §5.5.2",
            "A Ping gets a Pong before the peer closes (unless a Close arrived first).")
        case .pongLate: return Spec(.warning, "RFC 6455 §5.5.2",
            "A Pong is sent as soon as practical: not later than --pong-timeout while the peer sends other frames (a busy network cannot be told apart).")
        case .close1010Misuse: return Spec(.warning, "RFC 6455 §7.4.1",
            "Close code 1010 is sent only by a client, with a reason naming the extensions it needed.")
        case .closeAnswerLate: return Spec(.warning, "RFC 6455 §5.5.1",
            "The answer to a Close comes as soon as practical: within --close-timeout, and after no new message (finishing the current one is allowed).")
        case .peerRejectedValidFragmentation: return Spec(.warning, "RFC 6455 §5.4",
            "Endpoints accept fragmented messages and control frames between fragments; closing with 1002 or 1003 right after a valid one suggests they do not (the real reason cannot be seen).")
        case .peerContinuedAfterViolation: return Spec(.warning, "RFC 6455 §7.1.7, §5.1, §5.2, §8.1",
            "The receiver of a frame that breaks a MUST fails the connection; it does not go on sending data or pongs --fail-timeout after the frame arrived.")
        case .failedWithoutClose: return Spec(.warning, "RFC 6455 §7.1.7, §10.7",
            "An endpoint that fails the connection after a bad frame sends a Close with a fitting code (1002, 1007…) before closing TCP.")
        case .tcpNotClosedAfterClose: return Spec(.warning, "RFC 6455 §5.5.1, §7.1.1",
            "After both Close frames the server closes TCP at once: within --close-timeout, when the capture goes on long enough to tell.")
        case .clientClosedTCPFirst: return Spec(.warning, "RFC 6455 §7.1.1",
            "After the close handshake the server closes TCP first; the client waits for the server's FIN (unless it waited --close-timeout in vain).")
        case .tcpResetClose: return Spec(.warning, "RFC 6455 §7.1.1",
            "A WebSocket connection's TCP connection is closed cleanly with FIN, not reset with RST.")
        case .reconnectWithoutBackoff: return Spec(.warning, "RFC 6455 §7.2.3",
            "After abnormal closures a client reconnects after a delay that grows each time; three quick reconnections in a row that do not wait longer suggest no backoff (other clients behind one address look alike).")
        case .cleartextWebsocket: return Spec(.warning, "RFC 6455 §10.6",
            "WebSocket runs over TLS (wss); a plain ws connection can be read and altered on the way (a note on loopback).")
        case .pmdUnknownParameter: return Spec(.error, "RFC 7692 §7",
            "permessage-deflate offers and responses use only the four parameters of RFC 7692.")
        case .pmdDuplicateParameter: return Spec(.error, "RFC 7692 §7",
            "No parameter repeats within one permessage-deflate offer or response.")
        case .pmdUnexpectedValue: return Spec(.error, "RFC 7692 §7.1.1",
            "server_no_context_takeover and client_no_context_takeover have no value.")
        case .pmdInvalidWindowBits: return Spec(.error, "RFC 7692 §7.1.2",
            "Window bits are decimal 8-15; server_max_window_bits always has a value, client_max_window_bits is bare only in an offer.")
        case .pmdInvalidOfferAccepted: return Spec(.error, "RFC 7692 §7",
            "A server declines permessage-deflate offers with unknown, repeated or invalid parameters.")
        case .pmdClientWindowBitsNotOffered: return Spec(.error, "RFC 7692 §7.1.2.2",
            "client_max_window_bits appears in the response only if the accepted offer had it.")
        case .pmdServerWindowBitsNotHonoured: return Spec(.error, "RFC 7692 §7.1.2.1",
            "An offer's server_max_window_bits is answered with an equal or smaller value.")
        case .pmdRSV1Conflict: return Spec(.error, "RFC 7692 §5",
            "permessage-deflate is accepted at most once and not with another extension that uses RSV1.")
        case .pmdSmallWindow: return Spec(.warning, "RFC 7692 §7.3",
            "An LZ77 window of at least 1024 bytes (window bits 10 or more) is recommended.")
        case .legacyDeflateFrame: return Spec(.note, "RFC 7692 §1",
            "x-webkit-deflate-frame and deflate-frame are pre-standard per-frame compression, superseded by permessage-deflate.")
        case .pmdInflateFailed: return Spec(.error, "RFC 7692 §7.2.2",
            "A compressed message (all fragments + 00 00 ff ff) inflates as raw DEFLATE with its direction's window.")
        case .pmdTrailerNotRemoved: return Spec(.error, "RFC 7692 §7.2.1",
            "The sender removes the final 00 00 ff ff of the sync flush from a compressed message.")
        case .pmdEmptyCompressedPayload: return Spec(.error, "RFC 7692 §7.2.1",
            "A compressed message is never empty: an empty message compresses to the single byte 00.")
        case .pmdContextTakeoverViolated: return Spec(.error, "RFC 7692 §7.2.1",
            "Under *_no_context_takeover each message of that direction starts from an empty window.")
        case .pmdWindowExceeded: return Spec(.error, "RFC 7692 §7.2.1",
            "With *_max_window_bits=w, back-references reach at most 2^w bytes back.")
        case .pmdMissingSyncFlush: return Spec(.warning, "RFC 7692 §7.2.1",
            "A compressed message (with 00 00 ff ff appended) ends with an empty stored block, also after a BFINAL block; zlib stops at BFINAL, so only a bit-level walk sees it.")
        case .pmdBadBFinalPadding: return Spec(.warning, "RFC 7692 §7.2.1",
            "A BFINAL block that ends mid-byte is padded to the byte boundary with 0 bits.")
        case .pmdClientRejectedCNCT: return Spec(.warning, "RFC 7692 §7.1.1.2",
            "A client accepts client_no_context_takeover in a response; closing with 1010 or failing right after such a 101 suggests it does not (the real reason cannot be seen).")
        case .messageSizeLimit: return Spec(.note, "wsinspect limit (--max-message-size)",
            "Not a protocol rule: wsinspect inflates at most --max-message-size bytes of a message and shows no more of it.")
        case .handshakeRequestMalformed: return Spec(.error, "RFC 6455 §4.1, RFC 7230 §3",
            "The opening handshake is a well-formed HTTP/1.1 request: request line, CRLF-terminated header lines, empty line.")
        case .handshakeMethodNotGet: return Spec(.error, "RFC 6455 §4.1",
            "The opening handshake is a GET request.")
        case .handshakeHTTPVersionTooOld: return Spec(.error, "RFC 6455 §4.1",
            "The opening handshake uses HTTP/1.1 or later.")
        case .handshakeBadRequestTarget: return Spec(.warning, "RFC 6455 §4.1, §3",
            "The request target is the resource name (starting with /) or an absolute http/https URI whose host and port match Host (the URI the client meant cannot be seen).")
        case .handshakeURIFragment: return Spec(.error, "RFC 6455 §3",
            "A WebSocket URI has no fragment; a literal # is sent as %23.")
        case .handshakeMissingHost: return Spec(.error, "RFC 6455 §4.1, RFC 7230 §5.4",
            "The request carries a Host header.")
        case .handshakeHostPortMismatch: return Spec(.warning, "RFC 6455 §4.1",
            "Host names the port the connection goes to (omitted only for the default port).")
        case .handshakeUpgradeMissing: return Spec(.error, "RFC 6455 §4.1",
            "The request has an Upgrade header containing the token websocket (any case).")
        case .handshakeConnectionMissingUpgrade: return Spec(.error, "RFC 6455 §4.1",
            "The request's Connection header contains the token Upgrade (any case, in a comma list).")
        case .handshakeKeyMissing: return Spec(.error, "RFC 6455 §4.1",
            "The request carries a Sec-WebSocket-Key.")
        case .handshakeKeyNot16Bytes: return Spec(.error, "RFC 6455 §4.1",
            "Sec-WebSocket-Key is the base64 encoding of exactly 16 bytes (24 characters ending in ==).")
        case .handshakeKeyPadBits: return Spec(.note, "RFC 4648 §3.5",
            "The last base64 character of the key carries unused bits that a canonical encoder sets to 0.")
        case .handshakeKeyRepeated: return Spec(.error, "RFC 6455 §11.3.1",
            "Sec-WebSocket-Key appears only once in a request.")
        case .handshakeKeyNotRandom: return Spec(.warning, "RFC 6455 §4.1",
            "The key is a fresh random nonce for each connection: not the RFC's sample, not reused, not all zero or of low entropy.")
        case .handshakeVersionMissing: return Spec(.error, "RFC 6455 §4.1",
            "The request carries Sec-WebSocket-Version.")
        case .handshakeVersionRepeated: return Spec(.error, "RFC 6455 §11.3.5",
            "Sec-WebSocket-Version appears only once in a request.")
        case .handshakeVersionNot13: return Spec(.error, "RFC 6455 §4.1",
            "Sec-WebSocket-Version is exactly 13.")
        case .handshakeBrowserWithoutOrigin: return Spec(.warning, "RFC 6455 §4.1",
            "Browser clients send an Origin header.")
        case .subprotocolInvalidToken: return Spec(.error, "RFC 6455 §4.1",
            "Each offered subprotocol is a non-empty token.")
        case .subprotocolOfferedTwice: return Spec(.error, "RFC 6455 §4.1",
            "Offered subprotocols are all different.")
        case .extensionsHeaderMalformed: return Spec(.error, "RFC 6455 §9.1",
            "Sec-WebSocket-Extensions follows the extension-list grammar; quoted values unquote to tokens.")
        case .extensionNotRegistered: return Spec(.warning, "RFC 6455 §9.1, §11.4",
            "Offered extension names are registered with IANA (wsinspect knows permessage-deflate; the registry may have grown).")
        case .concurrentConnecting: return Spec(.warning, "RFC 6455 §4.1",
            "A client has at most one connection to a server IP and port in CONNECTING state (clients behind one NAT address look alike).")
        case .headerWhitespaceBeforeColon: return Spec(.error, "RFC 7230 §3.2.4",
            "No whitespace between a header name and its colon: a server must reject such a request (400 Bad Request), a proxy must remove it from a response before forwarding.")
        case .headerObsFold: return Spec(.error, "RFC 7230 §3.2.4",
            "No obsolete line folding (continuation lines starting with a space or tab).")
        case .headerDuplicate: return Spec(.error, "RFC 7230 §3.2.2",
            "A header field repeats only if its value is a comma-separated list.")
        case .legacyHixieHandshake: return Spec(.note, "draft-hixie-thewebsocketprotocol-76",
            "The handshake is the pre-RFC hixie-76 draft (Sec-WebSocket-Key1/Key2), not RFC 6455.")
        case .legacyHixieHeader: return Spec(.note, "draft-hixie-thewebsocketprotocol-76",
            "Sec-WebSocket-Origin and Sec-WebSocket-Location belong to the pre-RFC hixie drafts, not RFC 6455.")
        case .responseMalformed: return Spec(.error, "RFC 6455 §4.2.2",
            "The response is a valid HTTP status line (101 to accept) followed by header lines.")
        case .responseUpgradeInvalid: return Spec(.error, "RFC 6455 §4.1, §4.2.2",
            "The 101 response carries Upgrade: websocket (any case).")
        case .responseConnectionInvalid: return Spec(.error, "RFC 6455 §4.1, §4.2.2",
            "The 101 response carries a Connection header containing Upgrade.")
        case .acceptMismatch: return Spec(.error, "RFC 6455 §4.2.2",
            "Sec-WebSocket-Accept is present and equals base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)).")
        case .acceptRepeated: return Spec(.error, "RFC 6455 §11.3.3",
            "Sec-WebSocket-Accept appears only once.")
        case .subprotocolNotOffered: return Spec(.error, "RFC 6455 §4.1",
            "A subprotocol in the response is one the client offered.")
        case .subprotocolResponseInvalid: return Spec(.error, "RFC 6455 §4.2.2",
            "The response's subprotocol is one non-empty token, not a list.")
        case .subprotocolHeaderRepeated: return Spec(.error, "RFC 6455 §11.3.4",
            "Sec-WebSocket-Protocol appears at most once in the response.")
        case .extensionNotOffered: return Spec(.error, "RFC 6455 §4.1, §9.1",
            "Every extension in the response was offered by the client.")
        case .extensionsHeaderRepeated: return Spec(.warning, "RFC 6455 §11.3.2",
            "Sec-WebSocket-Extensions appears at most once in the response (§4.2.2 allows splitting it, hence a warning).")
        case .serverAcceptedInvalidRequest: return Spec(.error, "RFC 6455 §4.2.1",
            "A request that breaks the handshake rules gets an HTTP error, not a 101.")
        case .upgradeRefused: return Spec(.note, "RFC 6455 §4.1",
            "The server answered the upgrade with a status other than 101, so the connection stays HTTP.")
        case .responseVersionListMissing: return Spec(.warning, "RFC 6455 §4.2.2, §4.4",
            "A refusal for an unsupported version lists the supported versions in Sec-WebSocket-Version.")
        case .handshakeRejectedWithoutResponse: return Spec(.warning, "RFC 6455 §4.2.1",
            "A refused handshake gets an HTTP error response rather than a bare TCP close.")
        case .clientDataBeforeResponse: return Spec(.warning, "RFC 6455 §4.1",
            "The client sends no frames until the server's 101 has arrived.")
        case .clientAcceptedBadHandshake: return Spec(.error, "RFC 6455 §4.1",
            "A client fails the connection when the 101 is invalid, instead of sending frames.")
        case .frameBeforeOpen: return Spec(.error, "RFC 6455 §4.1, §6.1",
            "No frames are sent unless a 101 was exchanged: after any other response the connection is still HTTP.")
        case .websocketWithoutHandshake: return Spec(.note, "RFC 6455 §4",
            "The connection was decoded as WebSocket without its opening handshake (first seen mid-stream).")
        case .pastedBareLF: return Spec(.note, "RFC 9112 §2.2",
            "HTTP lines end in CRLF; a pasted handshake whose lines end in bare LF cannot show what was sent (editors and terminals drop the CR), so it is read as if they were CRLF.")
        case .tlsNotDecrypted: return Spec(.note, "RFC 8446 §5.2, RFC 5246 §6.2.3.3",
            "A TLS connection's records are read only with its secrets (a key log); without them nothing is decoded from ciphertext.")
        case .tlsDecryptionFailed: return Spec(.warning, "RFC 8446 §5.2, RFC 5246 §6.2.3.3",
            "Every protected record authenticates with its connection's keys; one that does not (a wrong key log, altered bytes) stops decryption of its direction.")
        case .tlsAlert: return Spec(.warning, "RFC 8446 §6",
            "A TLS alert other than close_notify reports an error or a cancellation; a fatal one ends the connection.")
        case .tlsRecordMalformed: return Spec(.warning, "RFC 8446 §5.1",
            "A TLS stream is a sequence of records, each with a known content type, a version and a length of at most 2^14 + 2048 bytes.")
        case .tlsRecordTruncated: return Spec(.note, "RFC 8446 §5.1",
            "A TLS stream ends on a record boundary; a record cut off by the end of the connection or of the capture is not read.")
        case .tlsNoSNI: return Spec(.warning, "RFC 6455 §4.1 (connect 5), RFC 6066 §3",
            "A wss client names the server's host in the TLS ClientHello (server_name), unless the host is an IP address.")
        case .connectRefused: return Spec(.note, "RFC 9110 §9.3.6",
            "A proxy that answers CONNECT with a status other than 2xx opens no tunnel: what was to pass through it never starts.")
        case .tcpRetransmissionConflict: return Spec(.warning, "RFC 9293 §3.10.7.4",
            "Retransmitted or overlapping TCP segments carry the same bytes as the original ones.")
        case .streamResynchronised: return Spec(.note, "RFC 6455 §5.2",
            "After a capture gap swallowed a frame header (or a connection was first seen mid-stream), decoding resumes at the first frame boundary the bytes prove.")
        case .captureGap: return Spec(.note, "RFC 9293 §3.4",
            "Bytes that the TCP sequence numbers show were sent are missing from the capture: nothing is concluded about them and no peer is blamed.")
        case .inputEnded: return Spec(.note, "RFC 6455 §5.2, §5.4",
            "The capture (or the pasted bytes) ends inside a frame or a message, or a peer's reset cuts it: what would have followed is not there, and its sender is not blamed.")
        case .ipFragmentNotReassembled: return Spec(.warning, "RFC 791 §3.2",
            "IP fragments are detected and reported; wsinspect does not reassemble them.")
        case .packetMalformed: return Spec(.warning, "RFC 9293 §3.1",
            "Every captured packet has complete link, IP and TCP headers.")
        case .connectionEvicted: return Spec(.note, "wsinspect limit (--max-connections)",
            "Not a protocol rule: wsinspect follows at most --max-connections open connections; past that the least recently active is dropped.")
        }
    }
}

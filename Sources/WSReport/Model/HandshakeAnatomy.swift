import WSStream
import WSAnalysis
import WSWire

/// Everything the view of an opening handshake shows, built once from the handshake record and drawn by the text
/// view, the JSON record and the HTML report: both HTTP heads line by line (each header with what it is for and
/// its RFC section), the Sec-WebSocket-Accept derivation step by step, what was negotiated, and the findings, each
/// anchored to the line it is about.
public struct HandshakeAnatomy: Sendable {
    /// One header line as sent, with its meaning when it is one of the handshake's headers.
    public struct HeaderLine: Sendable {
        public let field: HTTPHeaderField
        /// What this header does on its side of the handshake (nil for other headers: cookies, user agents…).
        public let role: HandshakeHeader.Role?
        /// The line breaks a syntax rule (whitespace before the colon, obsolete folding).
        public var isMalformed: Bool { field.whitespaceBeforeColon || field.folded }
        /// Findings anchored to this header.
        public let diagnostics: [Diagnostic]
    }

    /// One HTTP message of the handshake.
    public struct Head: Sendable {
        public let side: HTTPSide
        /// The request or status line, as sent.
        public let startLine: [UInt8]
        public let origin: ByteOrigin
        public let headers: [HeaderLine]
        /// Findings anchored to the start line.
        public let startLineDiagnostics: [Diagnostic]
        /// Findings about headers this message should carry and does not.
        public let missingHeaderDiagnostics: [Diagnostic]
    }

    /// The Sec-WebSocket-Accept check (RFC 6455 §4.2.2 item 5.4, §4.1 client item 4).
    public struct AcceptCheck: Sendable {
        public enum Verdict: Sendable {
            /// The connection was not upgraded: nothing to compare.
            case notChecked
            case matches(received: String)
            case mismatch(received: String)
            case missing
        }
        public let derivation: AcceptDerivation
        public let verdict: Verdict
    }

    /// What the 101 settled.
    public struct Negotiation: Sendable {
        public let subprotocol: String?
        /// The accepted extension elements as sent.
        public let extensions: [String]
        public let deflate: DeflateAgreement?
    }

    /// nil for a pasted handshake.
    public let stream: Int?
    public let client: String?, server: String?
    public let request: Head
    public let response: Head?
    public let requestLine: String
    public let status: Int?
    public let reason: String?
    public let key: String?
    /// Sec-WebSocket-Accept as received.
    public let accept: String?
    public let expectedAccept: String?
    /// Whether the received accept matches; nil when there was nothing to compare.
    public let acceptValid: Bool?
    public let acceptCheck: AcceptCheck?
    /// The status of a refused upgrade.
    public let refusedStatus: Int?
    /// Set when the connection was upgraded.
    public let negotiation: Negotiation?
    public let offeredSubprotocols: [String]
    public let offeredExtensions: [String]
    public let upgraded: Bool
    public let hixie76: Bool
    public let diagnostics: [Diagnostic]

    public init(_ record: HandshakeRecord) {
        let outcome = record.outcome
        stream = record.stream
        client = record.client
        server = record.server
        diagnostics = record.diagnostics
        request = Self.head(record.request.head, side: .request, origin: record.requestOrigin, diagnostics: record.diagnostics)
        response = record.response.flatMap { response in
            record.responseOrigin.map { Self.head(response.head, side: .response, origin: $0, diagnostics: record.diagnostics) }
        }
        requestLine = record.requestLine
        status = record.status
        reason = record.response?.line?.reason
        key = record.key
        accept = outcome?.accept
        expectedAccept = record.expectedAccept
        acceptValid = outcome?.acceptValid
        if let derivation = outcome?.derivation ?? record.key.map(AcceptDerivation.init) {
            let verdict: AcceptCheck.Verdict
            if let outcome, outcome.upgraded {
                if let received = outcome.accept {
                    verdict = derivation.matches(received) ? .matches(received: received) : .mismatch(received: received)
                } else {
                    verdict = .missing
                }
            } else {
                verdict = .notChecked
            }
            acceptCheck = AcceptCheck(derivation: derivation, verdict: verdict)
        } else {
            acceptCheck = nil
        }
        refusedStatus = record.upgraded ? nil : record.status
        negotiation = outcome.flatMap { outcome in
            outcome.upgraded ? Negotiation(subprotocol: outcome.subprotocol, extensions: outcome.extensions.map(\.text),
                                           deflate: outcome.deflate) : nil
        }
        offeredSubprotocols = record.request.offeredSubprotocols
        offeredExtensions = record.request.offeredExtensions.map(\.text)
        upgraded = record.upgraded
        hixie76 = record.request.isHixie76
    }

    private static func head(_ head: HTTPHead, side: HTTPSide, origin: ByteOrigin, diagnostics: [Diagnostic]) -> Head {
        let lines = head.fields.map { field in
            HeaderLine(field: field, role: HandshakeHeader.named(field.lowercasedName)?.role(side),
                       diagnostics: diagnostics.filter { $0.anchor == .header(side, name: field.lowercasedName) })
        }
        return Head(side: side, startLine: head.startLineBytes, origin: origin, headers: lines,
                    startLineDiagnostics: diagnostics.filter { $0.anchor == .startLine(side) },
                    missingHeaderDiagnostics: diagnostics.filter {
                        if case .missingHeader(side, _)? = $0.anchor { return true }
                        return false
                    })
    }
}

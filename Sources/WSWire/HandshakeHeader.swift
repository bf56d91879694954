/// The headers of the opening handshake, declared once: what each is for and where it is specified. The handshake
/// views show these (and with `-v` every other header too), and describe each line from this table.
public struct HandshakeHeader: Hashable, Sendable {
    /// The name as the RFC spells it.
    public let name: String
    /// What the header does in the handshake, in one sentence.
    public let meaning: String
    /// Where it is specified.
    public let section: String

    /// Every header of the table, in the order a request and its response carry them.
    public static let all: [HandshakeHeader] = [
        HandshakeHeader(name: "Host", meaning: "the server's host (and port, if not the default): the same server may host several sites",
                        section: "RFC 6455 §4.1 (item 4)"),
        HandshakeHeader(name: "Origin", meaning: "the page the script came from; browsers always send it, and servers may refuse origins they do not trust",
                        section: "RFC 6455 §4.1 (item 8), §10.2"),
        HandshakeHeader(name: "Upgrade", meaning: "asks (request) or agrees (101 response) to switch this connection to websocket",
                        section: "RFC 6455 §4.1 (item 5), §4.2.2"),
        HandshakeHeader(name: "Connection", meaning: "must contain Upgrade: the Upgrade header is for this hop, not to be forwarded",
                        section: "RFC 6455 §4.1 (item 6), §4.2.2"),
        HandshakeHeader(name: "Sec-WebSocket-Key", meaning: "16 random bytes in base64; the server hashes it into Sec-WebSocket-Accept to prove it read a WebSocket request",
                        section: "RFC 6455 §4.1 (item 7), §11.3.1"),
        HandshakeHeader(name: "Sec-WebSocket-Version", meaning: "the protocol version the client speaks: 13 for RFC 6455; a refusal lists the versions the server speaks",
                        section: "RFC 6455 §4.1 (item 9), §4.4, §11.3.5"),
        HandshakeHeader(name: "Sec-WebSocket-Protocol", meaning: "subprotocols the client offers, in order of preference; the server picks at most one",
                        section: "RFC 6455 §4.1 (item 10), §1.9, §11.3.4"),
        HandshakeHeader(name: "Sec-WebSocket-Extensions", meaning: "extensions the client offers (with parameters); the server answers with those it accepts",
                        section: "RFC 6455 §4.1 (item 11), §9.1, §11.3.2"),
        HandshakeHeader(name: "Sec-WebSocket-Accept", meaning: "base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)): proof that the server understood the request",
                        section: "RFC 6455 §4.2.2 (item 5.4), §1.3, §11.3.3"),
        HandshakeHeader(name: "Sec-WebSocket-Key1", meaning: "the first key of the pre-RFC hixie-76 handshake (not RFC 6455)",
                        section: "draft-hixie-thewebsocketprotocol-76"),
        HandshakeHeader(name: "Sec-WebSocket-Key2", meaning: "the second key of the pre-RFC hixie-76 handshake (not RFC 6455)",
                        section: "draft-hixie-thewebsocketprotocol-76"),
        HandshakeHeader(name: "Sec-WebSocket-Origin", meaning: "the hixie drafts' echo of Origin in the response (not RFC 6455)",
                        section: "draft-hixie-thewebsocketprotocol-76"),
        HandshakeHeader(name: "Sec-WebSocket-Location", meaning: "the hixie drafts' URL of the connection in the response (not RFC 6455)",
                        section: "draft-hixie-thewebsocketprotocol-76"),
    ]

    private static let byLowercasedName = Dictionary(uniqueKeysWithValues: all.map { ($0.name.lowercased(), $0) })

    /// The table entry for a header name given in lowercase.
    public static func named(_ lowercasedName: String) -> HandshakeHeader? { byLowercasedName[lowercasedName] }
}

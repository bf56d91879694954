/// The headers of the opening handshake, declared once: what each does in the request and in the response, and where
/// that is specified. The handshake views show these (and with `-v` every other header too), each line with its role.
public struct HandshakeHeader: Hashable, Sendable {
    /// What a header does on one side of the handshake.
    public struct Role: Hashable, Sendable {
        /// A short phrase: what the header says or asks.
        public let meaning: String
        /// Where it is specified, e.g. `RFC 6455 §4.1 item 7`.
        public let section: String
    }

    /// The name as the RFC spells it.
    public let name: String
    public let request: Role?
    public let response: Role?

    /// The role on one side.
    public func role(_ side: HTTPSide) -> Role? { side == .request ? request : response }

    static func header(_ name: String, request: (String, String)?, response: (String, String)?) -> HandshakeHeader {
        HandshakeHeader(name: name, request: request.map { Role(meaning: $0.0, section: $0.1) },
                        response: response.map { Role(meaning: $0.0, section: $0.1) })
    }

    /// Every header of the table, in the order a request and its response carry them.
    public static let all: [HandshakeHeader] = [
        header("Host", request: ("the server's host[:port]", "RFC 6455 §4.1 item 4"), response: nil),
        header("Origin", request: ("the page's origin; browsers always send it", "RFC 6455 §4.1 item 8, §10.2"), response: nil),
        header("Upgrade", request: ("asks to switch to websocket", "RFC 6455 §4.1 item 5"),
               response: ("agrees: websocket", "RFC 6455 §4.2.2 item 5.2")),
        header("Connection", request: ("must list Upgrade", "RFC 6455 §4.1 item 6"),
               response: ("must list Upgrade", "RFC 6455 §4.2.2 item 5.3")),
        header("Sec-WebSocket-Key", request: ("16 random bytes in base64", "RFC 6455 §4.1 item 7"), response: nil),
        header("Sec-WebSocket-Version", request: ("13 is RFC 6455", "RFC 6455 §4.1 item 9"),
               response: ("on a refusal: the versions the server speaks", "RFC 6455 §4.4")),
        header("Sec-WebSocket-Protocol", request: ("subprotocols offered, preferred first", "RFC 6455 §4.1 item 10"),
               response: ("the one subprotocol chosen", "RFC 6455 §4.2.2 item 5.5")),
        header("Sec-WebSocket-Extensions", request: ("extensions offered, with parameters", "RFC 6455 §4.1 item 11, §9.1"),
               response: ("extensions accepted", "RFC 6455 §4.2.2 item 5.6, §9.1")),
        header("Sec-WebSocket-Accept", request: nil,
               response: ("base64(SHA-1(key + GUID)): checked below", "RFC 6455 §4.2.2 item 5.4")),
        header("Sec-WebSocket-Key1", request: ("hixie-76 key, not RFC 6455", "draft-hixie-76"), response: nil),
        header("Sec-WebSocket-Key2", request: ("hixie-76 key, not RFC 6455", "draft-hixie-76"), response: nil),
        header("Sec-WebSocket-Origin", request: nil, response: ("hixie drafts' Origin echo, not RFC 6455", "draft-hixie-76")),
        header("Sec-WebSocket-Location", request: nil, response: ("hixie drafts' URL echo, not RFC 6455", "draft-hixie-76")),
    ]

    private static let byLowercasedName = Dictionary(uniqueKeysWithValues: all.map { ($0.name.lowercased(), $0) })

    /// The table entry for a header name given in lowercase.
    public static func named(_ lowercasedName: String) -> HandshakeHeader? { byLowercasedName[lowercasedName] }
}

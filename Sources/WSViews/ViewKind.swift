/// The application protocols a payload view reads (issue #17). The raw value is the name used everywhere: the JSON
/// `view.kind`, `--view NAME`, Docs/views.md.
public enum ViewKind: String, CaseIterable, Sendable {
    case json
    case socketIO = "socket.io"
    case stomp
    case mqtt
    case graphQL = "graphql-ws"

    /// The view a negotiated `Sec-WebSocket-Protocol` asks for, nil when the subprotocol names none of them.
    /// Subprotocol tokens are case-sensitive (RFC 6455 §4.1, §11.5), so the comparison is exact.
    public static func forSubprotocol(_ subprotocol: String) -> ViewKind? {
        switch subprotocol {
        case "mqtt", "mqttv3.1": return .mqtt
        case "v10.stomp", "v11.stomp", "v12.stomp", "stomp": return .stomp
        // graphql-transport-ws is the graphql-ws library's protocol; graphql-ws is, confusingly, the name of the
        // legacy subscriptions-transport-ws protocol. One view reads the message types of both.
        case "graphql-transport-ws", "graphql-ws": return .graphQL
        case "wamp.2.json", "json": return .json
        default: return nil
        }
    }
}

/// What `--view` asked for: choose per connection (`auto`, the default), no views at all (`none`), or one kind for
/// every connection whatever its subprotocol or content.
public enum ViewChoice: Sendable, Equatable {
    case auto
    case none
    case only(ViewKind)

    /// `auto`, `none`, or a kind's name; nil for anything else.
    public init?(name: String) {
        switch name {
        case "auto": self = .auto
        case "none": self = .none
        default:
            guard let kind = ViewKind(rawValue: name) else { return nil }
            self = .only(kind)
        }
    }

    /// Every name `--view` accepts, in the order the help lists them.
    public static let names = ["auto", "none"] + ViewKind.allCases.map(\.rawValue)
}

/// The two ends of a connection, as the views see them.
public enum Peer: Int, Sendable, CaseIterable {
    case client = 0
    case server = 1

    /// The other end.
    public var other: Peer { self == .client ? .server : .client }

    /// `client` or `server`.
    public var name: String { self == .client ? "client" : "server" }
}

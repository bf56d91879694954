/// What a payload view made of one WebSocket message: the application's own terms for it, and notes about what
/// could not be read (the raw message stays in its record either way). A class, so that the message record that
/// carries it (most carry none) copies one reference.
public final class MessageView: Sendable {
    public let content: ViewContent
    /// Failures and remarks, as sentences: invalid JSON with its position, a malformed packet, a limit reached, an
    /// ack that answers nothing. Empty when the message read cleanly.
    public let notes: [String]

    public init(_ content: ViewContent, notes: [String] = []) {
        self.content = content
        self.notes = notes
    }

    public var kind: ViewKind { content.kind }
}

/// The facts a view found, per kind. Renderers turn them into the JSON `view` object and text lines.
public enum ViewContent: Sendable {
    /// The connection has this view, but the message could not be read at all (the notes say why).
    case unparsed(ViewKind)
    case json(JSONView)
    case socketIO(SocketIOView)
    case stomp(STOMPView)
    case mqtt(MQTTView)
    case graphQL(GraphQLView)

    public var kind: ViewKind {
        switch self {
        case .unparsed(let kind): return kind
        case .json: return .json
        case .socketIO: return .socketIO
        case .stomp: return .stomp
        case .mqtt: return .mqtt
        case .graphQL: return .graphQL
        }
    }
}

/// A plain JSON message: its value in canonical form, or where it stops being JSON.
public struct JSONView: Sendable {
    /// The value (nil when the message is not JSON, when it was only checked, or when it was not read).
    public let value: JSONText?
    /// True when the message was not read because it is longer than `ViewLimits.maxJSONBytes` (nor checked: `error`
    /// is nil either way).
    public let valueOmitted: Bool
    /// Where and why the message is not JSON (nil when it is).
    public let error: JSONError?

    public init(value: JSONText?, valueOmitted: Bool = false, error: JSONError?) {
        self.value = value
        self.valueOmitted = valueOmitted
        self.error = error
    }
}

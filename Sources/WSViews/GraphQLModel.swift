/// One message of GraphQL over WebSocket: graphql-transport-ws (the graphql-ws library: `connection_init`,
/// `connection_ack`, `ping`, `pong`, `subscribe`, `next`, `error`, `complete`) or the legacy
/// subscriptions-transport-ws protocol, whose subprotocol is named `graphql-ws` (`connection_init`,
/// `connection_ack`, `connection_error`, `ka`, `connection_terminate`, `start`, `data`, `error`, `complete`, `stop`).
public struct GraphQLView: Sendable {
    /// The message's `type`, as sent.
    public var type: String
    /// The operation id (`subscribe`/`start` and the messages about that operation).
    public var id: String?
    /// The operation in brief: its kind and name as the query text declares them, e.g. `subscription OnComment`
    /// (`query` for the anonymous shorthand `{ … }`). On the messages about an operation, the operation their id
    /// names.
    public var operation: String?
    /// `payload.operationName` of a subscribe/start.
    public var operationName: String?
    /// `payload.query` of a subscribe/start.
    public var query: String?
    /// `payload.variables` of a subscribe/start.
    public var variables: JSONText?
    /// The payload of the other messages (connection_init's parameters, next's result, error's errors…).
    public var payload: JSONText?
    /// On `complete`, `stop` and the first `next`/`data`/`error` of an operation: seconds since its subscribe.
    public var sinceSubscribe: Double?

    public init(type: String) {
        self.type = type
    }
}

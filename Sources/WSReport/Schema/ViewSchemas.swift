// The keys of a message record's `view` object, one schema per view kind (Docs/json.md, "`view`"), in the order
// they are written. Every view object starts with `kind` and ends with `notes`; the keys between depend on what
// the message was (an MQTT CONNECT has other fields than a PUBLISH), so they are optional unless said otherwise.

/// `view` with `kind: "json"`: a plain JSON message.
public enum JSONViewKey: RecordSchema {
    public static let recordKind = "view.json"
    public static let inOrder = allCases
    /// `value` … `error_offset`: not in a view that could not read the message at all (only `kind` and `notes`).
    public static let optionalKeys: Set<Self> = [.value, .valueOmitted, .error, .errorOffset]

    case kind, value, valueOmitted, error, errorOffset, notes

    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .value: "value"
        case .valueOmitted: "value_omitted"
        case .error: "error"
        case .errorOffset: "error_offset"
        case .notes: "notes"
        }
    }
}

/// `view` with `kind: "socket.io"`: an Engine.IO packet, with its Socket.IO packet when it is a message.
public enum SocketIOViewKey: RecordSchema {
    public static let recordKind = "view.socket.io"
    public static let inOrder = allCases
    public static let optionalKeys = Set(allCases).subtracting([.kind, .notes])

    case kind, engineIO, payload, sid, upgrades, pingInterval, pingTimeout, maxPayload, socketIO, namespace, ackID
    case attachments, attachment, event, args, data, rttMs, notes

    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .engineIO: "engine_io"
        case .payload: "payload"
        case .sid: "sid"
        case .upgrades: "upgrades"
        case .pingInterval: "ping_interval"
        case .pingTimeout: "ping_timeout"
        case .maxPayload: "max_payload"
        case .socketIO: "socket_io"
        case .namespace: "namespace"
        case .ackID: "ack_id"
        case .attachments: "attachments"
        case .attachment: "attachment"
        case .event: "event"
        case .args: "args"
        case .data: "data"
        case .rttMs: "rtt_ms"
        case .notes: "notes"
        }
    }
}

/// `view` with `kind: "stomp"`: one frame inline, or `frames` (each a `STOMPFrameKey` object) when the message
/// carries another number of them.
public enum STOMPViewKey: RecordSchema {
    public static let recordKind = "view.stomp"
    public static let inOrder = allCases
    public static let optionalKeys = Set(allCases).subtracting([.kind, .notes])

    case kind, command, headers, body, bodyHex, bodyLength, receiptFor, rttMs, frames, heartbeats, pendingBytes, notes

    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .command: "command"
        case .headers: "headers"
        case .body: "body"
        case .bodyHex: "body_hex"
        case .bodyLength: "body_length"
        case .receiptFor: "receipt_for"
        case .rttMs: "rtt_ms"
        case .frames: "frames"
        case .heartbeats: "heartbeats"
        case .pendingBytes: "pending_bytes"
        case .notes: "notes"
        }
    }
}

/// One element of a STOMP view's `frames`.
public enum STOMPFrameKey: RecordSchema {
    public static let recordKind = "view.stomp.frame"
    public static let inOrder = allCases
    public static let optionalKeys: Set<Self> = [.receiptFor, .rttMs]

    case command, headers, body, bodyHex, bodyLength, receiptFor, rttMs

    public var key: StaticString {
        switch self {
        case .command: "command"
        case .headers: "headers"
        case .body: "body"
        case .bodyHex: "body_hex"
        case .bodyLength: "body_length"
        case .receiptFor: "receipt_for"
        case .rttMs: "rtt_ms"
        }
    }
}

/// `view` with `kind: "graphql-ws"`: a GraphQL over WebSocket message.
public enum GraphQLViewKey: RecordSchema {
    public static let recordKind = "view.graphql-ws"
    public static let inOrder = allCases
    public static let optionalKeys = Set(allCases).subtracting([.kind, .notes])

    case kind, type, id, operation, operationName, query, variables, payload, sinceSubscribeMs, notes

    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .type: "type"
        case .id: "id"
        case .operation: "operation"
        case .operationName: "operation_name"
        case .query: "query"
        case .variables: "variables"
        case .payload: "payload"
        case .sinceSubscribeMs: "since_subscribe_ms"
        case .notes: "notes"
        }
    }
}

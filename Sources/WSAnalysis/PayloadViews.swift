import WSWire

/// Reads one direction's messages as the application sees them — every payload byte, unmasked and inflated, whatever
/// the display limit — to show them in the application's own terms (Socket.IO, STOMP, MQTT…). The seam for payload
/// views (issue #17): a `PayloadViewFactory` picks a consumer per connection and direction from the negotiated
/// subprotocol; the message layer under it does not change.
///
/// Consumers run on the analysis thread, one per direction; each bounds what it keeps (they read untrusted bytes).
public protocol MessageConsumer: AnyObject {
    /// A message starts (its first frame's opcode: text or binary).
    func messageStarted(opcode: Opcode)
    /// The next payload bytes of the open message, in order.
    func messagePayload(_ bytes: UnsafeRawBufferPointer)
    /// `count` payload bytes of the open message are missing from the capture. No more bytes of this message follow
    /// (what comes after a gap cannot be joined to what came before it).
    func messageLost(_ count: UInt64)
    /// The message ended (complete or not: see `message.complete`); what the view makes of it, if anything, goes
    /// with the message record.
    func messageEnded(_ message: Message) -> MessageView?
}

/// Chooses the consumer of each direction of a connection.
public protocol PayloadViewFactory: Sendable {
    /// `subprotocol` is the one the handshake agreed (nil without one, or without a captured handshake).
    func consumer(subprotocol: String?, sender: Sender) -> MessageConsumer?
}

/// What a payload view makes of one message: its kind (`json`, `socket.io`, `mqtt`…), a one-line rendering, and its
/// fields as a JSON-like value for the `view` object of the message record. A class, so that a message that carries
/// none (nearly all of them) costs one nil reference to copy.
public final class MessageView: Sendable {
    public let kind: String
    public let line: String
    public let value: ViewValue

    public init(kind: String, line: String, value: ViewValue) {
        self.kind = kind
        self.line = line
        self.value = value
    }
}

/// A JSON-like value: what a payload view reports, renderer-neutral.
public indirect enum ViewValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([ViewValue])
    case object([(key: String, value: ViewValue)])

    public static func == (lhs: ViewValue, rhs: ViewValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

/// Every resource a payload view keeps is bounded: the views read untrusted bytes, and a message or a connection
/// must not make them grow without end. Reaching a limit is a note on the message, never a crash; the raw message
/// is still in its record.
public struct ViewLimits: Sendable {
    /// Bytes of one message a view reads; a longer message is not parsed (a note says so). Also the most an MQTT or
    /// STOMP direction holds of a packet or frame that continues in the next message.
    public var maxMessageBytes = 1 << 20
    /// A plain JSON message (the `json` view) longer than this is not read: its view says only that its value is
    /// omitted (the JSON output's `--max-payload`: a value is repeated within the payload limit, or not at all).
    public var maxJSONBytes = Int.max
    /// Whether plain JSON is read at all. Where values are not shown (the default text view and `--messages`, whose
    /// lines already show each message's text) it is not: the other views still are, and a connection is still
    /// sniffed for them, but a plain JSON message costs nothing.
    public var readsPlainJSON = true
    /// Nesting of JSON arrays and objects.
    public var maxDepth = 64
    /// JSON values (each array, object, string, number, literal) in one message.
    public var maxValues = 100_000
    /// Requests waiting for their answer, per connection: Socket.IO events waiting for an ack, STOMP frames waiting
    /// for a receipt, GraphQL operations. Past it, the oldest is forgotten (its answer is then noted as unmatched).
    public var maxPending = 1024
    /// Binary attachments of one Socket.IO packet that are joined into it.
    public var maxAttachments = 256
    /// Headers of one STOMP frame.
    public var maxHeaders = 256
    /// Entries in one MQTT list (subscriptions, reason codes, properties).
    public var maxListEntries = 4096

    public init() {}
}

import WSViews
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
    /// Both directions' consumers of one connection, asked once when it turns WebSocket, so that they can share
    /// what they learn (an ack answers an event of the other side). By default, `consumer(subprotocol:sender:)`
    /// for each.
    func consumers(subprotocol: String?) -> (client: MessageConsumer?, server: MessageConsumer?)
}

extension PayloadViewFactory {
    public func consumers(subprotocol: String?) -> (client: MessageConsumer?, server: MessageConsumer?) {
        (consumer(subprotocol: subprotocol, sender: .client), consumer(subprotocol: subprotocol, sender: .server))
    }
}

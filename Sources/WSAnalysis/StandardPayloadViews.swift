import WSViews
import WSWire

/// The payload views of WSViews (JSON, Socket.IO, STOMP, MQTT, GraphQL over WebSocket) behind the analysis' seam:
/// one `ConnectionViews` per connection, its two `MessageReader`s as the directions' consumers.
public struct StandardPayloadViews: PayloadViewFactory {
    public let choice: ViewChoice
    public let limits: ViewLimits

    public init(choice: ViewChoice, limits: ViewLimits = ViewLimits()) {
        self.choice = choice
        self.limits = limits
    }

    public func consumers(subprotocol: String?) -> (client: MessageConsumer?, server: MessageConsumer?) {
        guard let views = ConnectionViews(choice: choice, subprotocol: subprotocol, limits: limits) else { return (nil, nil) }
        // The readers keep their connection alive; the analysis keeps the readers.
        return views.makeReaders()
    }

    /// One direction alone (its views cannot match answers to the other side's requests).
    public func consumer(subprotocol: String?, sender: Sender) -> MessageConsumer? {
        guard let readers = ConnectionViews(choice: choice, subprotocol: subprotocol, limits: limits)?.makeReaders() else { return nil }
        return sender == .client ? readers.client : readers.server
    }
}

/// A direction's reader is the message layer's consumer: bytes in as they come, the view out at the end.
extension MessageReader: MessageConsumer {
    public func messageStarted(opcode: Opcode) {
        begin(binary: opcode == .binary)
    }

    public func messagePayload(_ bytes: UnsafeRawBufferPointer) {
        append(bytes)
    }

    public func messageLost(_ count: UInt64) {
        lose()
    }

    public func messageEnded(_ message: Message) -> MessageView? {
        end(complete: message.complete && !message.inflateFailed && !message.bytesLost, time: message.origin.time.timeInterval)
    }
}

/// Engine.IO 4's packet types: the digit that starts every text message (a binary message is a `message` packet).
public enum EngineIOPacketType: Int, Sendable, CaseIterable {
    case open = 0, close, ping, pong, message, upgrade, noop

    /// The protocol's own lower-case name (`open`, `ping`…): the JSON `engine_io`.
    public var name: String {
        switch self {
        case .open: "open"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        case .message: "message"
        case .upgrade: "upgrade"
        case .noop: "noop"
        }
    }
}

/// Socket.IO 5's packet types: the digit after Engine.IO's `4`.
public enum SocketIOPacketType: Int, Sendable, CaseIterable {
    case connect = 0, disconnect, event, ack, connectError, binaryEvent, binaryAck

    /// The protocol's own upper-case name (`EVENT`, `BINARY_ACK`…): the JSON `socket_io`.
    public var name: String {
        switch self {
        case .connect: "CONNECT"
        case .disconnect: "DISCONNECT"
        case .event: "EVENT"
        case .ack: "ACK"
        case .connectError: "CONNECT_ERROR"
        case .binaryEvent: "BINARY_EVENT"
        case .binaryAck: "BINARY_ACK"
        }
    }

    /// True for the packets whose binary arguments follow as attachments.
    public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }
    /// True for the packets that answer an earlier one.
    public var isAck: Bool { self == .ack || self == .binaryAck }
}

/// The server's Engine.IO handshake (the `open` packet's JSON object).
public struct EngineIOOpen: Sendable, Equatable {
    public var sid: String?
    public var upgrades: [String]?
    /// Milliseconds.
    public var pingInterval: Int64?
    public var pingTimeout: Int64?
    /// Bytes a polling request may carry.
    public var maxPayload: Int64?
}

/// One Socket.IO packet (`<type>[<attachments>-][<namespace>,][<ack id>][JSON]`).
public struct SocketIOPacket: Sendable {
    public var type: SocketIOPacketType
    /// `/` unless the packet names another.
    public var namespace = "/"
    public var ackID: Int64?
    /// Binary packets: how many binary messages follow with the attachments.
    public var attachments: Int?
    /// EVENT and BINARY_EVENT: the event's name (the first element of the data array). For an ACK matched to its
    /// event: that event's name.
    public var event: String?
    /// EVENT: the arguments after the name; ACK: the answer's arguments. Placeholders of a binary packet are
    /// replaced by their attachment's bytes in hex once all attachments arrived.
    public var args: JSONText?
    /// CONNECT, CONNECT_ERROR, DISCONNECT: the packet's JSON (the auth object, the session id, the error).
    public var data: JSONText?
}

/// What the Socket.IO view found in one message.
public struct SocketIOView: Sendable {
    public var engineIO: EngineIOPacketType
    /// The text after the type digit of a packet that is not a `message` (e.g. `probe`), when there is one.
    public var payload: String?
    /// The `open` packet's handshake.
    public var open: EngineIOOpen?
    /// The Socket.IO packet of a `message`.
    public var packet: SocketIOPacket?
    /// A binary message that is an attachment of the open binary packet: its number (from 0). The last attachment's
    /// view carries the whole packet, placeholders replaced.
    public var attachment: Int?
    /// For an ACK matched to its event: seconds between the event and the ack.
    public var roundTrip: Double?

    public init(engineIO: EngineIOPacketType) {
        self.engineIO = engineIO
    }
}

/// One STOMP header as sent (after the 1.1/1.2 escapes are undone). `value` is nil for a secret the view does not
/// repeat (the `passcode` of CONNECT and STOMP frames).
public struct STOMPHeader: Sendable, Equatable {
    public var name: String
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// One STOMP frame: command, headers in order (repeated ones too: the first counts), body.
public struct STOMPFrame: Sendable {
    public var command: String
    public var headers: [STOMPHeader] = []
    public var body: [UInt8] = []
    /// True when the body is valid UTF-8 (shown as text).
    public var bodyIsText = true
    /// For a RECEIPT (or an ERROR with `receipt-id`) matched to the frame that asked for it: that frame's command.
    public var receiptFor: String?
    /// Seconds between the request and its receipt.
    public var roundTrip: Double?

    public init(command: String) {
        self.command = command
    }

    /// The first header of that name (the one that counts, STOMP 1.2 §"Repeated Header Entries").
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// What the STOMP view found in one message: its frames, or heart-beats (a message of end-of-line bytes only).
public struct STOMPView: Sendable {
    public var frames: [STOMPFrame] = []
    /// End-of-line bytes that were not part of a frame (heart-beats).
    public var heartbeats = 0
    /// Bytes of a frame that continues in the sender's next message, held until then.
    public var pendingBytes = 0
}

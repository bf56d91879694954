/// Collects one direction's messages for the connection's view: the whole payload of each (unmasked and inflated),
/// up to the view's limit. Fed in pieces as the bytes arrive; what it keeps is decided at the first bytes, so that a
/// message no view wants costs a look at its first byte.
public final class MessageReader {
    /// The connection's shared state (the readers keep it alive: the analysis holds the readers).
    private let connection: ConnectionViews
    public let peer: Peer
    private var buffer: [UInt8] = []
    private var binary = false
    /// What happens to the current message's bytes.
    private var mode = Mode.skip
    private var length = 0
    private var lost = false

    enum Mode {
        /// Not wanted by any view.
        case skip
        /// Kept.
        case keep
        /// Kept if its first non-whitespace byte starts a JSON object or array (sniffing a plain JSON connection).
        case keepIfJSON
        /// Wanted but longer than the view's limit.
        case tooLong
        /// A plain JSON message longer than `ViewLimits.maxJSONBytes`: not read.
        case omitted
    }

    /// The length beyond which the current message (plain JSON) is not read; nil for other views.
    private var jsonLimit: Int?

    init(connection: ConnectionViews, peer: Peer) {
        self.connection = connection
        self.peer = peer
    }

    /// A message starts.
    public func begin(binary: Bool) {
        self.binary = binary
        length = 0
        lost = false
        // A large buffer is not kept between messages (hundreds of idle connections would add up).
        if buffer.capacity > 64 << 10 { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
        mode = connection.mode(for: peer, binary: binary)
        jsonLimit = mode == .skip ? nil : connection.jsonLimit(binary: binary)
    }

    /// The next payload bytes of the message.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        length &+= bytes.count
        switch mode {
        case .skip, .tooLong, .omitted:
            return
        case .keepIfJSON:
            if buffer.isEmpty {
                guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return }
                guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
                    mode = .skip
                    connection.notJSON(from: peer)
                    return
                }
                mode = .keep
            }
        case .keep:
            break
        }
        if let jsonLimit, length > jsonLimit {
            mode = .omitted
            buffer = []
            return
        }
        if buffer.count + bytes.count > connection.limits.maxMessageBytes {
            mode = .tooLong
            buffer = []
            return
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes of the message are missing from the capture.
    public func lose() {
        lost = true
    }

    /// The message ended, at `time` (seconds); `complete` is false when it never got its final fragment or could
    /// not be inflated in full. Returns the view of it, if the connection has one.
    public func end(complete: Bool, time: Double) -> MessageView? {
        defer { mode = .skip }
        switch mode {
        case .skip:
            return nil
        case .keepIfJSON where buffer.isEmpty:
            return nil   // whitespace only
        case .omitted:
            return connection.omittedJSON(from: peer)
        case .tooLong:
            return connection.unreadable(from: peer, binary: binary,
                                         because: "The message (\(length) bytes) is longer than the view's limit of \(connection.limits.maxMessageBytes) bytes: not read.")
        default:
            if lost || !complete {
                return connection.unreadable(from: peer, binary: binary,
                                             because: lost ? "Bytes of the message are missing from the capture: not read." : "The message is incomplete: not read.")
            }
            return connection.read(buffer, binary: binary, from: peer, time: time)
        }
    }
}

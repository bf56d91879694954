import WSWire

/// What the text view holds back for one connection while a fragmented message is open: per direction, the first
/// frame of the message still open there, and the connection's lines waiting for that message's line
/// (`HeldLines`). A connection with nothing open and nothing held has no entry, so that the common frame — no
/// fragmented message anywhere — costs no lookup.
struct ConnectionHold {
    private var fromClient: Int?
    private var fromServer: Int?
    /// Frames whose sender is not known (a capture joined mid-stream without a handshake).
    private var fromUnknown: Int?
    /// The connection's lines held until the line of its open message is known; nil: lines print at once.
    var lines: HeldLines?

    /// The first frame of the fragmented message open in this direction.
    subscript(open sender: Sender?) -> Int? {
        get {
            switch sender {
            case .client?: fromClient
            case .server?: fromServer
            case nil: fromUnknown
            }
        }
        set {
            switch sender {
            case .client?: fromClient = newValue
            case .server?: fromServer = newValue
            case nil: fromUnknown = newValue
            }
        }
    }

    /// Nothing open, nothing held: the entry can go.
    var isIdle: Bool { fromClient == nil && fromServer == nil && fromUnknown == nil && lines == nil }
}

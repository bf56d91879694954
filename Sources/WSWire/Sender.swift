/// Which end of a connection sent some bytes.
///
/// "Client" is the side that sent the HTTP GET with the Upgrade, "server" the side that answered it.
public enum Sender: String, Hashable, Sendable, CaseIterable {
    case client
    case server

    /// The other end.
    public var peer: Sender { self == .client ? .server : .client }

    /// An arrow naming the direction: `C→S` or `S→C`.
    public var arrow: String { self == .client ? "C→S" : "S→C" }
}

extension Optional where Wrapped == Sender {
    /// `C→S`, `S→C`, or `→` when the sender is unknown (pasted frames without `--from`).
    public var arrow: String { self?.arrow ?? "→" }
}

@testable import WSViews

/// Feeds whole messages to a connection's views, as the analysis would.
struct ViewDriver {
    let connection: ConnectionViews
    let readers: (client: MessageReader, server: MessageReader)
    var time = 0.0

    init(choice: ViewChoice = .auto, subprotocol: String? = nil, limits: ViewLimits = ViewLimits()) {
        connection = ConnectionViews(choice: choice, subprotocol: subprotocol, limits: limits)!
        readers = connection.makeReaders()
    }

    func reader(for peer: Peer) -> MessageReader { peer == .client ? readers.client : readers.server }

    /// One message from `peer`, its bytes in one piece (or `pieces` pieces); the clock advances 1 ms per message.
    mutating func send(_ bytes: [UInt8], from peer: Peer, binary: Bool = false, pieces: Int = 1, complete: Bool = true) -> MessageView? {
        let reader = self.reader(for: peer)
        reader.begin(binary: binary)
        let step = max(1, (bytes.count + pieces - 1) / pieces)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + step)
            bytes[start..<end].withUnsafeBytes { reader.append($0) }
            start = end
        }
        time += 0.001
        return reader.end(complete: complete, time: time)
    }

    mutating func text(_ text: String, from peer: Peer) -> MessageView? {
        send(Array(text.utf8), from: peer)
    }
}

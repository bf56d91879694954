import WSStream

/// What a capture shows of one client address's connections to one server (IP and port), for the two rules that span
/// connections: a second upgrade request while another is still unanswered (`concurrent-connecting`, RFC 6455 §4.1),
/// and quick reconnections after abnormal closures that never wait longer (`reconnect-without-backoff`, §7.2.3).
/// Clients behind one NAT address look like one client, so both are warnings that say so.
///
/// Bounded: a pair is forgotten once it has no upgrade waiting and more than `capacity` pairs are known.
struct ClientHistory {
    struct Pair: Hashable {
        let client: IPAddress
        let server: Endpoint
    }

    private struct Entry {
        /// Connections whose upgrade request waits for its response.
        var connecting: [Int] = []
        /// When the last connection closed abnormally (nil after a clean close, or once a reconnection counted it).
        var lastDrop: Timestamp?
        /// The delay before the previous reconnection, and how many quick ones came in a row without a longer wait.
        var lastDelay: Double?
        var streak = 0
    }

    /// A reconnection: how long after the drop, and how many quick ones in a row this makes.
    struct Reconnection: Equatable {
        let delay: Double
        let streak: Int
    }

    static let defaultCapacity = 65_536
    /// Quick reconnections in a row that are reported.
    static let streakReported = 3
    let capacity: Int
    private var entries: [Pair: Entry] = [:]

    init(capacity: Int = defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// Connection `stream`, opened at `opened`, sends an upgrade request: the connection whose request is still
    /// unanswered (if any), and the reconnection this is (if it follows an abnormal closure within `window` seconds).
    mutating func upgradeRequested(_ pair: Pair, stream: Int, opened: Timestamp, window: Double) -> (concurrentWith: Int?, reconnection: Reconnection?) {
        if entries[pair] == nil, entries.count >= capacity {
            forgetIdle()
            if entries.count >= capacity { return (nil, nil) }   // every pair known has a request waiting
        }
        var entry = entries[pair] ?? Entry()
        let other = entry.connecting.first { $0 != stream }
        if !entry.connecting.contains(stream) { entry.connecting.append(stream) }
        var reconnection: Reconnection?
        if let drop = entry.lastDrop {
            let delay = max(0, opened.seconds(since: drop))
            // Backing off means waiting noticeably longer each time (more than 10 % and a millisecond).
            let backedOff = entry.lastDelay.map { delay > $0 * 1.1 + 0.001 } ?? false
            entry.streak = delay <= window && !backedOff ? entry.streak + 1 : 0
            entry.lastDelay = delay
            entry.lastDrop = nil
            reconnection = Reconnection(delay: delay, streak: entry.streak)
        }
        entries[pair] = entry
        return (other, reconnection)
    }

    /// The upgrade request of `stream` was answered (or will never be: the connection ended).
    mutating func upgradeAnswered(_ pair: Pair, stream: Int) {
        entries[pair]?.connecting.removeAll { $0 == stream }
    }

    /// Connection `stream` is over at `time`; `abnormal`: without a close handshake (no 101, or no Close frame).
    mutating func closed(_ pair: Pair, stream: Int, at time: Timestamp, abnormal: Bool) {
        guard var entry = entries[pair] else { return }
        entry.connecting.removeAll { $0 == stream }
        if abnormal {
            entry.lastDrop = time
        } else {
            entry.lastDrop = nil
            entry.lastDelay = nil
            entry.streak = 0
        }
        entries[pair] = entry
    }

    private mutating func forgetIdle() {
        entries = entries.filter { !$0.value.connecting.isEmpty }
    }
}

/// The Sec-WebSocket-Keys of a capture's most recent upgrade requests and the connections that sent them, to find a
/// key used twice (`handshake-key-not-random`). Bounded: the oldest key is forgotten once `capacity` are held, so a
/// capture with millions of connections costs a fixed amount (a reuse further apart than that goes unnoticed).
struct KeyOwners {
    static let defaultCapacity = 65_536

    let capacity: Int
    private var owners: [String: Int] = [:]
    /// Keys in the order they were first seen (a ring once full).
    private var order: [String] = []
    private var oldest = 0

    init(capacity: Int = defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    var count: Int { owners.count }

    /// Records `key` for `stream`; returns the stream that used it first when this is a reuse.
    mutating func note(_ key: String, stream: Int) -> Int? {
        if let owner = owners[key] { return owner == stream ? nil : owner }
        if order.count < capacity {
            order.append(key)
        } else {
            owners[order[oldest]] = nil
            order[oldest] = key
            oldest = (oldest + 1) % capacity
        }
        owners[key] = stream
        return nil
    }
}

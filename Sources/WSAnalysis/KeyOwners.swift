/// The Sec-WebSocket-Keys of a capture's most recent upgrade requests and the connections that sent them, to find a
/// key used twice (`handshake-key-not-random`). Bounded: the oldest key is forgotten once `capacity` are held, so a
/// capture with millions of connections costs a fixed amount (a reuse further apart than that goes unnoticed).
///
/// A proxy relays a request: the same key is then seen once inside a CONNECT tunnel (client to proxy) and once on the
/// proxy's own connection to the server. That pair is not a reuse; a third sighting is.
struct KeyOwners {
    struct Owner {
        let stream: Int
        let throughProxy: Bool
        var relayed = false
    }

    static let defaultCapacity = 65_536

    let capacity: Int
    private var owners: [String: Owner] = [:]
    /// Keys in the order they were first seen (a ring once full).
    private var order: [String] = []
    private var oldest = 0

    init(capacity: Int = defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    var count: Int { owners.count }

    /// Records `key` for `stream` (`throughProxy`: read inside a CONNECT tunnel); returns the stream that used it
    /// first when this is a reuse.
    mutating func note(_ key: String, stream: Int, throughProxy: Bool = false) -> Int? {
        if var owner = owners[key] {
            if owner.stream == stream { return nil }
            if owner.throughProxy != throughProxy && !owner.relayed {
                owner.relayed = true   // the same request on both sides of a proxy
                owners[key] = owner
                return nil
            }
            return owner.stream
        }
        if order.count < capacity {
            order.append(key)
        } else {
            owners[order[oldest]] = nil
            order[oldest] = key
            oldest = (oldest + 1) % capacity
        }
        owners[key] = Owner(stream: stream, throughProxy: throughProxy)
        return nil
    }
}

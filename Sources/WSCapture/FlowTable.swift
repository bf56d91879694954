import WSStream
/// A TCP connection's identity: both endpoints, in a canonical order (so both directions find the same entry).
struct FlowKey: Equatable {
    let a: Endpoint
    let b: Endpoint
    /// A well-mixed 64-bit digest of both endpoints, computed once per packet and used to place the key.
    let mix: UInt64

    init(_ x: Endpoint, _ y: Endpoint) {
        if (x.address.high, x.address.low, x.port) <= (y.address.high, y.address.low, y.port) {
            a = x; b = y
        } else {
            a = y; b = x
        }
        var h = a.address.low &* 0x9E37_79B9_7F4A_7C15 ^ b.address.low &* 0xC2B2_AE3D_27D4_EB4F
        h ^= a.address.high &* 0x1656_67B1_9E37_79F9 ^ b.address.high
        h ^= UInt64(a.port) << 32 | UInt64(b.port) << 16
        // Final avalanche (MurmurHash3's fmix64): on loopback only the ports differ, and they must reach every bit.
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        mix = h
    }

    static func == (lhs: FlowKey, rhs: FlowKey) -> Bool {
        lhs.mix == rhs.mix && lhs.a == rhs.a && lhs.b == rhs.b
    }
}

/// The connection table: open addressing with linear probing on the key's precomputed digest. It is looked up once
/// per packet, where a `Dictionary` would run SipHash every time. Removal shifts later entries of the probe run back
/// (no tombstones), so lookups never slow down as connections come and go.
struct FlowTable<Value: AnyObject> {
    private struct Slot {
        let key: FlowKey
        var value: Value
    }

    private var slots: [Slot?]
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 8
        while size < capacity { size <<= 1 }
        slots = Array(repeating: nil, count: size)
    }

    /// The value stored for `key`, if any.
    func find(_ key: FlowKey) -> Value? {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key.mix) & mask
        while let slot = slots[index] {
            if slot.key == key { return slot.value }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key`, replacing what was there.
    mutating func set(_ value: Value, for key: FlowKey) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key.mix) & mask
        while let slot = slots[index] {
            if slot.key == key {
                slots[index]!.value = value
                return
            }
            index = (index + 1) & mask
        }
        slots[index] = Slot(key: key, value: value)
        count += 1
    }

    /// Removes the entry for `key` if it holds `value` (the very object): a newer connection on the same key stays.
    mutating func remove(_ key: FlowKey, ifHolding value: Value) {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key.mix) & mask
        while let slot = slots[index] {
            if slot.key == key {
                guard slot.value === value else { return }
                slots[index] = nil
                count -= 1
                // Backward-shift deletion: move up any later entry of the run whose home is at or before the hole.
                var hole = index
                var next = (index + 1) & mask
                while let moving = slots[next] {
                    let home = Int(truncatingIfNeeded: moving.key.mix) & mask
                    // The entry may fill the hole when its home is not cyclically within (hole, next].
                    let distanceToHome = (next - home) & mask
                    let distanceToHole = (next - hole) & mask
                    if distanceToHome >= distanceToHole {
                        slots[hole] = moving
                        slots[next] = nil
                        hole = next
                    }
                    next = (next + 1) & mask
                }
                return
            }
            index = (index + 1) & mask
        }
    }

    /// Every stored value, in no particular order.
    var values: [Value] { slots.compactMap { $0?.value } }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        count = 0
        for case let slot? in old { set(slot.value, for: slot.key) }
    }
}

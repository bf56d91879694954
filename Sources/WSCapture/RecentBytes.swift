/// The last few kilobytes delivered on one direction of a TCP stream, kept to compare retransmitted and
/// overlapping segments with what was already delivered.
struct RecentBytes {
    static let capacity = 4 * 1024
    private var storage: [UInt8] = []
    /// Bytes held, at most `capacity`; they are the ones just before the stream position.
    private(set) var filled = 0
    /// Index in `storage` where the next byte goes.
    private var head = 0

    /// Appends delivered bytes (only the last `capacity` matter).
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if storage.isEmpty { storage = [UInt8](repeating: 0, count: Self.capacity) }
        let tail = bytes.count > Self.capacity ? UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - Self.capacity)...]) : bytes
        storage.withUnsafeMutableBytes { ring in
            var written = 0
            while written < tail.count {
                let n = min(Self.capacity - head, tail.count - written)
                ring.baseAddress!.advanced(by: head).copyMemory(from: tail.baseAddress!.advanced(by: written), byteCount: n)
                head = (head + n) & (Self.capacity - 1)
                written += n
            }
        }
        filled = min(Self.capacity, filled + bytes.count)
    }

    /// Forgets everything (after a gap the bytes before it are no longer contiguous with what follows).
    mutating func clear() {
        filled = 0
    }

    /// Compares `bytes` with the delivered bytes that end `distance` bytes before the stream position, i.e.
    /// `bytes[i]` against the byte at `position - distance + i`. Returns nil when every comparable byte matches,
    /// otherwise the index of the first difference. Bytes older than what is held are not compared.
    func firstDifference(_ bytes: UnsafeRawBufferPointer, endingBefore distance: Int) -> Int? {
        // bytes occupy [position - distance - bytes.count + ... ] — callers pass the overlap aligned so that its last
        // byte is at position - distance - 1 + bytes.count ... see TCPStreamReassembler.
        guard filled > 0 else { return nil }
        return storage.withUnsafeBytes { ring -> Int? in
            for i in 0..<bytes.count {
                let back = distance - i          // how far before the position this byte sits
                guard back >= 1, back <= filled else { continue }
                let index = (head - back + Self.capacity) & (Self.capacity - 1)
                if ring[index] != bytes[i] { return i }
            }
            return nil
        }
    }
}

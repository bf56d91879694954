/// A growable byte buffer in raw memory (a class: the writer appends through one pointer, no copy-on-write checks).
final class ByteStorage {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always)
    func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(to: count &+ extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    func append(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        base[count] = a
        base[count &+ 1] = b
        count &+= 2
    }

    @inline(__always)
    func append(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        reserve(4)
        base[count] = a; base[count &+ 1] = b; base[count &+ 2] = c; base[count &+ 3] = d
        count &+= 4
    }

    /// Two bytes without a capacity check (the caller reserved room).
    @inline(__always)
    func appendUnchecked(_ a: UInt8, _ b: UInt8) {
        base[count] = a
        base[count &+ 1] = b
        count &+= 2
    }

    /// Up to eight bytes packed little-endian in `word` (room reserved by the caller: eight bytes are stored).
    @inline(__always)
    func appendWord(_ word: UInt64, count n: Int) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: word.littleEndian, as: UInt64.self)
        count &+= n
    }

    /// One byte without a capacity check (the caller reserved room).
    @inline(__always)
    func appendUnchecked(_ a: UInt8) {
        base[count] = a
        count &+= 1
    }

    /// Bytes without a capacity check (the caller reserved room). Short runs are copied with two overlapping
    /// word moves: a `memcpy` call costs more than the copy for JSON keys and small values.
    @inline(__always)
    func appendUnchecked(_ source: UnsafeRawPointer, count n: Int) {
        let target = UnsafeMutableRawPointer(base + count)
        if n >= 8 && n <= 16 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self), toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self), toByteOffset: n &- 4, as: UInt32.self)
        } else if n < 4 {
            for i in 0..<n { target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        } else {
            target.copyMemory(from: source, byteCount: n)
        }
        count &+= n
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        appendUnchecked(source, count: bytes.count)
    }
}

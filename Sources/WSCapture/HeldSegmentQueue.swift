/// Out-of-order segments waiting for a hole to fill, lowest stream offset first (arrival order among equal offsets).
///
/// A binary min-heap: holding and releasing a segment cost O(log n) however the segments arrive. A sorted array cost
/// O(n) per segment, so a capture of many tiny segments in reverse order took quadratic time (issue #6).
struct HeldSegmentQueue {
    private var heap: [TCPStreamReassembler.HeldSegment] = []
    private var arrivals: [UInt64] = []
    private var nextArrival: UInt64 = 0

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    /// The segment with the lowest offset.
    var first: TCPStreamReassembler.HeldSegment? { heap.first }

    mutating func insert(_ segment: TCPStreamReassembler.HeldSegment) {
        heap.append(segment)
        arrivals.append(nextArrival)
        nextArrival &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the segment with the lowest offset.
    @discardableResult
    mutating func removeFirst() -> TCPStreamReassembler.HeldSegment {
        swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        arrivals.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var smallest = left
            if left + 1 < heap.count && precedes(left + 1, left) { smallest = left + 1 }
            guard precedes(smallest, parent) else { break }
            swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        (heap[a].offset, arrivals[a]) < (heap[b].offset, arrivals[b])
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        arrivals.swapAt(a, b)
    }
}

/// Finds the least recently active of the open connections, for eviction when too many are open.
///
/// A min-heap of (activity stamp, connection) with lazy updates: a packet only writes the connection's stamp (one
/// store on the per-packet path); an entry whose stamp is out of date is pushed again with the current one when it
/// reaches the top. Closed connections drop out when they reach the top, and the heap is rebuilt from the open
/// connections when stale entries outnumber them.
struct EvictionQueue<Item: AnyObject> {
    private var heap: [(stamp: Int, item: Item)] = []

    var count: Int { heap.count }

    mutating func insert(_ item: Item, stamp: Int) {
        heap.append((stamp, item))
        siftUp(heap.count - 1)
    }

    /// The open item with the oldest current stamp, removed from the queue. `stamp` reads an item's current stamp,
    /// `isOpen` says whether it still counts.
    mutating func popOldest(stamp: (Item) -> Int, isOpen: (Item) -> Bool) -> Item? {
        while let top = heap.first {
            removeTop()
            guard isOpen(top.item) else { continue }
            let current = stamp(top.item)
            if current == top.stamp { return top.item }
            insert(top.item, stamp: current)   // active since it was queued: back in at its real place
        }
        return nil
    }

    /// Replaces the contents with these items (when closed ones have piled up).
    mutating func rebuild(_ items: [(stamp: Int, item: Item)]) {
        heap = items
        var index = heap.count / 2 - 1
        while index >= 0 {
            siftDown(index)
            index -= 1
        }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].stamp < heap[parent].stamp else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count && heap[left + 1].stamp < heap[left].stamp { smallest = left + 1 }
            guard heap[smallest].stamp < heap[parent].stamp else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Reads a capture file on a second thread, a few batches of packets ahead of the analysis, so that libpcap's
/// reading (the `read` calls and its copy of each record) overlaps with decoding instead of adding to it.
///
/// The reader thread copies each packet into one of `depth` fixed batches (raw memory); the consumer takes whole
/// batches. They meet only under a mutex, once per batch. Nothing they share is reference-counted: release builds
/// use non-atomic reference counts (`-assume-single-threaded`), so the shared state is raw memory and the source is
/// touched only by the reader thread until it has been joined.
///
/// Memory is bounded: `depth` batches of `batchBytes` (a batch grows only to hold a single larger packet).
public final class PacketPrefetcher {
    /// One packet's place in a batch.
    struct Record {
        var offset: Int
        var length: Int
        var originalLength: Int
        var number: Int
        var time: PacketTime
        var decoded: DecodedPacket?
        var payloadDigest: UInt64?
    }

    /// One batch of packets.
    struct Batch {
        var bytes: UnsafeMutableRawPointer
        var capacity: Int
        var used = 0
        var records: UnsafeMutablePointer<Record>
        var count = 0
        /// Set on the last batch: the source ended (nil error) or failed.
        var finished = false
        var error: CaptureError?
    }

    /// The state both threads use, in raw memory.
    struct Shared {
        var mutex = pthread_mutex_t()
        var condition = pthread_cond_t()
        /// Batches filled so far, and batches the consumer has handed back (batch n lives in slot n % depth).
        var produced = 0
        var released = 0
        var stopRequested = false
    }

    static let recordsPerBatch = 4096

    private let shared: UnsafeMutablePointer<Shared>
    private let batches: UnsafeMutablePointer<Batch>
    private let depth: Int
    private let source: CaptureSource
    private var thread = pthread_t()
    private var running = false
    /// The consumer's position: batch number and record index within it.
    private var consumed = 0
    private var index = 0
    private var holding = false
    private var ended = false

    private let decoder: PacketDecoder?

    /// With a `decoder`, the reader thread also decodes each packet's link, IP and TCP headers and digests the TCP
    /// payload (for retransmission checks), so that the analysis thread does not.
    public init(source: CaptureSource, decoder: PacketDecoder? = nil, batchBytes: Int = 256 << 10, depth: Int = 4) {
        self.source = source
        self.decoder = decoder
        self.depth = max(2, depth)
        shared = .allocate(capacity: 1)
        shared.initialize(to: Shared())
        pthread_mutex_init(&shared.pointee.mutex, nil)
        pthread_cond_init(&shared.pointee.condition, nil)
        batches = .allocate(capacity: self.depth)
        for slot in 0..<self.depth {
            (batches + slot).initialize(to: Batch(
                bytes: .allocate(byteCount: batchBytes, alignment: 16), capacity: batchBytes,
                records: .allocate(capacity: Self.recordsPerBatch)))
        }
    }

    deinit {
        stop()
        for slot in 0..<depth {
            batches[slot].bytes.deallocate()
            batches[slot].records.deallocate()
        }
        batches.deinitialize(count: depth)
        batches.deallocate()
        pthread_cond_destroy(&shared.pointee.condition)
        pthread_mutex_destroy(&shared.pointee.mutex)
        shared.deinitialize(count: 1)
        shared.deallocate()
    }

    /// Starts the reader thread (reading begins at once). False when no thread could be started.
    public func start() -> Bool {
        guard !running else { return true }
        let context = UnsafeMutablePointer<ReaderContext>.allocate(capacity: 1)
        context.initialize(to: ReaderContext(shared: shared, batches: batches, depth: depth,
                                             source: Unmanaged.passUnretained(source), decoder: decoder))
        let status = pthread_create(&thread, nil, { raw in
            let context = raw!.assumingMemoryBound(to: ReaderContext.self)
            context.pointee.run()
            context.deinitialize(count: 1)
            context.deallocate()
            return nil
        }, context)
        guard status == 0 else {
            context.deinitialize(count: 1)
            context.deallocate()
            return false
        }
        running = true
        return true
    }

    /// The next packet; `.timeout` after `waitMilliseconds` without one (so that the caller can check for a stop).
    /// The packet's bytes stay valid until the next call.
    public func next(waitMilliseconds: Int = 100) throws(CaptureError) -> CaptureSource.ReadResult {
        while true {
            if holding {
                let batch = batches + consumed % depth
                if index < batch.pointee.count {
                    let record = batch.pointee.records[index]
                    index += 1
                    return .packet(CapturedPacket(
                        number: record.number, time: record.time,
                        bytes: UnsafeRawBufferPointer(start: batch.pointee.bytes + record.offset, count: record.length),
                        originalLength: record.originalLength, decoded: record.decoded, payloadDigest: record.payloadDigest))
                }
                if try batchWasLast(batch) { return .end }
            }
            if ended { return .end }
            guard waitForBatch(waitMilliseconds: waitMilliseconds) else { return .timeout }
            holding = true
        }
    }

    /// How `consumeBatch` ended.
    public enum BatchOutcome {
        /// The batch was used up; more may follow.
        case more
        /// No batch arrived in time (check for a stop, then call again).
        case timeout
        /// `body` asked to stop.
        case stopped
        /// The capture ended.
        case end
    }

    /// Hands each remaining packet of the current (or next) batch to `body`, which returns false to stop. The packet's
    /// bytes are valid during the call. Cheaper than `next()` per packet: nothing is copied but the record.
    public func consumeBatch(waitMilliseconds: Int = 100, _ body: (CapturedPacket) -> Bool) throws(CaptureError) -> BatchOutcome {
        if !holding {
            if ended { return .end }
            guard waitForBatch(waitMilliseconds: waitMilliseconds) else { return .timeout }
            holding = true
        }
        let batch = batches + consumed % depth
        let count = batch.pointee.count
        let base = batch.pointee.bytes
        let records = batch.pointee.records
        while index < count {
            let record = records + index
            index += 1
            let keepGoing = body(CapturedPacket(
                number: record.pointee.number, time: record.pointee.time,
                bytes: UnsafeRawBufferPointer(start: base + record.pointee.offset, count: record.pointee.length),
                originalLength: record.pointee.originalLength, decoded: record.pointee.decoded,
                payloadDigest: record.pointee.payloadDigest))
            if !keepGoing { return .stopped }
        }
        return try batchWasLast(batch) ? .end : .more
    }

    /// The current batch is used up: true when it was the last (rethrowing the reader's error, once), otherwise it
    /// goes back to the reader.
    private func batchWasLast(_ batch: UnsafeMutablePointer<Batch>) throws(CaptureError) -> Bool {
        if batch.pointee.finished {
            ended = true
            if let error = batch.pointee.error {
                batch.pointee.error = nil
                throw error
            }
            return true
        }
        releaseBatch()
        return false
    }

    /// Waits for the next batch; false after `waitMilliseconds` without one.
    private func waitForBatch(waitMilliseconds: Int) -> Bool {
        pthread_mutex_lock(&shared.pointee.mutex)
        if shared.pointee.produced <= consumed {
            var deadline = timespec()
            clock_gettime(CLOCK_REALTIME, &deadline)
            deadline.tv_nsec += waitMilliseconds * 1_000_000
            deadline.tv_sec += deadline.tv_nsec / 1_000_000_000
            deadline.tv_nsec %= 1_000_000_000
            while shared.pointee.produced <= consumed {
                if pthread_cond_timedwait(&shared.pointee.condition, &shared.pointee.mutex, &deadline) == ETIMEDOUT { break }
            }
        }
        let available = shared.pointee.produced > consumed
        pthread_mutex_unlock(&shared.pointee.mutex)
        return available
    }

    /// Hands the current batch back to the reader.
    private func releaseBatch() {
        pthread_mutex_lock(&shared.pointee.mutex)
        shared.pointee.released += 1
        pthread_cond_broadcast(&shared.pointee.condition)
        pthread_mutex_unlock(&shared.pointee.mutex)
        holding = false
        consumed += 1
        index = 0
    }

    /// Stops the reader thread and waits for it (it finishes the packet it is reading).
    public func stop() {
        guard running else { return }
        pthread_mutex_lock(&shared.pointee.mutex)
        shared.pointee.stopRequested = true
        pthread_cond_broadcast(&shared.pointee.condition)
        pthread_mutex_unlock(&shared.pointee.mutex)
        pthread_join(thread, nil)
        running = false
    }
}

/// What the reader thread works with (no reference counting: the source is unretained; the prefetcher keeps it
/// alive and joins the thread before letting it go).
private struct ReaderContext {
    let shared: UnsafeMutablePointer<PacketPrefetcher.Shared>
    let batches: UnsafeMutablePointer<PacketPrefetcher.Batch>
    let depth: Int
    let source: Unmanaged<CaptureSource>
    let decoder: PacketDecoder?
    /// A packet that did not fit in the batch just finished: it opens the next one.
    private var carry: UnsafeMutableRawPointer?
    private var carryCapacity = 0
    private var carried: PacketPrefetcher.Record?

    init(shared: UnsafeMutablePointer<PacketPrefetcher.Shared>, batches: UnsafeMutablePointer<PacketPrefetcher.Batch>,
         depth: Int, source: Unmanaged<CaptureSource>, decoder: PacketDecoder?) {
        self.shared = shared
        self.batches = batches
        self.depth = depth
        self.source = source
        self.decoder = decoder
    }

    mutating func run() {
        defer { carry?.deallocate() }
        var produced = 0
        while true {
            // Wait for a free slot.
            pthread_mutex_lock(&shared.pointee.mutex)
            while produced - shared.pointee.released >= depth && !shared.pointee.stopRequested {
                pthread_cond_wait(&shared.pointee.condition, &shared.pointee.mutex)
            }
            let stop = shared.pointee.stopRequested
            pthread_mutex_unlock(&shared.pointee.mutex)
            if stop { return }
            let batch = batches + produced % depth
            batch.pointee.used = 0
            batch.pointee.count = 0
            if let record = carried, let carry {
                append(UnsafeRawBufferPointer(start: carry, count: record.length), record, to: batch)
                carried = nil
            }
            let finished = fill(batch)
            pthread_mutex_lock(&shared.pointee.mutex)
            produced += 1
            shared.pointee.produced = produced
            pthread_cond_broadcast(&shared.pointee.condition)
            pthread_mutex_unlock(&shared.pointee.mutex)
            if finished { return }
        }
    }

    /// Reads packets into the batch until it is full or the source ends; true when it ended.
    private mutating func fill(_ batch: UnsafeMutablePointer<PacketPrefetcher.Batch>) -> Bool {
        let reader = source.takeUnretainedValue()
        while batch.pointee.count < PacketPrefetcher.recordsPerBatch {
            let result: CaptureSource.ReadResult
            do {
                result = try reader.next()
            } catch {
                batch.pointee.finished = true
                batch.pointee.error = error
                return true
            }
            switch result {
            case .packet(let packet):
                let record = PacketPrefetcher.Record(offset: 0, length: packet.bytes.count, originalLength: packet.originalLength,
                                                     number: packet.number, time: packet.time, decoded: nil, payloadDigest: nil)
                if batch.pointee.count > 0 && batch.pointee.used + record.length > batch.pointee.capacity {
                    // No room left: keep the packet for the next batch (its bytes are valid only until the next read).
                    if carryCapacity < record.length {
                        carry?.deallocate()
                        carryCapacity = max(record.length, 65_536)
                        carry = .allocate(byteCount: carryCapacity, alignment: 16)
                    }
                    if record.length > 0 { carry!.copyMemory(from: packet.bytes.baseAddress!, byteCount: record.length) }
                    carried = record
                    return false
                }
                append(packet.bytes, record, to: batch)
            case .timeout:
                continue
            case .end:
                batch.pointee.finished = true
                return true
            }
        }
        return false
    }

    /// Copies a packet into the batch (growing an empty batch that is too small for it).
    private func append(_ bytes: UnsafeRawBufferPointer, _ record: PacketPrefetcher.Record,
                        to batch: UnsafeMutablePointer<PacketPrefetcher.Batch>) {
        if batch.pointee.used + record.length > batch.pointee.capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: batch.pointee.used + record.length, alignment: 16)
            grown.copyMemory(from: batch.pointee.bytes, byteCount: batch.pointee.used)
            batch.pointee.bytes.deallocate()
            batch.pointee.bytes = grown
            batch.pointee.capacity = batch.pointee.used + record.length
        }
        var placed = record
        placed.offset = batch.pointee.used
        if record.length > 0 {
            (batch.pointee.bytes + placed.offset).copyMemory(from: bytes.baseAddress!, byteCount: record.length)
        }
        if let decoder {
            // Decoded from the copy, so that the segment's payload points into the batch.
            let copy = UnsafeRawBufferPointer(start: batch.pointee.bytes + placed.offset, count: record.length)
            let decoded = decoder.decode(copy, originalLength: record.originalLength)
            placed.decoded = decoded
            if case .tcp(let segment) = decoded { placed.payloadDigest = DeliveryHistory.digest(segment.payload) }
        }
        batch.pointee.records[batch.pointee.count] = placed
        batch.pointee.count += 1
        batch.pointee.used += record.length
    }
}

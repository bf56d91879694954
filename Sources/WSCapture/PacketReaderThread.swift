import WSStream
import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// The reader side of a `PacketPrefetcher`: everything its thread works with, as plain values and C pointers, so
/// that nothing reference-counted is shared (see the thread-ownership rule on `PacketPrefetcher`).
struct PacketReaderThread {
    /// What a live reader needs beyond a file reader.
    struct Live {
        /// libpcap's selectable descriptor, and the read end of the consumer's wake-up pipe.
        var selectable: Int32
        var wake: Int32
        /// How long the kernel may keep a partly filled block (TPACKET_V3), which a drain must wait out.
        var blockTimeoutMilliseconds: Int32
        var immediate: Bool
        /// The kernel ring's size: a drain reads at most this many bytes more, so that it ends on a busy interface.
        var ringBytes: Int
        /// `pcap_dumper_t` for `-w`, or nil.
        var dumper: OpaquePointer?
    }

    let shared: UnsafeMutablePointer<PacketPrefetcher.Shared>
    let batches: UnsafeMutablePointer<PacketPrefetcher.Batch>
    let depth: Int
    let failureReason: UnsafeMutablePointer<CChar>
    /// libpcap's `pcap_t`.
    let handle: OpaquePointer
    let decoder: PacketDecoder?
    let live: Live?

    /// Batches published so far; whether batch `produced` is ours and being filled, and where it is.
    private var produced = 0
    private var isOpen = false
    private var current: UnsafeMutablePointer<PacketPrefetcher.Batch>
    private var packetsRead = 0
    /// The consumer's requests, as last seen under the mutex.
    private var drainRequested = false
    private var abandoned = false
    /// Bytes read since the drain was asked for.
    private var drainedBytes = 0

    init(shared: UnsafeMutablePointer<PacketPrefetcher.Shared>, batches: UnsafeMutablePointer<PacketPrefetcher.Batch>,
         depth: Int, failureReason: UnsafeMutablePointer<CChar>, handle: OpaquePointer, decoder: PacketDecoder?, live: Live?) {
        self.shared = shared
        self.batches = batches
        self.depth = depth
        self.failureReason = failureReason
        self.handle = handle
        self.decoder = decoder
        self.live = live
        self.current = batches
    }

    /// The thread's body.
    static func run(_ reader: UnsafeMutablePointer<PacketReaderThread>) {
        if reader.pointee.live != nil {
            readLive(reader)
        } else {
            reader.pointee.readFile()
        }
    }

    // MARK: - Capture files

    /// Reads records until the file ends, fails, or the consumer stops.
    private mutating func readFile() {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            switch pcap_next_ex(handle, &header, &data) {
            case 1:
                packetsRead += 1
                guard append(header!, data) else { return }
                if drainRequested { return finish() }
            case 0:
                continue
            case PCAP_ERROR_BREAK:   // the end of the file
                return finish()
            default:
                return fail(.fileRead)
            }
        }
    }

    // MARK: - Live captures

    /// Empties the kernel ring with `pcap_dispatch` (every packet ready, one call), hands over what it read whenever
    /// the ring is empty, and waits in poll() for more or for the consumer. After a drain request it goes on until the
    /// ring is empty and the kernel's block timeout has passed twice (a partly filled block is handed over only then),
    /// or until it has read one ring's worth since the request.
    private static func readLive(_ reader: UnsafeMutablePointer<PacketReaderThread>) {
        let live = reader.pointee.live!
        let handle = reader.pointee.handle
        let user = UnsafeMutableRawPointer(reader).assumingMemoryBound(to: UInt8.self)
        let settle = live.immediate ? 0 : 2 * Double(live.blockTimeoutMilliseconds) / 1000 + 0.02
        var drainStarted: Double?
        let descriptors = UnsafeMutablePointer<pollfd>.allocate(capacity: 2)
        descriptors.initialize(to: pollfd(fd: live.selectable, events: Int16(POLLIN), revents: 0))
        (descriptors + 1).initialize(to: pollfd(fd: live.wake, events: Int16(POLLIN), revents: 0))
        defer { descriptors.deallocate() }
        while true {
            let count = pcap_dispatch(handle, -1, { user, header, bytes in
                UnsafeMutableRawPointer(user!).assumingMemoryBound(to: PacketReaderThread.self).pointee.take(header!, bytes)
            }, user)
            if reader.pointee.abandoned || count == PCAP_ERROR_BREAK { return }
            if count < 0 { return reader.pointee.fail(.liveCapture) }
            if reader.pointee.drainRequested && drainStarted == nil { drainStarted = now() }
            if count > 0 {
                if drainStarted != nil && reader.pointee.drainedBytes >= live.ringBytes { return reader.pointee.finish() }
                continue
            }
            // The ring is empty: hand over what was read, unless the consumer still has half the queue to go (then
            // tiny batches would fill the queue; the batch keeps filling, and is offered again shortly).
            let keptOpen = reader.pointee.publish(whenQueueBelow: max(1, reader.pointee.depth / 2))
            guard reader.pointee.refreshRequests() else { return }
            var wait: Int32 = keptOpen ? 10 : 1_000
            if reader.pointee.drainRequested {
                let started = drainStarted ?? now()
                drainStarted = started
                let left = started + settle - now()
                if left <= 0 { return reader.pointee.finish() }
                wait = min(wait, Int32(left * 1000) + 1)
            }
            if poll(descriptors, 2, wait) > 0 && descriptors[1].revents != 0 {
                var scratch: (UInt64, UInt64) = (0, 0)
                _ = withUnsafeMutableBytes(of: &scratch) { read(live.wake, $0.baseAddress, $0.count) }
            }
        }
    }

    /// One packet from `pcap_dispatch`: to the dump file, then into the batch.
    private mutating func take(_ header: UnsafePointer<pcap_pkthdr>, _ bytes: UnsafePointer<UInt8>?) {
        if abandoned { return }
        if let dumper = live?.dumper {
            pcap_dump(UnsafeMutablePointer<UInt8>(dumper), header, bytes)
        }
        packetsRead += 1
        if drainRequested { drainedBytes += Int(header.pointee.caplen) }
        if !append(header, bytes) {
            pcap_breakloop(handle)
        }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: - Batches

    /// Copies a packet into the open batch, publishing it first when the packet does not fit and opening the next
    /// (which may wait for the consumer). False when the consumer abandoned the reading.
    private mutating func append(_ header: UnsafePointer<pcap_pkthdr>, _ data: UnsafePointer<UInt8>?) -> Bool {
        let length = Int(header.pointee.caplen)
        if isOpen && current.pointee.count > 0
            && (current.pointee.count == PacketPrefetcher.recordsPerBatch || current.pointee.used + length > current.pointee.capacity) {
            publish()
        }
        if !isOpen {
            guard open() else { return false }
        }
        let batch = current
        if batch.pointee.used + length > batch.pointee.capacity {
            // Only an empty batch gets here: it grows to hold this one packet.
            let grown = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 16)
            batch.pointee.bytes.deallocate()
            batch.pointee.bytes = grown
            batch.pointee.capacity = length
        }
        let offset = batch.pointee.used
        let copy = batch.pointee.bytes + offset
        if length > 0 { copy.copyMemory(from: data!, byteCount: length) }
        var record = PacketPrefetcher.Record(offset: offset, length: length, originalLength: Int(header.pointee.len),
                                             number: packetsRead, time: Timestamp(header.pointee), decoded: nil, payloadDigest: nil)
        if let decoder {
            // Decoded from the copy, so that the segment's payload points into the batch.
            (record.decoded, record.payloadDigest) = decoder.prepare(UnsafeRawBufferPointer(start: copy, count: length),
                                                                     originalLength: record.originalLength)
        }
        batch.pointee.records[batch.pointee.count] = record
        batch.pointee.count += 1
        batch.pointee.used += length
        return true
    }

    /// Waits for a free slot and opens it as the batch being filled. False when the consumer abandoned the reading.
    private mutating func open() -> Bool {
        pthread_mutex_lock(&shared.pointee.mutex)
        if produced - shared.pointee.released >= depth {
            // The queue is full: sleep until half of it is free, so that the consumer wakes this thread once per
            // half queue rather than once per batch.
            while produced - shared.pointee.released > depth / 2 && !shared.pointee.abandoned {
                shared.pointee.readerWaits = true
                pthread_cond_wait(&shared.pointee.condition, &shared.pointee.mutex)
                shared.pointee.readerWaits = false
            }
        }
        abandoned = shared.pointee.abandoned
        drainRequested = shared.pointee.drainRequested
        pthread_mutex_unlock(&shared.pointee.mutex)
        if abandoned { return false }
        current = batches + produced % depth
        let batch = current
        batch.pointee.used = 0
        batch.pointee.count = 0
        batch.pointee.finished = false
        batch.pointee.failure = PacketPrefetcher.ReadFailure()
        isOpen = true
        return true
    }

    /// Hands the open batch to the consumer (nothing when it holds no packets). With `limit`, only when fewer
    /// batches than that are waiting: a partly filled batch is worth handing over early only to a consumer that has
    /// caught up. True when a batch with packets stays open.
    @discardableResult
    private mutating func publish(whenQueueBelow limit: Int = Int.max) -> Bool {
        guard isOpen, current.pointee.count > 0 || current.pointee.finished else { return false }
        pthread_mutex_lock(&shared.pointee.mutex)
        let keep = produced - shared.pointee.released >= limit
        if !keep {
            produced += 1
            shared.pointee.produced = produced
            if shared.pointee.consumerWaits { pthread_cond_broadcast(&shared.pointee.condition) }
        }
        drainRequested = shared.pointee.drainRequested
        abandoned = shared.pointee.abandoned
        pthread_mutex_unlock(&shared.pointee.mutex)
        isOpen = keep
        return keep
    }

    /// Reads the consumer's requests; false when it abandoned the reading.
    private mutating func refreshRequests() -> Bool {
        pthread_mutex_lock(&shared.pointee.mutex)
        drainRequested = shared.pointee.drainRequested
        abandoned = shared.pointee.abandoned
        pthread_mutex_unlock(&shared.pointee.mutex)
        return !abandoned
    }

    /// Hands over the last batch (with `failure`, if any): the consumer sees the end after its packets.
    private mutating func finish(_ failure: PacketPrefetcher.ReadFailure = PacketPrefetcher.ReadFailure()) {
        if !isOpen {
            guard open() else { return }
        }
        current.pointee.finished = true
        current.pointee.failure = failure
        publish()
    }

    /// Ends with libpcap's reason for the failure, copied as C text for the consumer.
    private mutating func fail(_ kind: PacketPrefetcher.ReadFailure.Kind) {
        strncpy(failureReason, pcap_geterr(handle), PacketPrefetcher.failureReasonCapacity - 1)
        failureReason[PacketPrefetcher.failureReasonCapacity - 1] = 0
        finish(PacketPrefetcher.ReadFailure(kind: kind, packetsRead: packetsRead))
    }
}

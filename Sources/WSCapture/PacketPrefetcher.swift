import WSStream
import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// Reads packets on a thread of its own, from a capture file or a live interface, and hands them to the analysis
/// a batch at a time.
///
/// For a capture file, libpcap's reading (the `read` calls and its copy of each record) overlaps with decoding
/// instead of adding to it. For a live interface, the kernel ring is emptied as packets arrive (`pcap_dispatch`,
/// many packets per call) whatever the analysis thread is doing: a burst the analysis cannot keep up with waits in
/// the queue and in the ring instead of being dropped by the kernel.
///
/// The reader thread copies each packet into one of `depth` fixed batches of raw memory (decoding its link, IP and
/// TCP headers when given a decoder, and writing it to a `CaptureDumpFile` when given one); the consumer takes whole
/// batches, meeting the reader under a mutex once per batch. The queue is bounded — `depth` batches of `batchBytes`,
/// a batch growing only to hold a single larger packet — and when it is full the reader waits (until half of it is
/// free: it is woken once per half queue, not once per batch) and packets wait in the kernel.
///
/// **Thread ownership.** Release builds count references non-atomically (`-assume-single-threaded`), so no
/// reference-counted value — a class instance, an Array, a String, a Dictionary, a closure context, an existential
/// holding a class, an `Error` carrying a String — may be created on one thread and touched on the other. The threads
/// share raw memory only: the batches, the hand-over counters under a pthread mutex and condition, and a failure's
/// reason as C text. The reader thread runs on plain values and C pointers (`PacketReaderThread`: libpcap's handle,
/// the dumper, the decoder); it touches libpcap's handle only between `start()` and the join. This object, the
/// `CaptureSource` and the `CaptureDumpFile` are touched only by the consumer's thread. A failure crosses as a kind,
/// a count and C text, and becomes a `CaptureError` on the consumer's side. `init` checks that every type the
/// threads share is plain memory (`_isPOD`).
public final class PacketPrefetcher {
    /// One packet's place in a batch.
    struct Record {
        var offset: Int
        var length: Int
        var originalLength: Int
        var number: Int
        var time: Timestamp
        var decoded: DecodedPacket?
        var payloadDigest: UInt64?
    }

    /// Why reading ended early, as plain values (the reason's text is the C string at `failureReason`).
    struct ReadFailure {
        enum Kind: UInt8 {
            case none
            /// A capture file is damaged (`CaptureError.readFailed`).
            case fileRead
            /// A live capture failed (`CaptureError.captureFailed`).
            case liveCapture
        }
        var kind = Kind.none
        var packetsRead = 0
    }

    /// One batch of packets.
    struct Batch {
        var bytes: UnsafeMutableRawPointer
        var capacity: Int
        var used = 0
        var records: UnsafeMutablePointer<Record>
        var count = 0
        /// Set on the last batch: the source ended, was stopped, or failed (`failure`).
        var finished = false
        var failure = ReadFailure()
    }

    /// The state both threads use, in raw memory.
    struct Shared {
        var mutex = pthread_mutex_t()
        var condition = pthread_cond_t()
        /// Batches filled so far, and batches the consumer has handed back (batch n lives in slot n % depth).
        var produced = 0
        var released = 0
        /// Stop reading new packets; hand over what was read (live: and what the kernel ring holds), then end.
        var drainRequested = false
        /// Stop at once: the consumer takes no more batches.
        var abandoned = false
        /// Who sleeps on `condition`, so that the other wakes it only then (a wake-up costs a system call and, on
        /// a busy machine, a reschedule: once per batch it was 3 % of the analysis thread's time).
        var readerWaits = false
        var consumerWaits = false
    }

    static let recordsPerBatch = 4096
    static let failureReasonCapacity = 512

    private let shared: UnsafeMutablePointer<Shared>
    private let batches: UnsafeMutablePointer<Batch>
    private let failureReason: UnsafeMutablePointer<CChar>
    private let depth: Int
    /// Kept alive (and left alone) while the reader thread uses their C handles.
    private let source: CaptureSource
    private let dump: CaptureDumpFile?
    private let decoder: PacketDecoder?
    private var thread = pthread_t()
    private var running = false
    /// Live captures: a pipe whose write end wakes the reader from its poll() when a stop is asked for.
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    /// The consumer's position: batch number and record index within it.
    private var consumed = 0
    private var index = 0
    private var holding = false
    private var ended = false

    /// With a `decoder`, the reader thread also decodes each packet's link, IP and TCP headers and digests the TCP
    /// payload (for retransmission checks), so that the analysis thread does not. With a `dump` (live captures), it
    /// also writes each packet there.
    public init(source: CaptureSource, decoder: PacketDecoder? = nil, dump: CaptureDumpFile? = nil,
                batchBytes: Int = 256 << 10, depth: Int = 4) {
        precondition(_isPOD(Record.self) && _isPOD(Batch.self) && _isPOD(Shared.self) && _isPOD(PacketReaderThread.self),
                     "the reader thread may share plain memory only")
        self.source = source
        self.decoder = decoder
        self.dump = dump
        self.depth = max(2, depth)
        shared = .allocate(capacity: 1)
        shared.initialize(to: Shared())
        pthread_mutex_init(&shared.pointee.mutex, nil)
        pthread_cond_init(&shared.pointee.condition, nil)
        failureReason = .allocate(capacity: Self.failureReasonCapacity)
        failureReason.initialize(repeating: 0, count: Self.failureReasonCapacity)
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
        failureReason.deallocate()
        pthread_cond_destroy(&shared.pointee.condition)
        pthread_mutex_destroy(&shared.pointee.mutex)
        shared.deinitialize(count: 1)
        shared.deallocate()
        if wakeRead >= 0 { close(wakeRead); close(wakeWrite) }
    }

    /// Starts the reader thread (reading begins at once). False when no thread could be started.
    ///
    /// The thread blocks SIGINT and SIGTERM, so they reach the consumer's thread, which asks for the stop.
    public func start() -> Bool {
        guard !running else { return true }
        var live: PacketReaderThread.Live?
        if source.isLive {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { return false }
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
            (wakeRead, wakeWrite) = (ends[0], ends[1])
            live = PacketReaderThread.Live(selectable: source.selectable, wake: wakeRead,
                                           blockTimeoutMilliseconds: source.waitMilliseconds,
                                           immediate: source.isImmediate, ringBytes: max(source.bufferBytes, 1 << 20),
                                           dumper: dump?.dumper)
        }
        let context = UnsafeMutablePointer<PacketReaderThread>.allocate(capacity: 1)
        context.initialize(to: PacketReaderThread(shared: shared, batches: batches, depth: depth, failureReason: failureReason,
                                                  handle: source.handle, decoder: decoder, live: live))
        var signals = sigset_t(), previous = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, &previous)
        let status = pthread_create(&thread, nil, { raw in
            let reader = raw!.assumingMemoryBound(to: PacketReaderThread.self)
            PacketReaderThread.run(reader)
            reader.deinitialize(count: 1)
            reader.deallocate()
            return nil
        }, context)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
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
    ///
    /// `whenDrained` runs when every batch read so far has been consumed, just before waiting for the next one (live
    /// output flushes there: at once when packets trickle in, in large writes when they pour in).
    public func consumeBatch(waitMilliseconds: Int = 100, whenDrained: (() -> Void)? = nil,
                             _ body: (CapturedPacket) -> Bool) throws(CaptureError) -> BatchOutcome {
        if !holding {
            if ended { return .end }
            if let whenDrained, !batchIsReady() { whenDrained() }
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

    /// The current batch is used up: true when it was the last (throwing the reader's failure, once), otherwise it
    /// goes back to the reader.
    private func batchWasLast(_ batch: UnsafeMutablePointer<Batch>) throws(CaptureError) -> Bool {
        if batch.pointee.finished {
            ended = true
            let failure = batch.pointee.failure
            batch.pointee.failure = ReadFailure()
            let reason = String(cString: failureReason)
            switch failure.kind {
            case .none: return true
            case .fileRead: throw .readFailed(packetsRead: failure.packetsRead, reason: reason)
            case .liveCapture: throw .captureFailed(interface: source.name, packetsRead: failure.packetsRead, reason: reason)
            }
        }
        releaseBatch()
        return false
    }

    /// True when a batch is waiting (without waiting for one).
    private func batchIsReady() -> Bool {
        pthread_mutex_lock(&shared.pointee.mutex)
        let ready = shared.pointee.produced > consumed
        pthread_mutex_unlock(&shared.pointee.mutex)
        return ready
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
                shared.pointee.consumerWaits = true
                let result = pthread_cond_timedwait(&shared.pointee.condition, &shared.pointee.mutex, &deadline)
                shared.pointee.consumerWaits = false
                if result == ETIMEDOUT { break }
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
        // A reader that found the queue full sleeps until half of it is free (`PacketReaderThread.open`).
        if shared.pointee.readerWaits && shared.pointee.produced - shared.pointee.released <= depth / 2 {
            pthread_cond_broadcast(&shared.pointee.condition)
        }
        pthread_mutex_unlock(&shared.pointee.mutex)
        holding = false
        consumed += 1
        index = 0
    }

    /// Asks the reader to stop reading new packets and end, after handing over everything already read. A live
    /// reader first empties the kernel ring (what the kernel captured before the stop, waiting out the kernel's
    /// block timeout so that a partly filled block is handed over too, and reading at most one ring's worth more).
    /// Keep consuming until `.end`.
    public func stopCapturing() {
        signalReader { $0.drainRequested = true }
    }

    /// Stops the reader thread at once and waits for it: nothing more is handed over.
    public func stop() {
        guard running else { return }
        signalReader { $0.abandoned = true }
        pthread_join(thread, nil)
        running = false
    }

    private func signalReader(_ change: (inout Shared) -> Void) {
        pthread_mutex_lock(&shared.pointee.mutex)
        change(&shared.pointee)
        pthread_cond_broadcast(&shared.pointee.condition)
        pthread_mutex_unlock(&shared.pointee.mutex)
        if wakeWrite >= 0 {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }
}

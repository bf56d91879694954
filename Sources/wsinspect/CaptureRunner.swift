import WSAnalysis
import WSCapture
import WSReport
#if canImport(Glibc)
import Glibc
#endif

/// How many times SIGINT/SIGTERM arrived; the capture loop checks it between batches.
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

/// Reads packets from a source through the analysis into a renderer, and maps the outcome to an exit status.
struct CaptureRunner {
    let options: CaptureOptions

    /// Runs until the source ends, `-c` is reached, `duration` seconds pass or a stop is requested. A live capture
    /// then stops capturing but decodes everything already captured before the summaries (Docs/live.md); `dump`
    /// receives its raw packets.
    /// Returns how many TCP connections the capture had (numbered from 0, whether shown or not).
    @discardableResult
    func run(_ source: CaptureSource, filter: [String], duration: Double? = nil, dump: CaptureDumpFile? = nil,
             onReady: (() -> Void)? = nil) throws -> Int {
        let deadline = duration.map { (at: monotonicSeconds() + $0, label: "--duration " + ($0 == $0.rounded() && $0 < 1e9 ? String(Int($0)) : String($0))) }
        let linkType: LinkType
        do {
            linkType = try source.linkType()
            try source.setFilter(filter.joined(separator: " "))
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let inspectorOptions = try options.inspectorOptions(live: source.isLive)
        let output = Output(descriptor: 1, threshold: 1 << 16)
        let (sink, flush, finish) = try options.renderer(output: output, source: source.name, live: source.isLive)
        let inspector = CaptureInspector(source: source.name, linkType: linkType, linkTypeName: source.linkTypeName,
                                         options: inspectorOptions, sink: sink)
        // Capture files and live interfaces are read on a second thread (Docs/performance.md, Docs/live.md); standard
        // input is read directly: a read there may block, and a stop must not wait for it.
        let prefetcher = source.isLive || source.name != "-"
            ? PacketPrefetcher(source: source, decoder: PacketDecoder(linkType: linkType), dump: dump, depth: source.isLive ? 16 : 8)
            : nil
        let prefetching = prefetcher?.start() ?? false
        defer { prefetcher?.stop() }
        if source.isLive && !prefetching { throw CommandFailure.usage("cannot start the capture thread") }
        onReady?()
        var readError: CaptureError?
        do {
            if prefetching {
                try readAhead(prefetcher!, live: source.isLive, inspector, deadline: deadline, flush: flush)
            } else {
                try readDirectly(source, decoder: PacketDecoder(linkType: linkType), inspector, deadline: deadline, flush: flush)
            }
        } catch {
            readError = error
        }
        prefetcher?.stop()
        var dumpError: CaptureError?
        do { try dump?.close() } catch { dumpError = error }
        // Counted after the drain: what the kernel dropped while we read.
        let stats = source.statistics()
        inspector.finish(readError: readError?.description, dropped: stats.map { ($0.dropped, $0.interfaceDropped) })
        finish()
        if let readError {
            throw CommandFailure(message: readError.description, status: .checkFailed)
        }
        if let dumpError { throw CommandFailure.usage(dumpError.description) }
        if options.strict && inspector.tally.count(.error) > 0 { throw ExitStatus.checkFailed }
        return inspector.tcpConnections
    }

    /// Reads through the reader thread, a batch at a time. A file stops at once on a stop request or at `-c`. A live
    /// capture, on Ctrl-C, `--duration` or `-c`, stops capturing and goes on until everything captured is decoded
    /// (beyond `-c` the inspector reports no more frames, but the connections still see every packet); a second
    /// Ctrl-C stops at once. Live output is flushed whenever the queue is empty.
    private func readAhead(_ prefetcher: PacketPrefetcher, live: Bool, _ inspector: CaptureInspector, deadline: Deadline?,
                           flush: @escaping () -> Void) throws(CaptureError) {
        var stopping = false
        while true {
            if !stopping {
                if Self.shouldStop(inspector, deadline: deadline) {
                    guard live else { return }
                    prefetcher.stopCapturing()
                    stopping = true
                }
            } else if stopRequested > 1 {
                return
            }
            switch try prefetcher.consumeBatch(whenDrained: live ? flush : nil, { packet in
                inspector.process(packet)
                return live || !inspector.shouldStop
            }) {
            case .more, .timeout: continue
            case .stopped, .end: return
            }
        }
    }

    /// Reads packet by packet on this thread (standard input). Packets are decoded as they arrive, and whatever
    /// they produced is written out before a read that would wait (`tcpdump -U -w - | wsinspect -` shows each
    /// frame when its packet comes, not when tcpdump exits).
    private func readDirectly(_ source: CaptureSource, decoder: PacketDecoder, _ inspector: CaptureInspector,
                              deadline: Deadline?, flush: () -> Void) throws(CaptureError) {
        while !Self.shouldStop(inspector, deadline: deadline) {
            if !Self.standardInputHasData() { flush() }
            switch try source.next() {
            case .packet(let packet):
                inspector.process(decoder.prepare(packet))
                if inspector.shouldStop { return }
            case .timeout:
                continue
            case .end:
                return
            }
        }
    }
}

extension CaptureRunner {
    /// When `--duration` ends reading, and how the summaries name it.
    typealias Deadline = (at: Double, label: String)

    /// True when reading should stop: `-c` reached, the deadline passed, or a stop requested. Notes on the inspector
    /// what stopped it, for the summaries.
    static func shouldStop(_ inspector: CaptureInspector, deadline: Deadline?) -> Bool {
        if inspector.shouldStop { return true }
        if stopRequested != 0 {
            inspector.stoppedEarly = inspector.stoppedEarly ?? "Ctrl-C"
            return true
        }
        if let deadline, monotonicSeconds() >= deadline.at {
            inspector.stoppedEarly = inspector.stoppedEarly ?? deadline.label
            return true
        }
        return false
    }
}

extension CaptureRunner {
    /// True when a read of standard input would not wait (data, end of file or an error is there). Bytes already
    /// in libpcap's stdio buffer are not seen: then this says false and the caller only flushes early.
    static func standardInputHasData() -> Bool {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Installs SIGINT/SIGTERM handlers that ask the capture loop to stop (it then prints the summary); a second signal
/// asks it to stop at once.
func installStopHandlers() {
    let handler: @convention(c) (Int32) -> Void = { _ in stopRequested = min(stopRequested, 1_000) + 1 }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
    // A parent may have started us with these signals blocked (the mask is inherited); unblock them.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

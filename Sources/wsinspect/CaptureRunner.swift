import WSAnalysis
import WSCapture
import WSReport
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT/SIGTERM; the capture loop checks it between reads.
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

/// Reads packets from a source through the analysis into a renderer, and maps the outcome to an exit status.
struct CaptureRunner {
    let options: CaptureOptions

    /// Runs until the source ends, `-c` is reached, `deadline` passes or a stop is requested.
    func run(_ source: CaptureSource, filter: [String], deadline: Double? = nil, onReady: (() -> Void)? = nil) throws {
        let linkType: LinkType
        do {
            linkType = try source.linkType()
            if !filter.isEmpty { try source.setFilter(filter.joined(separator: " ")) }
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let output = Output(descriptor: 1, threshold: source.isLive ? 0 : 1 << 16)
        let (sink, flush) = options.renderer(output: output, live: source.isLive)
        let counter = SeverityCounter(forwardingTo: sink)
        let inspector = CaptureInspector(source: source.name, linkType: linkType, linkTypeName: source.linkTypeName,
                                         options: options.inspectorOptions, sink: counter)
        // A capture file is read a few batches ahead on a second thread (see Docs/performance.md). Standard input
        // and live interfaces are read directly: a read there may block, and a stop must not wait for it.
        let prefetcher = !source.isLive && source.name != "-" ? PacketPrefetcher(source: source, decoder: PacketDecoder(linkType: linkType)) : nil
        let prefetching = prefetcher?.start() ?? false
        defer { prefetcher?.stop() }
        onReady?()
        var readError: CaptureError?
        reading: while true {
            if stopRequested != 0 { break }
            if let deadline, monotonicSeconds() >= deadline { break }
            do {
                if prefetching {
                    // A batch at a time; stop requests are checked between batches (a few thousand packets).
                    switch try prefetcher!.consumeBatch({ packet in
                        inspector.process(packet)
                        return !inspector.shouldStop
                    }) {
                    case .more, .timeout: continue
                    case .stopped, .end: break reading
                    }
                }
                switch try source.next() {
                case .packet(let packet):
                    inspector.process(packet)
                    if inspector.shouldStop { break reading }
                case .timeout:
                    continue
                case .end:
                    break reading
                }
            } catch {
                readError = error
                break reading
            }
        }
        prefetcher?.stop()
        let stats = source.statistics()
        inspector.finish(readError: readError?.description, dropped: stats.map { ($0.dropped, $0.interfaceDropped) })
        flush()
        if let readError {
            throw CommandFailure(message: readError.description, status: .checkFailed)
        }
        if options.strict && counter.errors > 0 { throw ExitStatus.checkFailed }
    }
}

/// Counts error-level diagnostics on their way to the renderer (for --strict).
final class SeverityCounter: InspectionSink {
    let next: InspectionSink
    private(set) var errors = 0

    init(forwardingTo next: InspectionSink) {
        self.next = next
    }

    func handle(_ event: InspectionEvent) {
        if case .capture(let summary) = event { errors = summary.diagnosticsBySeverity[.error] ?? 0 }
        next.handle(event)
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Installs SIGINT/SIGTERM handlers that ask the capture loop to stop (it then prints the summary).
func installStopHandlers() {
    let handler: @convention(c) (Int32) -> Void = { _ in stopRequested = 1 }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
    // A parent may have started us with these signals blocked (the mask is inherited); unblock them.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

import ArgumentParser
import WSAnalysis
import WSReport
import WSTLS
import WSViews

/// Options shared by `read` and `live`.
struct CaptureOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON Lines (one object per connection, handshake, frame, gap, diagnostic and summary; schema: Docs/json.md).")
    var json = false

    @Flag(name: [.short, .long], help: "Print the full bit-by-bit anatomy of every frame (JSON: add the field table), and every handshake header.")
    var verbose = false

    // `.unconditional`: `-c -1` reaches validate() and its one-line error instead of "missing value".
    @Option(name: [.customShort("c"), .long], parsing: .unconditional, help: "Stop after this many frames.")
    var count: Int?

    @Option(name: .long, parsing: .unconditional, help: "Show only this connection (its number in the capture, from 0).")
    var stream: Int?

    @Option(name: .customLong("ws-port"), help: "Decode connections on this port as WebSocket even without a captured handshake (the side on PORT is the server). Repeatable.")
    var webSocketPorts: [UInt16] = []

    @Option(name: .customLong("max-buffer"), help: "Out-of-order bytes held per connection before a hole becomes a gap (bytes; K, M, G suffixes allowed).")
    var maxBuffer: ByteCount = ByteCount(bytes: 16 << 20)

    @Option(name: .customLong("max-buffer-total"), help: "Out-of-order bytes held across all connections; past it, the connection adding to them gives up its first hole as a gap (K, M, G suffixes allowed).")
    var maxBufferTotal: ByteCount = ByteCount(bytes: 256 << 20)

    @Option(name: .customLong("max-connections"), parsing: .unconditional, help: "Open connections followed at once; a new one beyond this evicts the connection idle longest, with a connection-evicted diagnostic.")
    var maxConnections: Int = 10_000

    @Option(name: .customLong("max-http-head"), help: "Bytes an HTTP request or response head may take before it is given up with a diagnostic (K, M, G suffixes allowed).")
    var maxHTTPHead: ByteCount = ByteCount(bytes: 64 << 10)

    @Flag(name: .long, help: "Text output: show messages only, one line each (fragments joined, compressed messages inflated).")
    var messages = false

    @OptionGroup var report: HTMLReportOptions

    @Flag(name: .long, help: "Text output: the sequence (ladder) diagram of who sent what, when: one arrow per message and control frame.")
    var ladder = false

    @Flag(name: .long, help: "With --ladder: ASCII arrows instead of Unicode box drawing.")
    var ascii = false

    @Flag(name: .long, help: "Text output: list each TCP segment and the frames (or parts of frames) it carried, instead of one line per frame.")
    var segments = false

    @Flag(name: .long, help: "Show only the per-connection summaries and the capture totals (every frame is still decoded, unmasked and checked).")
    var summary = false

    @Option(name: .customLong("max-payload"), help: "Keep at most this many payload bytes per frame and message for display; JSON marks cut payloads with \"payload_truncated\": true (default: unlimited in JSON and -v, 4096 in text).")
    var maxPayload: ByteCount?

    @Option(name: .customLong("max-message-size"), help: "Inflated bytes allowed per message before inflation stops with a diagnostic (K, M, G suffixes allowed).")
    var maxMessageSize: ByteCount = ByteCount(bytes: 64 << 20)

    @Flag(name: .customLong("no-heuristic"), help: "Do not recognise WebSocket in connections first seen mid-stream unless --ws-port names them.")
    var noHeuristic = false

    @Option(name: .long, help: "Decrypt TLS (wss) with this key log: the NSS format SSLKEYLOGFILE makes browsers, curl, Node and Python write (Docs/tls.md). `live` re-reads it as it grows.")
    var keylog: String?

    @Option(name: .long, help: "Read messages as an application protocol: auto (the negotiated subprotocol, else the first messages), none, json, socket.io, stomp, mqtt or graphql-ws (Docs/views.md).")
    var view: ViewChoice = .auto

    @Flag(name: .long, help: "Exit with 1 when any error-level diagnostic is found.")
    var strict = false

    // Issue #16: the time limits of the promptness rules (TimingOptions.swift).
    @OptionGroup(title: "Time limits of the rules") var timing: TimingOptions

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        if let count, count <= 0 { throw ValidationError("-c must be a positive number of frames") }
        if let stream, stream < 0 { throw ValidationError("--stream must be 0 or more (connections are numbered from 0)") }
        if maxBuffer.bytes < 1024 { throw ValidationError("--max-buffer must be at least 1K") }
        if maxBufferTotal.bytes < maxBuffer.bytes { throw ValidationError("--max-buffer-total must be at least --max-buffer") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if maxHTTPHead.bytes < 1024 { throw ValidationError("--max-http-head must be at least 1K") }
        if maxMessageSize.bytes < 1 { throw ValidationError("--max-message-size must be at least 1 byte") }
        if messages && (json || verbose) { throw ValidationError("--messages is a text view; it cannot be combined with --json or -v") }
        if summary && (messages || verbose || count != nil) { throw ValidationError("--summary cannot be combined with --messages, -v or -c") }
        if segments && (json || messages || summary || verbose) { throw ValidationError("--segments is a text view; it cannot be combined with --json, --messages, --summary or -v") }
        if report.html != nil && (json || messages || summary || segments || ladder) { throw ValidationError("--html writes the report to a file; it cannot be combined with --json, --messages, --summary, --segments or --ladder") }
        if ladder && (json || messages || summary || verbose || segments) { throw ValidationError("--ladder is a text view; it cannot be combined with --json, --messages, --summary, --segments or -v") }
        if ascii && !ladder { throw ValidationError("--ascii goes with --ladder") }
    }

    var inspectorOptions: CaptureInspector.Options {
        var options = CaptureInspector.Options()
        options.webSocketPorts = Set(webSocketPorts)
        options.maxBuffer = maxBuffer.bytes
        options.maxBufferTotal = maxBufferTotal.bytes
        options.maxConnections = maxConnections
        options.maxHTTPHead = maxHTTPHead.bytes
        options.onlyStream = stream
        options.frameLimit = count
        options.heuristic = !noHeuristic
        options.maxMessageSize = maxMessageSize.bytes
        options.payloadLimit = displayLimit
        options.reportFrames = format.reportsFrames
        options.reportTLSRecords = verbose
        options.reportSegments = segments
        if view != .none && format.reportsFrames {
            // Plain JSON is read where values are shown (JSON, -v), within --max-payload (Docs/views.md).
            var limits = ViewLimits()
            limits.readsPlainJSON = json || verbose
            limits.maxJSONBytes = displayLimit
            options.payloadViews = StandardPayloadViews(choice: view, limits: limits)
        }
        options.timing = timing.thresholds
        return options
    }

    /// The inspector's options with the key log read (`live`: followed as it grows). A key log that cannot be read
    /// is a usage error.
    func inspectorOptions(live: Bool) throws -> CaptureInspector.Options {
        var options = inspectorOptions
        if let keylog {
            let file: TLSKeyLogFile
            do {
                file = try TLSKeyLogFile(path: keylog, growing: live)
            } catch {
                throw CommandFailure.usage("cannot read the key log \(keylog): no such readable file")
            }
            if file.log.count == 0 && file.log.ignoredLines > 0 {
                throw CommandFailure.usage("\(keylog) is not a TLS key log: none of its lines is LABEL <client random> <secret> (Docs/tls.md)")
            }
            options.tlsKeys = file
        }
        return options
    }

    /// What the events are shown as.
    var format: OutputFormat {
        if summary { return .summary(json: json) }
        if json { return .json(fields: verbose, payloadLimit: maxPayload?.bytes) }
        if report.html != nil { return .html }
        if ladder { return .ladder(ascii: ascii) }
        if segments { return .segments }
        return messages ? .messages : .text(verbose: verbose)
    }

    /// Payload bytes kept per frame and message: what is shown, and no more.
    var displayLimit: Int {
        if summary { return 0 }
        return maxPayload?.bytes ?? format.defaultPayloadLimit
    }

    /// The renderer these options ask for, how to write out what it has buffered so far (live output, whenever the
    /// analysis has caught up), and how to end it. `source` names the input in an HTML report (written at the end
    /// only) and, for a file, in every JSON record's `file`.
    func renderer(output: Output, source: String, live: Bool) throws -> (sink: InspectionSink, flush: () -> Void, finish: () -> Void) {
        if let file = try report.open(title: source) { return (file.renderer, {}, file.finish) }
        let (sink, flush) = format.renderer(output: output, style: display.style(for: output), capture: live ? .some(nil) : .some(source))
        return (sink, flush, flush)
    }
}

/// A size given on the command line: `65536`, `64K`, `16M`, `1G`.
struct ByteCount: ExpressibleByArgument, Sendable {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.uppercased()
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let multiplier = multipliers[last] {
            guard let value = Int(text.dropLast()), value >= 0, value <= Int.max / multiplier else { return nil }
            bytes = value * multiplier
        } else {
            guard let value = Int(text), value >= 0 else { return nil }
            bytes = value
        }
    }

    var defaultValueDescription: String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : "\(bytes)"
    }
}

/// `--view NAME` (the names are in the option's help; a wrong one is the usual one-line "invalid value" error).
extension ViewChoice: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { "auto" }
}

import ArgumentParser
import WSCapture
#if canImport(Glibc)
import Glibc
#endif

/// `wsinspect [read] FILE... [FILTER...]`: inspect capture files, one after the other.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Inspect capture files (pcap or pcapng; - reads standard input). This is the default command.",
        discussion: """
        Arguments that name existing files are capture files, read in turn,
        each with its own connection numbers and capture summary (JSON: its
        own capture record; every record names its file). The words after
        them are a BPF filter, as with tcpdump:
          wsinspect a.pcap b.pcap tcp port 8080
          wsinspect -r a.pcap -r b.pcap tcp port 8080

        Standard input (-) is decoded as packets arrive:
          tcpdump -U -i lo -w - tcp port 8765 | wsinspect -

        Exit codes: 0 fine; 1 a capture is damaged (after printing everything
        before the damage), or --strict and an error-level diagnostic; 2 bad
        usage, a file that cannot be read as a capture, or --stream naming a
        connection no capture has. With several files each is read whatever
        happens to the others, and the exit code is the worst of theirs.
        """
    )

    @Option(name: .customShort("r"), help: ArgumentHelp("Read this capture file (as tcpdump -r); repeatable.", valueName: "file"))
    var readFiles: [String] = []

    @Flag(name: [.customShort("D"), .customLong("list-interfaces")], help: "List the interfaces live capture can use (as tcpdump -D), then exit.")
    var listInterfaces = false

    @Argument(help: ArgumentHelp("Capture files (pcap or pcapng; - for standard input), then a BPF filter expression (tcpdump syntax; use -- before it if it starts with a dash).",
                                 valueName: "file-or-filter"))
    var arguments: [String] = []

    @OptionGroup var options: CaptureOptions

    func run() throws {
        if listInterfaces {
            try InterfacesCommand().run()
            return
        }
        let inputs = try CaptureInputs.split(readFiles: readFiles, arguments: arguments)
        if inputs.files.count > 1 && options.report.html != nil {
            throw CommandFailure.usage("--html writes the report of one capture: give one capture file (got \(inputs.files.count))")
        }
        var worst: CommandFailure?
        var connections: [Int] = []
        for file in inputs.files {
            do {
                let source: CaptureSource
                do {
                    source = try CaptureSource.openFile(file)
                } catch {
                    throw CommandFailure.usage(error.description)
                }
                connections.append(try CaptureRunner(options: options).run(source, filter: inputs.filter))
            } catch let failure as CommandFailure {
                // A damaged or unreadable file does not stop the others; each says what went wrong.
                if inputs.files.count == 1 { throw failure }
                standardError("wsinspect: " + failure.message)
                if failure.status.rawValue > (worst?.status.rawValue ?? 0) { worst = failure }
            } catch let status as ExitStatus {
                if inputs.files.count == 1 { throw status }
                if status.rawValue > (worst?.status.rawValue ?? 0) { worst = CommandFailure(message: "", status: status) }
            }
        }
        if let stream = options.stream, !connections.isEmpty, connections.allSatisfy({ $0 <= stream }) {
            throw CommandFailure.usage(Self.missingStream(stream, connections: connections))
        }
        if let worst { throw worst.status }   // each failure was already reported
    }

    /// `--stream N` beyond every capture read: what they have instead.
    static func missingStream(_ stream: Int, connections: [Int]) -> String {
        func range(_ count: Int) -> String {
            switch count {
            case 0: "none"
            case 1: "1 (0)"
            default: "\(count) (0–\(count - 1))"
            }
        }
        if connections.count == 1 { return "no connection \(stream): the capture has \(range(connections[0]))" }
        return "no connection \(stream) in any of the \(connections.count) captures: they have " + connections.map(range).joined(separator: ", ")
    }
}

/// `wsinspect live -i IFACE [FILTER...]`: inspect traffic as it happens.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Sniff an interface (e.g. lo) and inspect WebSocket traffic as it happens.",
        discussion: """
        Packets are read on a thread of their own; the kernel ring (-B) holds a
        burst the analysis has not caught up with yet. Ctrl-C (or -c, or
        --duration) stops capturing, but what was already captured is still
        decoded, then come the summaries and libpcap's drop counts. A second
        Ctrl-C stops at once.
        Capturing needs root or the CAP_NET_RAW capability:
          sudo setcap cap_net_raw,cap_net_admin=eip "$(command -v wsinspect)"
        Started as root, --user NAME gives root up as soon as the interface is
        open (as tcpdump -Z).
        Examples:
          wsinspect live -i lo tcp port 8765
          wsinspect live -i lo -B 512M tcp port 8765
          wsinspect live -i lo -w s.pcap --json tcp port 8765 > s.jsonl
        """
    )

    @Option(name: [.short, .long], help: "The interface to capture on (wsinspect interfaces lists them).")
    var interface: String

    @Option(name: .long, parsing: .unconditional, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: [.customShort("B"), .customLong("buffer-size")],
            help: ArgumentHelp("The kernel capture buffer: a plain number counts KiB, as tcpdump -B does; K, M, G suffixes allowed (-B 4096 = -B 4M).",
                               valueName: "size"))
    var bufferSize: KernelBufferSize = .standard

    @Option(name: [.customShort("w"), .customLong("write")],
            help: ArgumentHelp("Also write the captured packets to this pcap file (as tcpdump -w).", valueName: "file"))
    var writeFile: String?

    @Option(name: .long, help: "Drop root privileges to this user right after opening the interface (as tcpdump -Z).")
    var user: String?

    @Argument(help: "A BPF filter expression (tcpdump syntax); use -- before it if it starts with a dash.")
    var filter: [String] = []

    @OptionGroup var options: CaptureOptions

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if !bufferSize.isValid { throw ValidationError("-B must be from 1 KiB to 2047M (a plain number counts KiB, as with tcpdump)") }
        if writeFile == "-" { throw ValidationError("-w - is not supported: give a file name (live writes its own output to standard output)") }
        if writeFile?.isEmpty == true { throw ValidationError("-w needs a file name") }
    }

    func run() throws {
        if let user { try PrivilegeDrop.checkUser(user) }
        // A person watching a terminal sees each packet at once; otherwise the kernel hands packets over in blocks.
        let interactive = isatty(1) == 1
        let source: CaptureSource
        do {
            source = try CaptureSource.openLive(interface, bufferBytes: bufferSize.bytes, immediate: interactive,
                                                timeoutMilliseconds: 50)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        if let user { try PrivilegeDrop.become(user) }
        // As with tcpdump, the file is created once root is given up, so that it belongs to the user.
        var dump: CaptureDumpFile?
        if let writeFile {
            do {
                dump = try CaptureDumpFile(for: source, path: writeFile)
            } catch {
                throw CommandFailure.usage(error.description)
            }
        }
        installStopHandlers()
        try CaptureRunner(options: options).run(source, filter: filter, duration: duration, dump: dump, onReady: {
            standardError("wsinspect: listening on \(interface)" + (filter.isEmpty ? "" : " (filter: \(filter.joined(separator: " ")))")
                          + (user.map { " as user \($0)" } ?? "") + "; kernel buffer \(bufferSize.description)"
                          + (writeFile.map { "; writing \($0)" } ?? "") + "; Ctrl-C stops")
        })
    }
}

/// `wsinspect interfaces`: the devices libpcap can capture on.
struct InterfacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interfaces",
        abstract: "List the interfaces that wsinspect live can capture on."
    )

    func run() throws {
        let interfaces: [CaptureInterface]
        do {
            interfaces = try CaptureInterface.all()
        } catch {
            throw CommandFailure.usage(error.description)
        }
        for device in interfaces {
            var flags: [String] = []
            if device.isUp { flags.append("up") }
            if device.isRunning { flags.append("running") }
            if device.isLoopback { flags.append("loopback") }
            let addresses = device.addresses.isEmpty ? "" : "  " + device.addresses.joined(separator: ", ")
            let description = device.description.map { "  (\($0))" } ?? ""
            print("\(device.name)  [\(flags.joined(separator: ", "))]\(addresses)\(description)")
        }
    }
}

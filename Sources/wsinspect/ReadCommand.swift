import ArgumentParser
import WSCapture

/// `wsinspect [read] FILE [FILTER...]`: inspect a capture file.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Inspect a capture file (pcap or pcapng; - reads standard input). This is the default command.",
        discussion: """
        A BPF filter may follow the file, as with tcpdump: wsinspect cap.pcap tcp port 8080

        Exit codes: 0 fine; 1 the capture is damaged (after printing everything before the damage), or --strict and
        an error-level diagnostic; 2 bad usage, or a file that cannot be read as a capture.
        """
    )

    @Argument(help: "The capture file (pcap or pcapng), or - for standard input.")
    var file: String

    @Argument(help: "A BPF filter expression (tcpdump syntax); use -- before it if it starts with a dash.")
    var filter: [String] = []

    @OptionGroup var options: CaptureOptions

    func run() throws {
        let source: CaptureSource
        do {
            source = try CaptureSource.openFile(file)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        try CaptureRunner(options: options).run(source, filter: filter)
    }
}

/// `wsinspect live -i IFACE [FILTER...]`: inspect traffic as it happens.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Sniff an interface (e.g. lo) and inspect WebSocket traffic as it happens.",
        discussion: """
        Ctrl-C (or -c, or --duration) ends the capture with the summaries and libpcap's drop counts.
        Capturing needs root or the CAP_NET_RAW capability:
          sudo setcap cap_net_raw,cap_net_admin=eip "$(command -v wsinspect)"
        Started as root, --user NAME gives root up as soon as the interface is open (as tcpdump -Z).
        """
    )

    @Option(name: [.short, .long], help: "The interface to capture on (wsinspect interfaces lists them).")
    var interface: String

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .long, help: "Drop root privileges to this user right after opening the interface (as tcpdump -Z).")
    var user: String?

    @Argument(help: "A BPF filter expression (tcpdump syntax); use -- before it if it starts with a dash.")
    var filter: [String] = []

    @OptionGroup var options: CaptureOptions

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        if let user { try PrivilegeDrop.checkUser(user) }
        let source: CaptureSource
        do {
            source = try CaptureSource.openLive(interface)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        if let user { try PrivilegeDrop.become(user) }
        installStopHandlers()
        let deadline = duration.map { monotonicSeconds() + $0 }
        try CaptureRunner(options: options).run(source, filter: filter, deadline: deadline, onReady: {
            standardError("wsinspect: listening on \(interface)" + (filter.isEmpty ? "" : " (filter: \(filter.joined(separator: " ")))")
                          + (user.map { " as user \($0)" } ?? "") + "; Ctrl-C stops")
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

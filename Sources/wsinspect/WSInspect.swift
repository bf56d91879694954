import ArgumentParser
import WSReport
#if canImport(Glibc)
import Glibc
#endif

/// The root command. Subcommands do the work; running it with a capture file name is `wsinspect read FILE`.
struct WSInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wsinspect",
        abstract: "Show exactly what happens on the wire when two programs speak WebSocket (RFC 6455, RFC 7692).",
        discussion: """
        EXAMPLES
          wsinspect Samples/python-echo.pcap
          wsinspect capture.pcap --json tcp port 8765
          wsinspect live -i lo
          wsinspect frame 81 86 af 87 53 b4 4b 3a f3 51 0a 3a
          wsinspect encode --text hello --mask af8753b4
          wsinspect handshake request.txt
          wsinspect accept dGhlIHNhbXBsZSBub25jZQ==
          wsinspect rules

        EXIT CODES
          0  everything decoded (findings in a capture are reported, not fatal)
          1  a check failed: an Accept mismatch (accept), a truncated frame
             (frame), a damaged capture (after printing everything before the
             damage), or with --strict an error-level diagnostic
          2  bad usage, or input that cannot be used: empty or not hex, a
             missing or unreadable capture, an unsupported link type, a bad
             filter, an unknown interface, no permission to capture, --stream
             naming a connection the capture does not have

        The options of the default command (read) follow its subcommand list.
        """,
        version: Version.report,
        subcommands: [ReadCommand.self, LiveCommand.self, InterfacesCommand.self, FrameCommand.self, EncodeCommand.self,
                      HandshakeCommand.self, AcceptCommand.self, RulesCommand.self, CloseCodesCommand.self],
        defaultSubcommand: ReadCommand.self
    )

    /// Parses the command line, runs it, and exits with a documented code.
    static func runAndExit() -> Never {
        // `wsinspect --help` would show only the subcommands; the default command's options are what a first-time
        // user is looking for, so they follow.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
            print(helpMessage())
            print("\nOPTIONS OF THE DEFAULT COMMAND: wsinspect [read] FILE... [FILTER]\n")
            print(helpMessage(for: ReadCommand.self))
            Glibc.exit(0)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc.exit(ExitStatus.ok.rawValue)
        } catch let failure as CommandFailure {
            standardError("wsinspect: " + failure.message)
            Glibc.exit(failure.status.rawValue)
        } catch let status as ExitStatus {
            Glibc.exit(status.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Glibc.exit(0)
            }
            if code == .validationFailure {
                // One line, like every other error: the problem, and where to read more.
                let problem = WSInspect.message(for: error).split(separator: "\n").first.map(String.init) ?? message
                standardError("wsinspect: \(problem) (see wsinspect --help)")
            } else {
                standardError(message)
            }
            // ArgumentParser reports usage problems as EX_USAGE (64); wsinspect documents 2 for them.
            Glibc.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}

/// The documented exit codes.
enum ExitStatus: Int32, Error {
    case ok = 0
    /// A check failed (Accept mismatch, truncated frame, --strict with an error-level diagnostic).
    case checkFailed = 1
    /// Bad usage or unusable input.
    case usage = 2
}

/// A failure with a one-line message and an exit status.
struct CommandFailure: Error {
    let message: String
    let status: ExitStatus

    static func usage(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: .usage)
    }
}

/// Writes a message to standard error. Each line is escaped for the terminal: messages quote file names, filters
/// and libpcap's reasons, any of which may carry control characters.
func standardError(_ text: String) {
    var line = text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { TerminalText.escape(String($0)) }.joined(separator: "\n")
    if !line.hasSuffix("\n") { line += "\n" }
    line.withCString { _ = write(2, $0, strlen($0)) }
}

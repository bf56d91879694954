import Foundation
import Testing
@testable import wsinspect

/// The command line behaves like the tools its users know (tcpdump, tshark): `--version`, `-r`, `-D`, several
/// capture files, range errors for negative counts, `--stream` beyond the capture, `--help` showing the default
/// command's options, summaries that say when reading stopped early, standard input decoded as it arrives.
@Suite struct CommandLineHabitsTests {
    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/\(name)").path }
    static let echo = sample("python-echo.pcap")        // 1 connection, 16 frames
    static let concurrent = sample("concurrent.pcap")   // 3 connections, 30 frames

    static func records(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func versionNamesTheLibrariesLinked() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("wsinspect 0.") == true)
        #expect(lines.contains { $0.hasPrefix("libpcap version 1.") })
        #expect(lines.contains { $0.hasPrefix("zlib 1.") })
    }

    @Test func dashRReadsAFileAsTcpdumpDoes() throws {
        let positional = try CLI.run(["--json", Self.echo])
        let option = try CLI.run(["--json", "-r", Self.echo])
        #expect(option.status == 0)
        #expect(option.stdout == positional.stdout)
        // -r with a filter after it, as with tcpdump -r FILE FILTER.
        let filtered = try CLI.run(["--json", "-r", Self.echo, "tcp", "port", "1"])
        #expect(try Self.records(filtered.stdout).filter { $0["kind"] as? String == "frame" }.isEmpty)
    }

    @Test func dashDListsInterfacesLikeTheInterfacesCommand() throws {
        let short = try CLI.run(["-D"])
        let long = try CLI.run(["--list-interfaces"])
        let command = try CLI.run(["interfaces"])
        #expect(short.status == 0)
        #expect(short.stdout == command.stdout)
        #expect(long.stdout == command.stdout)
        #expect(short.stdout.contains("lo  [up"))
    }

    @Test func severalFilesEachWithItsOwnNumberingAndCaptureRecord() throws {
        let result = try CLI.run(["--json", Self.echo, Self.concurrent, "tcp"])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try Self.records(result.stdout)
        let captures = records.filter { $0["kind"] as? String == "capture" }
        #expect(captures.map { $0["file"] as? String } == [Self.echo, Self.concurrent])
        #expect(captures.map { $0["tcp_connections"] as? Int } == [1, 3])
        // Connections numbered per file, each record naming its file; the echo capture's records all come first.
        let connections = records.filter { $0["kind"] as? String == "connection" }
        #expect(connections.map { $0["file"] as! String } == [Self.echo, Self.concurrent, Self.concurrent, Self.concurrent])
        #expect(connections.map { $0["stream"] as! Int } == [0, 0, 1, 2])
        let frames = records.filter { $0["kind"] as? String == "frame" }
        #expect(frames.filter { $0["file"] as? String == Self.echo }.count == 16)
        #expect(frames.filter { $0["file"] as? String == Self.concurrent }.count == 30)
        let echoEnd = try #require(records.firstIndex { $0["kind"] as? String == "capture" })
        #expect(records[..<echoEnd].allSatisfy { ($0["file"] as? String) == Self.echo })

        // Text: each file ends with its own capture summary.
        let text = try CLI.run([Self.echo, Self.concurrent, "--summary", "--color", "never"])
        #expect(text.stdout.components(separatedBy: "══ Capture ").count == 3)
        // -r files and positional files together, in order.
        let mixed = try CLI.run(["--json", "--summary", "-r", Self.concurrent, Self.echo])
        #expect(try Self.records(mixed.stdout).filter { $0["kind"] as? String == "capture" }.map { $0["file"] as? String }
                == [Self.concurrent, Self.echo])
    }

    @Test func anUnreadableFileAmongSeveralDoesNotStopTheOthers() throws {
        let notes = try ErrorTableTests.temporary("notes.txt", Array("just some notes\n".utf8))
        let result = try CLI.run(["--json", "--summary", Self.echo, notes, Self.concurrent])
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: cannot read capture \(notes): not a pcap or pcapng file (unknown file format)\n")
        #expect(try Self.records(result.stdout).filter { $0["kind"] as? String == "capture" }.count == 2)
    }

    @Test func theFileTheFilterAndTheirErrors() throws {
        // Inputs told apart: existing files, then the filter.
        let existing: Set<String> = ["a.pcap", "b.pcap"]
        let split = try CaptureInputs.split(readFiles: [], arguments: ["a.pcap", "b.pcap", "tcp", "port", "80"], exists: existing.contains)
        #expect(split == CaptureInputs(files: ["a.pcap", "b.pcap"], filter: ["tcp", "port", "80"]))
        #expect(try CaptureInputs.split(readFiles: ["b.pcap"], arguments: ["tcp"], exists: existing.contains)
                == CaptureInputs(files: ["b.pcap"], filter: ["tcp"]))
        #expect(try CaptureInputs.split(readFiles: [], arguments: ["-", "tcp"], exists: existing.contains)
                == CaptureInputs(files: ["-"], filter: ["tcp"]))
        // A first argument that is no file is still the file: opening it says why it cannot be read.
        #expect(try CaptureInputs.split(readFiles: [], arguments: ["c.pcap"], exists: existing.contains)
                == CaptureInputs(files: ["c.pcap"], filter: []))

        try ErrorTableTests.expectError([Self.echo, "nosuch.pcap"], status: 2,
                                        message: "wsinspect: cannot read capture nosuch.pcap: No such file or directory")
        try ErrorTableTests.expectError(["--json"], status: 2,
                                        message: "wsinspect: no capture file given: wsinspect FILE..., wsinspect -r FILE, or - for standard input")
        try ErrorTableTests.expectError([Self.echo, Self.concurrent, "--html", "/tmp/r.html"], status: 2,
                                        message: "wsinspect: --html writes the report of one capture: give one capture file (got 2)")
        try ErrorTableTests.expectError([Self.echo, "-r", "-"], status: 2,
                                        message: "wsinspect: standard input (-) cannot be read together with other capture files")
    }

    @Test func negativeCountsGetARangeError() throws {
        try ErrorTableTests.expectError([Self.echo, "-c", "-1"], status: 2,
                                        message: "wsinspect: -c must be a positive number of frames (see wsinspect --help)")
        try ErrorTableTests.expectError([Self.echo, "--stream", "-1"], status: 2,
                                        message: "wsinspect: --stream must be 0 or more (connections are numbered from 0) (see wsinspect --help)")
        let maxConnections = try CLI.run([Self.echo, "--max-connections", "-5"])
        #expect(maxConnections.stderr == "wsinspect: --max-connections must be at least 1 (see wsinspect --help)\n")
        let pongTimeout = try CLI.run([Self.echo, "--pong-timeout", "-1"])
        #expect(pongTimeout.stderr == "wsinspect: --pong-timeout must be a number of seconds, 0 or more (see wsinspect --help)\n")
        let duration = try CLI.run(["live", "-i", "lo", "--duration", "-1"])
        #expect(duration.stderr == "wsinspect: --duration must be positive (see wsinspect --help)\n")
        #expect(duration.status == 2)
    }

    @Test func aStreamBeyondTheCaptureIsAnError() throws {
        let result = try ErrorTableTests.expectError([Self.echo, "--stream", "99", "--color", "never"], status: 2,
                                                     message: "wsinspect: no connection 99: the capture has 1 (0)")
        #expect(result.stdout.contains("══ Capture"))
        try ErrorTableTests.expectError([Self.echo, Self.concurrent, "--stream", "99", "--summary"], status: 2,
                                        message: "wsinspect: no connection 99 in any of the 2 captures: they have 1 (0), 3 (0–2)")
        // A connection that one of the files has is no error.
        let some = try CLI.run([Self.echo, Self.concurrent, "--stream", "2", "--json", "--summary"])
        #expect(some.status == 0)
        #expect(try Self.records(some.stdout).filter { $0["kind"] as? String == "summary" }.map { $0["stream"] as? Int } == [2])
        #expect(ReadCommand.missingStream(3, connections: [0]) == "no connection 3: the capture has none")
    }

    @Test func helpShowsTheDefaultCommandsOptions() throws {
        for flag in ["--help", "-h"] {
            let result = try CLI.run([flag], environment: ["COLUMNS": "80"])   // the argument parser wraps at $COLUMNS
            #expect(result.status == 0)
            #expect(result.stdout.contains("SUBCOMMANDS:"))
            #expect(result.stdout.contains("OPTIONS OF THE DEFAULT COMMAND"))
            for option in ["--json", "--messages", "--stream", "-r <file>", "-D, --list-interfaces", "--max-payload"] {
                #expect(result.stdout.contains(option), "\(flag) lacks \(option)")
            }
            // The preformatted help keeps within 80 columns (no wrapped example or exit code line).
            #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        }
    }

    @Test func summariesSayWhenReadingStoppedEarly() throws {
        // python-echo.pcap has a Close handshake and FINs; -c 3 stops reading long before them.
        let text = try CLI.run([Self.echo, "-c", "3", "--color", "never"])
        #expect(text.stdout.contains("close: no Close frame before reading stopped (the -c 3 frame limit); TCP: open when reading stopped"))
        #expect(text.stdout.contains("CloseEvent not known (reading stopped early: the -c 3 frame limit)"))
        #expect(text.stdout.contains("stopped early: reading stopped at the -c 3 frame limit"))
        #expect(!text.stdout.contains("TCP: capture ended"))
        let json = try Self.records(CLI.run([Self.echo, "-c", "3", "--json"]).stdout)
        #expect(json.first { $0["kind"] as? String == "summary" }?["stopped_early"] as? String == "the -c 3 frame limit")
        #expect(json.first { $0["kind"] as? String == "capture" }?["stopped_early"] as? String == "the -c 3 frame limit")
        // Read to the end: nothing stopped it.
        let whole = try Self.records(CLI.run([Self.echo, "--json"]).stdout)
        #expect(whole.first { $0["kind"] as? String == "summary" }?["stopped_early"] is NSNull)
        #expect(whole.first { $0["kind"] as? String == "capture" }?["stopped_early"] is NSNull)
    }

    /// A pipe fed slowly: the first frames are on stdout while the writer still holds the rest back.
    @Test(.timeLimit(.minutes(1))) func standardInputIsDecodedAsPacketsArrive() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.echo)))
        // Little-endian pcap: a 24-byte file header, then records of a 16-byte header (included length at 8) + data.
        var records: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length = Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16 | Int(bytes[offset + 11]) << 24
            records.append(Array(bytes[offset..<offset + 16 + length]))
            offset += 16 + length
        }
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["-", "--json"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The header and the first 12 packets (handshake and the first frames), then nothing until a frame is seen.
        input.fileHandleForWriting.write(Data(bytes[0..<24] + records.prefix(12).joined()))
        var seen = Data()
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: seen, as: UTF8.self).contains("\"kind\":\"frame\"") && Date() < deadline {
            seen += output.fileHandleForReading.availableData
        }
        #expect(String(decoding: seen, as: UTF8.self).contains("\"kind\":\"frame\""), "no frame before the end of input")
        #expect(!String(decoding: seen, as: UTF8.self).contains("\"kind\":\"capture\""))
        input.fileHandleForWriting.write(Data(records.dropFirst(12).joined()))
        try input.fileHandleForWriting.close()
        seen += output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // The same output as reading the file.
        let file = try CLI.run(["--json", Self.echo])
        let strip = { (text: String) in text.replacingOccurrences(of: #""file":"[^"]*","#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""source":"[^"]*","#, with: "", options: .regularExpression) }
        #expect(strip(String(decoding: seen, as: UTF8.self)) == strip(file.stdout))
    }
}

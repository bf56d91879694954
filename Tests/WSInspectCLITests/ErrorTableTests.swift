import Foundation
import Testing
import WSTestSupport

/// One test per row of Docs/errors.md: the real binary, the message and the exit code; and the table's messages and
/// codes must be the binary's.
@Suite struct ErrorTableTests {
    static let sample = CLI.packageRoot.appendingPathComponent("Samples/python-echo.pcap").path

    static func temporary(_ name: String, _ bytes: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs and checks: exit code, exactly one line on stderr, and that line.
    @discardableResult
    static func expectError(_ arguments: [String], stdin: String? = nil, status: Int32, message: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
        let result = try CLI.run(arguments, stdin: stdin)
        #expect(result.status == status, "\(arguments)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n", omittingEmptySubsequences: false).count == 2,
                "not one line: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)", sourceLocation: sourceLocation)
        // The documented message (with FILE for the path) is in Docs/errors.md.
        var documented = message
        for argument in arguments where argument.hasPrefix("/") && argument != "/tmp" { documented = documented.replacingOccurrences(of: argument, with: "FILE") }
        documented = documented.replacingOccurrences(of: "capture /tmp:", with: "capture FILE:").replacingOccurrences(of: "packet 16", with: "packet N")
        #expect(table.contains(documented), "Docs/errors.md lacks: \(documented)", sourceLocation: sourceLocation)
        #expect(table.contains("| \(status) |"), sourceLocation: sourceLocation)
        return result
    }

    static let table = (try? String(contentsOf: CLI.packageRoot.appendingPathComponent("Docs/errors.md"), encoding: .utf8)) ?? ""

    @Test func emptyStandardInput() throws {
        try Self.expectError(["-"], stdin: "", status: 2, message: "wsinspect: cannot read capture -: it is empty (0 bytes), not a capture")
    }

    @Test func missingFile() throws {
        try Self.expectError(["/no/such.pcap"], status: 2, message: "wsinspect: cannot read capture /no/such.pcap: No such file or directory")
    }

    @Test func directory() throws {
        try Self.expectError(["/tmp"], status: 2, message: "wsinspect: cannot read capture /tmp: it is a directory, not a capture file")
    }

    @Test func notACapture() throws {
        let file = try Self.temporary("notes.txt", Array("just some notes\n".utf8))
        try Self.expectError([file], status: 2, message: "wsinspect: cannot read capture \(file): not a pcap or pcapng file (unknown file format)")
    }

    @Test func emptyFile() throws {
        let file = try Self.temporary("empty.pcap", [])
        try Self.expectError([file], status: 2, message: "wsinspect: cannot read capture \(file): the file is empty (0 bytes), not a capture")
    }

    @Test func fileHeaderCutShort() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        let file = try Self.temporary("ten-bytes.pcap", Array(bytes.prefix(10)))
        try Self.expectError([file], status: 2, message: "wsinspect: cannot read capture \(file): truncated dump file; tried to read 24 file header bytes, only got 6")
    }

    @Test func truncatedCapture() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        let file = try Self.temporary("cut.pcap", Array(bytes.prefix(5000)))
        let result = try Self.expectError([file, "--color", "never"], status: 1, message: "wsinspect: capture truncated at packet 16: truncated dump file;")
        #expect(result.stdout.contains("══ Capture"))   // what came before the damage was shown
    }

    @Test func unsupportedLinkType() throws {
        let file = try CaptureFileWriter.write([CaptureFileWriter.Packet(seconds: 1, nanoseconds: 0, bytes: [0, 0])], linkType: 105)
        try Self.expectError([file], status: 2, message: "wsinspect: unsupported link type 105 (IEEE802_11)")
    }

    @Test func badFilter() throws {
        try Self.expectError([Self.sample, "tcp", "port", "banana"], status: 2,
                             message: "wsinspect: bad capture filter \"tcp port banana\": unknown port 'banana'")
    }

    @Test func unknownInterface() throws {
        try Self.expectError(["live", "-i", "nosuch0", "--duration", "1"], status: 2,
                             message: "wsinspect: no such interface nosuch0: No such device exists (wsinspect interfaces lists them)")
    }

    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root to become another user"))
    func noPermissionToRead() throws {
        let file = try Self.temporary("secret.pcap", [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample))))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file)
        let directory = URL(fileURLWithPath: "/tmp/wsinspect-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("wsinspect")
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        let result = try CLI.runProcess(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                        ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path, file])
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: cannot read capture \(file): Permission denied\n")
        #expect(Self.table.contains("`wsinspect: cannot read capture FILE: Permission denied`"))
        // No permission to capture: LivePermissionTests.notPermittedSaysHowToFixIt runs that row.
        #expect(Self.table.contains("`wsinspect: not permitted to capture on lo: … grant cap_net_raw …`"))
    }

    @Test func unknownUser() throws {
        try Self.expectError(["live", "-i", "lo", "--user", "nosuchuser"], status: 2, message: "wsinspect: --user: no user named \"nosuchuser\"")
    }

    @Test func badHex() throws {
        try Self.expectError(["frame", "81", "zz"], status: 2, message: "wsinspect: bad hex input: not a hex digit: 'z' at line 1, column 4")
        try Self.expectError(["frame", "81", "8"], status: 2,
                             message: "wsinspect: bad hex input: odd number of hex digits in \"8\" (1 digit; each byte needs two) at line 1, column 4")
        try Self.expectError(["frame"], stdin: "", status: 2,
                             message: "wsinspect: no bytes given: pass frame bytes in hex as arguments or on standard input")
        try Self.expectError(["frame", "-"], stdin: "", status: 2,
                             message: "wsinspect: no bytes given: pass frame bytes in hex as arguments or on standard input")
    }

    @Test func encodeInputs() throws {
        try Self.expectError(["encode", "--binary", "-"], stdin: "", status: 2,
                             message: "wsinspect: --binary -: no bytes given: standard input is empty (an empty binary message is --binary '[]')")
        try Self.expectError(["encode", "--binary", ""], status: 2,
                             message: "wsinspect: --binary: no bytes given: the argument is empty (an empty binary message is --binary '[]')")
        try Self.expectError(["encode", "--binary", "zz"], status: 2,
                             message: "wsinspect: --binary: bad hex input: not a hex digit: 'z' at line 1, column 1")
        try Self.expectError(["encode", "--text", "-"], stdin: "", status: 2,
                             message: "wsinspect: --text -: no text given: standard input is empty (an empty text message is --text '')")
        #expect(Self.table.contains("`wsinspect: --text -: standard input is not UTF-8 (byte N: invalid byte); a text message must be: send bytes with --binary`"))
    }

    @Test func incompleteFrame() throws {
        let result = try CLI.run(["frame", "81", "0a", "48", "65", "6c", "--color", "never"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("INCOMPLETE: payload needs 10 bytes, 3 present"))
        #expect(Self.table.contains("`INCOMPLETE: payload needs 10 bytes, 3 present` | 1 |"))
    }

    @Test func keyLogs() throws {
        try Self.expectError([Self.sample, "--keylog", "/no/keys.log"], status: 2,
                             message: "wsinspect: cannot read the key log /no/keys.log: no such readable file")
        let notes = try Self.temporary("notes.txt", Array("just some notes\n".utf8))
        try Self.expectError([Self.sample, "--keylog", notes], status: 2,
                             message: "wsinspect: \(notes) is not a TLS key log: none of its lines is LABEL <client random> <secret> (Docs/tls.md)")
    }

    @Test func htmlReports() throws {
        try Self.expectError([Self.sample, "--html", "/no/such/dir/report.html"], status: 2,
                             message: "wsinspect: cannot write the HTML report /no/such/dir/report.html: No such file or directory")
        try Self.expectError([Self.sample, "--html", "report.html", "--json"], status: 2,
                             message: "wsinspect: --html writes the report to a file; it cannot be combined with --json, --messages, --summary, --segments or --ladder (see wsinspect --help)")
    }

    @Test func pastesThatAreNotFrames() throws {
        try Self.expectError(["frame", "GET / HTTP/1.1"], status: 2,
                             message: "wsinspect: this looks like an HTTP request, not frame bytes (try: wsinspect handshake -)")
        try Self.expectError(["frame", "16", "03", "01", "02", "00", "01"], status: 2,
                             message: "wsinspect: these bytes look like a TLS record (handshake, TLS 1.0), not WebSocket frames: decrypt the capture with --keylog (Docs/tls.md)")
        try Self.expectError(["frame"], stdin: "\u{81}\u{05}Hello", status: 2,
                             message: "wsinspect: bad hex input: standard input is binary (byte ")
        try Self.expectError(["frame", "--raw", "81", "00"], status: 2,
                             message: "wsinspect: --raw reads the bytes from standard input; it cannot be combined with hex arguments (see wsinspect --help)")
        try Self.expectError(["frame"], stdin: "00000000: 8105 4865 6c6c 6f00 0000 0000 0000 0000  ..Hello.........\n00000020: 00                                       .\n",
                             status: 2, message: "wsinspect: bad hex input: offset \"00000020\" does not count the 16 bytes before it (expected 00000010) at line 2, column 1")
    }

    @Test func acceptInputs() throws {
        try Self.expectError(["accept"], stdin: "", status: 2,
                             message: "wsinspect: no key given: pass the Sec-WebSocket-Key as an argument or on standard input")
        try Self.expectError(["accept"], stdin: "a\nb\n", status: 2,
                             message: "wsinspect: standard input has 2 lines: give one key, or one Sec-WebSocket-Key: header line")
        try Self.expectError(["accept", "KEY1", "KEY2"], status: 2,
                             message: "wsinspect: give one key, or one Sec-WebSocket-Key: header line, not 2 arguments (see wsinspect --help)")
    }

    @Test func conflictingOptionsAndBadValues() throws {
        try Self.expectError([Self.sample, "--messages", "--json"], status: 2,
                             message: "wsinspect: --messages is a text view; it cannot be combined with --json or -v (see wsinspect --help)")
        try Self.expectError([Self.sample, "--summary", "-c", "3"], status: 2,
                             message: "wsinspect: --summary cannot be combined with --messages, -v or -c (see wsinspect --help)")
        try Self.expectError([Self.sample, "--max-buffer", "12Q"], status: 2,
                             message: "wsinspect: The value '12Q' is invalid for '--max-buffer <max-buffer>' (see wsinspect --help)")
        try Self.expectError([Self.sample, "--max-connections", "0"], status: 2,
                             message: "wsinspect: --max-connections must be at least 1 (see wsinspect --help)")
    }
}

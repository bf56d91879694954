import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Really sniffs loopback while a local WebSocket peer pair talks, and checks what wsinspect decoded.
/// Needs root (or CAP_NET_RAW); CI runs as root.
@Suite(.serialized) struct LiveCaptureTests {
    static var canCapture: Bool { geteuid() == 0 }

    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                _ = getsockname(fd, pointer, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    @Test(.enabled(if: canCapture, "live capture needs root or CAP_NET_RAW"), .timeLimit(.minutes(1)))
    func decodesFramesFromLoopbackAsTheyHappen() throws {
        let port = Self.freePort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString).jsonl").path
        let peer = CLI.packageRoot.appendingPathComponent("Samples/scripts/mini_peer.py").path

        let capture = Process()
        capture.executableURL = CLI.binary
        capture.arguments = ["live", "-i", "lo", "--json", "--duration", "20", "tcp", "port", "\(port)"]
        let out = Pipe(), err = Pipe()
        capture.standardOutput = out
        capture.standardError = err
        try capture.run()
        // Wait until wsinspect says it is listening.
        var stderrText = ""
        let deadline = Date().addingTimeInterval(10)
        while !stderrText.contains("listening on lo") && Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderrText += String(decoding: chunk, as: UTF8.self)
        }
        #expect(stderrText.contains("listening on lo"), "\(stderrText)")

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", peer, "server", "--port", "\(port)", "--log", log]
        let serverOut = Pipe()
        server.standardOutput = serverOut
        try server.run()
        _ = serverOut.fileHandleForReading.availableData   // "ready"
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["python3", peer, "client", "--port", "\(port)", "--log", log, "--messages", "live,capture,你好"]
        try client.run()
        client.waitUntilExit()
        server.waitUntilExit()
        #expect(client.terminationStatus == 0 && server.terminationStatus == 0)

        Thread.sleep(forTimeInterval: 0.5)
        kill(capture.processIdentifier, SIGINT)   // Ctrl-C: wsinspect prints the summaries and exits
        let data = out.fileHandleForReading.readDataToEndOfFile()
        capture.waitUntilExit()
        #expect(capture.terminationStatus == 0)

        let records = String(decoding: data, as: UTF8.self).split(separator: "\n")
            .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let frames = records.filter { $0["kind"] as? String == "frame" }
        let clientTexts = frames.filter { $0["from"] as? String == "client" }.compactMap { $0["text"] as? String }
        let serverTexts = frames.filter { $0["from"] as? String == "server" }.compactMap { $0["text"] as? String }
        #expect(clientTexts == ["live", "capture", "你好"])
        #expect(serverTexts == ["live", "capture", "你好"])
        #expect(frames.filter { $0["opcode"] as? Int == 8 }.count == 2)
        #expect(records.contains { $0["kind"] as? String == "handshake" && $0["accept_valid"] as? Bool == true })
        let capturesummary = records.last { $0["kind"] as? String == "capture" }
        #expect(capturesummary?["dropped"] is [String: Any])
    }

    @Test func unknownInterfaceIsAOneLineError() throws {
        let result = try CLI.run(["live", "-i", "no-such-interface0", "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("wsinspect: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("no-such-interface0"))
    }

    @Test func interfacesListsLoopback() throws {
        let result = try CLI.run(["interfaces"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("lo  ["))
    }
}

@Suite struct LivePermissionTests {
    /// Without privileges, live capture explains why and how to fix it (exercised by dropping to `nobody`).
    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root to drop privileges"))
    func notPermittedSaysHowToFixIt() throws {
        let directory = URL(fileURLWithPath: "/tmp/wsinspect-perm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let copy = directory.appendingPathComponent("wsinspect")
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLI.runProcess(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                        ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path, "live", "-i", "lo", "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not permitted to capture on lo"))
        #expect(result.stderr.contains("cap_net_raw"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// `--user` gives root up once the interface is open: the running capture has the user's ids, and still captures.
    @Test(.enabled(if: geteuid() == 0, "needs root to drop privileges"), .timeLimit(.minutes(1)))
    func userDropsRootAfterOpening() throws {
        let capture = Process()
        capture.executableURL = CLI.binary
        capture.arguments = ["live", "-i", "lo", "--user", "nobody", "--duration", "3", "--json"]
        // Standard output goes to a file: other tests' traffic on lo may make it larger than a pipe holds.
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("live-user-\(UUID().uuidString).jsonl")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile) }
        let err = Pipe()
        capture.standardOutput = try FileHandle(forWritingTo: outFile)
        capture.standardError = err
        try capture.run()
        // Wait until it says it is listening (it has opened lo and dropped root by then).
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("Ctrl-C stops") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += chunk
        }
        let status = try String(contentsOfFile: "/proc/\(capture.processIdentifier)/status", encoding: .utf8)
        let ids = status.split(separator: "\n").filter { $0.hasPrefix("Uid:") || $0.hasPrefix("Gid:") || $0.hasPrefix("Groups:") }
        capture.waitUntilExit()
        #expect(String(decoding: said, as: UTF8.self).contains("listening on lo as user nobody"))
        #expect(ids.first { $0.hasPrefix("Uid:") }?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().allSatisfy { $0 == "65534" } == true, "\(ids)")
        #expect(ids.first { $0.hasPrefix("Gid:") }?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().allSatisfy { $0 == "65534" } == true, "\(ids)")
        #expect(capture.terminationStatus == 0)
        let summary = try String(contentsOf: outFile, encoding: .utf8)
        #expect(summary.contains("\"kind\":\"capture\""))
    }

    @Test func unknownUserIsAOneLineError() throws {
        let result = try CLI.run(["live", "-i", "lo", "--user", "no-such-user-xyz", "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr == "wsinspect: --user: no user named \"no-such-user-xyz\"\n")
    }
}

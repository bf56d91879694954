import Foundation
import Testing
import WSTLS

@Suite struct KeyLogTests {
    static let random = String(repeating: "ab", count: 32)

    @Test func linesAreReadByLabel() {
        let log = TLSKeyLog(text: """
            # a comment
            CLIENT_RANDOM \(Self.random) \(String(repeating: "01", count: 48))
            CLIENT_TRAFFIC_SECRET_0 \(Self.random) \(String(repeating: "02", count: 32))
            EXPORTER_SECRET \(Self.random) \(String(repeating: "03", count: 32))
            SERVER_HANDSHAKE_TRAFFIC_SECRET nothex 00
            RSA 0011 2233

            """)
        let secrets = log.secrets(clientRandom: Array(repeating: 0xAB, count: 32))
        #expect(secrets?.masterSecret == Array(repeating: 1, count: 48))
        #expect(secrets?.clientTraffic0 == Array(repeating: 2, count: 32))
        #expect(secrets?.hasTLS13Secrets == false)
        #expect(log.ignoredLines == 2 && log.count == 1)
    }

    @Test func aGrowingFileIsReadAgainForSecretsItLacked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keylog-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try TLSKeyLogFile(path: path, growing: true)
        let random = Array(repeating: UInt8(0xAB), count: 32)
        #expect(file.secrets(clientRandom: random) == nil)
        // The browser appends a line (its last newline not yet written, then written).
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("CLIENT_RANDOM \(Self.random) \(String(repeating: "01", count: 48))".utf8))
        Thread.sleep(forTimeInterval: 0.06)
        #expect(file.secrets(clientRandom: random) == nil)   // a line without its newline may be incomplete
        handle.write(Data("\n".utf8))
        try handle.close()
        Thread.sleep(forTimeInterval: 0.06)
        #expect(file.secrets(clientRandom: random)?.masterSecret?.count == 48)
    }

    @Test func anUnreadableFileIsAnError() {
        #expect(throws: (any Error).self) { try TLSKeyLogFile(path: "/nonexistent/keys.log", growing: false) }
    }
}

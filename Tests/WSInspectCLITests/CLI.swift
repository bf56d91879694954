import Foundation
import Testing

/// Runs the real `wsinspect` binary (built next to the test bundle).
enum CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Standard output as the bytes written (`stdout` replaces invalid UTF-8).
        var stdoutBytes = Data()
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["WSINSPECT_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test bundle may be a directory (`.xctest`) on some platforms.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("wsinspect")
    }

    /// Runs wsinspect with arguments, optional standard input, and a time limit.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: URL? = nil, timeout: TimeInterval = 60) throws -> Result {
        try runProcess(binary, arguments, stdin: stdin, environment: environment, directory: directory, timeout: timeout)
    }

    /// Runs another program and returns its standard output.
    static func runTool(_ path: String, _ arguments: [String], directory: URL? = nil) throws -> String {
        try runProcess(URL(fileURLWithPath: path), arguments, directory: directory).stdout
    }

    static func runProcess(_ executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           directory: URL? = nil, timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        // Text output takes $COLUMNS in a pipe. Tests see the 159 columns of the layout they were written for
        // (a 60-column preview after the frame line's fields), unless they ask for a width; WidthTests check others.
        env["COLUMNS"] = "159"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a large output cannot block the child.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw CLIError.timedOut(arguments)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      stdoutBytes: outData)
    }

    enum CLIError: Error { case timedOut([String]) }
}

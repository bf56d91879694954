import Foundation
import Testing

/// The lessons in Docs/lessons/ show the tool's real output: every `$ command` in a code block is run (from the
/// package root, with the built `wsinspect` first on PATH, without colour) and what follows it in the block must be
/// exactly what it prints (standard output and standard error, as a terminal shows them). Regenerate the outputs with
/// `scripts/update-lessons.sh` (WSINSPECT_UPDATE_LESSONS=1) after an intended change, and review the diff.
@Suite struct LessonTests {
    static let directory = CLI.packageRoot.appendingPathComponent("Docs/lessons")

    static let lessons: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
    }()

    /// One `$ command` and the lines after it in its code block.
    struct Example {
        let command: String
        /// Line indices (in the file) of the expected output.
        let output: Range<Int>
    }

    static func examples(in lines: [String]) -> [Example] {
        var examples: [Example] = []
        var inBlock = false
        var current: (command: String, start: Int)?
        func close(at end: Int) {
            if let open = current { examples.append(Example(command: open.command, output: open.start..<end)) }
            current = nil
        }
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                if inBlock { close(at: index) }
                inBlock.toggle()
            } else if inBlock, line.hasPrefix("$ ") {
                close(at: index)
                current = (String(line.dropFirst(2)), index + 1)
            }
        }
        return examples
    }

    static func run(_ command: String) throws -> String {
        let bin = CLI.binary.deletingLastPathComponent().path
        let result = try CLI.runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", "exec 2>&1; " + command],
                                        environment: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                                                      "NO_COLOR": "1", "COLUMNS": "159"],
                                        directory: CLI.packageRoot, timeout: 120)
        var output = result.stdout
        if output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    @Test func thereAreLessons() {
        #expect(Self.lessons.count >= 8)
    }

    @Test(arguments: lessons)
    func everyCommandInTheLessonPrintsWhatItShows(lesson: String) throws {
        let url = Self.directory.appendingPathComponent(lesson)
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let examples = Self.examples(in: lines)
        #expect(!examples.isEmpty, "\(lesson) runs no command")
        let update = ProcessInfo.processInfo.environment["WSINSPECT_UPDATE_LESSONS"] == "1"
        // From the last example back, so that replacing lines does not move the ones still to check.
        for example in examples.reversed() {
            let actual = try Self.run(example.command)
            let shown = lines[example.output].joined(separator: "\n")
            if update {
                lines.replaceSubrange(example.output, with: actual.isEmpty ? [] : actual.components(separatedBy: "\n"))
            } else {
                #expect(actual == shown, "\(lesson): `\(example.command)` prints something else now; run scripts/update-lessons.sh and review the diff")
            }
        }
        if update { try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8) }
    }
}

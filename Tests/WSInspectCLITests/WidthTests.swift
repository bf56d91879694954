import Foundation
import Testing
import WSReport
import WSTestSupport

/// Text output fits the terminal: its width on a terminal, `$COLUMNS` or 100 in a pipe, `--width N` above both;
/// payload previews and tables shrink, longer lines break between words, never inside one.
@Suite struct WidthTests {
    static let samples = ["python-echo.pcap", "violations.pcap", "stomp.pcap", "fragments-deflate.pcap", "close-4000.pcap"]
        .map { CLI.packageRoot.appendingPathComponent("Samples/\($0)").path }

    /// Lines wider than `width` that are not a single unbreakable word.
    static func overflowing(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            TerminalText.displayWidth(line) > width && line.split(separator: " ").count > 1
        }
    }

    @Test func aPipeGetsOneHundredColumns() throws {
        for sample in Self.samples {
            for view in [[], ["--messages"], ["-v"]] {
                let result = try CLI.run([sample, "--color", "never"] + view, environment: ["COLUMNS": ""])
                #expect(Self.overflowing(result.stdout, width: 100).isEmpty, "\(sample) \(view): \(Self.overflowing(result.stdout, width: 100).prefix(2))")
            }
        }
    }

    @Test(arguments: [60, 80, 132, 200]) func widthOptionAndColumnsVariable(width: Int) throws {
        let sample = Self.samples[0]
        let option = try CLI.run([sample, "--color", "never", "--width", "\(width)"])
        let variable = try CLI.run([sample, "--color", "never"], environment: ["COLUMNS": "\(width)"])
        #expect(option.stdout == variable.stdout)
        #expect(Self.overflowing(option.stdout, width: width).isEmpty, "\(Self.overflowing(option.stdout, width: width).prefix(2))")
        // --width wins over $COLUMNS.
        #expect(try CLI.run([sample, "--color", "never", "--width", "\(width)"], environment: ["COLUMNS": "300"]).stdout == option.stdout)
    }

    @Test func previewsGrowWithTheWidthAndTheLayoutCompactsBelow139() throws {
        let sample = Self.samples[0]   // frame #6: 300 × "x"
        func line(_ width: Int) throws -> String {
            try #require(CLI.run([sample, "--color", "never", "--width", "\(width)"]).stdout
                .split(separator: "\n").first { $0.contains("#6 ") }.map(String.init))
        }
        let narrow = try line(100), wide = try line(200)
        #expect(narrow.contains("len=300 ") && !narrow.contains("(16-bit)") && !narrow.contains("key="))
        #expect(wide.contains("len=300 (16-bit)") && wide.contains("key=") && wide.contains("rsv=000"))
        #expect(TerminalText.displayWidth(narrow) == 100)
        #expect(TerminalText.displayWidth(wide) == 200)
        #expect(narrow.contains("pkt "))
        // --messages: the preview takes what the line leaves.
        let messages = try CLI.run([sample, "--messages", "--width", "120"]).stdout.split(separator: "\n")
        #expect(messages.contains { TerminalText.displayWidth(String($0)) == 120 && $0.hasSuffix("…\"") })
    }

    @Test func citationsAndFieldsStayWhole() throws {
        let text = try CLI.run([Self.samples[0], "--color", "never", "--width", "72"]).stdout
        // "(RFC 6455 §4.1 item 5)" is not cut; the explanation hangs under its column.
        #expect(text.contains("(RFC 6455 §4.1 item 5)"))
        #expect(!text.split(separator: "\n").contains { $0.hasSuffix("(RFC") || $0.hasSuffix("§4.1") })
    }

    /// A real terminal, faked by `script`: its width (`stty cols`) is the width.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")), .timeLimit(.minutes(1)))
    func aTerminalGivesItsOwnWidth() throws {
        let command = "stty cols 90 rows 40; COLUMNS= \(CLI.binary.path) \(Self.samples[0]) --color never"
        let result = try CLI.runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-e", "-c", command, "/dev/null"],
                                        environment: ["COLUMNS": "300"])
        let lines = result.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("#6 ") })
        #expect(Self.overflowing(lines.joined(separator: "\n"), width: 90).isEmpty, "\(Self.overflowing(lines.joined(separator: "\n"), width: 90).prefix(2))")
        #expect(lines.contains { TerminalText.displayWidth($0) == 90 })   // the frame lines fill it
    }

    @Test func widthOutOfRange() throws {
        for value in ["10", "-5", "5000"] {
            try ErrorTableTests.expectError([Self.samples[0], "--width", value], status: 2,
                                            message: "wsinspect: --width must be from 60 to 1000 columns (see wsinspect --help)")
        }
    }
    /// A text message in two fragments cut inside "你": each fragment's preview marks the cut character with a note,
    /// too long for the columns the frame's fields leave at 100.
    static func splitCharacterCapture() throws -> String {
        var c = LossyCaptureTests.upgraded()
        let text = Array("{\"seq\":1,\"data\":\"status update ticker 你好 price ask bid channel\"}".utf8)
        let cut = text.firstIndex(of: 0xE4)! + 2   // after e4 bd, before a0
        c.send(fromClient: false, WebSocketBytes.frame(fin: false, opcode: 1, payload: Array(text[..<cut])))
        c.send(fromClient: false, WebSocketBytes.frame(fin: true, opcode: 0, payload: Array(text[cut...])))
        return try CaptureFileWriter.write(c.packets(), linkType: 1)
    }

    @Test func aPreviewThatDoesNotFitTakesALineOfItsOwnWhole() throws {
        let path = try Self.splitCharacterCapture()
        let lines = try CLI.run([path, "--color", "never", "--width", "100"]).stdout.split(separator: "\n").map(String.init)
        // Every line fits: none needed breaking (which could fall inside the preview).
        #expect(lines.allSatisfy { TerminalText.displayWidth($0) <= 100 }, "\(lines.filter { TerminalText.displayWidth($0) > 100 })")
        for (number, note) in [("#0 ", "e4 bd (a character the next frame finishes)"), ("#1 ", "a0 (end of \"你\")")] {
            let index = try #require(lines.firstIndex { $0.contains(number) && $0.contains("S→C") })
            // The frame's fields on its line, the whole preview (quoted text and note) on the next, indented.
            #expect(!lines[index].contains("\""))
            #expect(lines[index + 1].hasPrefix("      ") && lines[index + 1].contains(note), "\(lines[index + 1])")
            #expect(lines[index + 1].contains("\"status") || lines[index + 1].contains("好 price"))
        }
        // Wide enough, the preview stays on the frame's line.
        let wide = try CLI.run([path, "--color", "never", "--width", "220"]).stdout.split(separator: "\n")
        #expect(wide.contains { $0.contains("#0 ") && $0.contains("e4 bd (a character the next frame finishes)") })
        #expect(wide.contains { $0.contains("#1 ") && $0.contains("a0 (end of \"你\")") })
    }
}

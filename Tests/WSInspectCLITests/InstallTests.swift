import Foundation
import Testing

/// `make install PREFIX=…` puts the release binary, the man page and the three shells' completions where they
/// belong. `make test` builds the release binary and the man page first; this runs the copying part
/// (`make install-files`) into a temporary prefix, so that it needs no second SwiftPM build inside the test run.
@Suite struct InstallTests {
    static let root = CLI.packageRoot
    static var built: Bool {
        FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(".build/release/wsinspect").path)
            && FileManager.default.fileExists(atPath: root.appendingPathComponent(".build/wsinspect.1").path)
    }

    @Test(.enabled(if: built, "no release build and man page (make test builds them)"), .timeLimit(.minutes(2)))
    func installPutsEverythingUnderThePrefix() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let log = try CLI.runTool("/usr/bin/make", ["-s", "install-files", "PREFIX=\(prefix.path)"], directory: Self.root)
        #expect(log.contains("setcap cap_net_raw,cap_net_admin=eip \(prefix.path)/bin/wsinspect"))
        let binary = prefix.appendingPathComponent("bin/wsinspect")
        #expect(FileManager.default.isExecutableFile(atPath: binary.path))
        #expect(try CLI.runProcess(binary, ["--version"]).stdout.hasPrefix("wsinspect 0."))

        let man = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/wsinspect.1"), encoding: .utf8)
        for section in [".Sh NAME", ".Sh SYNOPSIS", ".Sh DESCRIPTION", ".Sh EXAMPLES", ".Sh \"EXIT STATUS\"", ".Sh \"SEE ALSO\""] {
            #expect(man.contains(section + "\n"), "man page lacks \(section)")
        }
        // Options of the commands, an example, and each exit code, from the command-line definitions.
        #expect(man.contains("wsinspect frame 81 86 af 87 53 b4 4b 3a f3 51 0a 3a"))
        #expect(man.contains("Fl -json"))
        #expect(man.contains("Fl -keylog"))
        #expect(man.contains(".It 0\n") && man.contains(".It 1\n") && man.contains(".It 2\n"))
        #expect(!man.contains("\n\n"), "blank lines: mdoc warns about them")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/man") {
            let rendered = try CLI.runProcess(URL(fileURLWithPath: "/usr/bin/man"), ["-l", prefix.appendingPathComponent("share/man/man1/wsinspect.1").path],
                                              environment: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"])
            #expect(rendered.stdout.contains("EXIT STATUS"))
            #expect(!rendered.stderr.contains("warning"), "\(rendered.stderr)")
        }

        let completions = [("share/bash-completion/completions/wsinspect", "complete", "--json"),
                           ("share/zsh/site-functions/_wsinspect", "#compdef wsinspect", "--json"),
                           ("share/fish/vendor_completions.d/wsinspect.fish", "complete -c 'wsinspect'", "-l 'json'")]
        for (path, marker, option) in completions {
            let text = try String(contentsOf: prefix.appendingPathComponent(path), encoding: .utf8)
            #expect(text.contains(marker), "\(path)")
            #expect(text.contains(option), "\(path) lacks the read options")
        }

        _ = try CLI.runTool("/usr/bin/make", ["-s", "uninstall", "PREFIX=\(prefix.path)"], directory: Self.root)
        #expect(!FileManager.default.fileExists(atPath: binary.path))
    }
}

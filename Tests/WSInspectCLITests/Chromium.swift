import Foundation

/// Debian's `chromium-headless-shell` (scripts/setup.sh installs it): loads a page, lets its script run, and returns
/// the DOM as the browser serialises it (text is escaped there, so a `<tag` in it is an element) and the page's
/// console lines.
enum Chromium {
    static let path = "/usr/bin/chromium-headless-shell"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    struct Page {
        let dom: String
        /// What the browser logged: console messages (`INFO:CONSOLE`) and its own errors (CSP refusals among them).
        let log: String
        var console: [String] { log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init) }

        /// `(data-stream, data-index)` of every frame row, in document order.
        var frameRows: [(stream: String, index: Int)] {
            matches(#"<tr class="frame[^"]*" data-stream="([0-9]*)" data-index="([0-9]+)""#).map { ($0[0], Int($0[1])!) }
        }

        /// The `data-rule` of every element that has one.
        var rules: [String] { matches(#"data-rule="([a-z0-9-]+)""#).map { $0[0] } }

        func count(_ text: String) -> Int { dom.components(separatedBy: text).count - 1 }

        func matches(_ pattern: String) -> [[String]] {
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map { match in
                (1..<match.numberOfRanges).map { String(dom[Range(match.range(at: $0), in: dom)!]) }
            }
        }
    }

    /// Opens `file` (with `#fragment`), in a profile of its own so that tests can run side by side.
    static func load(_ file: String, fragment: String? = nil, windowSize: String = "1280,1600") throws -> Page {
        var url = URL(fileURLWithPath: file).absoluteString
        if let fragment { url += "#" + fragment }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try CLI.runProcess(URL(fileURLWithPath: path),
                                        ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                                         "--window-size=\(windowSize)", "--dump-dom", url], timeout: 120)
        return Page(dom: result.stdout, log: result.stderr)
    }
}

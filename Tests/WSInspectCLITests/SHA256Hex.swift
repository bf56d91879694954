import Foundation

/// SHA-256 in hex, for comparing large payloads with the peers' logs (computed with sha256sum, which every Debian
/// machine has, to keep the test target free of crypto dependencies).
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try? Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let output = (try? CLI.runTool("/usr/bin/sha256sum", [url.path])) ?? ""
        return String(output.prefix(64))
    }
}

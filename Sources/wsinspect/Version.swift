import WSAnalysis
import WSCapture

/// The version `wsinspect --version` reports, with the libraries that decide what it can read.
enum Version {
    /// Raised by hand on release; `0.x` while the JSON contract may still gain (never lose) keys.
    static let number = "0.15.0"

    /// `wsinspect --version`: this version, then the libpcap and zlib actually linked (they decide which capture
    /// formats, link types and filters work, and how deflate behaves), one per line.
    static var report: String {
        "wsinspect \(number)\n\(CaptureSource.libraryVersion)\nzlib \(zlibVersion)"
    }
}

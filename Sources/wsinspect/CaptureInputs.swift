#if canImport(Glibc)
import Glibc
#endif

/// The capture files and the BPF filter of a `read` command line, told apart as tcpdump users expect: `-r FILE`
/// names files, and so does every leading argument that names an existing file (or `-`, standard input); the rest
/// is the filter. `wsinspect a.pcap b.pcap tcp port 80` reads two files with the filter `tcp port 80`.
struct CaptureInputs: Equatable {
    var files: [String]
    var filter: [String]

    /// Splits `-r` files and the positional arguments. `exists` says whether a path names a file (a parameter for
    /// tests). Throws a one-line usage failure when no file is named, or when a filter word looks like a capture
    /// file name that does not exist (a mistyped file would otherwise reach libpcap as a bad filter).
    static func split(readFiles: [String], arguments: [String],
                      exists: (String) -> Bool = CaptureInputs.isExistingFile) throws -> CaptureInputs {
        var files = readFiles
        var rest = arguments[...]
        while let first = rest.first, (first == "-" && files.isEmpty) || exists(first) {
            files.append(first)
            rest = rest.dropFirst()
            if first == "-" { break }   // standard input is read once, and nothing else with it
        }
        if files.isEmpty {
            guard let first = rest.first else {
                throw CommandFailure.usage("no capture file given: wsinspect FILE..., wsinspect -r FILE, or - for standard input")
            }
            // Not an existing file: let opening it say why (no such file, permission…).
            files = [first]
            rest = rest.dropFirst()
        }
        if let missing = rest.first(where: looksLikeCaptureFile) {
            throw CommandFailure.usage("cannot read capture \(missing): No such file or directory")
        }
        if files.count > 1, files.contains("-") {
            throw CommandFailure.usage("standard input (-) cannot be read together with other capture files")
        }
        return CaptureInputs(files: files, filter: Array(rest))
    }

    /// True for a path that exists and is not a directory.
    static func isExistingFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFDIR
    }

    /// A word no BPF filter contains but capture file names end with.
    static func looksLikeCaptureFile(_ word: String) -> Bool {
        let lower = word.lowercased()
        return [".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz"].contains { lower.hasSuffix($0) }
    }
}

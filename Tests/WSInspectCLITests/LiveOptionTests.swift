import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `live -B` (kernel buffer) and `live -w` (write the packets to a file): parsing and refusals.
@Suite struct LiveOptionTests {
    /// A plain number counts KiB, as tcpdump's -B does; suffixes name the unit. The size in effect is announced.
    @Test(.enabled(if: geteuid() == 0, "live capture needs root or CAP_NET_RAW"), .timeLimit(.minutes(1)),
          arguments: [("4096", "4 MiB"), ("64M", "64 MiB"), ("512k", "512 KiB"), ("1536", "1536 KiB")])
    func bufferSizeCountsKiBLikeTcpdump(argument: String, announced: String) throws {
        let result = try CLI.run(["live", "-i", "lo", "-B", argument, "--duration", "0.1", "--summary"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("; kernel buffer \(announced); "), "\(result.stderr)")
    }

    @Test(.enabled(if: geteuid() == 0, "live capture needs root or CAP_NET_RAW"), .timeLimit(.minutes(1)))
    func theDefaultBufferIs256MiB() throws {
        let result = try CLI.run(["live", "-i", "lo", "--duration", "0.1", "--summary"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("; kernel buffer 256 MiB; "), "\(result.stderr)")
    }

    @Test(arguments: ["0", "0M", "2G", "3000M", "banana", "12Q", "4 M", "", "-1"])
    func badBufferSizesAreOneLineUsageErrors(argument: String) throws {
        let result = try CLI.run(["live", "-i", "lo", "-B", argument, "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("wsinspect: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func bufferSizeOutOfRangeIsTheDocumentedError() throws {
        try ErrorTableTests.expectError(["live", "-i", "lo", "-B", "0"], status: 2,
            message: "wsinspect: -B must be from 1 KiB to 2047M (a plain number counts KiB, as with tcpdump) (see wsinspect --help)")
    }

    @Test func writingPacketsToStandardOutputIsRefused() throws {
        try ErrorTableTests.expectError(["live", "-i", "lo", "-w", "-"], status: 2,
            message: "wsinspect: -w - is not supported: give a file name (live writes its own output to standard output) (see wsinspect --help)")
    }

    @Test(.enabled(if: geteuid() == 0, "live capture needs root or CAP_NET_RAW"), .timeLimit(.minutes(1)))
    func anUnwritableFileIsTheDocumentedError() throws {
        try ErrorTableTests.expectError(["live", "-i", "lo", "-w", "/no/such/directory/out.pcap", "--duration", "1"], status: 2,
            message: "wsinspect: cannot write capture /no/such/directory/out.pcap: No such file or directory")
    }

    /// `-w` writes a pcap file even when nothing was captured: the header, with lo's link type.
    @Test(.enabled(if: geteuid() == 0, "live capture needs root or CAP_NET_RAW"), .timeLimit(.minutes(1)))
    func theWrittenFileIsACaptureOfTheInterface() throws {
        let written = LiveRun.temporary(".pcap")
        defer { try? FileManager.default.removeItem(at: written) }
        let result = try CLI.run(["live", "-i", "lo", "-w", written.path, "--duration", "0.1", "--summary", "tcp", "port", "9"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("; writing \(written.path); "), "\(result.stderr)")
        let reread = try CLI.run([written.path, "--summary", "--json"])
        #expect(reread.status == 0, "\(reread.stderr)")
        #expect(reread.stdout.contains("\"link_type\":\"EN10MB, Ethernet\""), "\(reread.stdout)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writing to a file descriptor: output collects in one buffer and goes out in large writes, or after
/// every line when the descriptor is a terminal (so live output appears as it happens).
public final class Output {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let threshold: Int
    /// True when the descriptor is a terminal.
    public let isTerminal: Bool

    public init(descriptor: Int32 = 1, threshold: Int = 1 << 16) {
        self.descriptor = descriptor
        self.threshold = threshold
        self.isTerminal = isatty(descriptor) == 1
        buffer.reserveCapacity(threshold + 4096)
    }

    /// Output to a new file (created, or emptied); nil when it cannot be opened for writing.
    public convenience init?(path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.init(descriptor: descriptor)
        ownsDescriptor = true
    }

    /// True when `close()` (or deinit) closes the descriptor.
    private var ownsDescriptor = false

    deinit {
        flush()
        if ownsDescriptor { Glibc.close(descriptor) }
    }

    /// The columns text lines may take (`--width`, the terminal's, or 100 in a pipe); nil: lines are written as
    /// they are. Wider lines are broken between words (`LineFitter`); the text views also shrink their payload
    /// previews to it.
    public var width: Int?

    /// Writes a line of text followed by a newline (broken between words when wider than `width`).
    public func line(_ text: String) {
        if let width, text.utf8.count > width, TerminalText.displayWidth(text) > width {
            let pieces = LineFitter.fitting(text, width: width)
            if pieces.count > 1 {
                for piece in pieces { unfittedLine(piece) }
                return
            }
        }
        unfittedLine(text)
    }

    private func unfittedLine(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        buffer.append(0x0A)
        if isTerminal || buffer.count >= threshold { flush() }
    }

    /// Writes a line given as UTF-8 bytes, followed by a newline (`columns` wide: fitted to `width` if wider).
    func line(bytes: [UInt8], columns: Int) {
        if let width, columns > width {
            line(String(decoding: bytes, as: UTF8.self))
            return
        }
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if isTerminal || buffer.count >= threshold { flush() }
    }

    public func lines(_ texts: [String]) {
        for text in texts { line(text) }
    }

    /// Writes raw bytes (for JSON Lines, which carry their own newlines).
    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold || (isTerminal && bytes.last == 0x0A) { flush() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= threshold && threshold > 0 {
            // Large blocks go out directly, without a copy into the buffer.
            flush()
            writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold || (isTerminal && bytes.last == 0x0A) { flush() }
    }

    /// Sends everything buffered to the descriptor.
    public func flush() {
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < raw.count {
            let n = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                break // EPIPE and friends: the reader is gone; drop output.
            }
            offset += n
        }
    }
}

/// The C `write`, under a name that the methods above do not shadow.
private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}

import WSAnalysis

/// Passes on only connection summaries and the capture totals (`--summary`).
public final class SummaryOnlySink: InspectionSink {
    private let next: InspectionSink

    public init(forwardingTo next: InspectionSink) {
        self.next = next
    }

    public func handle(_ event: InspectionEvent) {
        switch event {
        case .summary, .capture: next.handle(event)
        default: break
        }
    }
}

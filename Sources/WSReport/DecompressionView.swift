import WSAnalysis
import WSWire

/// How a permessage-deflate message was inflated: the compressed bytes of all its fragments, the tail the receiver
/// appends, and the result (RFC 7692 §7.2.2).
public enum DecompressionView {
    public static func render(_ message: Message, limit: Int?) -> [String] {
        var lines: [String] = []
        let compressed = limit.map { Array(message.compressedPayload.prefix($0)) } ?? message.compressedPayload
        let fragments = message.frameCount == 1 ? "1 frame" : "\(message.frameCount) frames"
        lines.append("compressed, \(message.wireLength) bytes from \(fragments):")
        lines += HexDump.lines(compressed).map { "  " + $0 }
        if UInt64(compressed.count) < message.wireLength {
            lines.append("  … \(message.wireLength - UInt64(compressed.count)) more bytes")
        }
        lines.append("+ 00 00 ff ff appended by the receiver (the sender removed this sync-flush tail)")
        if message.inflateFailed && message.length == 0 {
            lines.append("= inflation failed (see the diagnostics)")
            return lines
        }
        let ratio = message.compressionRatio.map { cFormat(" (compressed to %.0f%%)", $0 * 100) } ?? ""
        lines.append("= inflated, \(message.length) bytes\(ratio)\(message.inflateFailed ? ", stopped early" : ""):")
        if let text = message.text {
            lines.append("  \"" + TerminalText.escape(text) + "\"" + (message.payloadIsCut ? " …" : ""))
        } else {
            let shown = limit.map { Array(message.payload.prefix($0)) } ?? message.payload
            lines += HexDump.lines(shown).map { "  " + $0 }
        }
        return lines
    }
}

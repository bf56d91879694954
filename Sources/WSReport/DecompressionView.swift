import WSWire

/// Draws how a permessage-deflate message was inflated: the compressed bytes of all its fragments, the tail the
/// receiver appends, and the result (RFC 7692 §7.2.2).
public enum DecompressionView {
    public static func render(_ decompression: DecompressionShown) -> [String] {
        guard case .message(let inflation) = decompression else {
            return ["a fragment of a compressed message: the message is inflated at its last frame"]
        }
        var lines: [String] = []
        let fragments = inflation.frameCount == 1 ? "1 frame" : "\(inflation.frameCount) frames"
        lines.append("compressed, \(inflation.wireLength) bytes from \(fragments):")
        lines += HexDump.lines(inflation.compressedShown).map { "  " + $0 }
        if UInt64(inflation.compressedShown.count) < inflation.wireLength {
            lines.append("  … \(inflation.wireLength - UInt64(inflation.compressedShown.count)) more bytes")
        }
        lines.append("+ 00 00 ff ff appended by the receiver (the sender removed this sync-flush tail)")
        if inflation.failedEmpty {
            lines.append("= inflation failed (see the diagnostics)")
            return lines
        }
        let ratio = inflation.ratio.map { cFormat(" (compressed to %.0f%%)", $0 * 100) } ?? ""
        lines.append("= inflated, \(inflation.length) bytes\(ratio)\(inflation.stoppedEarly ? ", stopped early" : ""):")
        if let text = inflation.text {
            lines.append("  \"" + TerminalText.escape(text) + "\"" + (inflation.textIsCut ? " …" : ""))
        } else {
            lines += HexDump.lines(inflation.inflatedShown).map { "  " + $0 }
        }
        return lines
    }
}

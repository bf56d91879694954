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
        lines.append("compressed, \(counted(inflation.wireLength, "byte")) from \(fragments):")
        lines += HexDump.lines(inflation.compressedShown).map { "  " + $0 }
        if UInt64(inflation.compressedShown.count) < inflation.wireLength {
            lines.append("  … \(counted(inflation.wireLength - UInt64(inflation.compressedShown.count), "more byte"))")
        }
        lines.append(inflation.senderKeptTail
            ? "+ 00 00 ff ff appended by the receiver (the sender should have removed this sync-flush tail, but the payload still ends in it: see the diagnostics)"
            : "+ 00 00 ff ff appended by the receiver (the sender removed this sync-flush tail)")
        if inflation.failedEmpty {
            lines.append("= inflation failed (see the diagnostics)")
            return lines
        }
        lines.append("= inflated, \(counted(inflation.length, "byte"))\(Self.ratio(inflation)):")
        if let text = inflation.text {
            lines.append("  \"" + TerminalText.escape(text) + "\"" + (inflation.textIsCut ? " …" : ""))
        } else {
            lines += HexDump.lines(inflation.inflatedShown).map { "  " + $0 }
        }
        return lines
    }

    /// How the compressed size compares with the inflated one, said honestly: DEFLATE makes short messages larger.
    /// A message whose inflation stopped early has no ratio (what came out is not the whole message).
    static func ratio(_ inflation: DecompressionShown.Inflation) -> String {
        if inflation.stoppedEarly { return ", stopped early" }
        guard let ratio = inflation.ratio else { return "" }
        let percent = cFormat("%.0f%%", ratio * 100)
        if percent == "100%" { return " (as large as the original: DEFLATE saved nothing)" }
        return ratio > 1 ? " (grew to \(percent) of the original: DEFLATE made it larger)"
                         : " (compressed to \(percent) of the original)"
    }
}

import Foundation
import WSAnalysis
import WSWire

/// One-line descriptions of messages.
public enum MessagePreview {
    /// `text, 2 frames (#3-#5), 5 B: "Hello"` / `text, compressed 7 B → 5 B (140%): "Hello"`
    public static func description(_ record: MessageRecord, width: Int) -> String {
        let message = record.message
        var words = "message \(record.index) · \(record.sender.arrow) \(message.opcode.name)"
        if message.frameCount > 1 {
            words += ", \(message.frameCount) frames (#\(message.firstFrame)–#\(message.lastFrame))"
        }
        if message.compressed {
            if message.inflateFailed && message.length == 0 {
                words += ", compressed \(message.wireLength) B (not inflated)"
            } else {
                let ratio = message.compressionRatio.map { cFormat(" (%.0f%%)", $0 * 100) } ?? ""
                words += ", compressed \(message.wireLength) B → \(message.length) B\(ratio)"
            }
        } else {
            words += ", \(message.length) B"
        }
        if !message.complete { words += ", UNFINISHED" }
        return words + ": " + payload(message, width: width)
    }

    /// The header line of a fragmented message, printed above its frames.
    public static func summary(_ record: MessageRecord, width: Int, style: Style) -> String {
        style.bold("[\(record.stream)] ▶ " + description(record, width: width))
    }

    /// `--messages`: one line per message.
    public static func line(_ record: MessageRecord, width: Int, style: Style) -> String {
        let time = cFormat("+%.6f", record.relativeTime)
        return "[\(record.stream)] \(time)  " + description(record, width: width)
    }

    static func payload(_ message: Message, width: Int) -> String {
        if let text = message.text {
            let shown = FramePreview.clip(TerminalText.escape(text), width - 2)
            return "\"" + shown + "\"" + (message.payloadIsCut && !shown.hasSuffix("…") ? "…" : "")
        }
        if message.inflateFailed { return message.compressed && message.length == 0 ? "(compressed)" : "(inflation failed)" }
        if message.opcode == .text {
            return message.utf8Failure != nil ? "(not valid UTF-8) \"" + FramePreview.clip(TerminalText.escape(message.payload), width - 20) + "\"" : "(incomplete)"
        }
        if message.length == 0 { return "(empty)" }
        let shown = message.payload.prefix(min(16, max(4, (width - 10) / 2)))
        return Hex.string(shown) + (UInt64(shown.count) < message.length ? "…" : "")
    }
}

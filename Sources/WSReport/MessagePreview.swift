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
            if message.payloadIsCompressed || (message.inflateFailed && message.length == 0) {
                words += ", compressed \(message.wireLength) B (not inflated)"
            } else {
                let ratio = message.compressionRatio.map { cFormat(" (%.0f%%)", $0 * 100) } ?? ""
                words += ", compressed \(message.wireLength) B → \(message.length) B\(ratio)"
            }
        } else {
            words += ", \(message.length) B"
        }
        if !message.complete { words += ", UNFINISHED" }
        if message.missingBytes > 0 { words += ", \(message.missingBytes) B lost in the capture" }
        return words + ": " + payload(message, width: width)
    }

    /// The header line of a fragmented message, printed above its frames.
    public static func summary(_ record: MessageRecord, width: Int, style: Style) -> String {
        style.bold("[\(record.stream ?? 0)] ▶ " + description(record, width: width))
    }

    /// `--messages`: one line per message.
    public static func line(_ record: MessageRecord, width: Int, style: Style) -> String {
        let time = cFormat("+%.6f", record.relativeTime)
        return "[\(record.stream ?? 0)] \(time)  " + description(record, width: width)
    }

    /// The payload as it is shown: text when it is valid UTF-8 text, else bytes (never nothing).
    static func payload(_ message: Message, width: Int) -> String {
        if let text = message.text {
            let shown = FramePreview.clip(TerminalText.escape(text), width - 2)
            return "\"" + shown + "\"" + (message.payloadIsCut && !shown.hasSuffix("…") ? "…" : "")
        }
        if message.opcode == .text && message.utf8Failure != nil {
            return "(not valid UTF-8) \"" + FramePreview.clip(TerminalText.escape(message.payload), width - 20) + "\""
        }
        if message.payload.isEmpty {
            if message.payloadIsCut { return message.inflateFailed ? "(nothing inflated)" : "(nothing captured)" }
            return "(empty)"
        }
        let shown = message.payload.prefix(min(16, max(4, (width - 10) / 2)))
        return Hex.string(shown) + (shown.count < message.payload.count || message.payloadIsCut ? "…" : "")
    }
}

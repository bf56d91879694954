import Foundation
import WSAnalysis
import WSWire

/// One-line descriptions of messages, built on bytes (`TextLine`): they are printed once per message.
public enum MessagePreview {
    /// `text, 2 frames (#3-#5), 5 B: "Hello"` / `text, compressed 7 B → 5 B (140%): "Hello"`
    /// `fit`: the columns the description may take (its payload shrinks to them); nil: the payload takes `width`.
    public static func description(_ record: MessageRecord, width: Int, fit: Int? = nil) -> String {
        var line = TextLine()
        writeDescription(record, width: width, fit: fit, into: &line)
        return String(decoding: line.bytes, as: UTF8.self)
    }

    /// The header line of a fragmented message, printed above its frames.
    public static func summary(_ record: MessageRecord, width: Int, fit: Int? = nil, style: Style) -> String {
        let prefix = "[\(record.stream ?? 0)] ▶ "
        return style.bold(prefix + description(record, width: width, fit: fit.map { $0 - TerminalText.displayWidth(prefix) }))
    }

    /// `--messages`: one line per message.
    public static func line(_ record: MessageRecord, width: Int, fit: Int? = nil, style: Style) -> String {
        var line = TextLine()
        write(record, width: width, fit: fit, into: &line)
        return String(decoding: line.bytes, as: UTF8.self)
    }

    /// `--messages`: `[stream] +time  ` and the description.
    static func write(_ record: MessageRecord, width: Int, fit: Int?, into line: inout TextLine) {
        line.clear()
        line.byte(UInt8(ascii: "["))
        line.int(record.stream ?? 0)
        line.ascii("] ")
        line.fixed6(record.relativeTime, plus: true)
        line.ascii("  ")
        writeDescription(record, width: width, fit: fit, into: &line)
    }

    /// `fit`: the columns `line` may take in all (the payload gets what is left, at least 16); nil: `width`.
    static func writeDescription(_ record: MessageRecord, width: Int, fit: Int?, into line: inout TextLine) {
        let message = record.message
        line.ascii("message ")
        line.int(record.index)
        line.text(" · ")
        line.text(record.sender.arrow)
        line.space()
        line.text(message.opcode.name)
        if message.frameCount > 1 {
            line.ascii(", ")
            line.int(message.frameCount)
            line.ascii(" frames (#")
            line.int(message.firstFrame)
            line.text("–#")
            line.int(message.lastFrame)
            line.byte(UInt8(ascii: ")"))
        }
        if message.compressed {
            line.ascii(", compressed ")
            line.int(message.wireLength)
            if message.payloadIsCompressed || (message.inflateFailed && message.length == 0) {
                line.ascii(" B (not inflated)")
            } else {
                line.text(" B → ")
                line.int(message.length)
                line.ascii(" B")
                if let ratio = message.compressionRatio { line.text(cFormat(" (%.0f%%)", ratio * 100)) }
            }
        } else {
            line.ascii(", ")
            line.int(message.length)
            line.ascii(" B")
        }
        if !message.complete { line.ascii(", UNFINISHED") }
        if message.missingBytes > 0 {
            line.ascii(", ")
            line.int(message.missingBytes)
            line.ascii(" B lost in the capture")
        }
        line.ascii(": ")
        writePayload(message, width: fit.map { max(16, $0 - line.columns) } ?? width, into: &line)
    }

    /// The payload as it is shown: text when it is valid UTF-8 text, else bytes (never nothing).
    static func writePayload(_ message: Message, width: Int, into line: inout TextLine) {
        if message.showsAsText {
            line.quoted(message.payload[..<message.textEnd], width: width, cutShort: message.payloadIsCut)
        } else if message.opcode == .text && message.utf8Failure != nil {
            line.ascii("(not valid UTF-8) \"")
            line.escapedClipped(message.payload[...], width: width - 20)
            line.byte(0x22)
        } else if message.payload.isEmpty {
            if message.payloadIsCut {
                line.ascii(message.inflateFailed ? "(nothing inflated)" : "(nothing captured)")
            } else {
                line.ascii("(empty)")
            }
        } else {
            let shown = message.payload.prefix(min(16, max(4, (width - 10) / 2)))
            line.hex(shown)
            if shown.count < message.payload.count || message.payloadIsCut { line.text("…") }
        }
    }
}

/// Cuts STOMP 1.0-1.2 frames out of a direction's bytes. A frame is `COMMAND EOL (header EOL)* EOL body NUL`,
/// EOL being `\n` or `\r\n`; the body runs to the first NUL, or, with `content-length`, for exactly that many bytes
/// (which must then be followed by a NUL). End-of-lines between frames are heart-beats.
struct STOMPParser {
    /// The commands of STOMP 1.2 (client and server frames).
    static let commands: Set<String> = ["CONNECT", "STOMP", "CONNECTED", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK",
                                        "BEGIN", "COMMIT", "ABORT", "DISCONNECT", "MESSAGE", "RECEIPT", "ERROR"]
    /// Frames whose headers are never escaped (STOMP 1.2 §"Value Encoding").
    static let unescapedCommands: Set<String> = ["CONNECT", "CONNECTED"]

    let limits: ViewLimits
    /// "1.0", "1.1", "1.2" once known (from the subprotocol or CONNECTED); nil: 1.2's rules.
    var version: String?

    enum Step {
        /// A frame, and the offset after it.
        case frame(STOMPFrame, end: Int, notes: [String])
        /// The bytes end inside a frame: wait for more, until what is named arrives (the frame cannot end before).
        case needMore(Need)
        /// Not a frame; the offset to give up at (the end of the bytes).
        case malformed(String)
    }

    /// What an unfinished frame waits for. The session tries again only when it arrives, so that a frame trickling
    /// in over many small messages is not re-read from its start for each of them.
    enum Need: Equatable {
        /// An end of line (the command line or a header line is unfinished).
        case lineEnd
        /// A NUL (the body runs to the first one).
        case nul
        /// This many bytes in all, from the start of the held bytes (content-length).
        case bytes(Int)
    }

    /// Reads the frame that starts at `start` (after any heart-beats were skipped).
    func frame(in bytes: [UInt8], at start: Int) -> Step {
        var i = start
        guard let commandLine = line(bytes, &i) else { return .needMore(.lineEnd) }
        let command = String(decoding: commandLine, as: UTF8.self)
        guard Self.commands.contains(command) else {
            let shown = command.count > 40 ? String(command.prefix(40)) + "…" : command
            return .malformed("\"\(shown)\" is not a STOMP command")
        }
        var frame = STOMPFrame(command: command)
        var notes: [String] = []
        let escaped = version != "1.0" && !Self.unescapedCommands.contains(command)
        while true {
            guard let header = line(bytes, &i) else { return .needMore(.lineEnd) }
            if header.isEmpty { break }
            guard frame.headers.count < limits.maxHeaders else {
                return .malformed("more than \(limits.maxHeaders) headers (the view's limit)")
            }
            guard let colon = header.firstIndex(of: UInt8(ascii: ":")) else {
                notes.append("Header line without ':' ignored.")
                continue
            }
            var name = String(decoding: header[..<colon], as: UTF8.self)
            var value = String(decoding: header[(colon + 1)...], as: UTF8.self)
            if escaped {
                name = unescape(name, notes: &notes)
                value = unescape(value, notes: &notes)
            }
            frame.headers.append(STOMPHeader(name: name, value: value))
        }
        if let declared = frame.header("content-length") {
            guard let length = Int(declared), length >= 0 else {
                return .malformed("content-length \"\(declared.prefix(20))\" is not a number")
            }
            guard length <= limits.maxMessageBytes else {
                return .malformed("content-length \(length) is beyond the view's limit of \(limits.maxMessageBytes) bytes")
            }
            guard bytes.count - i > length else { return .needMore(.bytes(i + length + 1 - start)) }
            frame.body = Array(bytes[i..<(i + length)])
            i += length
            if bytes[i] != 0 {
                notes.append("The \(length) bytes content-length announced are not followed by a NUL.")
                guard let nul = bytes[i...].firstIndex(of: 0) else { return .needMore(.nul) }
                i = nul
            }
        } else {
            guard let nul = bytes[i...].firstIndex(of: 0) else { return .needMore(.nul) }
            frame.body = Array(bytes[i..<nul])
            i = nul
        }
        i += 1   // the NUL
        frame.bodyIsText = UTF8Check.isValid(frame.body)
        if Self.unescapedCommands.contains(command) || command == "STOMP" {
            hidePasscode(&frame, notes: &notes)
        }
        return .frame(frame, end: i, notes: notes)
    }

    /// The line at `i` without its EOL (`\n` or `\r\n`), nil when no EOL follows yet.
    private func line(_ bytes: [UInt8], _ i: inout Int) -> ArraySlice<UInt8>? {
        guard let newline = bytes[i...].firstIndex(of: 0x0A) else { return nil }
        var end = newline
        if end > i && bytes[end - 1] == 0x0D { end -= 1 }
        let line = bytes[i..<end]
        i = newline + 1
        return line
    }

    /// Undoes `\r`, `\n`, `\c` (colon) and `\\`; any other escape is an error STOMP 1.2 says to treat as fatal: it
    /// is kept as sent, with a note.
    private func unescape(_ text: String, notes: inout [String]) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            guard c == "\\" else { out.append(c); continue }
            switch iterator.next() {
            case "r": out.append("\r")
            case "n": out.append("\n")
            case "c": out.append(":")
            case "\\": out.append("\\")
            case let other:
                out.append("\\")
                if let other { out.append(other) }
                notes.append("Undefined escape \\\(other.map(String.init) ?? "") in a header (STOMP 1.2 treats it as a fatal error).")
            }
        }
        return out
    }

    /// The view does not repeat a password: `passcode` keeps its name, its value is replaced by a note with its
    /// length (Docs/views.md, "Secrets").
    private func hidePasscode(_ frame: inout STOMPFrame, notes: inout [String]) {
        for k in frame.headers.indices where frame.headers[k].name == "passcode" {
            let length = frame.headers[k].value?.utf8.count ?? 0
            frame.headers[k].value = nil
            notes.append("passcode: \(length) bytes, not shown (the raw message has them).")
        }
    }
}

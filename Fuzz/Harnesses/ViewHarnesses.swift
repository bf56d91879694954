import WSReport
import WSViews

/// The payload views' harnesses. Each cross-checks what it can: the strict JSON parser's two results against each
/// other, and every view against the renderers — the `view` object written for any input must be strict JSON (read
/// back by the same strict parser), and no text line may carry a scalar a terminal must not see.
extension Harness {
    /// Bytes as JSON: the tree, the canonical text and checking alone must agree (same verdict, same error, same
    /// text), and the canonical text must be a fixed point, valid UTF-8 and terminal-safe.
    static func json(_ bytes: [UInt8]) {
        var limits = ViewLimits()
        limits.maxDepth = 32
        limits.maxValues = 2000
        let tree = JSONParser.parse(bytes, limits: limits)
        let text = JSONParser.canonical(bytes, limits: limits)
        precondition(tree.error == text.error, "the two parsers disagree on \(String(describing: tree.error)) / \(String(describing: text.error))")
        precondition(tree.notes == text.notes, "the two parsers' notes differ")
        let checked = JSONParser.validate(bytes, limits: limits)
        precondition(checked.error == tree.error && checked.notes == tree.notes && (checked.value != nil) == (tree.value != nil),
                     "checking alone disagrees with parsing")
        guard let value = tree.value, let canonical = text.value else { return }
        precondition(value.text == canonical, "the tree's text differs from the canonical text")
        let again = JSONParser.canonical(canonical.bytes, limits: limits)
        precondition(again.value == canonical, "canonical text is not a fixed point")
        precondition(String(validating: canonical.bytes, as: UTF8.self) != nil, "canonical text is not UTF-8")
        precondition(!canonical.description.unicodeScalars.contains(where: TerminalText.isUnsafe), "canonical text holds an unsafe scalar")
    }

    /// Bytes as a sequence of messages `[flags][length][bytes…]` (flags: bit 0 server, bit 1 binary, bit 2
    /// incomplete, bits 3-5 the number of pieces it arrives in) through one connection's views with small limits;
    /// each view is written as JSON and as text.
    static func view(_ bytes: [UInt8], choice: ViewChoice) {
        var limits = ViewLimits()
        limits.maxMessageBytes = 512
        limits.maxPending = 4
        limits.maxAttachments = 4
        limits.maxHeaders = 16
        limits.maxListEntries = 16
        let subprotocols: [String?] = [nil, "mqtt", "v10.stomp", "graphql-ws", "wamp.2.json"]
        let subprotocol = bytes.isEmpty ? nil : subprotocols[Int(bytes[0]) % subprotocols.count]
        guard let connection = ConnectionViews(choice: choice, subprotocol: choice == .auto ? subprotocol : nil, limits: limits) else { return }
        let readers = connection.makeReaders()
        var i = 1
        var time = 0.0
        var writer = JSONWriter()
        while i + 2 <= bytes.count {
            let flags = bytes[i], length = Int(bytes[i + 1])
            i += 2
            let message = Array(bytes[i..<min(bytes.count, i + length)])
            i += length
            let reader = flags & 1 == 0 ? readers.client : readers.server
            reader.begin(binary: flags & 2 != 0)
            let pieces = Int(flags >> 3 & 7) + 1
            let step = max(1, (message.count + pieces - 1) / pieces)
            var start = 0
            while start < message.count {
                let end = min(message.count, start + step)
                message[start..<end].withUnsafeBytes { reader.append($0) }
                start = end
            }
            time += 0.001
            guard let view = reader.end(complete: flags & 4 == 0, time: time) else { continue }
            writer.reset()
            writer.view(view)
            let written = writer.bytes
            let parsed = JSONParser.parse(written, limits: ViewLimits())
            precondition(parsed.value != nil, "the view object is not strict JSON: \(String(describing: parsed.error))")
            for verbose in [false, true] {
                for line in ViewText.lines(view, verbose: verbose) {
                    precondition(!line.unicodeScalars.contains(where: TerminalText.isUnsafe), "a view line holds an unsafe scalar")
                }
            }
        }
    }
}

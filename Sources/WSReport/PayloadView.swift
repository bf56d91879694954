import WSWire

/// The payload of one frame as a reader wants it: text (escaped), a close code and reason, or a hex dump.
public enum PayloadView {
    /// `inflatedBelow`: the payload is part of a compressed message whose inflation is shown elsewhere.
    public static func render(_ frame: Frame, limit: Int?, style: Style = .plain, inflatedBelow: Bool = false) -> [String] {
        let payload = frame.payload
        let opcode = frame.header.opcode
        var lines: [String] = []
        if frame.payloadReceived == 0 {
            return ["(empty payload)"]
        }
        if opcode == .close, let body = frame.close {
            if let code = body.code {
                lines.append("close code \(code.rawValue): \(code.meaning)")
            } else if body.reasonBytes.count == 1 {
                lines.append("one stray byte: 0x\(Hex.byte(body.reasonBytes[0])) (a close code needs two)")
            }
            if body.code != nil {
                lines.append(body.reasonBytes.isEmpty ? "no reason text" : "reason: \"\(TerminalText.escape(body.reasonBytes))\"")
            }
            return lines
        }
        let compressed = inflatedBelow || (frame.header.rsv1 && opcode.isData)
        if inflatedBelow {
            lines.append("DEFLATE data of a compressed message (inflated below).")
        } else if compressed {
            lines.append("RSV1 is set: under permessage-deflate this payload is compressed (wsinspect frame --deflate inflates it).")
        }
        let asText = !compressed && (opcode == .text
            || (opcode == .continuation && UTF8Validator.validate(payload) == nil)
            || ((opcode == .ping || opcode == .pong) && isPrintable(payload)))
        if asText {
            let kind = frame.utf8Checked && frame.utf8Failure != nil
                ? "text (NOT valid UTF-8; bad bytes shown as \\xNN)" : "text"
            lines.append("\(kind), \(frame.payloadReceived) byte\(frame.payloadReceived == 1 ? "" : "s"):")
            let shown = limit.map { Array(payload.prefix($0)) } ?? payload
            let cut = UInt64(shown.count) < frame.payloadReceived
            lines.append("  \"" + TerminalText.escape(shown) + "\"" + (cut ? " …" : ""))
            if cut { lines.append("  (\(frame.payloadReceived - UInt64(shown.count)) more bytes; --all shows everything)") }
            return lines
        }
        lines.append("hex dump, \(frame.payloadReceived) byte\(frame.payloadReceived == 1 ? "" : "s"):")
        lines += HexDump.lines(limit.map { Array(payload.prefix($0)) } ?? payload).map { "  " + $0 }
        let shownCount = UInt64(min(payload.count, limit ?? payload.count))
        if shownCount < frame.payloadReceived {
            lines.append("  … \(frame.payloadReceived - shownCount) more bytes (--all shows everything)")
        }
        return lines
    }

    static func isPrintable(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}

/// The classic 16-bytes-per-line hex dump with an ASCII gutter.
public enum HexDump {
    public static func lines(_ bytes: [UInt8], startOffset: Int = 0) -> [String] {
        var out: [String] = []
        var offset = 0
        while offset < bytes.count {
            let row = Array(bytes[offset..<min(offset + 16, bytes.count)])
            let hexPart = row.enumerated().map { (i, b) in (i == 8 ? " " : "") + Hex.byte(b) }.joined(separator: " ")
            let padded = hexPart.padding(toLength: 16 * 3 + 1, withPad: " ", startingAt: 0)
            let ascii = String(row.map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." })
            let address = String(startOffset + offset, radix: 16)
            out.append(String(repeating: "0", count: max(0, 4 - address.count)) + address + "  " + padded + " |" + ascii + "|")
            offset += 16
        }
        return out
    }
}

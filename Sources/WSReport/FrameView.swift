import WSAnalysis
import WSWire

/// The full anatomy of one frame, in the order a student reads it: (1) the header bits in the shape of the
/// RFC 6455 §5.2 figure, (2) the field table, (3) the unmasking table, (4) the payload, (5) the diagnostics.
public struct FrameView {
    public struct Options: Sendable {
        /// Show every payload byte in the unmasking table and payload (otherwise 16 and 256).
        public var allBytes: Bool
        public var style: Style

        public init(allBytes: Bool = false, style: Style = .plain) {
            self.allBytes = allBytes
            self.style = style
        }
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// `number` is the 1-based position of the frame in its input. `message` is the compressed message this frame
    /// belongs to (`compressedPart`: a fragment whose message is inflated later), for the decompression section.
    public func render(_ frame: Frame, number: Int, sender: Sender? = nil, message: Message? = nil,
                       compressedPart: Bool = false) -> [String] {
        render(frame, number: number, sender: sender, messages: message.map { [$0] } ?? [], compressedPart: compressedPart)
    }

    /// `messages` are those this frame finished: a message it interrupted (its findings shown too) and the message it
    /// completed, last, whose decompression is shown.
    public func render(_ frame: Frame, number: Int, sender: Sender?, messages: [Message], compressedPart: Bool) -> [String] {
        let message = messages.last
        let style = options.style
        var lines = [style.bold(title(frame, number: number, sender: sender)), ""]
        lines.append(section("Header bits", "RFC 6455 §5.2"))
        lines += BitFigure.render(fields: frame.fields, headerBytes: frame.header.bytes, style: style).map { "  " + $0 }
        lines.append("")
        lines.append(section("Fields", "RFC 6455 §5.2"))
        lines += FieldTableView.render(frame.fields, style: style).map { "  " + $0 }
        lines.append("")
        lines.append(section("Unmasking", "RFC 6455 §5.3"))
        lines += UnmaskTableView.render(frame, limit: options.allBytes ? nil : 16, style: style).map { "  " + $0 }
        lines.append("")
        lines.append(section("Payload", frame.header.opcode == .close ? "RFC 6455 §5.5.1, §7.4" : "RFC 6455 §5.6"))
        let inflated = message?.compressed == true || compressedPart
        lines += PayloadView.render(frame, limit: options.allBytes ? nil : 256, style: style, inflatedBelow: inflated).map { "  " + $0 }
        lines.append("")
        if let message, message.compressed {
            lines.append(section("Decompression", "RFC 7692 §7.2.2"))
            lines += DecompressionView.render(message, limit: options.allBytes ? nil : 256).map { "  " + $0 }
            lines.append("")
        } else if compressedPart {
            lines.append(section("Decompression", "RFC 7692 §7.2.2"))
            lines.append("  a fragment of a compressed message: the message is inflated at its last frame")
            lines.append("")
        }
        lines += diagnosticsSection(frame.diagnostics + messages.flatMap(\.diagnostics), senderKnown: sender != nil)
        return lines
    }

    /// The view of an input that ends inside a header.
    public func render(_ truncation: TruncatedHeader, number: Int) -> [String] {
        let style = options.style
        var lines = [style.bold("Frame \(number) · input bytes \(truncation.offset)-\(truncation.offset + UInt64(truncation.bytes.count) - 1) · INCOMPLETE: \(truncation.missing)"), ""]
        lines.append("  bytes present: " + Hex.string(truncation.bytes, separator: " "))
        if let first = truncation.bytes.first {
            let opcode = Opcode(firstByte: first)
            lines.append("  byte 0 = \(Hex.bits(first)): FIN=\(first >> 7), RSV1-3=\(Hex.bits(UInt64(first >> 4 & 7), count: 3)), opcode=0x\(String(opcode.rawValue, radix: 16, uppercase: true)) (\(opcode.meaning))")
        }
        if truncation.bytes.count >= 2 {
            let second = truncation.bytes[1]
            lines.append("  byte 1 = \(Hex.bits(second)): MASK=\(second >> 7), payload len=\(second & 0x7F) (\(LengthForm(lengthField: second).rawValue) form)")
        }
        lines.append("")
        lines += diagnosticsSection([truncation.diagnostic], senderKnown: true)
        return lines
    }

    private func title(_ frame: Frame, number: Int, sender: Sender?) -> String {
        let header = frame.header
        let last = frame.offset + frame.wireLength - 1
        var words = ["Frame \(number)"]
        if let sender { words.append(sender.arrow) }
        words.append("input bytes \(frame.offset)-\(last)")
        var summary = "\(header.opcode.name)"
        summary += header.fin ? ", FIN" : ", not final"
        if header.rsv1 { summary += ", RSV1" }
        summary += header.masked ? ", masked" : ", unmasked"
        summary += ", \(header.payloadLength)-byte payload"
        words.append(summary)
        if !frame.isComplete { words.append("INCOMPLETE: \(frame.missingDescription)") }
        return words.joined(separator: " · ")
    }

    private func section(_ name: String, _ reference: String) -> String {
        options.style.bold(name) + options.style.dim("  (\(reference))")
    }

    private func diagnosticsSection(_ diagnostics: [Diagnostic], senderKnown: Bool) -> [String] {
        var lines = [options.style.bold("Diagnostics")]
        if diagnostics.isEmpty {
            lines.append("  " + options.style.green("none") + ": this frame breaks none of the frame-level rules (wsinspect rules lists them)")
            if !senderKnown {
                lines.append("  (the masking rules need to know the sender: add --from client or --from server)")
            }
        } else {
            lines += DiagnosticsView.render(diagnostics, style: options.style, indent: "  ")
        }
        return lines
    }
}

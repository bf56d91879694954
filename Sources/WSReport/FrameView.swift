import WSAnalysis
import WSWire

/// Draws the full anatomy of one frame (`FrameAnatomy`) as text, in the order a student reads it: (1) the header
/// bits in the shape of the RFC 6455 §5.2 figure, (2) the field table, (3) the unmasking table, (4) the payload,
/// (5) the decompression, (6) the diagnostics.
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

    /// `number` is the frame's number in its input, from 0 (pasted frames, as a capture's). `message` is the compressed message this frame
    /// belongs to (`compressedPart`: a fragment whose message is inflated later), for the decompression section.
    public func render(_ frame: Frame, number: Int, sender: Sender? = nil, message: Message? = nil,
                       compressedPart: Bool = false) -> [String] {
        render(frame, number: number, sender: sender, messages: message.map { [$0] } ?? [], compressedPart: compressedPart)
    }

    /// `messages` are those this frame finished: a message it interrupted (its findings shown too) and the message it
    /// completed, last, whose decompression is shown.
    public func render(_ frame: Frame, number: Int, sender: Sender?, messages: [Message], compressedPart: Bool,
                       inMessage: FrameInMessage? = nil) -> [String] {
        render(FrameAnatomy(frame, number: number, sender: sender, messages: messages, compressedPart: compressedPart,
                            limits: options.allBytes ? .everything : FrameAnatomy.Limits(), inMessage: inMessage))
    }

    /// Draws a frame's anatomy.
    public func render(_ anatomy: FrameAnatomy) -> [String] {
        let style = options.style
        var lines = [style.bold(title(anatomy.title)), ""]
        lines.append(section(.headerBits, of: anatomy))
        lines += BitFigure.render(anatomy.figure, style: style).map { "  " + $0 }
        lines.append("")
        lines.append(section(.fields, of: anatomy))
        lines += FieldTableView.render(anatomy.fields, style: style).map { "  " + $0 }
        lines.append("")
        lines.append(section(.unmasking, of: anatomy))
        lines += UnmaskTableView.render(anatomy.unmasking, style: style).map { "  " + $0 }
        lines.append("")
        lines.append(section(.payload, of: anatomy))
        lines += PayloadView.render(anatomy.payload, split: anatomy.textSplit, continues: anatomy.continues, style: style).map { "  " + $0 }
        lines.append("")
        if let decompression = anatomy.decompression {
            lines.append(section(.decompression, of: anatomy))
            lines += DecompressionView.render(decompression).map { "  " + $0 }
            lines.append("")
        }
        lines += diagnosticsSection(anatomy.diagnostics, senderKnown: anatomy.senderKnown)
        return lines
    }

    /// The view of an input that ends inside a header.
    public func render(_ truncation: TruncatedHeader, number: Int) -> [String] {
        render(TruncatedHeaderAnatomy(truncation, number: number))
    }

    public func render(_ anatomy: TruncatedHeaderAnatomy) -> [String] {
        let style = options.style
        var lines = [style.bold("Frame #\(anatomy.number) · input bytes \(anatomy.offset)-\(anatomy.offset + UInt64(anatomy.bytes.count) - 1) · INCOMPLETE: \(anatomy.missing)"), ""]
        lines.append("  bytes present: " + Hex.string(anatomy.bytes, separator: " "))
        if let first = anatomy.firstByte {
            lines.append("  byte 0 = \(Hex.bits(anatomy.bytes[0])): FIN=\(first.fin), RSV1-3=\(Hex.bits(UInt64(first.rsv), count: 3)), opcode=0x\(String(first.opcode.rawValue, radix: 16, uppercase: true)) (\(first.opcode.meaning))")
        }
        if let second = anatomy.secondByte {
            lines.append("  byte 1 = \(Hex.bits(anatomy.bytes[1])): MASK=\(second.mask), payload len=\(second.length) (\(second.form.rawValue) form)")
        }
        lines.append("")
        lines += diagnosticsSection([anatomy.diagnostic], senderKnown: true)
        return lines
    }

    private func title(_ title: FrameAnatomy.Title) -> String {
        var words = ["Frame #\(title.number)"]
        if let sender = title.sender { words.append(sender.arrow) }
        words.append("input bytes \(title.firstByte)-\(title.lastByte)")
        var summary = title.opcodeName
        summary += title.fin ? ", FIN" : ", not final"
        if title.rsv1 { summary += ", RSV1" }
        summary += title.masked ? ", masked" : ", unmasked"
        summary += ", \(title.payloadLength)-byte payload"
        words.append(summary)
        if let missing = title.missing { words.append("INCOMPLETE: \(missing)") }
        return words.joined(separator: " · ")
    }

    private func section(_ section: FrameAnatomy.Section, of anatomy: FrameAnatomy) -> String {
        options.style.bold(section.rawValue) + options.style.dim("  (\(anatomy.reference(section)))")
    }

    private func diagnosticsSection(_ diagnostics: [Diagnostic], senderKnown: Bool) -> [String] {
        var lines = [options.style.bold(FrameAnatomy.Section.diagnostics.rawValue)]
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

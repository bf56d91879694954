import WSAnalysis
import WSWire

/// Everything the full view of one frame shows, built once from the frame and drawn by every renderer that shows a
/// frame whole: the text view (`wsinspect frame`, `-v`) and the HTML report. No text styling, no layout: facts in
/// the order a student reads them — (1) the header bits in the shape of the RFC 6455 §5.2 figure, (2) the field
/// table, (3) the unmasking table, (4) the payload, (5) the decompression, (6) the diagnostics, each anchored to the
/// field or bytes it is about.
public struct FrameAnatomy: Sendable {
    /// How much of the payload the view shows.
    public struct Limits: Sendable {
        /// Rows of the unmasking table (nil: every byte).
        public var unmaskedBytes: Int?
        /// Bytes of payload and of inflated data (nil: all).
        public var payloadBytes: Int?

        public init(unmaskedBytes: Int? = 16, payloadBytes: Int? = 256) {
            self.unmaskedBytes = unmaskedBytes
            self.payloadBytes = payloadBytes
        }

        public static let everything = Limits(unmaskedBytes: nil, payloadBytes: nil)
    }

    /// The facts of the title line: which frame, where it lies, what it is.
    public struct Title: Sendable {
        /// The frame's number in its input, from 0 (pasted frames; the connection's index for captures).
        public let number: Int
        public let sender: Sender?
        /// The first and last byte of the frame in its input.
        public let firstByte: UInt64, lastByte: UInt64
        public let opcodeName: String
        public let fin: Bool, rsv1: Bool, masked: Bool
        public let payloadLength: UInt64
        /// What is missing, when the input ended inside the payload.
        public let missing: String?
    }

    /// One part of the view, with the RFC section it explains.
    public enum Section: String, CaseIterable, Sendable {
        case headerBits = "Header bits"
        case fields = "Fields"
        case unmasking = "Unmasking"
        case payload = "Payload"
        case decompression = "Decompression"
        case diagnostics = "Diagnostics"
    }

    public let title: Title
    /// The declarative field table for this frame: the header fields, then the payload.
    public let fields: [FrameField]
    public let headerBytes: [UInt8]
    /// The header laid out 32 bits to a row, as in the RFC figure.
    public let figure: [BitFigureRow]
    public let unmasking: Unmasking
    public let payload: PayloadShown
    /// For a fragment of a text message: how its edges cut characters (nil when it starts and ends on character
    /// boundaries, or is not such a fragment). The payload view marks those bytes instead of escaping them.
    public let textSplit: TextSplit?
    /// The type of the message a continuation frame continues (nil for other frames, or when no message is open).
    public let continues: Opcode?
    public let decompression: DecompressionShown?
    /// The frame's findings, then those of the messages it finished.
    public let diagnostics: [Diagnostic]
    /// False when the sender is unknown (the masking rules could not be applied).
    public let senderKnown: Bool
    /// True for a close frame (its payload section cites §5.5.1 and §7.4).
    let isClose: Bool

    /// `number` is the frame's position in its input. `messages` are those this frame finished: a message it
    /// interrupted and, last, the message it completed (whose inflation is shown); `compressedPart` marks a fragment
    /// of a compressed message that is inflated at a later frame. `inMessage` is the frame's place in its message.
    public init(_ frame: Frame, number: Int, sender: Sender?, messages: [Message] = [], compressedPart: Bool = false,
                limits: Limits = Limits(), inMessage: FrameInMessage? = nil) {
        let header = frame.header
        title = Title(number: number, sender: sender, firstByte: frame.offset, lastByte: frame.offset + frame.wireLength - 1,
                      opcodeName: header.opcode.name, fin: header.fin, rsv1: header.rsv1, masked: header.masked,
                      payloadLength: header.payloadLength, missing: frame.isComplete ? nil : frame.missingDescription)
        fields = frame.fields(sender: sender)
        headerBytes = header.bytes
        figure = BitFigureRow.layout(fields.filter(\.isHeader), headerBytes: headerBytes)
        unmasking = Unmasking(frame, limit: limits.unmaskedBytes)
        let message = messages.last
        payload = PayloadShown(frame, limit: limits.payloadBytes, inflatedBelow: message?.compressed == true || compressedPart,
                               inMessage: inMessage)
        if case .text = payload, let split = inMessage?.text, !split.isWhole { textSplit = split } else { textSplit = nil }
        continues = header.opcode == .continuation ? inMessage?.opcode : nil
        if let message, message.compressed {
            decompression = .message(DecompressionShown.Inflation(message, limit: limits.payloadBytes))
        } else {
            decompression = compressedPart ? .fragmentOfLaterMessage : nil
        }
        diagnostics = frame.diagnostics + messages.flatMap(\.diagnostics)
        senderKnown = sender != nil
        isClose = header.opcode == .close
    }

    /// The RFC section a part of the view explains.
    public func reference(_ section: Section) -> String {
        switch section {
        case .headerBits, .fields: "RFC 6455 §5.2"
        case .unmasking: "RFC 6455 §5.3"
        case .payload: isClose ? "RFC 6455 §5.5.1, §7.4" : "RFC 6455 §5.6"
        case .decompression: "RFC 7692 §7.2.2"
        case .diagnostics: "wsinspect rules"
        }
    }

    /// The findings about one header field (to show beside its row or cell).
    public func diagnostics(at field: FrameFieldID) -> [Diagnostic] {
        diagnostics.filter { $0.anchor == .frameField(field) }
    }

    /// The findings about a payload byte (to mark it in the unmasking table or the dump).
    public func diagnostics(atPayloadByte index: UInt64) -> [Diagnostic] {
        diagnostics.filter {
            if case .payloadBytes(let range)? = $0.anchor { return range.contains(index) }
            return false
        }
    }
}

/// The full view of input that ends inside a frame header: the bytes present, what the first two say.
public struct TruncatedHeaderAnatomy: Sendable {
    public let number: Int
    public let offset: UInt64
    public let bytes: [UInt8]
    /// What is missing, e.g. `header needs 6 bytes, 4 present (masking key missing)`.
    public let missing: String
    /// Byte 0: FIN, RSV1-3 and the opcode, when present.
    public let firstByte: (fin: UInt8, rsv: UInt8, opcode: Opcode)?
    /// Byte 1: MASK and the 7-bit length, when present.
    public let secondByte: (mask: UInt8, length: UInt8, form: LengthForm)?
    public let diagnostic: Diagnostic

    public init(_ truncation: TruncatedHeader, number: Int) {
        self.number = number
        offset = truncation.offset
        bytes = truncation.bytes
        missing = truncation.missing
        firstByte = truncation.bytes.first.map { ($0 >> 7, $0 >> 4 & 7, Opcode(firstByte: $0)) }
        secondByte = truncation.bytes.count >= 2
            ? (truncation.bytes[1] >> 7, truncation.bytes[1] & 0x7F, LengthForm(lengthField: truncation.bytes[1])) : nil
        diagnostic = truncation.diagnostic
    }
}

/// One 32-bit row of the header figure: the pieces of the fields it holds and the row's bytes.
public struct BitFigureRow: Sendable {
    /// A field, or the part of a field that falls in this row.
    public struct Cell: Sendable {
        public let field: FrameField
        /// First bit of the cell, counted from the start of the frame.
        public let start: UInt64
        public let count: UInt64
        /// True for the second and later pieces of a field that crosses a row boundary.
        public let isContinuation: Bool

        /// The cell's bits as sent, most significant first.
        public var bits: Substring {
            let from = field.rawBits.index(field.rawBits.startIndex, offsetBy: Int(start - field.bitOffset))
            return field.rawBits[from..<field.rawBits.index(from, offsetBy: Int(count))]
        }

        /// The label, one entry per line (single-bit fields are labelled vertically, as in RFC 6455).
        public var labelLines: [String] {
            if count == 1 { return field.figureLabel }
            if isContinuation { return [field.figureLabel[0], "(continued)"] }
            return field.figureLabel
        }
    }

    public let cells: [Cell]
    /// The header bytes this row covers (up to 4).
    public let bytes: [UInt8]

    /// Splits fields into cells of at most 32 bits per row.
    static func layout(_ fields: [FrameField], headerBytes: [UInt8]) -> [BitFigureRow] {
        var rows: [[Cell]] = []
        var current: [Cell] = []
        for field in fields {
            var start = field.bitOffset
            let end = field.bitOffset + field.bitCount
            while start < end {
                let rowEnd = (start / 32 + 1) * 32
                let pieceEnd = min(end, rowEnd)
                current.append(Cell(field: field, start: start, count: pieceEnd - start, isContinuation: start != field.bitOffset))
                start = pieceEnd
                if start == rowEnd {
                    rows.append(current)
                    current = []
                }
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows.enumerated().map { index, cells in
            BitFigureRow(cells: cells, bytes: Array(headerBytes.dropFirst(index * 4).prefix(4)))
        }
    }
}

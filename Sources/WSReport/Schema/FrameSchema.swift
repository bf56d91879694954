/// `kind: "frame"`: one frame (Docs/json.md). The header fields (`fin` … `masking_key`) are those of the declarative
/// field table `FrameFieldTable`; with `-v` the table itself is added as `fields`.
public enum FrameKey: RecordSchema {
    public static let recordKind = "frame"
    public static let inOrder = allCases
    public static let optionalKeys: Set<Self> = [.file, .stream, .index, .ts, .packet, .lastPacket, .segments, .missingBytes, .headerHex,
                                                 .fields, .tlsRecords]

    case kind
    /// Captures only: the capture file as given (null for a live capture).
    case file
    /// `stream` and `index`: captures only.
    case stream, index
    /// Where the first header byte arrived, the packet that completed the frame, and how many segments carried it
    /// (captures only).
    case ts, packet, lastPacket, segments
    case from, offset, fin, rsv1, rsv2, rsv3, opcode, opcodeName, masked, lengthForm, payloadLength, compressed, maskingKey
    case payloadHex, payloadTruncated, text, closeCode, closeReason, complete
    /// Only when the frame is incomplete.
    case missingBytes
    case diagnostics
    /// `header_hex` and `fields`: pasted frames, and captures with `-v`.
    case headerHex, fields
    /// With `-v`, frames of a decrypted TLS connection: the records that carried them.
    case tlsRecords

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .index: "index"
        case .ts: "ts"
        case .packet: "packet"
        case .lastPacket: "last_packet"
        case .segments: "segments"
        case .from: "from"
        case .offset: "offset"
        case .fin: "fin"
        case .rsv1: "rsv1"
        case .rsv2: "rsv2"
        case .rsv3: "rsv3"
        case .opcode: "opcode"
        case .opcodeName: "opcode_name"
        case .masked: "masked"
        case .lengthForm: "length_form"
        case .payloadLength: "payload_length"
        case .compressed: "compressed"
        case .maskingKey: "masking_key"
        case .payloadHex: "payload_hex"
        case .payloadTruncated: "payload_truncated"
        case .text: "text"
        case .closeCode: "close_code"
        case .closeReason: "close_reason"
        case .complete: "complete"
        case .missingBytes: "missing_bytes"
        case .diagnostics: "diagnostics"
        case .headerHex: "header_hex"
        case .fields: "fields"
        case .tlsRecords: "tls_records"
        }
    }
}

/// `kind: "incomplete-header"`: input that ends inside a frame header.
public enum IncompleteHeaderKey: RecordSchema {
    public static let recordKind = "incomplete-header"
    public static let inOrder = allCases
    /// Captures only.
    public static let optionalKeys: Set<Self> = [.file, .stream, .ts, .packet]

    case kind, file, stream, ts, packet, from, offset, bytesHex, headerLength, missing, diagnostics

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .ts: "ts"
        case .packet: "packet"
        case .from: "from"
        case .offset: "offset"
        case .bytesHex: "bytes_hex"
        case .headerLength: "header_length"
        case .missing: "missing"
        case .diagnostics: "diagnostics"
        }
    }
}

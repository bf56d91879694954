import WSTLS
import WSWire

/// Capture-level facts that frame records carry besides the frame itself.
public struct FrameRecordContext: Sendable {
    /// Connection number, in order of first packet, from 0.
    public var stream: Int?
    /// Frame number within the connection, from 0.
    public var index: Int?
    /// Include the `fields` array (the declarative field table).
    public var includeFields: Bool
    /// At most this many payload bytes in `payload_hex` / `text` (nil: all that were kept).
    public var payloadLimit: Int?
    /// The payload is (part of) a compressed message.
    public var compressed: Bool
    /// The TLS records that carried the frame (decrypted TLS, `-v`).
    public var tlsRecords: [TLSRecordSummary]?
    /// Captures: the `file` value, already JSON (`"path"`, or `null` for a live capture); nil leaves the key out.
    public var file: [UInt8]?

    public init(stream: Int? = nil, index: Int? = nil, includeFields: Bool = false, payloadLimit: Int? = nil,
                compressed: Bool = false) {
        self.stream = stream
        self.index = index
        self.includeFields = includeFields
        self.payloadLimit = payloadLimit
        self.compressed = compressed
    }
}

extension JSONWriter {
    /// Writes one `kind:"frame"` object (without the trailing newline): the keys of `FrameKey`, in its order (a test
    /// checks the order on every sample; the names come from the schema).
    public mutating func frame(_ frame: Frame, from sender: Sender?, context: FrameRecordContext = FrameRecordContext()) {
        let header = frame.header
        let shown = context.payloadLimit.map { min($0, frame.payload.count) } ?? frame.payload.count
        // Text ends on a character boundary: a payload cut inside a character (by the limit or a gap) shows one less.
        let textEnd = frame.hasValidText ? UTF8Validator.characterBoundary(in: frame.payload, before: shown) : shown
        beginObject()
        typealias K = FrameKey
        key(K.kind); string(literal: "frame")
        if let file = context.file { key(K.file); raw(file) }
        if let stream = context.stream { key(K.stream); int(stream) }
        if let index = context.index { key(K.index); int(index) }
        if frame.origin.packet > 0 {
            key(K.ts); timestamp(frame.origin.time)
            key(K.packet); int(frame.origin.packet)
            key(K.lastPacket); int(frame.lastOrigin.packet)
            key(K.segments); int(frame.segments)
        }
        key(K.from); if let sender { string(name: sender.rawValue) } else { null() }
        key(K.offset); int(frame.offset)
        key(K.fin); bool(header.fin)
        key(K.rsv1); bool(header.rsv1)
        key(K.rsv2); bool(header.rsv2)
        key(K.rsv3); bool(header.rsv3)
        key(K.opcode); int(header.opcode.rawValue)
        key(K.opcodeName); string(name: header.opcode.name)
        key(K.masked); bool(header.masked)
        key(K.lengthForm); string(name: header.lengthForm.rawValue)
        key(K.payloadLength); int(header.payloadLength)
        key(K.compressed); bool(context.compressed)
        key(K.maskingKey); if let mask = header.maskingKey { hex(mask) } else { null() }
        key(K.payloadHex); frame.payload.withUnsafeBytes { hex(bytes: UnsafeRawBufferPointer(rebasing: $0.prefix(shown))) }
        key(K.payloadTruncated); bool(UInt64(shown) < frame.payloadReceived || textEnd < shown)
        key(K.text); if frame.hasValidText { validText(frame.payload, end: textEnd) } else { null() }
        key(K.closeCode); intOrNull(frame.close?.code?.rawValue)
        key(K.closeReason); stringOrNull(frame.close?.code == nil ? nil : frame.close?.reason)
        key(K.complete); bool(frame.isComplete)
        if !frame.isComplete { key(K.missingBytes); int(frame.missingBytes) }
        key(K.diagnostics); diagnostics(frame.diagnostics)
        if context.includeFields {
            key(K.headerHex); hex(header.bytes)
            key(K.fields); fields(frame.fields(sender: sender))
        }
        if let records = context.tlsRecords {
            key(K.tlsRecords)
            beginArray()
            for record in records {
                beginObject()
                key(TLSRecordKey.record); int(record.number)
                key(TLSRecordKey.type); string(name: record.contentType.description)
                key(TLSRecordKey.length); int(record.length)
                key(TLSRecordKey.plaintextStart); int(record.plaintextStart)
                key(TLSRecordKey.plaintextLength); int(record.plaintextLength)
                endObject()
            }
            endArray()
        }
        endObject()
    }

    /// Writes the `kind:"incomplete-header"` object for input that ends inside a frame header.
    public mutating func truncatedHeader(_ truncation: TruncatedHeader, from sender: Sender?, stream: Int? = nil, file: [UInt8]? = nil) {
        beginObject()
        key(IncompleteHeaderKey.kind); string(literal: "incomplete-header")
        if let file { key(IncompleteHeaderKey.file); raw(file) }
        if let stream { key(IncompleteHeaderKey.stream); int(stream) }
        if truncation.origin.packet > 0 {
            key(IncompleteHeaderKey.ts); timestamp(truncation.origin.time)
            key(IncompleteHeaderKey.packet); int(truncation.origin.packet)
        }
        key(IncompleteHeaderKey.from); if let sender { string(name: sender.rawValue) } else { null() }
        key(IncompleteHeaderKey.offset); int(truncation.offset)
        key(IncompleteHeaderKey.bytesHex); hex(truncation.bytes)
        key(IncompleteHeaderKey.headerLength); int(truncation.needed)
        key(IncompleteHeaderKey.missing); string(truncation.missing)
        key(IncompleteHeaderKey.diagnostics); diagnostics([truncation.diagnostic])
        endObject()
    }

    /// Valid UTF-8 text from a payload (its first `end` bytes, which end on a character boundary), written without
    /// building a String.
    mutating func validText(_ payload: [UInt8], end: Int) {
        payload.withUnsafeBytes { bytes in string(validUTF8: UnsafeRawBufferPointer(rebasing: bytes[..<end])) }
    }

    /// `[{"rule":…,"severity":…,"rfc":…,"message":…}, …]`
    public mutating func diagnostics(_ list: [Diagnostic]) {
        beginArray()
        for diagnostic in list { self.diagnostic(diagnostic) }
        endArray()
    }

    public mutating func diagnostic(_ diagnostic: Diagnostic) {
        beginObject()
        key(DiagnosticKey.rule); string(name: diagnostic.rule.id)
        key(DiagnosticKey.severity); string(name: diagnostic.severity.rawValue)
        key(DiagnosticKey.rfc); string(diagnostic.section)
        key(DiagnosticKey.message); string(diagnostic.message)
        endObject()
    }

    /// The field table: `[{"name":"FIN","bits":"0","bytes":"0","raw":"1","value":"1","meaning":"…"}, …]`.
    public mutating func fields(_ list: [FrameField]) {
        beginArray()
        for field in list {
            beginObject()
            key(FieldKey.name); string(field.name)
            key(FieldKey.bitOffset); int(field.bitOffset)
            key(FieldKey.bitCount); int(field.bitCount)
            key(FieldKey.raw); string(field.rawBits)
            key(FieldKey.value); string(field.value)
            key(FieldKey.meaning); string(field.meaning)
            endObject()
        }
        endArray()
    }
}

/// Helpers for cutting text without splitting a character.
public enum FrameText {
    /// The longest prefix of `text` whose UTF-8 is at most `utf8Bytes` long.
    public static func prefix(_ text: String, utf8Bytes: Int) -> String {
        var count = 0
        var end = text.unicodeScalars.startIndex
        for index in text.unicodeScalars.indices {
            let width = UTF8.width(text.unicodeScalars[index])
            if count + width > utf8Bytes { break }
            count += width
            end = text.unicodeScalars.index(after: index)
        }
        return String(text.unicodeScalars[..<end])
    }
}

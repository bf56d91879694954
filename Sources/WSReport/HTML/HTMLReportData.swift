import WSAnalysis
import WSTLS
import WSWire

/// The data of an HTML report, written as compact JSON as the events arrive (one connection's frames are encoded
/// when they come, not kept), and embedded in the page for its script to draw. Frames are arrays, not objects, and
/// the strings that repeat (field meanings, values, RFC sections) are written once in a string table: a capture of
/// 35 000 frames stays a few megabytes.
///
/// Everything is drawn from the view models the text view draws (`FrameAnatomy`, `HandshakeAnatomy`, the summaries):
/// the page's script lays them out, it knows no protocol.
struct HTMLReportData {
    /// Interned strings, by first use.
    private(set) var strings: [String] = []
    private var stringIndex: [String: Int] = [:]

    mutating func intern(_ string: String) -> Int {
        if let index = stringIndex[string] { return index }
        strings.append(string)
        stringIndex[string] = strings.count - 1
        return strings.count - 1
    }

    /// A diagnostic: `[rule, message, anchor]` (anchor: `null`, `["f", field]`, `["p", from, to]`, `["h", side, name]`,
    /// `["m", side, name]`, `["s", side]`, `["x", frame]`), then `severity, section` when the finding's differ from
    /// its rule's (a note on loopback, the part of a section it concerns).
    mutating func diagnostic(_ diagnostic: Diagnostic, into w: inout JSONWriter) {
        w.beginArray()
        w.string(name: diagnostic.rule.id)
        w.string(diagnostic.message)
        w.beginArray()
        switch diagnostic.anchor {
        case .frameField(let field)?: w.string(literal: "f"); w.string(name: field.rawValue)
        case .payloadBytes(let range)?: w.string(literal: "p"); w.int(range.lowerBound); w.int(range.upperBound)
        case .header(let side, let name)?: w.string(literal: "h"); w.string(name: side.rawValue); w.string(name)
        case .missingHeader(let side, let name)?: w.string(literal: "m"); w.string(name: side.rawValue); w.string(name)
        case .startLine(let side)?: w.string(literal: "s"); w.string(name: side.rawValue)
        case .frame(let index)?: w.string(literal: "x"); w.int(index)
        case nil: break
        }
        w.endArray()
        if diagnostic.severity != diagnostic.rule.severity || diagnostic.section != diagnostic.rule.section {
            w.string(name: diagnostic.severity.rawValue)
            w.string(diagnostic.section)
        }
        w.endArray()
    }

    mutating func diagnostics(_ list: [Diagnostic], into w: inout JSONWriter) {
        w.beginArray()
        for d in list { diagnostic(d, into: &w) }
        w.endArray()
    }

    static func direction(_ sender: Sender?) -> Int { sender == .client ? 0 : sender == .server ? 1 : 2 }

    /// A frame: `[index, dir, time, packet, lastPacket, segments, opcode, flags, length, form, key, header hex,
    /// payload hex (empty when the payload is text), text, compressed, complete, diagnostics, fields, unmasking, tls
    /// records, stream offset, bytes on the wire]`; flags: 1 FIN, 2 RSV1,
    /// 4 RSV2, 8 RSV3, 16 MASK; form 0/1/2 for the 7/16/64-bit length; fields `[name, bitOffset, bitCount, value,
    /// meaning, section]` (strings interned); unmasking `[masked, key byte, unmasked, character]` for the first bytes.
    mutating func frame(_ record: FrameRecord, number: Int, messages: [Message], into w: inout JSONWriter) {
        let frame = record.frame
        let header = frame.header
        let anatomy = FrameAnatomy(frame, number: number, sender: record.sender, messages: messages,
                                   compressedPart: record.compressed && messages.isEmpty, inMessage: record.inMessage)
        w.beginArray()
        w.int(record.index)
        w.int(Self.direction(record.sender))
        w.double((record.relativeTime * 1e6).rounded() / 1e6)
        w.int(frame.origin.packet)
        w.int(frame.lastOrigin.packet)
        w.int(frame.segments)
        w.int(header.opcode.rawValue)
        w.int((header.fin ? 1 : 0) | (header.rsv1 ? 2 : 0) | (header.rsv2 ? 4 : 0) | (header.rsv3 ? 8 : 0) | (header.masked ? 16 : 0))
        w.int(header.payloadLength)
        w.int(header.lengthForm == .sevenBit ? 0 : header.lengthForm == .sixteenBit ? 1 : 2)
        if let key = header.maskingKey { w.hex(key) } else { w.null() }
        w.hex(header.bytes)
        // Text is written once, as text (the page re-encodes it); other payloads as hex.
        if let text = frame.hasValidText ? frame.text : Self.fragmentText(record) {
            w.string(literal: "")
            w.string(text)
        } else {
            w.hex(frame.payload)
            w.null()
        }
        w.int(record.compressed ? 1 : 0)
        w.int(frame.isComplete ? 1 : 0)
        diagnostics(anatomy.diagnostics, into: &w)
        w.beginArray()
        for field in anatomy.fields {
            w.beginArray()
            w.int(intern(field.name))
            w.int(field.bitOffset)
            w.int(field.bitCount)
            w.int(intern(field.value))
            w.int(intern(field.meaning))
            w.int(intern(field.section))
            w.endArray()
        }
        w.endArray()
        if case .table(_, let rows, _) = anatomy.unmasking {
            w.beginArray()
            for row in rows {
                w.beginArray()
                w.int(row.masked); w.int(row.keyByte); w.int(row.unmasked)
                w.int(intern(UnmaskTableView.text(row.character)))
                w.endArray()
            }
            w.endArray()
        } else {
            w.null()
        }
        if let records = record.tlsRecords {
            w.beginArray()
            for r in records { w.beginArray(); w.int(r.number); w.string(name: r.contentType.description); w.int(r.length); w.endArray() }
            w.endArray()
        } else {
            w.null()
        }
        w.int(frame.offset)
        w.int(frame.wireLength)
        w.endArray()
    }

    /// A fragment of an uncompressed text message (its first frame or a continuation) as text, when the message is
    /// valid UTF-8 so far and the fragment starts and ends on character boundaries: then its bytes are exactly that
    /// text. A fragment that cuts a character stays in hex (the page re-encodes text to show its bytes).
    static func fragmentText(_ record: FrameRecord) -> String? {
        let frame = record.frame
        guard frame.header.opcode == .text || frame.header.opcode == .continuation,
              let split = record.inMessage?.text, split.continuing == 0 else { return nil }
        if frame.payloadIsCut || !frame.isComplete {
            // What was kept, up to its last whole character (as a cut text frame's `text`).
            let end = UTF8Validator.characterBoundary(in: frame.payload, before: frame.payload.count)
            return String(decoding: frame.payload[..<end], as: UTF8.self)
        }
        return split.leftOpen == 0 ? String(decoding: frame.payload, as: UTF8.self) : nil
    }

    /// A message: `[index, dir, time, opcode, frames, first, last, wire length, length, compressed, text, hex,
    /// complete, diagnostics]`.
    mutating func message(_ record: MessageRecord, into w: inout JSONWriter) {
        let m = record.message
        w.beginArray()
        w.int(record.index)
        w.int(Self.direction(record.sender))
        w.double((record.relativeTime * 1e6).rounded() / 1e6)
        w.int(m.opcode.rawValue)
        w.int(m.frameCount)
        w.int(m.firstFrame)
        w.int(m.lastFrame)
        w.int(m.wireLength)
        w.int(m.length)
        w.int(m.compressed ? 1 : 0)
        if let text = m.text { w.string(text); w.null() } else { w.null(); w.hex(m.payload) }
        w.int(m.complete ? 1 : 0)
        diagnostics(m.diagnostics, into: &w)
        w.endArray()
    }

    /// The handshake, from its anatomy: both heads line by line (each header with its role and its findings), the
    /// Accept derivation, what was negotiated.
    mutating func handshake(_ anatomy: HandshakeAnatomy, into w: inout JSONWriter) {
        func head(_ head: HandshakeAnatomy.Head) {
            w.beginObject()
            w.key(computed: "line"); w.string(utf8: head.startLine)
            w.key(computed: "packet"); w.int(head.origin.packet)
            w.key(computed: "headers")
            w.beginArray()
            for line in head.headers {
                w.beginArray()
                w.string(utf8: line.field.lineBytes)
                if let role = line.role { w.int(intern(role.meaning)); w.int(intern(role.section)) } else { w.null(); w.null() }
                w.string(name: line.field.lowercasedName)
                w.endArray()
            }
            w.endArray()
            w.endObject()
        }
        w.beginObject()
        w.key(computed: "request"); head(anatomy.request)
        w.key(computed: "response"); if let response = anatomy.response { head(response) } else { w.null() }
        w.key(computed: "accept")
        if let check = anatomy.acceptCheck {
            w.beginObject()
            w.key(computed: "key"); w.string(check.derivation.key)
            w.key(computed: "guid"); w.string(AcceptDerivation.guid)
            w.key(computed: "sha1"); w.string(check.derivation.digestHex)
            w.key(computed: "expected"); w.string(check.derivation.accept)
            switch check.verdict {
            case .matches(let received): w.key(computed: "received"); w.string(received); w.key(computed: "verdict"); w.string(literal: "match")
            case .mismatch(let received): w.key(computed: "received"); w.string(received); w.key(computed: "verdict"); w.string(literal: "mismatch")
            case .missing: w.key(computed: "received"); w.null(); w.key(computed: "verdict"); w.string(literal: "missing")
            case .notChecked: w.key(computed: "received"); w.null(); w.key(computed: "verdict"); w.string(literal: "not-checked")
            }
            w.endObject()
        } else {
            w.null()
        }
        w.key(computed: "negotiated")
        if let n = anatomy.negotiation {
            w.beginObject()
            w.key(computed: "subprotocol"); w.stringOrNull(n.subprotocol)
            w.key(computed: "extensions"); w.beginArray(); for e in n.extensions { w.string(e) }; w.endArray()
            w.key(computed: "deflate")
            if let d = n.deflate {
                w.beginArray()
                for s in [d.client, d.server] { w.beginArray(); w.int(s.windowBits); w.bool(s.noContextTakeover); w.endArray() }
                w.endArray()
            } else {
                w.null()
            }
            w.endObject()
        } else {
            w.null()
        }
        w.key(computed: "refused"); w.intOrNull(anatomy.refusedStatus)
        w.key(computed: "diagnostics"); diagnostics(anatomy.diagnostics, into: &w)
        w.endObject()
    }
}

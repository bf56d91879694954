/// A bounded cursor over one MQTT packet's bytes: every read checks what is left, and a short packet is an error
/// naming the field that did not fit, never a read past the end.
struct MQTTReader {
    enum Failure: Error {
        case malformed(String)
    }

    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var atEnd: Bool { position >= end }
    var remaining: Int { end - position }

    mutating func byte(_ field: String) throws(Failure) -> UInt8 {
        guard position < end else { throw .malformed("the packet ends before its \(field)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16(_ field: String) throws(Failure) -> Int {
        guard remaining >= 2 else { throw .malformed("the packet ends before its \(field)") }
        defer { position += 2 }
        return Int(bytes[position]) << 8 | Int(bytes[position + 1])
    }

    mutating func uint32(_ field: String) throws(Failure) -> UInt32 {
        guard remaining >= 4 else { throw .malformed("the packet ends before its \(field)") }
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    /// A variable byte integer (at most four bytes, §1.5.5 / §2.2.3).
    mutating func varint(_ field: String) throws(Failure) -> Int {
        var value = 0
        for k in 0..<4 {
            let b = try byte(field)
            value |= Int(b & 0x7F) << (7 * k)
            if b & 0x80 == 0 { return value }
        }
        throw .malformed("the \(field) takes more than four bytes")
    }

    /// Two-byte length, then that many bytes.
    mutating func binary(_ field: String) throws(Failure) -> [UInt8] {
        let length = try uint16("\(field)'s length")
        guard remaining >= length else { throw .malformed("the \(field) declares \(length) bytes, \(remaining) remain") }
        defer { position += length }
        return Array(bytes[position..<(position + length)])
    }

    /// A UTF-8 encoded string (two-byte length); invalid UTF-8 is a malformed packet.
    mutating func string(_ field: String) throws(Failure) -> String {
        let raw = try binary(field)
        guard let text = UTF8Check.string(raw) else { throw .malformed("the \(field) is not valid UTF-8") }
        return text
    }

    /// The rest of the packet.
    mutating func rest() -> [UInt8] {
        defer { position = end }
        return Array(bytes[position..<end])
    }

    /// A reader of the next `count` bytes (which this one skips).
    mutating func sub(_ count: Int, _ field: String) throws(Failure) -> MQTTReader {
        guard remaining >= count else { throw .malformed("the \(field) declare \(count) bytes, \(remaining) remain") }
        defer { position += count }
        return MQTTReader(bytes, from: position, to: position + count)
    }
}

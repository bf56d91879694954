/// Builders of MQTT bytes for the tests: each returns the bytes the specification lays out, commented where used.
enum MQTTBytes {
    /// A fixed header (type and flags in one byte, then the remaining length as a variable byte integer) and body.
    static func packet(_ typeAndFlags: UInt8, _ body: [UInt8]) -> [UInt8] {
        var length = body.count
        var header = [typeAndFlags]
        repeat {
            var byte = UInt8(length & 0x7F)
            length >>= 7
            if length > 0 { byte |= 0x80 }
            header.append(byte)
        } while length > 0
        return header + body
    }

    /// A UTF-8 string: two-byte big-endian length, then its bytes.
    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
    }

    /// A 3.1.1 CONNECT of client "c1", clean session, keep alive 60 s, user "bob", password "hunter2", will "bye" on
    /// "last/will" QoS 1 retained.
    static let connect311: [UInt8] = packet(0x10, string("MQTT") + [0x04]
        // flags: user name (80), password (40), will retain (20), will QoS 1 (08), will flag (04), clean session (02)
        + [0xEE]
        + [0x00, 0x3C]                                   // keep alive 60
        + string("c1") + string("last/will") + string("bye") + string("bob") + string("hunter2"))

    /// A 5.0 CONNECT of client "c5", clean start, keep alive 30 s, with properties Session Expiry Interval 120 and
    /// Receive Maximum 10.
    static let connect5: [UInt8] = packet(0x10, string("MQTT") + [0x05, 0x02, 0x00, 0x1E]
        + [0x08, 0x11, 0x00, 0x00, 0x00, 0x78, 0x21, 0x00, 0x0A]   // properties: 8 bytes; 0x11 = 120; 0x21 = 10
        + string("c5"))
}

/// Reads Engine.IO 4 and Socket.IO 5 packets from one text message; pure functions, no state (the session keeps it).
///
/// Engine.IO over WebSocket: a text message is `<type digit><data>` (`0{…}` open, `2`/`3` ping/pong, `2probe`,
/// `4<Socket.IO packet>`…); a binary message is a `message` packet's raw bytes. Socket.IO:
/// `<type>[<attachments>-][<namespace>,][<ack id>][<JSON>]`, e.g. `42["chat","hi"]`, `421/admin,7["x"]`,
/// `451-["upload",{"_placeholder":true,"num":0}]`.
enum SocketIOParser {
    /// The longest ack id and attachment count read (digits): beyond it the packet is malformed, not a huge number.
    static let maxDigits = 15
    /// The longest namespace read.
    static let maxNamespace = 4096

    /// One Socket.IO packet and its JSON (as a tree, for the session to look into), or why it is not one.
    struct Parsed {
        var packet: SocketIOPacket
        /// The packet's JSON value (nil when it has none).
        var json: JSONValue?
        var notes: [String] = []
    }

    enum Failure: Error {
        case malformed(String)
    }

    /// The open packet's JSON object.
    static func open(_ json: JSONValue) -> EngineIOOpen {
        var open = EngineIOOpen()
        open.sid = json["sid"]?.stringValue
        open.upgrades = json["upgrades"]?.arrayValue?.compactMap(\.stringValue)
        open.pingInterval = json["pingInterval"]?.integerValue
        open.pingTimeout = json["pingTimeout"]?.integerValue
        open.maxPayload = json["maxPayload"]?.integerValue
        return open
    }

    /// True when `bytes` is an Engine.IO open packet: `0{` and a JSON object with a string `sid` (what the sniffer
    /// asks of a connection's first server message).
    static func isOpenPacket(_ bytes: [UInt8], limits: ViewLimits) -> Bool {
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "{") else { return false }
        let parsed = bytes.withUnsafeBytes { JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[1...]), limits: limits) }
        return parsed.value?["sid"]?.stringValue != nil
    }

    /// Parses the Socket.IO packet in `bytes` (what follows Engine.IO's `4`).
    static func packet(_ bytes: ArraySlice<UInt8>, limits: ViewLimits) throws(Failure) -> Parsed {
        var i = bytes.startIndex
        guard i < bytes.endIndex else { throw .malformed("an Engine.IO message with no Socket.IO packet type after the 4") }
        let digit = bytes[i]
        guard digit >= UInt8(ascii: "0"), let type = SocketIOPacketType(rawValue: Int(digit) - 48) else {
            throw .malformed("\(describe(digit)) is not a Socket.IO packet type (0-6)")
        }
        i += 1
        var packet = SocketIOPacket(type: type)
        if type.isBinary {
            guard let count = digits(bytes, &i), i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") else {
                throw .malformed("\(type.name) must give its number of attachments followed by '-' (e.g. 451-[…])")
            }
            i += 1
            packet.attachments = Int(count)
        }
        if i < bytes.endIndex && bytes[i] == UInt8(ascii: "/") {
            let start = i
            while i < bytes.endIndex && bytes[i] != UInt8(ascii: ",") && i - start < maxNamespace { i += 1 }
            if i - start >= maxNamespace { throw .malformed("a namespace longer than \(maxNamespace) bytes") }
            packet.namespace = String(decoding: bytes[start..<i], as: UTF8.self)
            if i < bytes.endIndex { i += 1 }   // the ','
        }
        if i < bytes.endIndex && isDigit(bytes[i]) {
            guard let id = digits(bytes, &i) else { throw .malformed("an ack id longer than \(maxDigits) digits") }
            packet.ackID = id
        }
        var parsed = Parsed(packet: packet)
        if i < bytes.endIndex {
            let result = bytes[i...].withUnsafeBytes { JSONParser.parse($0, limits: limits) }
            guard let value = result.value else {
                let error = result.error!
                throw .malformed("the packet's data is not JSON: \(error.reason) (byte \(error.offset + i - bytes.startIndex + 1) of the message)")
            }
            parsed.json = value
            parsed.notes += result.notes
        }
        try interpret(&parsed)
        return parsed
    }

    /// Fills the packet's event, args and data from its JSON, as its type says.
    private static func interpret(_ parsed: inout Parsed) throws(Failure) {
        let type = parsed.packet.type
        switch type {
        case .event, .binaryEvent:
            guard case .array(let elements)? = parsed.json, let name = elements.first?.stringValue else {
                throw .malformed("\(type.name) data must be an array whose first element is the event name")
            }
            parsed.packet.event = name
            parsed.packet.args = JSONValue.array(Array(elements.dropFirst())).text
        case .ack, .binaryAck:
            guard case .array? = parsed.json else { throw .malformed("\(type.name) data must be an array of the answer's arguments") }
            parsed.packet.args = parsed.json!.text
            if parsed.packet.ackID == nil { parsed.notes.append("\(type.name) without an ack id: it cannot answer anything.") }
        case .connect, .connectError, .disconnect:
            parsed.packet.data = parsed.json?.text
        }
    }

    /// Reads decimal digits (at most `maxDigits`; nil when there are none or more).
    private static func digits(_ bytes: ArraySlice<UInt8>, _ i: inout Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while i < bytes.endIndex && isDigit(bytes[i]) {
            count += 1
            if count > maxDigits { return nil }
            value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
            i += 1
        }
        return count == 0 ? nil : value
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    static func describe(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x" + JSONEscaping.hex([b])
    }

    /// Replaces each placeholder `{"_placeholder":true,"num":k}` by attachment k's bytes in hex. Returns the value
    /// and the numbers of placeholders that name no attachment.
    static func replacePlaceholders(_ value: JSONValue, attachments: [[UInt8]], missing: inout [Int64]) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map { replacePlaceholders($0, attachments: attachments, missing: &missing) })
        case .object(let members):
            if members.count == 2, value["_placeholder"] == .bool(true), let num = value["num"]?.integerValue {
                if num >= 0 && num < attachments.count { return .string(JSONEscaping.hex(attachments[Int(num)])) }
                missing.append(num)
                return value
            }
            return .object(members.map { JSONMember(key: $0.key, value: replacePlaceholders($0.value, attachments: attachments, missing: &missing)) })
        default:
            return value
        }
    }
}

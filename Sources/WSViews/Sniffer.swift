/// Recognises an application protocol by a connection's first message of one side, when no subprotocol named it.
/// Each test asks for the protocol's opening move, whole and well-formed, so that ordinary text — `42 is the
/// answer`, `2`, `3 apples`, `CONNECTED to the game` — never matches:
///
/// - Socket.IO: the server's first message is Engine.IO's open packet (`0` and a JSON object with a string `sid`),
///   or the client's first is `2probe` (the upgrade from HTTP long-polling, whose open packet went over HTTP).
/// - MQTT: the client's first message is binary and a CONNECT whose protocol name and level are MQTT 3.1, 3.1.1 or
///   5.0 (`10 … 00 04 'MQTT' 04|05`, `10 … 00 06 'MQIsdp' 03`).
/// - STOMP: the client's first message is a whole CONNECT or STOMP frame (command line, headers, NUL).
/// - GraphQL over WebSocket: the client's first message is a JSON object with `"type":"connection_init"`.
///
/// Plain JSON is sniffed by `ConnectionViews` from each side's first text message (a JSON object or array).
enum Sniffer {
    static func protocolOfFirstMessage(_ bytes: [UInt8], binary: Bool, from peer: Peer, limits: ViewLimits) -> ViewKind? {
        if peer == .server {
            return !binary && SocketIOParser.isOpenPacket(bytes, limits: limits) ? .socketIO : nil
        }
        if binary { return isMQTTConnect(bytes) ? .mqtt : nil }
        if bytes == Array("2probe".utf8) { return .socketIO }
        if GraphQLSession.isConnectionInit(bytes, limits: limits) { return .graphQL }
        if isSTOMPConnect(bytes, limits: limits) { return .stomp }
        return nil
    }

    /// A CONNECT packet's fixed header, remaining length and protocol name and level.
    static func isMQTTConnect(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 12, bytes[0] == 0x10 else { return false }
        var i = 1
        var remaining = 0
        for k in 0..<4 {
            let b = bytes[i]
            remaining |= Int(b & 0x7F) << (7 * k)
            i += 1
            if b & 0x80 == 0 { break }
            if k == 3 || i >= bytes.count { return false }
        }
        guard remaining >= 10, i + 8 <= bytes.count else { return false }
        let name = Array(bytes[i..<min(bytes.count, i + 8)])
        if name.starts(with: [0x00, 0x04] + Array("MQTT".utf8)) { return bytes[i + 6] == 4 || bytes[i + 6] == 5 }
        if name.starts(with: [0x00, 0x06] + Array("MQIs".utf8)), bytes.count >= i + 9 {
            return Array(bytes[(i + 6)..<(i + 8)]) == Array("dp".utf8) && bytes[i + 8] == 3
        }
        return false
    }

    /// A whole CONNECT or STOMP frame.
    static func isSTOMPConnect(_ bytes: [UInt8], limits: ViewLimits) -> Bool {
        guard bytes.starts(with: Array("CONNECT".utf8)) || bytes.starts(with: Array("STOMP".utf8)) else { return false }
        if case .frame(let frame, _, _) = STOMPParser(limits: limits, version: nil).frame(in: bytes, at: 0) {
            return frame.command == "CONNECT" || frame.command == "STOMP"
        }
        return false
    }
}

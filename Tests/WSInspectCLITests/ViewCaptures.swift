import Foundation
import WSTestSupport

/// Captures built in memory whose messages are Socket.IO, STOMP, MQTT, GraphQL over WebSocket and plain JSON, so
/// that between them every packet type and every key of every `view` object is written (ViewCommandTests,
/// JSONSchemaTests). Each is one connection: the handshake (with the subprotocol, when given), the messages, close.
enum ViewCaptures {
    /// One message of the conversation.
    enum Message {
        case client(String), server(String), clientBinary([UInt8]), serverBinary([UInt8])
    }

    static func capture(subprotocol: String?, _ messages: [Message]) throws -> String {
        var c = Conversation()
        c.open()
        let extra = subprotocol.map { "Sec-WebSocket-Protocol: \($0)\r\n" } ?? ""
        c.send(fromClient: true, WebSocketBytes.request(extra: extra))
        c.send(fromClient: false, WebSocketBytes.response(extra: extra))
        for message in messages {
            switch message {
            case .client(let text): c.send(fromClient: true, WebSocketBytes.text(text, masked: true))
            case .server(let text): c.send(fromClient: false, WebSocketBytes.text(text, masked: false))
            case .clientBinary(let bytes): c.send(fromClient: true, WebSocketBytes.frame(opcode: 2, key: [9, 8, 7, 6], payload: bytes))
            case .serverBinary(let bytes): c.send(fromClient: false, WebSocketBytes.frame(opcode: 2, payload: bytes))
            }
        }
        c.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: [1, 2, 3, 4], payload: [0x03, 0xE8]))
        c.send(fromClient: false, WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8]))
        c.close()
        return try CaptureFileWriter.write(c.packets(), linkType: 1)
    }

    /// Socket.IO without a subprotocol (sniffed by the server's open packet): every Engine.IO and Socket.IO type.
    static func socketIO() throws -> String {
        try capture(subprotocol: nil, [
            .server(#"0{"sid":"s1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#),
            .client("40"), .server(#"40{"sid":"a1"}"#),
            .client("40/chat,"), .server(#"40/chat,{"sid":"a2"}"#),
            .client("40/private,"), .server(#"44/private,{"message":"not allowed"}"#),
            .client(#"42["chat message","你好"]"#),
            .client(#"4212["sum",[1,2,3]]"#), .server("4312[6]"),
            .client(#"42/chat,3["message","hi"]"#), .server(#"43/chat,3["got it",2]"#),
            .client(#"451-["upload","a.bin",{"_placeholder":true,"num":0}]"#), .clientBinary([0x00, 0x01, 0xFE, 0xFF]),
            .server(#"4213["question",{"q":"colour?"}]"#),
            .client(#"461-13[{"_placeholder":true,"num":0}]"#), .clientBinary([0x62, 0x6C, 0x75, 0x65]),
            .server("2"), .client("3"), .client("2probe"), .server("3probe"), .client("5"), .server("6"),
            .client("41/chat,"), .client("4{bad"), .client("1"),
        ])
    }

    /// STOMP 1.2: frames of every kind, a receipt, two frames in one message, a frame across messages, a heart-beat.
    static func stomp() throws -> String {
        try capture(subprotocol: "v12.stomp", [
            .client("CONNECT\naccept-version:1.2\nhost:broker\nlogin:guest\npasscode:guest\nheart-beat:10000,10000\n\n\0"),
            .server("CONNECTED\nversion:1.2\nheart-beat:10000,10000\n\n\0"),
            .client("SUBSCRIBE\nid:0\ndestination:/queue/a\nreceipt:r-sub\n\n\0"),
            .server("RECEIPT\nreceipt-id:r-sub\n\n\0"),
            .client("SEND\ndestination:/queue/a\ncontent-type:text/plain\ncontent-length:5\n\nhello\0"),
            .server("MESSAGE\nsubscription:0\nmessage-id:1\ndestination:/queue/a\n\nhello\0MESSAGE\nsubscription:0\nmessage-id:2\ndestination:/queue/a\n\nagain\0"),
            .client("SEND\ndestination:/queue/a\n\nin two "), .client("messages\0"),
            .clientBinary(Array("SEND\ndestination:/queue/b\ncontent-length:2\n\n".utf8) + [0xFF, 0x00, 0x00]),
            .server("\n"),
            .client("SEND\ndestination:/nowhere\nreceipt:r-2\n\n\0"),
            .server("ERROR\nreceipt-id:r-2\nmessage:no such destination\n\n\0"),
            .client("DISCONNECT\nreceipt:r-3\n\n\0"), .server("RECEIPT\nreceipt-id:r-3\n\n\0"),
        ])
    }

    /// MQTT 5.0 over `mqtt`: every control packet type, properties, a will, two packets in one message, a packet
    /// across messages.
    static func mqtt() throws -> String {
        let connect = mqttPacket(0x10, string("MQTT") + [0x05, 0xEE, 0x00, 0x3C, 0x05, 0x11, 0x00, 0x00, 0x00, 0x78]
                                 + string("client-1") + [0x00] + string("status/client-1") + [0x00, 0x02, 0xFF, 0x00]
                                 + string("alice") + string("s3cret"))
        let publish = mqttPacket(0x32, string("sensors/temp") + [0x00, 0x07, 0x06, 0x03] + string("txt") + Array("21.5".utf8))
        return try capture(subprotocol: "mqtt", [
            .clientBinary(connect),
            .serverBinary(mqttPacket(0x20, [0x00, 0x00, 0x03, 0x21, 0x00, 0x14])),
            .clientBinary(mqttPacket(0x82, [0x00, 0x01, 0x00] + string("sensors/#") + [0x2D] + string("alerts") + [0x00])),
            .serverBinary(mqttPacket(0x90, [0x00, 0x01, 0x00, 0x01, 0x00])),
            .clientBinary(publish),
            .serverBinary(mqttPacket(0x40, [0x00, 0x07])),
            .clientBinary(mqttPacket(0x34, string("raw") + [0x00, 0x08, 0x00, 0x00, 0x01, 0xFE])),
            .serverBinary(mqttPacket(0x50, [0x00, 0x08])), .clientBinary(mqttPacket(0x62, [0x00, 0x08])),
            .serverBinary(mqttPacket(0x70, [0x00, 0x08, 0x00])),
            .clientBinary(mqttPacket(0xA2, [0x00, 0x02, 0x00] + string("alerts"))),
            .serverBinary(mqttPacket(0xB0, [0x00, 0x02, 0x00, 0x11])),
            .clientBinary([0xC0, 0x00, 0xC0, 0x00, 0x30]), .clientBinary([0x07] + string("a/b") + [0x00] + Array("x".utf8)),
            .serverBinary([0xD0, 0x00]),
            .clientBinary(mqttPacket(0xF0, [0x19, 0x00])),
            .clientBinary(mqttPacket(0xE0, [0x00, 0x00])),
        ])
    }

    /// GraphQL over graphql-transport-ws: a subscription from init to complete, an error, ping and pong.
    static func graphQL() throws -> String {
        try capture(subprotocol: "graphql-transport-ws", [
            .client(#"{"type":"connection_init","payload":{"authToken":"t"}}"#), .server(#"{"type":"connection_ack"}"#),
            .client(#"{"id":"1","type":"subscribe","payload":{"operationName":"OnComment","query":"subscription OnComment { commentAdded { text } }","variables":{"post":7}}}"#),
            .server(#"{"id":"1","type":"next","payload":{"data":{"commentAdded":{"text":"first"}}}}"#),
            .client(#"{"id":"2","type":"subscribe","payload":{"query":"{ secret }"}}"#),
            .server(#"{"id":"2","type":"error","payload":[{"message":"denied"}]}"#),
            .client(#"{"type":"ping"}"#), .server(#"{"type":"pong"}"#),
            .server(#"{"id":"1","type":"complete"}"#),
        ])
    }

    /// Plain JSON, sniffed: objects and arrays, broken JSON that looks like it, plain text left alone.
    static func json() throws -> String {
        try capture(subprotocol: nil, [
            .client(#"{"type":"hello","n":[1,2.5,null,true]}"#), .server(#"[{"ok":true}]"#),
            .client(#"{"broken":}"#), .server("plain text"),
        ])
    }

    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
    }

    /// Fixed header with the remaining length (bodies here are under 128 bytes), then the body.
    static func mqttPacket(_ first: UInt8, _ body: [UInt8]) -> [UInt8] {
        precondition(body.count < 128)
        return [first, UInt8(body.count)] + body
    }

    /// Every capture, by name.
    static func all() throws -> [(name: String, path: String)] {
        [("socket.io", try socketIO()), ("stomp", try stomp()), ("mqtt", try mqtt()), ("graphql-ws", try graphQL()), ("json", try json())]
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

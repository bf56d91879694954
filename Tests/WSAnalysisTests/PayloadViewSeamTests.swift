import Testing
import WSAnalysis
import WSTestSupport
import WSViews
import WSWire

/// The seam for payload views: a consumer chosen per connection from the subprotocol reads whole messages.
@Suite struct PayloadViewSeamTests {
    /// Keeps every byte and names each message by its length.
    final class Recorder: MessageConsumer {
        var messages: [[UInt8]] = []
        var lost: UInt64 = 0
        func messageStarted(opcode: Opcode) { messages.append([]) }
        func messagePayload(_ bytes: UnsafeRawBufferPointer) { messages[messages.count - 1] += bytes }
        func messageLost(_ count: UInt64) { lost += count }
        func messageEnded(_ message: Message) -> MessageView? {
            MessageView(.unparsed(.json), notes: ["\(messages.last!.count) bytes"])
        }
    }

    final class Factory: PayloadViewFactory, @unchecked Sendable {
        var chosen: [(String?, Sender)] = []
        var recorders: [Sender: Recorder] = [:]
        func consumer(subprotocol: String?, sender: Sender) -> MessageConsumer? {
            chosen.append((subprotocol, sender))
            guard subprotocol == "chat" else { return nil }
            let recorder = Recorder()
            recorders[sender] = recorder
            return recorder
        }
    }

    @Test func wholeInflatedMessagesReachTheConsumerWhateverTheDisplayLimit() {
        let deflater = Deflater()
        let long = String(repeating: "你好, ", count: 500)
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(extra: "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"))
        c.send(fromClient: false, WebSocketBytes.response(extra: "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"))
        c.send(fromClient: false, WebSocketBytes.frame(rsv: 0b100, opcode: 1, payload: deflater.compress(long)))
        c.send(fromClient: true, WebSocketBytes.frame(fin: false, opcode: 2, key: [1, 2, 3, 4], payload: [1, 2, 3])
                                + WebSocketBytes.frame(opcode: 0, key: [5, 6, 7, 8], payload: [4, 5]))
        let factory = Factory()
        let result = inspect(c.packets()) { options in
            options.payloadLimit = 8
            options.payloadViews = factory
        }
        #expect(factory.chosen.map(\.0) == ["chat", "chat"])
        #expect(factory.recorders[.server]?.messages == [Array(long.utf8)])      // all of it, inflated
        #expect(factory.recorders[.client]?.messages == [[1, 2, 3, 4, 5]])       // both fragments, unmasked
        let views = result.events.compactMap { if case .message(let m) = $0 { return m.message.view?.notes.first } else { return nil } }
        #expect(views == ["\(long.utf8.count) bytes", "5 bytes"])
        // The display copy is still cut.
        let shown = result.events.compactMap { if case .message(let m) = $0 { return m.message.payload.count } else { return nil } }
        #expect(shown.allSatisfy { $0 <= 8 })
    }

    @Test func withoutTheSubprotocolNoConsumerIsChosen() {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        c.send(fromClient: false, WebSocketBytes.text("plain", masked: false))
        let factory = Factory()
        let result = inspect(c.packets()) { $0.payloadViews = factory }
        #expect(factory.chosen.map(\.0) == [nil, nil])
        #expect(result.events.allSatisfy { if case .message(let m) = $0 { return m.message.view == nil } else { return true } })
    }
}

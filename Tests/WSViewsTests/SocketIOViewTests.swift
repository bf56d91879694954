import Testing
@testable import WSViews

/// Engine.IO 4 and Socket.IO 5 packets, acks matched to events, binary attachments joined.
@Suite struct SocketIOViewTests {
    func socketIO(_ view: MessageView?) -> SocketIOView? {
        if case .socketIO(let s)? = view?.content { return s }
        Issue.record("not a Socket.IO view: \(String(describing: view?.content)) \(view?.notes ?? [])")
        return nil
    }

    var driver = ViewDriver(choice: .only(.socketIO))

    @Test mutating func theOpenPacketsHandshake() {
        let view = socketIO(driver.text(#"0{"sid":"lv_VI97","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#, from: .server))
        #expect(view?.engineIO == .open)
        #expect(view?.open == EngineIOOpen(sid: "lv_VI97", upgrades: ["websocket"], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000))
    }

    @Test mutating func engineIOControlPackets() {
        let expected: [(String, EngineIOPacketType, String?)] = [("1", .close, nil), ("2", .ping, nil), ("3", .pong, nil),
                                                                ("2probe", .ping, "probe"), ("3probe", .pong, "probe"),
                                                                ("5", .upgrade, nil), ("6", .noop, nil)]
        for (text, type, payload) in expected {
            let view = socketIO(driver.text(text, from: .client))
            #expect(view?.engineIO == type, "\(text)")
            #expect(view?.payload == payload)
            #expect(view?.packet == nil)
        }
    }

    @Test mutating func connectToTheMainAndAnotherNamespace() {
        let main = socketIO(driver.text("40", from: .client))?.packet
        #expect(main?.type == .connect && main?.namespace == "/" && main?.data == nil)
        let admin = socketIO(driver.text(#"40/admin,{"token":"123"}"#, from: .client))?.packet
        #expect(admin?.namespace == "/admin")
        #expect(admin?.data?.description == #"{"token":"123"}"#)
        let answer = socketIO(driver.text(#"40/admin,{"sid":"wZX3oN0bSVIhsaknAAAI"}"#, from: .server))?.packet
        #expect(answer?.data?.description == #"{"sid":"wZX3oN0bSVIhsaknAAAI"}"#)
    }

    @Test mutating func disconnectAndConnectError() {
        let bye = socketIO(driver.text("41/admin,", from: .client))?.packet
        #expect(bye?.type == .disconnect && bye?.namespace == "/admin")
        let refused = socketIO(driver.text(#"44/private,{"message":"not allowed","data":{"reason":"no token"}}"#, from: .server))?.packet
        #expect(refused?.type == .connectError && refused?.namespace == "/private")
        #expect(refused?.data?.description == #"{"message":"not allowed","data":{"reason":"no token"}}"#)
    }

    @Test mutating func anEventItsNameAndArguments() {
        let view = driver.text(#"42["chat message","你好",{"n":1}]"#, from: .client)
        let packet = socketIO(view)?.packet
        #expect(packet?.type == .event && packet?.event == "chat message" && packet?.ackID == nil)
        #expect(packet?.args?.description == #"["你好",{"n":1}]"#)
        #expect(view?.notes == [])
    }

    @Test mutating func anAckIsMatchedToItsEventFromTheOtherSideOnTheSameNamespace() {
        // 4212: EVENT with ack id 12 from the client; 4312: the server's ACK 12 (1 ms later, as the driver counts).
        let event = socketIO(driver.text(#"4212["sum",[1,2,3]]"#, from: .client))?.packet
        #expect(event?.ackID == 12 && event?.event == "sum")
        // An ACK 12 on another namespace, or from the same side, answers nothing.
        #expect(driver.text(#"43/chat,12[6]"#, from: .server)?.notes == ["No event from the client on /chat asked for ack 12 (or it was sent before the capture started)."])
        #expect(driver.text(#"4312[6]"#, from: .client)?.notes.count == 1)
        let ack = socketIO(driver.text("4312[6]", from: .server))
        #expect(ack?.packet?.type == .ack && ack?.packet?.ackID == 12 && ack?.packet?.args?.description == "[6]")
        #expect(ack?.packet?.event == "sum")
        #expect(abs((ack?.roundTrip ?? 0) - 0.003) < 1e-9)
        // Answered once: the same ack again is not matched.
        #expect(driver.text("4312[6]", from: .server)?.notes.count == 1)
    }

    @Test mutating func acksWorkTheOtherWayAndOnNamespaces() {
        _ = driver.text(#"42/chat,7["question",{"q":"colour?"}]"#, from: .server)
        let ack = socketIO(driver.text(#"43/chat,7["blue"]"#, from: .client))
        #expect(ack?.packet?.event == "question" && ack?.roundTrip != nil)
    }

    @Test mutating func aBinaryEventIsJoinedWithItsAttachments() {
        // 451-: BINARY_EVENT with 1 attachment; the placeholder names attachment 0.
        let header = driver.text(#"451-["upload","a.bin",{"_placeholder":true,"num":0}]"#, from: .client)
        let packet = socketIO(header)?.packet
        #expect(packet?.type == .binaryEvent && packet?.attachments == 1 && packet?.event == "upload")
        #expect(packet?.args?.description == #"["a.bin",{"_placeholder":true,"num":0}]"#)
        #expect(header?.notes == ["1 binary attachment follows in the next binary message."])
        // The attachment: 00 01 fe ff.
        let joined = socketIO(driver.send([0x00, 0x01, 0xFE, 0xFF], from: .client, binary: true))
        #expect(joined?.attachment == 0)
        #expect(joined?.packet?.event == "upload")
        #expect(joined?.packet?.args?.description == #"["a.bin","0001feff"]"#)
    }

    @Test mutating func severalAttachmentsWithAnAckIdAndANamespace() {
        // 452-/files,3[…]: two attachments, namespace /files, ack id 3; placeholders in nested places and out of order.
        _ = driver.text(#"452-/files,3["pair",{"b":{"_placeholder":true,"num":1}},[{"_placeholder":true,"num":0}]]"#, from: .server)
        let first = socketIO(driver.send([0xAA], from: .server, binary: true))
        #expect(first?.attachment == 0 && first?.packet?.args == nil)
        let last = socketIO(driver.send([0xBB, 0xCC], from: .server, binary: true))
        #expect(last?.attachment == 1)
        #expect(last?.packet?.namespace == "/files" && last?.packet?.ackID == 3)
        #expect(last?.packet?.args?.description == #"[{"b":"bbcc"},["aa"]]"#)
        // BINARY_ACK 3 from the client, with one attachment, answers it.
        let ack = socketIO(driver.text(#"461-/files,3[{"_placeholder":true,"num":0}]"#, from: .client))
        #expect(ack?.packet?.type == .binaryAck && ack?.packet?.event == "pair")
        let ackData = socketIO(driver.send([0x01], from: .client, binary: true))
        #expect(ackData?.packet?.args?.description == #"["01"]"#)
    }

    @Test mutating func missingAttachmentsAndStrayBinaryAreNoted() {
        _ = driver.text(#"452-["two",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, from: .client)
        _ = driver.send([0x01], from: .client, binary: true)
        let next = driver.text("2", from: .client)
        #expect(next?.notes == ["The BINARY_EVENT before this message announced 2 binary attachments but only 1 arrived."])
        #expect(driver.send([0x02], from: .client, binary: true)?.notes == ["Binary data no BINARY_EVENT or BINARY_ACK announced (a plain Engine.IO binary message)."])
        // A placeholder that names no attachment.
        _ = driver.text(#"451-["one",{"_placeholder":true,"num":5}]"#, from: .server)
        #expect(driver.send([0x03], from: .server, binary: true)?.notes == ["Placeholder 5 names no attachment."])
    }

    @Test mutating func malformedPacketsAreNotesAndTheTextIsKept() {
        let cases: [(String, String)] = [
            ("", "An empty text message: no Engine.IO packet type."),
            ("9", "Not an Engine.IO packet: a text message must start with a packet type digit 0-6, not '9'."),
            ("x", "Not an Engine.IO packet: a text message must start with a packet type digit 0-6, not 'x'."),
            ("47", "Not a Socket.IO packet: '7' is not a Socket.IO packet type (0-6)."),
            ("4", "Not a Socket.IO packet: an Engine.IO message with no Socket.IO packet type after the 4."),
            ("42", "Not a Socket.IO packet: EVENT data must be an array whose first element is the event name."),
            ("42[1]", "Not a Socket.IO packet: EVENT data must be an array whose first element is the event name."),
            ("42[\"a\",]", "Not a Socket.IO packet: the packet's data is not JSON: ']' right after ','; RFC 8259 allows no trailing comma (byte 7 of the message)."),
            ("45[\"a\"]", "Not a Socket.IO packet: BINARY_EVENT must give its number of attachments followed by '-' (e.g. 451-[…])."),
            ("421234567890123456[\"a\"]", "Not a Socket.IO packet: an ack id longer than 15 digits."),
            ("43[1]", "ACK without an ack id: it cannot answer anything."),
        ]
        for (text, note) in cases {
            let view = driver.text(text, from: .client)
            #expect(view?.notes == [note], "\(text)")
        }
        // The text after a malformed message's type digit is kept as its payload.
        #expect(socketIO(driver.text("4hello", from: .client))?.payload == "hello")
    }

    @Test mutating func anOpenPacketFromTheClientOrWithoutASidIsNoted() {
        #expect(driver.text(#"0{"sid":"x"}"#, from: .client)?.notes == ["An open packet from the client: Engine.IO's handshake comes from the server."])
        #expect(driver.text(#"0{"pingInterval":1}"#, from: .server)?.notes == ["The open packet has no string sid."])
        #expect(driver.text("0[]", from: .server)?.notes == ["The open packet's handshake is not a JSON object."])
    }

    @Test func eventsWaitingForAcksAreBounded() {
        var limits = ViewLimits()
        limits.maxPending = 4
        var driver = ViewDriver(choice: .only(.socketIO), limits: limits)
        for id in 0..<10 { _ = driver.text("42\(id)[\"e\"]", from: .client) }
        // The oldest were forgotten; the newest still match.
        #expect(driver.text("430[]", from: .server)?.notes.count == 1)
        #expect(driver.text("439[]", from: .server)?.notes == [])
    }
}

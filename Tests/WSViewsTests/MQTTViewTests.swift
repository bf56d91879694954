import Testing
@testable import WSViews

/// MQTT 3.1.1 and 5.0 control packets, field by field; packets across and within messages; limits.
@Suite struct MQTTViewTests {
    var driver = ViewDriver(choice: .only(.mqtt))

    mutating func packets(_ bytes: [UInt8], from peer: Peer = .client) -> [MQTTPacket] {
        let view = driver.send(bytes, from: peer, binary: true)
        if case .mqtt(let m)? = view?.content { return m.packets }
        Issue.record("not an MQTT view: \(String(describing: view?.content)) \(view?.notes ?? [])")
        return []
    }

    mutating func one(_ bytes: [UInt8], from peer: Peer = .client) -> MQTTPacket? {
        let list = packets(bytes, from: peer)
        #expect(list.count == 1)
        return list.first
    }

    @Test mutating func connect311FieldByField() {
        let p = one(MQTTBytes.connect311)
        #expect(p?.type == .connect && p?.protocolName == "MQTT" && p?.protocolLevel == 4)
        #expect(p?.cleanSession == true && p?.keepAlive == 60 && p?.clientID == "c1")
        #expect(p?.will?.topic == "last/will" && p?.will?.payload == Array("bye".utf8) && p?.will?.qos == 1 && p?.will?.retain == true)
        #expect(p?.username == "bob")
        // The password is counted, never kept.
        #expect(p?.passwordLength == 7)
        #expect(p?.properties == nil)
    }

    @Test mutating func connect5WithProperties() {
        let p = one(MQTTBytes.connect5)
        #expect(p?.protocolLevel == 5 && p?.keepAlive == 30 && p?.clientID == "c5")
        #expect(p?.properties == [MQTTProperty(id: 0x11, name: "Session Expiry Interval", value: .integer(120)),
                                  MQTTProperty(id: 0x21, name: "Receive Maximum", value: .integer(10))])
    }

    @Test mutating func connackIn311And5() {
        // 20 02 01 00: CONNACK, session present, return code 0 (accepted).
        let accepted = one([0x20, 0x02, 0x01, 0x00], from: .server)
        #expect(accepted?.sessionPresent == true && accepted?.reasonCode == 0 && accepted?.reason == "Connection Accepted")
        // 20 02 00 05: not authorized (3.1.1's return code 5).
        #expect(one([0x20, 0x02, 0x00, 0x05], from: .server)?.reason == "not authorized")
        // After a 5.0 CONNECT: 20 03 00 87 00: reason code 0x87 Not authorized, no properties.
        _ = one(MQTTBytes.connect5)
        let refused = one([0x20, 0x03, 0x00, 0x87, 0x00], from: .server)
        #expect(refused?.reasonCode == 0x87 && refused?.reason == "Not authorized" && refused?.properties == [])
    }

    @Test mutating func publishAtEachQoS() {
        // 30 0a 00 03 "a/b" "hello": QoS 0, no packet id.
        let q0 = one(MQTTBytes.packet(0x30, MQTTBytes.string("a/b") + Array("hello".utf8)))
        #expect(q0?.qos == 0 && q0?.retain == false && q0?.dup == false && q0?.topic == "a/b" && q0?.packetID == nil)
        #expect(q0?.payload == Array("hello".utf8) && q0?.payloadText == "hello")
        // 3b: DUP (08), QoS 1 (02), RETAIN (01); packet id 00 07.
        let q1 = one(MQTTBytes.packet(0x3B, MQTTBytes.string("t") + [0x00, 0x07, 0xFF]))
        #expect(q1?.dup == true && q1?.qos == 1 && q1?.retain == true && q1?.packetID == 7)
        #expect(q1?.payload == [0xFF] && q1?.payloadText == nil)
        // 34: QoS 2, packet id 00 08, empty payload.
        let q2 = one(MQTTBytes.packet(0x34, MQTTBytes.string("t") + [0x00, 0x08]))
        #expect(q2?.qos == 2 && q2?.packetID == 8 && q2?.payload == [])
    }

    @Test mutating func publish5WithProperties() {
        _ = one(MQTTBytes.connect5)
        // 32: QoS 1; topic "t"; id 00 01; properties, 16 bytes: 01 01 (payload format: UTF-8), 03 00 04 "text"
        // (content type), 26 00 01 "k" 00 01 "v" (user property k=v); payload "x".
        let body = MQTTBytes.string("t") + [0x00, 0x01, 0x10, 0x01, 0x01, 0x03] + MQTTBytes.string("text")
            + [0x26] + MQTTBytes.string("k") + MQTTBytes.string("v") + Array("x".utf8)
        let p = one(MQTTBytes.packet(0x32, body))
        #expect(p?.properties == [MQTTProperty(id: 1, name: "Payload Format Indicator", value: .integer(1)),
                                  MQTTProperty(id: 3, name: "Content Type", value: .string("text")),
                                  MQTTProperty(id: 0x26, name: "User Property", value: .pair("k", "v"))])
        #expect(p?.payloadText == "x")
    }

    @Test mutating func theAcknowledgementsOfPublish() {
        // 40 02 00 07 PUBACK 7; 50 … PUBREC; 62 (PUBREL must carry flags 0010); 70 … PUBCOMP.
        let types: [(UInt8, MQTTPacketType)] = [(0x40, .puback), (0x50, .pubrec), (0x62, .pubrel), (0x70, .pubcomp)]
        for (first, type) in types {
            let p = one([first, 0x02, 0x00, 0x07])
            #expect(p?.type == type && p?.packetID == 7 && p?.reasonCode == nil)
        }
        // 5.0: 40 03 00 07 10: PUBACK with reason 0x10 No matching subscribers.
        _ = one(MQTTBytes.connect5)
        let p = one([0x40, 0x03, 0x00, 0x07, 0x10], from: .server)
        #expect(p?.reasonCode == 0x10 && p?.reason == "No matching subscribers")
    }

    @Test mutating func subscribeAndSuback() {
        // 82: SUBSCRIBE (flags 0010); id 00 01; "a/#" QoS 1; "b" QoS 0.
        let sub = one(MQTTBytes.packet(0x82, [0x00, 0x01] + MQTTBytes.string("a/#") + [0x01] + MQTTBytes.string("b") + [0x00]))
        #expect(sub?.packetID == 1)
        #expect(sub?.subscriptions == [MQTTSubscription(topicFilter: "a/#", qos: 1), MQTTSubscription(topicFilter: "b", qos: 0)])
        // 90 04 00 01 01 80: SUBACK id 1: granted QoS 1, failure.
        let ack = one([0x90, 0x04, 0x00, 0x01, 0x01, 0x80], from: .server)
        #expect(ack?.reasonCodes == [1, 0x80])
    }

    @Test mutating func subscribe5Options() {
        _ = one(MQTTBytes.connect5)
        // 82; id 00 02; properties 00; "x" with options 2e: retain handling 2 (20), retain as published (08),
        // no local (04), QoS 2 (02).
        let sub = one(MQTTBytes.packet(0x82, [0x00, 0x02, 0x00] + MQTTBytes.string("x") + [0x2E]))
        #expect(sub?.subscriptions == [MQTTSubscription(topicFilter: "x", qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2)])
    }

    @Test mutating func unsubscribeAndUnsuback() {
        // a2: UNSUBSCRIBE (flags 0010); id 00 03; "a/#", "b".
        let unsub = one(MQTTBytes.packet(0xA2, [0x00, 0x03] + MQTTBytes.string("a/#") + MQTTBytes.string("b")))
        #expect(unsub?.topicFilters == ["a/#", "b"] && unsub?.packetID == 3)
        // b0 02 00 03: UNSUBACK 3 (3.1.1: no reason codes).
        let ack = one([0xB0, 0x02, 0x00, 0x03], from: .server)
        #expect(ack?.packetID == 3 && ack?.reasonCodes == nil)
    }

    @Test mutating func pingsDisconnectAndAuth() {
        #expect(one([0xC0, 0x00])?.type == .pingreq)
        #expect(one([0xD0, 0x00], from: .server)?.type == .pingresp)
        #expect(one([0xE0, 0x00])?.type == .disconnect)
        _ = one(MQTTBytes.connect5)
        // e0 01 04: DISCONNECT, reason 0x04 Disconnect with Will Message.
        #expect(one([0xE0, 0x01, 0x04])?.reason == "Disconnect with Will Message")
        // f0 0a 18 08 15 00 05 "SCRAM": AUTH, reason 0x18 Continue authentication, 8 bytes of properties: 0x15
        // Authentication Method "SCRAM".
        let auth = one(MQTTBytes.packet(0xF0, [0x18, 0x08, 0x15] + MQTTBytes.string("SCRAM") ))
        #expect(auth?.type == .auth && auth?.reason == "Continue authentication")
        #expect(auth?.properties == [MQTTProperty(id: 0x15, name: "Authentication Method", value: .string("SCRAM"))])
    }

    @Test mutating func severalPacketsInOneMessage() {
        // PINGREQ (c0 00) and PUBLISH QoS 0 "t" "1" in one message.
        let list = packets([0xC0, 0x00] + MQTTBytes.packet(0x30, MQTTBytes.string("t") + [0x31]))
        #expect(list.map(\.type) == [.pingreq, .publish])
    }

    @Test mutating func aPacketAcrossMessages() {
        _ = one(MQTTBytes.connect311)
        let whole = MQTTBytes.packet(0x30, MQTTBytes.string("topic") + Array(repeating: 0x41, count: 200))   // 30 cf 01 …
        let first = driver.send(Array(whole[..<1]), from: .client, binary: true)
        #expect(first?.notes == ["A packet starts here and continues in the next message (1 bytes)."])
        let middle = driver.send(Array(whole[1..<100]), from: .client, binary: true)
        #expect(middle?.notes == ["A packet starts here and continues in the next message (100 of 210 bytes)."])
        let more = driver.send(Array(whole[100..<150]), from: .client, binary: true)
        #expect(more?.notes == ["The packet continues (150 of 210 bytes)."])
        let last = driver.send(Array(whole[150...]) + [0xC0, 0x00], from: .client, binary: true)
        guard case .mqtt(let view)? = last?.content else { Issue.record("no view"); return }
        #expect(view.packets.map(\.type) == [.publish, .pingreq])
        #expect(view.packets.first?.payload?.count == 200)
        #expect(last?.notes == ["The first packet began in an earlier message."])
    }

    @Test mutating func malformedPacketsKeepWhatWasDecoded() {
        _ = one(MQTTBytes.connect311)
        // 30 03 00 05 "a": the topic declares 5 bytes, 1 remains.
        let view = driver.send([0x30, 0x03, 0x00, 0x05, 0x61], from: .client, binary: true)
        #expect(view?.notes == ["Malformed PUBLISH: the topic name declares 5 bytes, 1 remain."])
        // 80: SUBSCRIBE with flags 0000 instead of 0010.
        #expect(driver.send([0x80, 0x04, 0x00, 0x01, 0x00, 0x00], from: .client, binary: true)?.notes.first == "SUBSCRIBE must carry the fixed-header flags 0010, not 0000 (a malformed packet).")
        // 00: packet type 0 is reserved.
        #expect(driver.send([0x00, 0x00], from: .client, binary: true)?.notes == ["Byte 0: packet type 0 is reserved; the rest of the message (2 bytes) is not MQTT."])
        // ff ff ff ff ff: a remaining length of more than four bytes.
        #expect(driver.send([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], from: .server, binary: true)?.notes == ["Byte 0: the remaining length takes more than four bytes (a malformed packet); the rest of the message is dropped."])
        // A text message is noted but decoded.
        #expect(driver.send([0xC0, 0x00], from: .client)?.notes == ["MQTT packets travel in binary messages (MQTT 5.0 §6.0); this one is text. Decoded anyway."])
    }

    @Test mutating func withoutAConnectTheVersionIsAGuessThatIsSaid() {
        let view = driver.send([0x40, 0x02, 0x00, 0x01], from: .server, binary: true)
        #expect(view?.notes == ["No CONNECT was captured, so the protocol version is unknown: decoded as MQTT 3.1.1."])
    }

    @Test func aPacketBeyondTheLimitIsNamedAndSkipped() {
        var limits = ViewLimits()
        limits.maxMessageBytes = 100
        var driver = ViewDriver(choice: .only(.mqtt), limits: limits)
        // 30 c8 01: PUBLISH of 200 bytes; only 50 arrive in this message.
        let first = driver.send([0x30, 0xC8, 0x01] + Array(repeating: 0, count: 47), from: .client, binary: true)
        guard case .mqtt(let view)? = first?.content else { Issue.record("no view"); return }
        #expect(view.packets.first?.type == .publish && view.packets.first?.remainingLength == 200)
        #expect(first?.notes == ["A PUBLISH of 200 bytes, beyond the view's limit of 100: its fields are not decoded."])
        // The rest (153 bytes, in two messages: each message must fit the limit too) is skipped, then a PINGREQ is read.
        #expect(driver.send(Array(repeating: 0, count: 90), from: .client, binary: true)?.notes == ["90 bytes of the packet too large to decode skipped; 63 more to come."])
        let rest = driver.send(Array(repeating: 0, count: 63) + [0xC0, 0x00], from: .client, binary: true)
        guard case .mqtt(let after)? = rest?.content else { Issue.record("no view"); return }
        #expect(after.packets.map(\.type) == [.pingreq])
    }

    @Test func theSubprotocolMqttv31MeansLevel3() {
        var driver = ViewDriver(subprotocol: "mqttv3.1")
        // 10 …: CONNECT "MQIsdp" level 3, flags 00, keep alive 10, client "x".
        let view = driver.send(MQTTBytes.packet(0x10, MQTTBytes.string("MQIsdp") + [0x03, 0x00, 0x00, 0x0A] + MQTTBytes.string("x")), from: .client, binary: true)
        guard case .mqtt(let m)? = view?.content else { Issue.record("no view"); return }
        #expect(m.packets.first?.protocolLevel == 3 && view?.notes == [])
    }
}

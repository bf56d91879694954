import Testing
@testable import WSViews

/// How a connection's view is chosen: `--view`, the negotiated subprotocol, or — conservatively — its first messages.
@Suite struct SniffingTests {
    @Test(arguments: [("mqtt", ViewKind.mqtt), ("mqttv3.1", .mqtt), ("v10.stomp", .stomp), ("v11.stomp", .stomp),
                      ("v12.stomp", .stomp), ("stomp", .stomp), ("graphql-transport-ws", .graphQL), ("graphql-ws", .graphQL),
                      ("wamp.2.json", .json)])
    func theSubprotocolChoosesTheView(subprotocol: String, kind: ViewKind) {
        let views = ConnectionViews(choice: .auto, subprotocol: subprotocol)!
        #expect(views.kind == kind)
        #expect(views.chosenBy == .subprotocol)
    }

    @Test func subprotocolNamesAreCaseSensitiveAndUnknownOnesChooseNothing() {
        #expect(ConnectionViews(choice: .auto, subprotocol: "MQTT")!.kind == nil)
        #expect(ConnectionViews(choice: .auto, subprotocol: "chat")!.kind == nil)
    }

    @Test func theOptionOverridesTheSubprotocolAndNoneTurnsViewsOff() {
        let forced = ConnectionViews(choice: .only(.json), subprotocol: "mqtt")!
        #expect(forced.kind == .json && forced.chosenBy == .option)
        #expect(ConnectionViews(choice: .none, subprotocol: "mqtt") == nil)
        #expect(ViewChoice(name: "socket.io") == .only(.socketIO))
        #expect(ViewChoice(name: "none") == ViewChoice.none)
        #expect(ViewChoice(name: "xml") == nil)
        #expect(ViewChoice.names == ["auto", "none", "json", "socket.io", "stomp", "mqtt", "graphql-ws"])
    }

    @Test func anEngineIOOpenPacketFromTheServerMakesItSocketIO() {
        var driver = ViewDriver()
        let view = driver.text(#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#, from: .server)
        #expect(driver.connection.kind == .socketIO)
        #expect(view?.kind == .socketIO)
        // and then the usual traffic is read as Socket.IO
        #expect(driver.text("40", from: .client)?.kind == .socketIO)
    }

    @Test func twoProbeFromTheClientMakesItSocketIO() {
        // After HTTP long-polling the client's first WebSocket message is the probe ping.
        var driver = ViewDriver()
        _ = driver.text("2probe", from: .client)
        #expect(driver.connection.kind == .socketIO)
    }

    @Test func aGraphQLConnectionInitMakesItGraphQL() {
        var driver = ViewDriver()
        _ = driver.text(#"{"type":"connection_init","payload":{}}"#, from: .client)
        #expect(driver.connection.kind == .graphQL)
    }

    @Test func aSTOMPConnectFrameMakesItSTOMP() {
        var driver = ViewDriver()
        _ = driver.text("CONNECT\naccept-version:1.2\nhost:broker\n\n\0", from: .client)
        #expect(driver.connection.kind == .stomp)
    }

    @Test func anMQTTConnectMakesItMQTT() {
        // 10 0c: CONNECT, 12 bytes follow; 00 04 "MQTT"; level 04 (3.1.1); flags 02 (clean session);
        // keep alive 00 3c (60 s); client id 00 00 (empty).
        var driver = ViewDriver()
        _ = driver.send([0x10, 0x0C, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00], from: .client, binary: true)
        #expect(driver.connection.kind == .mqtt)
    }

    @Test func aJSONObjectOrArrayAsAFirstTextMessageMakesItJSON() {
        var driver = ViewDriver()
        let view = driver.text(#" {"hello": "world"}"#, from: .server)
        #expect(driver.connection.kind == .json && driver.connection.chosenBy == .content)
        guard case .json(let json)? = view?.content else { Issue.record("no JSON view"); return }
        #expect(json.value?.description == #"{"hello":"world"}"#)
        // Later, text that is not an object or array is left alone; broken JSON that looks like it is noted.
        #expect(driver.text("plain words", from: .client) == nil)
        #expect(driver.text("{broken", from: .client)?.notes == ["invalid JSON at byte 1: 'b' where a member name (a string) should start."])
    }

    /// Text that happens to start with a digit (or look like a protocol's word) chooses nothing.
    @Test(arguments: ["42 is the answer", "2", "3 apples", "0", "0 items", "40", "4", "42[\"not after an open\"]",
                      "0{\"id\":1}", "2probe ", "CONNECTED to the game", "CONNECT\nno NUL at the end\n\n", "STOMP", "\"a string\"",
                      "17", "null", "{\"type\":\"connection_init\"", "[1,2"])
    func ordinaryTextDoesNotMisfire(text: String) {
        for first in [Peer.client, .server] {
            var driver = ViewDriver()
            #expect(driver.text(text, from: first) == nil, "\(text) from the \(first.name)")
            #expect(driver.text(text, from: first.other) == nil)
            #expect(driver.connection.kind == nil, "\(text) chose \(String(describing: driver.connection.kind))")
            // and a later message that would have matched as a first one does not change that
            #expect(driver.text("2probe", from: .client) == nil)
        }
    }

    @Test func binaryThatIsNotAnMQTTConnectDoesNotMisfire() {
        // 10 0c 00 04 "MQTT" 07: protocol level 7 does not exist.
        var driver = ViewDriver()
        #expect(driver.send([0x10, 0x0C, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x07, 0x02, 0x00, 0x3C, 0x00, 0x00], from: .client, binary: true) == nil)
        // 00 01 fe ff: just bytes.
        #expect(driver.send([0x00, 0x01, 0xFE, 0xFF], from: .server, binary: true) == nil)
        #expect(driver.connection.kind == nil)
    }

    @Test func onlyEachSidesFirstTextMessageIsSniffedForJSON() {
        var driver = ViewDriver()
        _ = driver.text("hello", from: .client)
        _ = driver.text("hello", from: .server)
        #expect(driver.text(#"{"late":true}"#, from: .client) == nil)
        #expect(driver.connection.kind == nil)
        // The first text message counts even when a binary one came before it.
        var late = ViewDriver()
        _ = late.send([0x01], from: .client, binary: true)
        _ = late.text("hello", from: .client)
        #expect(late.text(#"{"late":true}"#, from: .client) == nil)
        #expect(late.text(#"{"first":true}"#, from: .server) != nil)
        #expect(late.connection.kind == .json)
    }

    @Test func theOptionReadsEveryMessageEvenPlainText() {
        var driver = ViewDriver(choice: .only(.json))
        #expect(driver.text("42 is the answer", from: .client)?.notes == ["invalid JSON at byte 3: 'i' after the end of the value; one message holds one JSON value."])
        guard case .json(let json)? = driver.text("2", from: .client)?.content else { Issue.record("no view"); return }
        #expect(json.value?.description == "2")
    }
}

import Foundation
import Testing

/// The payload views end to end: captures of each protocol through the binary, the `view` object of each message
/// record (the JSON contract of issue #17), the text lines, `--view`.
@Suite struct ViewCommandTests {
    /// The `view` objects of a capture's message records, in order.
    static func views(_ path: String, _ options: [String] = []) throws -> [[String: Any]] {
        let result = try CLI.run(["--json"] + options + [path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n")
            .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { $0["kind"] as? String == "message" }
            .compactMap { $0["view"] as? [String: Any] }
    }

    static func compact(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "null" }
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func socketIOEventsAcksNamespacesAndAttachments() throws {
        let path = try ViewCaptures.socketIO()
        defer { ViewCaptures.remove(path) }
        let views = try Self.views(path)
        #expect(views.allSatisfy { $0["kind"] as? String == "socket.io" })
        let open = views[0]
        #expect(open["engine_io"] as? String == "open" && open["sid"] as? String == "s1" && open["ping_interval"] as? Int == 25000)
        #expect(open["ping_timeout"] as? Int == 20000 && open["max_payload"] as? Int == 1000000 && Self.compact(open["upgrades"]) == #"["websocket"]"#)
        let messages = views.filter { $0["engine_io"] as? String == "message" && $0["socket_io"] != nil }
        // Every Socket.IO packet type appears, upper case.
        #expect(Set(messages.compactMap { $0["socket_io"] as? String }) == ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"])
        let chat = try #require(messages.first { $0["event"] as? String == "chat message" })
        #expect(chat["namespace"] as? String == "/" && Self.compact(chat["args"]) == #"["你好"]"# && chat["ack_id"] is NSNull)
        // The ack of "sum" names its event and has a round-trip time.
        let ack = try #require(messages.first { $0["socket_io"] as? String == "ACK" && $0["ack_id"] as? Int == 12 })
        #expect(ack["event"] as? String == "sum" && Self.compact(ack["args"]) == "[6]" && ack["rtt_ms"] is Double)
        let chatAck = try #require(messages.first { $0["socket_io"] as? String == "ACK" && $0["namespace"] as? String == "/chat" })
        #expect(chatAck["event"] as? String == "message")
        // The attachment's message carries the joined event: the placeholder replaced by the bytes in hex.
        let joined = try #require(messages.first { $0["socket_io"] as? String == "BINARY_EVENT" && $0["attachment"] as? Int == 0 })
        #expect(joined["event"] as? String == "upload" && joined["attachments"] as? Int == 1)
        #expect(Self.compact(joined["args"]) == #"["a.bin","0001feff"]"#)
        let binaryAck = try #require(messages.first { $0["socket_io"] as? String == "BINARY_ACK" && $0["attachment"] as? Int == 0 })
        #expect(binaryAck["event"] as? String == "question" && Self.compact(binaryAck["args"]) == #"["626c7565"]"#)
        let refused = try #require(messages.first { $0["socket_io"] as? String == "CONNECT_ERROR" })
        #expect(refused["namespace"] as? String == "/private" && Self.compact(refused["data"]) == #"{"message":"not allowed"}"#)
        // Engine.IO's own packets, lower case.
        #expect(Set(views.compactMap { $0["engine_io"] as? String }) == ["open", "close", "ping", "pong", "message", "upgrade", "noop"])
        #expect(views.contains { $0["engine_io"] as? String == "ping" && $0["payload"] as? String == "probe" })
        // A broken packet is a note; the message record still has its text.
        #expect(views.contains { ($0["notes"] as? [String])?.first == "Not a Socket.IO packet: '{' is not a Socket.IO packet type (0-6)." })
    }

    @Test func stompFramesReceiptsAndHeartBeats() throws {
        let path = try ViewCaptures.stomp()
        defer { ViewCaptures.remove(path) }
        let views = try Self.views(path)
        #expect(views.allSatisfy { $0["kind"] as? String == "stomp" })
        let connect = views[0]
        #expect(connect["command"] as? String == "CONNECT")
        #expect(Self.compact(connect["headers"]) == #"[["accept-version","1.2"],["host","broker"],["login","guest"],["passcode",null],["heart-beat","10000,10000"]]"#)
        let receipt = try #require(views.first { $0["command"] as? String == "RECEIPT" })
        #expect(receipt["receipt_for"] as? String == "SUBSCRIBE" && receipt["rtt_ms"] is Double)
        let send = try #require(views.first { $0["body"] as? String == "hello" && $0["command"] as? String == "SEND" })
        #expect(send["body_length"] as? Int == 5 && send["body_hex"] is NSNull)
        let two = try #require(views.first { $0["frames"] != nil && ($0["frames"] as? [Any])?.count == 2 })
        #expect((two["frames"] as? [[String: Any]])?.map { $0["body"] as? String } == ["hello", "again"])
        #expect(views.contains { $0["pending_bytes"] as? Int == 34 })
        #expect(views.contains { $0["body"] as? String == "in two messages" })
        #expect(views.contains { $0["body_hex"] as? String == "ff00" })
        #expect(views.contains { $0["heartbeats"] as? Int == 1 })
        let error = try #require(views.first { $0["command"] as? String == "ERROR" })
        #expect(error["receipt_for"] as? String == "SEND")
    }

    @Test func mqttPacketsFieldByField() throws {
        let path = try ViewCaptures.mqtt()
        defer { ViewCaptures.remove(path) }
        let views = try Self.views(path)
        #expect(views.allSatisfy { $0["kind"] as? String == "mqtt" })
        let connect = views[0]
        #expect(connect["type"] as? String == "CONNECT" && connect["protocol_level"] as? Int == 5 && connect["client_id"] as? String == "client-1")
        #expect(connect["username"] as? String == "alice" && connect["password_length"] as? Int == 6 && connect["clean_session"] as? Bool == true)
        #expect(!String(describing: connect).contains("s3cret"))
        #expect(Self.compact(connect["will"]) == #"{"payload":null,"payload_hex":"ff00","properties":[],"qos":1,"retain":true,"topic":"status/client-1"}"#)
        #expect(Self.compact(connect["properties"]) == #"[{"id":17,"name":"Session Expiry Interval","value":120}]"#)
        let publish = try #require(views.first { $0["topic"] as? String == "sensors/temp" })
        #expect(publish["type"] as? String == "PUBLISH" && publish["qos"] as? Int == 1 && publish["packet_id"] as? Int == 7)
        #expect(publish["retain"] as? Bool == false && publish["payload"] as? String == "21.5" && publish["payload_length"] as? Int == 4)
        #expect(Self.compact(publish["properties"]) == #"[{"id":3,"name":"Content Type","value":"txt"}]"#)
        #expect(views.contains { $0["payload_hex"] as? String == "0001fe" })
        let subscribe = try #require(views.first { $0["type"] as? String == "SUBSCRIBE" })
        #expect(Self.compact(subscribe["subscriptions"]) == #"[{"no_local":true,"qos":1,"retain_as_published":true,"retain_handling":2,"topic_filter":"sensors/#"},{"no_local":false,"qos":0,"retain_as_published":false,"retain_handling":0,"topic_filter":"alerts"}]"#)
        #expect(views.contains { $0["type"] as? String == "SUBACK" && Self.compact($0["reason_codes"]) == "[1,0]" })
        #expect(views.contains { $0["type"] as? String == "UNSUBACK" && Self.compact($0["reason_codes"]) == "[17]" })
        // Every control packet type appears.
        let types = Set(views.compactMap { $0["type"] as? String } + views.flatMap { ($0["packets"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String } })
        #expect(types == ["CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK",
                          "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"])
        // Two PINGREQs and the start of a PUBLISH in one message; the PUBLISH completes in the next.
        let both = try #require(views.first { $0["packets"] != nil })
        #expect((both["packets"] as? [[String: Any]])?.count == 2 && both["pending_bytes"] as? Int == 1)
        #expect(views.contains { $0["topic"] as? String == "a/b" && $0["payload"] as? String == "x" })
    }

    @Test func graphQLOperationsById() throws {
        let path = try ViewCaptures.graphQL()
        defer { ViewCaptures.remove(path) }
        let views = try Self.views(path)
        #expect(views.map { $0["type"] as? String } == ["connection_init", "connection_ack", "subscribe", "next", "subscribe", "error", "ping", "pong", "complete"])
        #expect(views.allSatisfy { $0["kind"] as? String == "graphql-ws" })
        let subscribe = views[2]
        #expect(subscribe["id"] as? String == "1" && subscribe["operation"] as? String == "subscription OnComment")
        #expect(subscribe["operation_name"] as? String == "OnComment" && Self.compact(subscribe["variables"]) == #"{"post":7}"#)
        #expect(views[3]["operation"] as? String == "subscription OnComment" && views[3]["since_subscribe_ms"] is Double)
        #expect(views[5]["operation"] as? String == "query" && Self.compact(views[5]["payload"]) == #"[{"message":"denied"}]"#)
        #expect(views[0]["id"] is NSNull)
    }

    @Test func plainJSONIsParsedAndBrokenJSONNoted() throws {
        let path = try ViewCaptures.json()
        defer { ViewCaptures.remove(path) }
        let views = try Self.views(path)
        #expect(views.count == 3)   // "plain text" has no view
        #expect(Self.compact(views[0]["value"]) == #"{"n":[1,2.5,null,true],"type":"hello"}"#)
        #expect(views[2]["value"] is NSNull && views[2]["error_offset"] as? Int == 10)
        #expect(views[2]["error"] as? String == "'}' where a value should start (an object, array, string, number, true, false or null)")
        #expect(views[2]["notes"] as? [String] == ["invalid JSON at byte 10: '}' where a value should start (an object, array, string, number, true, false or null)."])
    }

    @Test func aJSONValueIsRepeatedWithinMaxPayloadOnly() throws {
        let path = try ViewCaptures.json()
        defer { ViewCaptures.remove(path) }
        let views = try Self.views(path, ["--view", "json", "--max-payload", "20"])
        // {"type":"hello","n":[1,2.5,null,true]} is 38 bytes: not repeated (nor read); [{"ok":true}] fits.
        #expect(views.count == 4)
        #expect(views[0]["value"] is NSNull && views[0]["value_omitted"] as? Bool == true && views[0]["error"] is NSNull)
        #expect(Self.compact(views[1]["value"]) == #"[{"ok":true}]"# && views[1]["value_omitted"] as? Bool == false)
        #expect(views[2]["error_offset"] as? Int == 10)
        // Sniffing does not look at a first message it would not show: the connection turns JSON at the server's.
        #expect(try Self.views(path, ["--max-payload", "20"]).map { $0["error_offset"] is Int } == [false, true])
        // The text views whose lines already show each message's text do not read plain JSON; -v prints it
        // indented, and notes what is not JSON.
        #expect(!(try CLI.run(["--messages", path]).stdout.contains("↳")))
        #expect(!(try CLI.run([path]).stdout.contains("↳")))
        let verbose = try CLI.run(["-v", path]).stdout
        #expect(verbose.contains("↳ json\n[0]     ↳   {\n[0]     ↳     \"type\": \"hello\","))
        #expect(verbose.contains("↳ note: invalid JSON at byte 10: '}' where a value should start"))
    }

    @Test func theViewOptionOverridesOrTurnsViewsOff() throws {
        let path = try ViewCaptures.socketIO()
        defer { ViewCaptures.remove(path) }
        #expect(try Self.views(path, ["--view", "none"]).isEmpty)
        let asJSON = try Self.views(path, ["--view", "json"])
        #expect(asJSON.allSatisfy { $0["kind"] as? String == "json" })
        #expect(asJSON.first?["notes"] as? [String] == ["invalid JSON at byte 1: '{' after the end of the value; one message holds one JSON value."])
        let bad = try CLI.run(["--view", "xml", path])
        #expect(bad.status == 2 && bad.stderr == "wsinspect: The value 'xml' is invalid for '--view <view>' (see wsinspect --help)\n")
    }

    @Test func textViewsShowOneLinePerApplicationMessage() throws {
        let path = try ViewCaptures.socketIO()
        defer { ViewCaptures.remove(path) }
        let messages = try CLI.run(["--messages", path]).stdout
        #expect(messages.contains(#"↳ socket.io EVENT "sum" [[1,2,3]] · ack 12"#))
        #expect(messages.contains(#"↳ socket.io ACK 12 [6] · answers "sum" after "#))
        #expect(messages.contains(#"↳ socket.io /chat ACK 3 ["got it",2] · answers "message" after "#))
        #expect(messages.contains(#"↳ socket.io attachment 1 of 1 for BINARY_EVENT "upload", joined: ["a.bin","0001feff"]"#))
        #expect(messages.contains(#"↳ engine.io open sid="s1" upgrades=[websocket] pingInterval=25000 ms pingTimeout=20000 ms maxPayload=1000000"#))
        let text = try CLI.run([path]).stdout
        #expect(text.contains(#"↳ socket.io EVENT "chat message" ["你好"]"#))
        let verbose = try CLI.run(["-v", path]).stdout
        #expect(verbose.contains("↳     \"你好\""))
    }

    @Test func textViewsOfSTOMPMQTTAndGraphQL() throws {
        for (make, expected) in [(ViewCaptures.stomp, #"↳ stomp RECEIPT receipt-id:r-sub · receipt for SUBSCRIBE after "#),
                                 (ViewCaptures.mqtt, #"↳ mqtt PUBLISH "sensors/temp" QoS 1 id 7 · "21.5""#),
                                 (ViewCaptures.mqtt, #"↳ mqtt CONNECT MQTT 5.0 client "client-1" keep-alive 60 s clean-start · user "alice" · password (6 bytes, not shown) · will "status/client-1" QoS 1 retain"#),
                                 (ViewCaptures.graphQL, #"↳ graphql-ws subscribe "1": subscription OnComment variables {"post":7}"#)] {
            let path = try make()
            defer { ViewCaptures.remove(path) }
            let output = try CLI.run(["--messages", "--width", "250", path]).stdout
            #expect(output.contains(expected), "\(expected)\n\(output)")
        }
    }

    @Test func viewLinesAreCutToTheOutputsWidthNotWrapped() throws {
        let path = try ViewCaptures.mqtt()
        defer { ViewCaptures.remove(path) }
        let lines = try CLI.run(["--messages", "--width", "70", path]).stdout.split(separator: "\n")
        let views = lines.filter { $0.contains("↳") }
        #expect(views.count == 20)   // one per packet (18, PINGREQ twice in one message) and the 2 notes of the split PUBLISH
        #expect(views.allSatisfy { $0.count <= 70 })
        #expect(views.contains { $0.hasPrefix("[0]     ↳ mqtt CONNECT MQTT 5.0 client \"client-1\" keep-alive 60 s") && $0.hasSuffix("…") })
    }

    @Test func untrustedStringsInViewsReachTheTerminalEscaped() throws {
        // An event name with ESC [ 31 m (a colour change) and a RIGHT-TO-LEFT OVERRIDE, as JSON escapes.
        let path = try ViewCaptures.capture(subprotocol: nil, [.server(#"0{"sid":"x"}"#), .client(#"42["\u001b[31mred\u202e",1]"#)])
        defer { ViewCaptures.remove(path) }
        let output = try CLI.run(["--messages", path]).stdout
        #expect(output.contains(#"↳ socket.io EVENT "\x1b[31mred\u{202e}" [1]"#))
        #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
        let json = try CLI.run(["--json", path]).stdout
        #expect(json.contains(#""event":"\u001b[31mred\u202e""#))
    }
}

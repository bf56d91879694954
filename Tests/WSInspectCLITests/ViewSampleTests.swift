import Foundation
import Testing

/// The payload views on the real captures (Samples/socketio.pcap, stomp.pcap, mqtt.pcap, graphql.pcap), held to
/// what the peers' own logs say they did: the events and acks python-socketio emitted, the frames stomp.py sent and
/// received, the packets paho-mqtt logged, the operations gql ran.
@Suite struct ViewSampleTests {
    /// `(from, view)` of every message record of a sample that has a view, with its connection.
    static func views(_ sample: String) throws -> [(stream: Int, from: String, view: [String: Any])] {
        let result = try CLI.run(["--json", "Samples/\(sample).pcap"], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n")
            .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { $0["kind"] as? String == "message" && $0["view"] != nil }
            .map { ($0["stream"] as! Int, $0["from"] as! String, $0["view"] as! [String: Any]) }
    }

    static func log(_ sample: String) throws -> [[String: Any]] {
        try String(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/\(sample).log.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// A JSON value as sorted, compact text; `{"bytes_hex": h}` (how the peers log bytes) becomes `h`, as the view
    /// writes an attachment in place of its placeholder.
    static func canon(_ value: Any?) -> String {
        func unbytes(_ v: Any) -> Any {
            if let d = v as? [String: Any] {
                if d.count == 1, let hex = d["bytes_hex"] as? String { return hex }
                return d.mapValues(unbytes)
            }
            if let a = v as? [Any] { return a.map(unbytes) }
            return v
        }
        guard let value, !(value is NSNull) else { return "null" }
        let data = try! JSONSerialization.data(withJSONObject: unbytes(value), options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func socketIOEventsAcksAndNamespacesAreWhatThePeersEmitted() throws {
        let views = try Self.views("socketio").filter { $0.view["kind"] as? String == "socket.io" }
        let log = try Self.log("socketio").filter { $0["kind"] as? String == "socket.io" }
        // A binary packet counts once, at its last attachment (where it is whole).
        func whole(_ v: [String: Any]) -> Bool {
            guard let count = v["attachments"] as? Int, count > 0 else { return true }
            return (v["attachment"] as? Int) == count - 1
        }
        for peer in ["client", "server"] {
            let emitted = log.filter { $0["peer"] as? String == peer && ["emit", "call"].contains($0["action"] as? String) }
                .map { "\($0["namespace"]!) \($0["event"]!) \(Self.canon($0["args"])) ack:\($0["action"] as? String == "call")" }
            let events = views.filter { $0.from == peer && ["EVENT", "BINARY_EVENT"].contains($0.view["socket_io"] as? String) && whole($0.view) }
                .map { "\($0.view["namespace"]!) \($0.view["event"]!) \(Self.canon($0.view["args"])) ack:\(!($0.view["ack_id"] is NSNull))" }
            #expect(events == emitted, "\(peer): events")
            // Each ack names the event it answers and carries its round trip.
            let acked = log.filter { $0["peer"] as? String == peer && $0["action"] as? String == "ack" }
                .map { "\($0["namespace"]!) \($0["event"]!) \(Self.canon($0["args"]))" }
            let acks = views.filter { $0.from == peer && ["ACK", "BINARY_ACK"].contains($0.view["socket_io"] as? String) && whole($0.view) }
            #expect(acks.map { "\($0.view["namespace"]!) \($0.view["event"] ?? "?") \(Self.canon($0.view["args"]))" } == acked, "\(peer): acks")
            #expect(acks.allSatisfy { $0.view["ack_id"] is Int && ($0.view["rtt_ms"] as? Double ?? -1) > 0 })
        }
        // The refused namespace's CONNECT_ERROR, and the session ids the server gave each namespace.
        let refused = try #require(log.first { $0["action"] as? String == "connect-refused" })
        let connectError = try #require(views.first { $0.view["socket_io"] as? String == "CONNECT_ERROR" })
        #expect(connectError.view["namespace"] as? String == "/private" && Self.canon(connectError.view["data"]) == Self.canon(refused["error"]))
        let sids = log.filter { $0["action"] as? String == "connect" }.map { "\($0["namespace"]!) \($0["sid"]!)" }
        let answers = views.filter { $0.from == "server" && $0.view["socket_io"] as? String == "CONNECT" }
            .map { "\($0.view["namespace"]!) \(($0.view["data"] as? [String: Any])?["sid"] ?? "?")" }
        #expect(answers == sids)
        // The Engine.IO handshake as the server configured it (ping interval 1 s, timeout 5 s).
        #expect(views.first?.view["engine_io"] as? String == "open" && views.first?.view["ping_interval"] as? Int == 1000)
        #expect(views.first?.view["ping_timeout"] as? Int == 5000)
        #expect(views.allSatisfy { ($0.view["notes"] as? [String])?.allSatisfy { $0.contains("attachment") } ?? true })
    }

    /// README's and Docs/views.md's example, line for line.
    @Test func theDocumentedExampleIsTheOutput() throws {
        let output = try CLI.run(["--messages", "Samples/socketio.pcap"], directory: CLI.packageRoot).stdout
        for document in ["README.md", "Docs/views.md"] {
            let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent(document), encoding: .utf8)
            let block = try #require(text.components(separatedBy: "$ wsinspect --messages Samples/socketio.pcap\n").dropFirst().first)
            let lines = block.prefix { $0 != "`" }.split(separator: "\n").filter { $0 != "…" }
            #expect(lines.count == 4)
            for line in lines { #expect(output.contains(line + "\n"), "\(document): \(line)") }
        }
    }

    @Test func stompFramesAndReceiptsAreWhatTheClientSentAndReceived() throws {
        let views = try Self.views("stomp")
        #expect(views.allSatisfy { $0.view["kind"] as? String == "stomp" })
        let log = try Self.log("stomp").filter { $0["kind"] as? String == "stomp" }
        func frames(_ from: String) -> [[String: Any]] {
            views.filter { $0.from == from }.flatMap { $0.view["command"] != nil ? [$0.view] : ($0.view["frames"] as? [[String: Any]] ?? []) }
        }
        func headers(_ frame: [String: Any]) -> [String: String] {
            var out: [String: String] = [:]
            for pair in frame["headers"] as? [[Any]] ?? [] where out[pair[0] as! String] == nil { out[pair[0] as! String] = pair[1] as? String }
            return out
        }
        let client = frames("client"), server = frames("server")
        #expect(client.map { $0["command"] as! String } == ["CONNECT", "SUBSCRIBE", "SEND", "ACK", "SEND", "NACK", "UNSUBSCRIBE", "DISCONNECT"])
        let sends = log.filter { $0["action"] as? String == "send" }
        #expect(client.filter { $0["command"] as? String == "SEND" }.map { "\(headers($0)["destination"]!) \($0["body"]!)" } ==
                sends.map { "\($0["destination"]!) \($0["body"]!)" })
        let subscribe = try #require(log.first { $0["action"] as? String == "subscribe" })
        let subscribed = headers(client[1])
        #expect(subscribed["destination"] == subscribe["destination"] as? String && subscribed["id"] == subscribe["id"] as? String)
        #expect(subscribed["ack"] == subscribe["ack"] as? String && subscribed["receipt"] == subscribe["receipt"] as? String)
        // The receipts the client got, in order, each matched to the frame that asked for it.
        let receipts = log.filter { $0["action"] as? String == "receipt" }.map { ($0["headers"] as! [String: String])["receipt-id"]! }
        let answered = server.filter { $0["command"] as? String == "RECEIPT" }
        #expect(answered.map { headers($0)["receipt-id"]! } == receipts)
        #expect(answered.map { $0["receipt_for"] as? String } == ["SUBSCRIBE", "SEND", "UNSUBSCRIBE"])
        #expect(answered.allSatisfy { ($0["rtt_ms"] as? Double ?? -1) > 0 })
        // The messages delivered: every header the client saw, and the body.
        let delivered = log.filter { $0["action"] as? String == "message" }
        let messages = server.filter { $0["command"] as? String == "MESSAGE" }
        #expect(messages.count == delivered.count)
        for (ours, theirs) in zip(messages, delivered) {
            #expect(headers(ours) == theirs["headers"] as! [String: String])
            #expect(ours["body"] as? String == theirs["body"] as? String)
            #expect(ours["receipt_for"] == nil)   // a copied receipt header is not an answer
        }
        #expect(client.filter { ["ACK", "NACK"].contains($0["command"] as? String) }.map { headers($0)["id"]! } ==
                log.filter { ["ack", "nack"].contains($0["action"] as? String) }.map { $0["id"] as! String })
        let error = try #require(server.first { $0["command"] as? String == "ERROR" })
        let logged = try #require(log.first { $0["action"] as? String == "error" })
        #expect(headers(error) == logged["headers"] as! [String: String] && error["body"] as? String == logged["body"] as? String)
        // The frame with the unknown command is shown as raw text with a note.
        #expect(views.contains { $0.from == "client" && ($0.view["notes"] as? [String]) == ["Not a STOMP frame at byte 0: \"HELLO\" is not a STOMP command."] })
        // Heart-beats the client received: the server's messages of end-of-lines only (RabbitMQ also ends frames
        // with one, which the view counts too).
        let beats = views.filter { $0.from == "server" && ($0.view["frames"] as? [Any])?.isEmpty == true && $0.view["heartbeats"] != nil }.count
        #expect(beats == log.filter { $0["action"] as? String == "heartbeat-received" }.count)
        // The passcode is not repeated.
        #expect(headers(client[0])["passcode"] == nil && (client[0]["headers"] as? [[Any]])?.contains { $0[0] as? String == "passcode" } == true)
    }

    /// paho-mqtt's own debug lines (`Sending PUBLISH (d0, q1, r0, m3), 'b'topic'', ... (15 bytes)`) as the
    /// descriptions the views' packets must have, per connection and direction.
    static func pahoDescription(_ line: String) -> String {
        let words = line.split(separator: " ", maxSplits: 2).map(String.init)
        let type = words[1]
        let rest = words.count > 2 ? words[2] : ""
        func match(_ pattern: String) -> [String] {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let m = regex.firstMatch(in: rest, range: NSRange(rest.startIndex..., in: rest)) else { return [] }
            return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: rest).map { String(rest[$0]) } ?? "" }
        }
        switch type {
        case "PUBLISH":
            let f = match(#"\(d(\d), q(\d), r(\d), m(\d+)\), '(?:b')?([^']*)'?'.*\((\d+) bytes\)"#)
            // paho logs a message id for QoS 0 too, but a QoS 0 PUBLISH carries none.
            return "PUBLISH d\(f[0]) q\(f[1]) r\(f[2]) m\(f[1] == "0" ? "0" : f[3]) \(f[4]) \(f[5])"
        case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK":
            return "\(type) m\(match(#"Mid: (\d+)"#).first ?? "?")"
        case "SUBSCRIBE", "UNSUBSCRIBE":
            let m = match(#"m(\d+)\)"#).first ?? "?"
            let topics = match(#"\[(.*)\]"#).first ?? ""
            let filters = (try! NSRegularExpression(pattern: #"b'([^']*)'(?:, (?:\{QoS=)?(\d))?"#))
                .matches(in: topics, range: NSRange(topics.startIndex..., in: topics))
                .map { m in (1..<m.numberOfRanges).compactMap { Range(m.range(at: $0), in: topics).map { String(topics[$0]) } }.joined(separator: ":") }
            return "\(type) m\(m) \(filters.joined(separator: ","))"
        case "CONNECT":
            let f = match(#"\(u(\d), p(\d), wr(\d), wq(\d), wf(\d), c(\d), k(\d+)\) client_id=b'([^']*)'"#)
            return "CONNECT u\(f[0]) p\(f[1]) wr\(f[2]) wq\(f[3]) wf\(f[4]) c\(f[5]) k\(f[6]) \(f[7])"
        case "CONNACK":
            let f = match(#"\((\d), (\w+)\)"#)
            return "CONNACK \(f[0]) \(f[1])"
        default:
            return type
        }
    }

    /// The same description of a packet of the view.
    static func viewDescription(_ p: [String: Any]) -> String {
        let type = p["type"] as! String
        func int(_ key: String) -> Int { p[key] as? Int ?? 0 }
        func bit(_ key: String) -> Int { (p[key] as? Bool ?? false) ? 1 : 0 }
        switch type {
        case "PUBLISH":
            return "PUBLISH d\(bit("dup")) q\(int("qos")) r\(bit("retain")) m\(int("packet_id")) \(p["topic"]!) \(int("payload_length"))"
        case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK":
            return "\(type) m\(int("packet_id"))"
        case "SUBSCRIBE":
            let filters = (p["subscriptions"] as! [[String: Any]]).map { "\($0["topic_filter"]!):\($0["qos"]!)" }
            return "SUBSCRIBE m\(int("packet_id")) \(filters.joined(separator: ","))"
        case "UNSUBSCRIBE":
            return "UNSUBSCRIBE m\(int("packet_id")) \((p["topic_filters"] as! [String]).joined(separator: ","))"
        case "CONNECT":
            let will = p["will"] as? [String: Any]
            return "CONNECT u\(p["username"] == nil ? 0 : 1) p\(p["password_length"] == nil ? 0 : 1) wr\(will?["retain"] as? Bool == true ? 1 : 0) wq\(will?["qos"] as? Int ?? 0) wf\(will == nil ? 0 : 1) c\(bit("clean_session")) k\(int("keep_alive")) \(p["client_id"]!)"
        case "CONNACK":
            let reason = p["protocol_level"] == nil && (p["reason"] as? String) == "Success" ? "Success" : "\(int("reason_code"))"
            return "CONNACK \(bit("session_present")) \(reason)"
        default:
            return type
        }
    }

    @Test func mqttPacketsAreWhatPahoLoggedSendingAndReceiving() throws {
        let views = try Self.views("mqtt")
        #expect(views.allSatisfy { $0.view["kind"] as? String == "mqtt" && ($0.view["notes"] as? [String]) == [] })
        let paho = try Self.log("mqtt").compactMap { $0["paho"] as? String }
        // One paho client per connection, in order; each starts with its CONNECT.
        var connections: [[String]] = []
        for line in paho {
            if line.hasPrefix("Sending CONNECT") { connections.append([]) }
            connections[connections.count - 1].append(line)
        }
        #expect(connections.count == 2)
        for (stream, lines) in connections.enumerated() {
            for (peer, verb) in [("client", "Sending"), ("server", "Received")] {
                let expected = lines.filter { $0.hasPrefix(verb + " ") }.map(Self.pahoDescription)
                let ours = views.filter { $0.stream == stream && $0.from == peer }
                    .flatMap { $0.view["type"] != nil ? [$0.view] : ($0.view["packets"] as? [[String: Any]] ?? []) }
                    .map(Self.viewDescription)
                #expect(ours == expected, "connection \(stream), \(peer)")
            }
        }
        // The application's payloads, as paho was asked to publish them.
        let published = try Self.log("mqtt").filter { $0["action"] as? String == "publish" }.compactMap { $0["payload"] as? String }
        let ours = views.filter { $0.from == "client" && $0.view["type"] as? String == "PUBLISH" }.compactMap { $0.view["payload"] as? String }
        #expect(Set(published).isSubset(of: Set(ours)) && !published.isEmpty)
    }

    @Test func graphQLOperationsAreWhatGqlRan() throws {
        let views = try Self.views("graphql")
        #expect(views.allSatisfy { $0.view["kind"] as? String == "graphql-ws" && ($0.view["notes"] as? [String]) == [] })
        let log = try Self.log("graphql").filter { $0["peer"] as? String == "client" && $0["kind"] as? String == "graphql" }
        let client = views.filter { $0.from == "client" }.map(\.view), server = views.filter { $0.from == "server" }.map(\.view)
        // The operations, in order: their query text and variables.
        let operations = log.filter { ["execute", "subscribe"].contains($0["action"] as? String) }
        let subscribes = client.filter { $0["type"] as? String == "subscribe" }
        // gql prints the query it sends in its own layout (and `query { … }` as the shorthand `{ … }`): compared
        // without whitespace.
        func tokens(_ query: Any?) -> String {
            let compact = String((query as? String ?? "").unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
            return compact.hasPrefix("query{") ? String(compact.dropFirst(5)) : compact
        }
        #expect(subscribes.map { tokens($0["query"]) } == operations.map { tokens($0["query"]) })
        #expect(subscribes.map { Self.canon($0["variables"]) } == operations.map { Self.canon($0["variables"]) })
        #expect(subscribes.map { $0["id"] as? String } == ["1", "2", "3", "4", "5"])
        #expect(subscribes.map { $0["operation"] as? String } == ["query Hello", "subscription", "subscription", "query", "query"])
        // Every result the client got, in order: next payloads ({"data", "errors"}) and error payloads (a list).
        let results = log.compactMap { entry -> String? in
            switch entry["action"] as? String {
            case "result", "next": return "next " + Self.canon(["data": entry["data"]!])
            case "error" where entry["data"] != nil: return "next " + Self.canon(["data": entry["data"]!, "errors": entry["errors"]!])
            case "error": return "error " + Self.canon(entry["errors"])
            default: return nil
            }
        }
        let ours = server.filter { ["next", "error"].contains($0["type"] as? String) }.map { "\($0["type"]!) \(Self.canon($0["payload"]))" }
        #expect(ours == results)
        // Each result names its operation; init and ping carry the client's payloads.
        #expect(server.filter { $0["type"] as? String == "next" }.allSatisfy { $0["operation"] != nil })
        let connect = try #require(log.first { $0["action"] as? String == "connect" })
        #expect(Self.canon(client.first?["payload"]) == Self.canon(connect["init_payload"]))
        let ping = try #require(log.first { $0["action"] as? String == "ping" })
        #expect(client.contains { $0["type"] as? String == "ping" && Self.canon($0["payload"]) == Self.canon(ping["payload"]) })
        // The subscription the client stopped: its own complete for id 3.
        #expect(client.contains { $0["type"] as? String == "complete" && $0["id"] as? String == "3" })
    }
}

import Foundation
import Testing
import WSReport
import WSTestSupport

/// The record schemas (Sources/WSReport/Schema), the JSON the binary writes, and Docs/json.md agree: every record
/// has its keys in schema order with only optional keys left out, every key is written somewhere, and every key is
/// documented in its kind's section.
@Suite struct JSONSchemaTests {
    /// One schema, type-erased.
    struct Schema {
        let kind: String
        let keys: [String]
        let optional: Set<String>

        init<K: RecordSchema>(_ type: K.Type) {
            kind = K.recordKind
            keys = K.keyNames
            optional = Set(K.optionalKeys.map(\.name))
        }
    }

    static let schemas: [Schema] = [
        Schema(FrameKey.self), Schema(IncompleteHeaderKey.self), Schema(ConnectionKey.self), Schema(HandshakeKey.self),
        Schema(DeflateAgreementKey.self), Schema(MessageKey.self), Schema(GapKey.self), Schema(DiagnosticRecordKey.self),
        Schema(DiagnosticKey.self), Schema(FieldKey.self), Schema(SummaryKey.self), Schema(CloseKey.self),
        Schema(DirectionKey.self), Schema(RoundTripKey.self), Schema(CaptureKey.self), Schema(DroppedKey.self),
        Schema(AcceptKey.self), Schema(RuleKey.self), Schema(TLSInfoKey.self), Schema(ProxyKey.self), Schema(TLSSummaryKey.self),
        Schema(TLSAccountingKey.self), Schema(TunnelSummaryKey.self), Schema(TunnelAccountingKey.self), Schema(TLSRecordKey.self),
        Schema(CloseEventKey.self), Schema(EncodedKey.self), Schema(CloseCodeKey.self),
        Schema(JSONViewKey.self), Schema(SocketIOViewKey.self), Schema(STOMPViewKey.self), Schema(STOMPFrameKey.self),
        Schema(MQTTViewKey.self), Schema(MQTTPacketKey.self), Schema(MQTTWillKey.self), Schema(MQTTSubscriptionKey.self),
        Schema(MQTTPropertyKey.self), Schema(GraphQLViewKey.self),
    ]
    static let byKind = Dictionary(uniqueKeysWithValues: schemas.map { ($0.kind, $0) })

    /// Checks one object against a schema: the keys it has come in schema order, and only optional ones are missing.
    /// Records the keys seen per schema.
    static func check(_ object: OrderedJSON, against kind: String, seen: inout [String: Set<String>], line: String) {
        guard let schema = byKind[kind] else { Issue.record("no schema for \(kind)"); return }
        let keys = object.keys
        let positions = keys.map { schema.keys.firstIndex(of: $0) }
        if let unknown = zip(keys, positions).first(where: { $0.1 == nil }) {
            Issue.record("\(kind): key \(unknown.0) is not in the schema: \(line.prefix(300))")
            return
        }
        let order = positions.compactMap { $0 }
        #expect(order == order.sorted() && Set(order).count == order.count, "\(kind): keys out of schema order \(keys)")
        let missing = Set(schema.keys).subtracting(keys).subtracting(schema.optional)
        #expect(missing.isEmpty, "\(kind): required keys \(missing.sorted()) missing: \(line.prefix(300))")
        seen[kind, default: []].formUnion(keys)

        // The nested objects that have schemas of their own.
        for (key, value) in zip(keys, keys.map { object[$0]! }) {
            switch (kind, key, value) {
            case (_, "diagnostics", .array(let elements)):
                for element in elements { check(element, against: DiagnosticKey.recordKind, seen: &seen, line: line) }
            case ("frame", "fields", .array(let elements)):
                for element in elements { check(element, against: FieldKey.recordKind, seen: &seen, line: line) }
            case ("handshake", "permessage_deflate", .object):
                check(value, against: DeflateAgreementKey.recordKind, seen: &seen, line: line)
            case ("summary", "close", .object):
                check(value, against: CloseKey.recordKind, seen: &seen, line: line)
            case ("summary", "client_close_event", .object), ("summary", "server_close_event", .object):
                check(value, against: CloseEventKey.recordKind, seen: &seen, line: line)
            case ("summary", "directions", .object):
                #expect(value.keys == ["client", "server"])
                for side in value.keys { check(value[side]!, against: DirectionKey.recordKind, seen: &seen, line: line) }
            case ("summary.directions.*", "ping_rtt_ms", .object):
                check(value, against: RoundTripKey.recordKind, seen: &seen, line: line)
            case ("capture", "dropped", .object):
                check(value, against: DroppedKey.recordKind, seen: &seen, line: line)
            case ("connection", "tls", .object):
                check(value, against: TLSInfoKey.recordKind, seen: &seen, line: line)
            case ("connection", "proxy", .object):
                check(value, against: ProxyKey.recordKind, seen: &seen, line: line)
            case ("summary", "tls", .object):
                check(value, against: TLSSummaryKey.recordKind, seen: &seen, line: line)
            case ("summary.tls", "client", .object), ("summary.tls", "server", .object):
                check(value, against: TLSAccountingKey.recordKind, seen: &seen, line: line)
            case ("summary", "tunnel", .object):
                check(value, against: TunnelSummaryKey.recordKind, seen: &seen, line: line)
            case ("summary.tunnel", "client", .object), ("summary.tunnel", "server", .object):
                check(value, against: TunnelAccountingKey.recordKind, seen: &seen, line: line)
            case ("frame", "tls_records", .array(let elements)):
                for element in elements { check(element, against: TLSRecordKey.recordKind, seen: &seen, line: line) }
            case ("message", "view", .object(let members)):
                // One schema per view kind; the JSON values inside (args, value, payload…) are the application's.
                guard case .string(let viewKind)? = value["kind"] else { Issue.record("a view without kind: \(line.prefix(300))"); break }
                check(value, against: "view." + viewKind, seen: &seen, line: line)
                // A STOMP frame or an MQTT packet inline has the keys (and order) of an element of `frames`/`packets`.
                let inline: [(String, String, [String])] = [("stomp", "command", STOMPFrameKey.keyNames), ("mqtt", "type", MQTTPacketKey.keyNames)]
                for (kind, marker, keys) in inline where viewKind == kind && value[marker] != nil {
                    check(.object(members.filter { keys.contains($0.key) }), against: "view.\(kind).\(kind == "stomp" ? "frame" : "packet")",
                          seen: &seen, line: line)
                }
            case ("view.stomp", "frames", .array(let elements)):
                for element in elements { check(element, against: STOMPFrameKey.recordKind, seen: &seen, line: line) }
            case ("view.mqtt", "packets", .array(let elements)):
                for element in elements { check(element, against: MQTTPacketKey.recordKind, seen: &seen, line: line) }
            case ("view.mqtt", "will", .object), ("view.mqtt.packet", "will", .object):
                check(value, against: MQTTWillKey.recordKind, seen: &seen, line: line)
            case ("view.mqtt", "subscriptions", .array(let elements)), ("view.mqtt.packet", "subscriptions", .array(let elements)):
                for element in elements { check(element, against: MQTTSubscriptionKey.recordKind, seen: &seen, line: line) }
            case ("view.mqtt", "properties", .array(let elements)), ("view.mqtt.packet", "properties", .array(let elements)),
                 ("view.mqtt.will", "properties", .array(let elements)):
                for element in elements { check(element, against: MQTTPropertyKey.recordKind, seen: &seen, line: line) }
            default: break
            }
        }
    }

    /// Every JSON Lines output of the inputs that between them make every kind of record and every key.
    static func outputs() throws -> [Data] {
        var runs: [[String]] = []
        let samples = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("Samples").path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
        for sample in samples {
            let path = CLI.packageRoot.appendingPathComponent("Samples/\(sample)").path
            runs.append(["--json", path])
            runs.append(["--json", "-v", "--max-payload", "3"] + SampleTests.keylog(sample).map {
                $0.hasPrefix("Samples/") ? CLI.packageRoot.appendingPathComponent($0).path : $0 } + [path])
        }
        // Pasted frames: a whole one with its field table, a cut-off payload, a cut-off header, a deflated message.
        runs.append(["frame", "--json", "81 86 af 87 53 b4 4b 3a f3 51 0a 3a"])
        runs.append(["frame", "--json", "81 05 48 65"])
        runs.append(["frame", "--json", "81 fe 00"])
        runs.append(["frame", "--json", "--deflate", "c1 07 f2 48 cd c9 c9 07 00"])
        runs.append(["accept", "--json", "dGhlIHNhbXBsZSBub25jZQ==", "--expect", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])
        runs.append(["rules", "--json"])
        runs.append(["close-codes", "--json"])
        // A pasted handshake: the handshake record without a connection.
        let pasted = FileManager.default.temporaryDirectory.appendingPathComponent("handshake-\(UUID().uuidString).txt")
        try (HandshakeCommandTests.request(key: "In1aAp/ya9Lkv+tsUtXLXQ==") + HandshakeCommandTests.response(accept: "HBMDBbZMiS59r3aAITpGtJ64Mfc="))
            .write(to: pasted, atomically: true, encoding: .utf8)
        runs.append(["handshake", "--json", pasted.path])
        runs.append(["encode", "--text", "Hello", "--fragment", "2", "--json"])
        // One connection of a capture (--stream): the capture record says which.
        runs.append(["--json", "--stream", "0", CLI.packageRoot.appendingPathComponent("Samples/tutorial-server-b.pcap").path])
        runs.append(["accept", "--json", "dGhlIHNhbXBsZSBub25jZQ==", "--expect", "b37a4f2cc0624f1690f64606cf385945b2bec4ea"])
        // A capture whose client stops inside a frame header (81 85 aa: a masked text frame, key cut after one byte).
        var conversation = Conversation()
        conversation.open()
        conversation.send(fromClient: true, WebSocketBytes.request())
        conversation.send(fromClient: false, WebSocketBytes.response())
        conversation.send(fromClient: true, WebSocketBytes.text("hi", masked: true) + [0x81, 0x85, 0xaa])
        conversation.close()
        let cutHeader = try CaptureFileWriter.write(conversation.packets(), linkType: 1)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: cutHeader).deletingLastPathComponent().path) }
        runs.append(["--json", cutHeader])
        var outputs = try runs.map { arguments in
            let result = try CLI.run(arguments, timeout: 120)
            #expect(result.status == 0 || result.status == 1, "\(arguments): \(result.stderr)")
            return result.stdoutBytes
        }
        // Captures of each payload view's protocol: every key of every `view` object.
        for (_, path) in try ViewCaptures.all() {
            defer { ViewCaptures.remove(path) }
            let result = try CLI.run(["--json", path], timeout: 120)
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(result.stdoutBytes)
        }
        // A capture with packets lost: gaps, capture-level diagnostics, missing bytes, cut headers.
        let lossy = try LossyCaptureTests.generate(LossyCaptureTests.Case(loss: 0.3, seed: 11, deflate: true, exact: 0), size: "2M")
        defer { try? FileManager.default.removeItem(at: lossy.capture.deletingLastPathComponent()) }
        let result = try CLI.run(["--json", lossy.capture.path], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        outputs.append(result.stdoutBytes)
        return outputs
    }

    @Test func everyRecordFollowsItsSchemaAndEveryKeyIsWritten() throws {
        var seen: [String: Set<String>] = [:]
        for output in try Self.outputs() {
            for line in output.split(separator: UInt8(ascii: "\n")) {
                let text = String(decoding: line, as: UTF8.self)
                let record = try OrderedJSON.parse(line)
                guard case .string(let kind)? = record["kind"] else { Issue.record("no kind: \(text.prefix(200))"); continue }
                Self.check(record, against: kind, seen: &seen, line: text)
            }
        }
        for schema in Self.schemas {
            // `dropped` is only written by live captures (LiveCaptureTests checks it).
            if schema.kind == DroppedKey.recordKind { continue }
            let unseen = Set(schema.keys).subtracting(seen[schema.kind] ?? [])
            #expect(unseen.isEmpty, "\(schema.kind): keys never written by the test inputs: \(unseen.sorted())")
        }
    }

    /// Docs/json.md's section for each kind: `## \`kind: "frame"\`` … up to the next `## `; nested schemas belong to
    /// their parent's section, diagnostics to `## Diagnostics`.
    static func sections() throws -> [String: String] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Docs/json.md"), encoding: .utf8)
        var sections: [String: String] = [:]
        for chunk in text.components(separatedBy: "\n## ").dropFirst() {
            let title = chunk.prefix { $0 != "\n" }
            // `## \`view\`: …` is the section of the message record's `view` object (schemas `view.*`).
            let name = title.hasPrefix("`kind: \"") ? String(title.dropFirst(8).prefix { $0 != "\"" })
                : title.hasPrefix("`view`") ? "view" : String(title)
            sections[name] = chunk
        }
        return sections
    }

    @Test func docsJsonMarkdownDocumentsEveryKeyOfEverySchema() throws {
        let sections = try Self.sections()
        for schema in Self.schemas {
            let owner = schema.kind == DiagnosticKey.recordKind ? "Diagnostics" : String(schema.kind.prefix { $0 != "." })
            guard let section = sections[owner] else { Issue.record("Docs/json.md has no section for \(schema.kind)"); continue }
            for key in schema.keys where key != "kind" {
                #expect(section.contains("`\(key)`"), "Docs/json.md, section \(owner), does not document `\(key)` (\(schema.kind))")
            }
        }
    }

    @Test func docsJsonMarkdownTablesListOnlySchemaKeys() throws {
        for (name, section) in try Self.sections() {
            guard let schema = Self.byKind[name] else { continue }
            // First column of each table row: "| `a`, `b` | …".
            for row in section.split(separator: "\n") where row.hasPrefix("| `") {
                let firstCell = row.dropFirst(2).prefix { $0 != "|" }
                for key in firstCell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter({ $0.offset % 2 == 1 }).map({ String($0.element) }) {
                    #expect(schema.keys.contains(key), "Docs/json.md, section \(name), lists `\(key)`, which \(name) records do not have")
                }
            }
        }
    }
}

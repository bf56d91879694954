import Testing
import WSAnalysis
import WSCapture
import WSStream
import WSTestSupport
import WSWire

/// The rules that span a client's connections to one server (checklist HC-23, CL-12), on captures of several
/// connections from 127.0.0.1 to 127.0.0.1:8080, each from a port of its own.
@Suite struct ClientHistoryRuleTests {
    /// One connection, starting `start` seconds into the capture: handshake, then `end` (the default: TCP closes
    /// without a Close frame, an abnormal closure).
    static func connection(port: UInt16, start: Double, end: (inout Conversation) -> Void = { $0.close() }) -> [CaptureFileWriter.Packet] {
        var c = Conversation(client: .loopback(port), server: .loopback(8080))
        c.wait(start)
        c.open()
        c.send(fromClient: true, WebSocketBytes.request(key: key(port)))
        c.send(fromClient: false, WebSocketBytes.response(accept: AcceptDerivation(key: key(port)).accept))
        end(&c)
        return c.packets()
    }

    /// A key of its own per connection (a reused key is handshake-key-not-random).
    static func key(_ port: UInt16) -> String {
        ["x3JJHMbDL1EzLkh9GBhXDw==", "Iu5wwoq9WNj5F2GcikhrzQ==", "k2Vx8QpL0mZr4TyB7nWc1g==", "q1w2e3r4t5y6u7i8o9p0aA==",
         "mZ7bN1cX0vLkJhGfDsA2Qw==", "Zx9Yw8Vu7Ts6Rq5Po4Nm3A=="][Int(port) % 6]
    }

    /// Connections in capture order (each ends before the next starts), merged by time.
    static func capture(_ connections: [[CaptureFileWriter.Packet]]) -> EventCollector {
        let packets = connections.flatMap { $0 }.sorted { ($0.seconds, $0.nanoseconds) < ($1.seconds, $1.nanoseconds) }
        return inspect(packets)
    }

    /// CL-12: after abnormal closures, three quick reconnections in a row that never wait longer.
    @Test func reconnectWithoutBackoff() {
        // Each connection lasts about 10 ms; the next one starts 0.1 s after the previous began.
        let hammering = Self.capture((0..<4).map { Self.connection(port: UInt16(40000 + $0), start: Double($0) * 0.1) })
        let found = hammering.diagnostics.filter { $0.diagnostic.rule == .reconnectWithoutBackoff }
        #expect(found.count == 1 && found.first?.stream == 3, "\(found.map(\.stream))")
        // Backing off: 0.1 s, then 0.4 s, then 1.0 s later (each wait longer than the one before).
        let backingOff = Self.capture([0, 0.1, 0.5, 1.5].enumerated().map { Self.connection(port: UInt16(40000 + $0.offset), start: $0.element) })
        #expect(!backingOff.ruleIDs.contains("reconnect-without-backoff"))
        // Clean closures (a close handshake each time) are no abnormal closures.
        let clean = Self.capture((0..<4).map {
            Self.connection(port: UInt16(40000 + $0), start: Double($0) * 0.1) { c in
                c.send(fromClient: true, TestFrames.close(1000, fromClient: true))
                c.send(fromClient: false, TestFrames.close(1000, fromClient: false))
                c.close()
            }
        })
        #expect(!clean.ruleIDs.contains("reconnect-without-backoff"))
    }

    /// HC-23: a second upgrade request from the same client address while the first is unanswered.
    @Test func concurrentConnecting() {
        var a = Conversation(client: .loopback(40000), server: .loopback(8080))
        var b = Conversation(client: .loopback(40001), server: .loopback(8080))
        a.open()
        b.open()
        a.send(fromClient: true, WebSocketBytes.request(key: Self.key(0)))
        b.send(fromClient: true, WebSocketBytes.request(key: Self.key(1)))
        a.send(fromClient: false, WebSocketBytes.response(accept: AcceptDerivation(key: Self.key(0)).accept))
        b.send(fromClient: false, WebSocketBytes.response(accept: AcceptDerivation(key: Self.key(1)).accept))
        // Interleaved as on the wire: both TCP handshakes, A's request, B's request, then the responses.
        func take(_ c: Conversation, _ range: Range<Int>) -> [Conversation.Segment] { Array(c.segments[range]) }
        let interleaved = zip([a, b, a, b, a, b], [0..<3, 0..<3, 3..<4, 3..<4, 4..<5, 4..<5]).flatMap { conversation, range in
            conversation.packets(take(conversation, range))
        }
        let both = inspect(interleaved)
        let found = both.findings("concurrent-connecting")
        #expect(found.count == 1 && found[0].message.hasPrefix("Connection 0 from the same client address"))
        // One after the other: B's request only after A's 101.
        let sequential = Self.capture([Self.connection(port: 40000, start: 0) { _ in }, Self.connection(port: 40001, start: 0.5) { _ in }])
        #expect(!sequential.ruleIDs.contains("concurrent-connecting"))
    }
}

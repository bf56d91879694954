import Foundation
import Testing
import WSTestSupport

/// The browser-API lines and CloseEvents describe a conforming endpoint that received the captured bytes, not the
/// lenient peers of the capture: it fails the connection at the first frame it must not accept (1006, not clean),
/// delivers only finished messages, and never opens after a 101 it must refuse.
@Suite struct ConformingEndpointTests {
    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/\(name)").path }

    /// Text and JSON summary of a scripted connection after its handshake.
    static func run(_ build: (inout Conversation) -> Void) throws -> (text: String, summary: [String: Any]) {
        var c = Conversation()
        c.open()
        c.send(fromClient: true, WebSocketBytes.request())
        c.send(fromClient: false, WebSocketBytes.response())
        build(&c)
        let file = try CaptureFileWriter.write(c.packets(), linkType: 1)
        let json = try CLI.run(["--json", file]).stdout.split(separator: "\n")
            .map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        // --width 400: each API line whole, as one line
        return (try CLI.run(["--color", "never", "--width", "400", file]).stdout, json.first { $0["kind"] as? String == "summary" }!)
    }

    static let key: [UInt8] = [1, 2, 3, 4]

    /// violations.pcap: the server's #5 is masked, the client's #4 unmasked. Each endpoint delivers the one message
    /// before (the "你好" of #0 or #1) and fails there; the Close frames that follow change nothing.
    @Test func eachEndpointFailsAtTheFirstFrameItMustNotAccept() throws {
        let text = try CLI.run(["--color", "never", "--width", "400", Self.sample("violations.pcap")]).stdout
        #expect(text.contains("  client's API: onopen ×1, onmessage ×1, onerror ×1, CloseEvent {code: 1006, reason: \"\", wasClean: false} (it fails the connection at frame #5: server-frame-masked)"))
        #expect(text.contains("  server's API: onopen ×1, onmessage ×1, onerror ×1, CloseEvent {code: 1006, reason: \"\", wasClean: false} (it fails the connection at frame #4: client-frame-unmasked)"))
        let json = try CLI.run(["--json", Self.sample("violations.pcap")]).stdout
        #expect(json.contains("\"client_close_event\":{\"code\":1006,\"reason\":\"\",\"was_clean\":false,\"error_frame\":5,\"error_rule\":\"server-frame-masked\"}"))
    }

    /// A Close carrying 1005, a code that is never sent (RFC 6455 §7.4.1), is a protocol error for its receiver.
    @Test func aCloseWith1005FailsItsReceiver() throws {
        let (text, summary) = try Self.run { c in
            // 88 82 … 03 ed: the client's Close, code 1005; 88 02 03 e8: the server's answer, 1000
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: Self.key, payload: [0x03, 0xED]))
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8]))
            c.close()
        }
        #expect(text.contains("server's API: onopen ×1, onmessage ×0, onerror ×1, CloseEvent {code: 1006, reason: \"\", wasClean: false} (it fails the connection at frame #0: invalid-close-code)"))
        let server = summary["server_close_event"] as? [String: Any]
        #expect(server?["code"] as? Int == 1006 && server?["error_rule"] as? String == "invalid-close-code")
        // The client received a valid 1000 after sending its own Close: a clean close, no error keys.
        let client = summary["client_close_event"] as? [String: Any]
        #expect(client?["code"] as? Int == 1000 && client?["was_clean"] as? Bool == true && client?["error_frame"] == nil)
    }

    /// onmessage counts messages completed by their final frame: not a message left unfinished at Close, and not one
    /// whose UTF-8 is invalid (its receiver fails instead).
    @Test func onlyFinishedValidMessagesAreDelivered() throws {
        let unfinished = try Self.run { c in
            c.send(fromClient: false, WebSocketBytes.text("one", masked: false))                 // #0: delivered
            c.send(fromClient: false, WebSocketBytes.text("tw", masked: false, fin: false))       // #1: FIN=0, never finished
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 8, payload: [0x03, 0xE8]))   // #2: Close 1000
            c.send(fromClient: true, WebSocketBytes.frame(opcode: 8, key: Self.key, payload: [0x03, 0xE8]))
            c.close()
        }
        #expect(unfinished.text.contains("client's API: onopen ×1, onmessage ×1, CloseEvent {code: 1000, reason: \"\", wasClean: true}"))
        let invalid = try Self.run { c in
            // 01 01 e4 | 80 01 41: "你"'s lead byte E4, then "A" in the final fragment: invalid across the fragments
            c.send(fromClient: false, WebSocketBytes.frame(fin: false, opcode: 1, payload: [0xE4]))
            c.send(fromClient: false, WebSocketBytes.frame(opcode: 0, payload: [0x41]))
            c.close()
        }
        #expect(invalid.text.contains("client's API: onopen ×1, onmessage ×0, onerror ×1, CloseEvent {code: 1006, reason: \"\", wasClean: false} (it fails the connection at frame #1: invalid-utf8)"))
    }

    /// tutorial-server-a.pcap answers with "Connection : Upgrade": a conforming client refuses the 101 and never opens,
    /// although the capture's lenient client went on; the server, which sent the 101, opened.
    @Test func aClientThatMustRefuseThe101NeverOpens() throws {
        let text = try CLI.run(["--color", "never", "--width", "400", Self.sample("tutorial-server-a.pcap")]).stdout
        #expect(text.contains("  client's API: onerror ×1, CloseEvent {code: 1006, reason: \"\", wasClean: false} (the opening handshake failed: no onopen)"))
        #expect(text.contains("  server's API: onopen ×1, onmessage ×2, CloseEvent {code: 1000, reason: \"done\", wasClean: true}"))
    }
}

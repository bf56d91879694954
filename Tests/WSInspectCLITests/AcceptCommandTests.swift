import Foundation
import Testing
import WSReport

/// `wsinspect accept` explains a wrong `--expect` (issue #13 item 5) and takes the key alone or as its header line,
/// from the arguments or standard input. (The suite of the plain derivation, `AcceptCommandTests`, is in
/// FrameCommandTests.swift.)
@Suite struct AcceptMistakeCommandTests {
    static let rfcKey = "dGhlIHNhbXBsZSBub25jZQ=="
    static let rfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    static let tutorialKey = "In1aAp/ya9Lkv+tsUtXLXQ=="
    static let tutorialAccept = "HBMDBbZMiS59r3aAITpGtJ64Mfc="

    /// One wrong value per mistake id. Each was computed outside wsinspect (Python's hashlib and base64) by the
    /// mistaken recipe in its comment.
    static let wrongValues: [(id: String, key: String, received: String)] = [
        // hex(SHA-1(key + GUID)) of the RFC key
        ("sha1-hex-not-base64", rfcKey, "b37a4f2cc0624f1690f64606cf385945b2bec4ea"),
        // base64(SHA-1(key)) of the tutorial key
        ("guid-missing", tutorialKey, "zK+sC5Ea8tvMUiiMMgypsHzvh7s="),
        // base64(SHA-1(key + lowercase GUID)) of the RFC key
        ("wrong-guid", rfcKey, "WJfwerbIozKsJXHxxI0JTO1SQgU="),
        // base64(SHA-1(base64decode(key) + GUID)) of the tutorial key
        ("key-decoded-first", tutorialKey, "5FRYZAmK0+QEgL/67Kn2uIvBCCA="),
        // base64(SHA-1(" " + key + GUID)) of the RFC key: the header's space kept
        ("whitespace-in-key", rfcKey, "s3mCG3XUBfFRrUGpYOBQiHm5i8g="),
        // the key itself
        ("key-used-as-accept", rfcKey, rfcKey),
        // nothing the usual mistakes make
        ("unknown", rfcKey, "wrong="),
    ]

    static func json(_ stdout: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    @Test(arguments: wrongValues.map { [$0.id, $0.key, $0.received] })
    func textNamesTheMistake(_ testCase: [String]) throws {
        let (id, key, received) = (testCase[0], testCase[1], testCase[2])
        let result = try CLI.run(["accept", "--color", "never", key, "--expect", received])
        #expect(result.status == 1)
        #expect(result.stdout.contains("✗ mismatch"))
        #expect(result.stdout.contains("\nlikely mistake: \(id)\n"), "\(result.stdout)")
        #expect(result.stdout.contains("accept-mismatch"))
        // The explanation follows the id, indented, one line.
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex(of: "likely mistake: \(id)"))
        #expect(lines[at + 1].hasPrefix("  ") && lines[at + 1].count > 40)
        // It comes after the derivation and the compared value.
        #expect(lines[at - 1].hasPrefix("Sec-WebSocket-Accept"))
    }

    @Test(arguments: wrongValues.map { [$0.id, $0.key, $0.received] })
    func jsonNamesTheMistake(_ testCase: [String]) throws {
        let (id, key, received) = (testCase[0], testCase[1], testCase[2])
        let result = try CLI.run(["accept", "--json", key, "--expect", received])
        #expect(result.status == 1)
        let object = try Self.json(result.stdout)
        #expect(object["likely_mistake"] as? String == id)
        #expect((object["mistake_explanation"] as? String)?.isEmpty == false)
        #expect(object["match"] as? Bool == false)
        if id == "unknown" {
            #expect(object["mistake_evidence"] is NSNull)
        } else {
            #expect((object["mistake_evidence"] as? String)?.hasPrefix("The value given is") == true)
        }
    }

    @Test func mismatchRecordHasEveryKeyInSchemaOrder() throws {
        let result = try CLI.run(["accept", "--json", Self.rfcKey, "--expect", "WJfwerbIozKsJXHxxI0JTO1SQgU="])
        let record = try OrderedJSON.parse(Array(result.stdout.utf8.dropLast()))
        #expect(record.keys == AcceptKey.keyNames)
        #expect(record["likely_mistake"] == .string("wrong-guid"))
        #expect(record["mistake_evidence"] == .string(
            "The value given is base64(SHA-1(key + \"258eafa5-e914-47da-95ca-c5ab0dc85b11\")): the GUID in lowercase."))
    }

    @Test func noMistakeWhenItMatchesOrNothingIsCompared() throws {
        for arguments in [["accept", "--json", Self.tutorialKey, "--expect", Self.tutorialAccept], ["accept", "--json", Self.tutorialKey]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0)
            let object = try Self.json(result.stdout)
            #expect(object["likely_mistake"] is NSNull)
            #expect(object["mistake_explanation"] is NSNull)
            #expect(object["mistake_evidence"] is NSNull)
        }
        let text = try CLI.run(["accept", "--color", "never", Self.rfcKey, "--expect", Self.rfcAccept])
        #expect(text.status == 0)
        #expect(!text.stdout.contains("likely mistake"))
    }

    @Test func plainKeyOutputIsUnchanged() throws {
        // README's example, line for line.
        let result = try CLI.run(["accept", "--color", "never", Self.rfcKey, "--expect", Self.rfcAccept])
        #expect(result.stdout == """
            Sec-WebSocket-Key      dGhlIHNhbXBsZSBub25jZQ==
              base64-decoded       16 bytes: 74 68 65 20 73 61 6d 70 6c 65 20 6e 6f 6e 63 65  ✓ a 16-byte nonce
            1. key + GUID          dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11
                                   (the GUID is fixed by RFC 6455 §1.3)
            2. SHA-1 (20 bytes)    b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea
            3. base64              s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
            Sec-WebSocket-Accept   s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  ✓ match

            """)
    }

    @Test func headerLineArgument() throws {
        let plain = try CLI.run(["accept", "--json", Self.rfcKey, "--expect", Self.rfcAccept]).stdout
        // Quoted as one argument, in any case, with or without the space; unquoted as two arguments.
        for arguments in [["Sec-WebSocket-Key: \(Self.rfcKey)"], ["sec-websocket-key:\(Self.rfcKey)"],
                          ["SEC-WEBSOCKET-KEY :  \(Self.rfcKey)"], ["Sec-WebSocket-Key:", Self.rfcKey]] {
            let result = try CLI.run(["accept", "--json"] + arguments + ["--expect", Self.rfcAccept])
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stdout == plain, "\(arguments)")
        }
    }

    @Test func standardInput() throws {
        let plain = try CLI.run(["accept", "--json", Self.tutorialKey, "--expect", Self.tutorialAccept]).stdout
        let request = "GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(Self.tutorialKey)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        for stdin in ["\(Self.tutorialKey)\n", "\(Self.tutorialKey)\r\n", "Sec-WebSocket-Key: \(Self.tutorialKey)\n", request] {
            let result = try CLI.run(["accept", "--json", "--expect", Self.tutorialAccept], stdin: stdin)
            #expect(result.status == 0, "\(stdin)")
            #expect(result.stdout == plain, "\(stdin)")
        }
        // A mistake explained for a key read from standard input: SHA-1 of the tutorial key alone.
        let wrong = try CLI.run(["accept", "--color", "never", "--expect", "zK+sC5Ea8tvMUiiMMgypsHzvh7s="],
                                stdin: "Sec-WebSocket-Key: \(Self.tutorialKey)\n")
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("likely mistake: guid-missing"))
    }

    @Test func unusableInputIsAUsageError() throws {
        let empty = try CLI.run(["accept"], stdin: "")
        #expect(empty.status == 2)
        #expect(empty.stderr == "wsinspect: no key given: pass the Sec-WebSocket-Key as an argument or on standard input\n")
        let twoLines = try CLI.run(["accept"], stdin: "\(Self.rfcKey)\n\(Self.rfcAccept)\n")
        #expect(twoLines.status == 2)
        #expect(twoLines.stderr == "wsinspect: standard input has 2 lines: give one key, or one Sec-WebSocket-Key: header line\n")
        let twoKeys = try CLI.run(["accept", Self.rfcKey, Self.tutorialKey])
        #expect(twoKeys.status == 2)
        #expect(twoKeys.stderr == "wsinspect: give one key, or one Sec-WebSocket-Key: header line, not 2 arguments (see wsinspect --help)\n")
    }

    @Test func exitCodes() throws {
        // 0 a match, 1 a mismatch (whatever the mistake), 1 --strict with a key that is not a 16-byte nonce.
        #expect(try CLI.run(["accept", Self.rfcKey, "--expect", Self.rfcAccept]).status == 0)
        #expect(try CLI.run(["accept", Self.rfcKey, "--expect", "b37a4f2cc0624f1690f64606cf385945b2bec4ea"]).status == 1)
        #expect(try CLI.run(["accept", "Sec-WebSocket-Key: abc", "--strict"]).status == 1)
        #expect(try CLI.run(["accept", "Sec-WebSocket-Key: abc"]).status == 0)
    }
}

import Testing
@testable import WSViews

/// What the per-direction reader keeps: whole messages in any number of pieces, bounded, nothing from incomplete ones.
@Suite struct MessageReaderTests {
    @Test func aMessageInManyPiecesIsReadWhole() {
        var driver = ViewDriver(choice: .only(.json))
        guard case .json(let json)? = driver.send(Array(#"{"a":[1,2,3],"b":"你好"}"#.utf8), from: .client, pieces: 17)?.content else {
            Issue.record("no view"); return
        }
        #expect(json.value?.description == #"{"a":[1,2,3],"b":"你好"}"#)
    }

    @Test func aMessageLongerThanTheLimitIsNotReadAndSaysSo() {
        var limits = ViewLimits()
        limits.maxMessageBytes = 10
        var driver = ViewDriver(choice: .only(.json), limits: limits)
        let view = driver.send(Array(#"{"a":"0123456789"}"#.utf8), from: .client, pieces: 3)
        #expect(view?.notes == ["The message (18 bytes) is longer than the view's limit of 10 bytes: not read."])
        if case .unparsed(.json)? = view?.content {} else { Issue.record("expected an unparsed JSON view") }
    }

    @Test func aPlainJSONValueLongerThanItsLimitIsOnlyChecked() {
        var limits = ViewLimits()
        limits.maxJSONValueBytes = 8
        var driver = ViewDriver(choice: .only(.json), limits: limits)
        guard case .json(let short)? = driver.text("[1,2]", from: .client)?.content else { Issue.record("no view"); return }
        #expect(short.value?.description == "[1,2]" && !short.valueOmitted)
        guard case .json(let long)? = driver.text("[1,2,3,4,5]", from: .client)?.content else { Issue.record("no view"); return }
        #expect(long.value == nil && long.valueOmitted && long.error == nil)
        let broken = driver.text("[1,2,3,4,5,]", from: .client)
        guard case .json(let bad)? = broken?.content else { Issue.record("no view"); return }
        #expect(!bad.valueOmitted && bad.error?.offset == 11)
        #expect(broken?.notes == ["invalid JSON at byte 11: ']' right after ','; RFC 8259 allows no trailing comma."])
    }

    @Test func anIncompleteMessageIsNotRead() {
        var driver = ViewDriver(choice: .only(.json))
        #expect(driver.send(Array("[1,".utf8), from: .client, complete: false)?.notes == ["The message is incomplete: not read."])
        let reader = driver.connection.reader(for: .server)
        reader.begin(binary: false)
        Array("[1]".utf8).withUnsafeBytes { reader.append($0) }
        reader.lose()
        #expect(reader.end(complete: true, time: 1)?.notes == ["Bytes of the message are missing from the capture: not read."])
    }

    @Test func aSniffedJSONConnectionSkipsMessagesThatCannotBeJSONAtTheirFirstByte() {
        var driver = ViewDriver()
        _ = driver.text("[]", from: .client)
        #expect(driver.connection.kind == .json)
        // Leading whitespace in its own piece, then the value.
        #expect(driver.send(Array("   \n[true]".utf8), from: .server, pieces: 4) != nil)
        #expect(driver.send(Array("   ".utf8), from: .server) == nil)
        #expect(driver.send([0x7B, 0x7D], from: .server, binary: true) == nil)    // binary: not a JSON view's
    }

    @Test func theReaderIsTheSameObjectEachTimeAndKeepsItsConnection() {
        var connection: ConnectionViews? = ConnectionViews(choice: .only(.socketIO), subprotocol: nil)
        let reader = connection!.reader(for: .client)
        #expect(connection!.reader(for: .client) === reader)
        connection = nil
        // The reader still works: it holds the connection.
        reader.begin(binary: false)
        Array("2".utf8).withUnsafeBytes { reader.append($0) }
        #expect(reader.end(complete: true, time: 0)?.kind == .socketIO)
    }
}

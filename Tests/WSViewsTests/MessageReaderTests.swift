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

    @Test func aPlainJSONMessageLongerThanItsLimitIsNotRead() {
        var limits = ViewLimits()
        limits.maxJSONBytes = 8
        var driver = ViewDriver(choice: .only(.json), limits: limits)
        guard case .json(let short)? = driver.text("[1,2]", from: .client)?.content else { Issue.record("no view"); return }
        #expect(short.value?.description == "[1,2]" && !short.valueOmitted)
        // Longer than 8 bytes, in pieces: neither kept nor checked (the trailing comma goes unnoticed).
        let long = driver.send(Array("[1,2,3,4,5,]".utf8), from: .client, pieces: 3)
        guard case .json(let omitted)? = long?.content else { Issue.record("no view"); return }
        #expect(omitted.value == nil && omitted.valueOmitted && omitted.error == nil && long?.notes == [])
        // A sniffed connection does not look at a first message it would not show.
        var sniffing = ViewDriver(limits: limits)
        #expect(sniffing.text(#"{"long":"message"}"#, from: .client) == nil)
        #expect(sniffing.text("[1]", from: .client) == nil && sniffing.connection.kind == nil)
    }

    @Test func withoutPlainJSONTheOtherViewsStillWork() {
        var limits = ViewLimits()
        limits.readsPlainJSON = false
        var driver = ViewDriver(choice: .only(.json), limits: limits)
        #expect(driver.text("[1,2]", from: .client) == nil)
        #expect(driver.text("[1,2,]", from: .client) == nil)
        // A plain JSON connection is not sniffed; Socket.IO still is.
        var sniffing = ViewDriver(limits: limits)
        #expect(sniffing.text("[1]", from: .client) == nil && sniffing.connection.kind == nil)
        var socketIO = ViewDriver(limits: limits)
        #expect(socketIO.text(#"0{"sid":"x"}"#, from: .server)?.kind == .socketIO)
        #expect(socketIO.text(#"42["a",{"b":1}]"#, from: .client)?.kind == .socketIO)
    }

    @Test func anIncompleteMessageIsNotRead() {
        var driver = ViewDriver(choice: .only(.json))
        #expect(driver.send(Array("[1,".utf8), from: .client, complete: false)?.notes == ["The message is incomplete: not read."])
        let reader = driver.reader(for: .server)
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

    @Test func theReadersKeepTheirConnection() {
        var connection: ConnectionViews? = ConnectionViews(choice: .only(.socketIO), subprotocol: nil)
        weak var weakConnection = connection
        var readers: (client: MessageReader, server: MessageReader)? = connection!.makeReaders()
        let reader = readers!.client
        connection = nil
        #expect(weakConnection != nil)
        // The reader still works: it holds the connection.
        reader.begin(binary: false)
        Array("2".utf8).withUnsafeBytes { reader.append($0) }
        #expect(reader.end(complete: true, time: 0)?.kind == .socketIO)
        // …and nothing else does: without the readers it goes (no cycle).
        readers = nil
        _ = readers
        withExtendedLifetime(reader) {}
    }

    @Test func withoutTheReadersTheConnectionIsFreed() {
        weak var weakConnection: ConnectionViews?
        do {
            let connection = ConnectionViews(choice: .only(.mqtt), subprotocol: nil)!
            weakConnection = connection
            let readers = connection.makeReaders()
            _ = readers.client.end(complete: true, time: 0)
        }
        #expect(weakConnection == nil)
    }
}

import Testing
@testable import WSViews

/// STOMP 1.0-1.2 frames: commands, headers and their escapes, bodies, several frames per message, frames across
/// messages, heart-beats, receipts.
@Suite struct STOMPViewTests {
    var driver = ViewDriver(choice: .only(.stomp))

    func stomp(_ view: MessageView?) -> STOMPView? {
        if case .stomp(let s)? = view?.content { return s }
        Issue.record("not a STOMP view: \(String(describing: view?.content)) \(view?.notes ?? [])")
        return nil
    }

    @Test(arguments: ["CONNECT", "STOMP", "CONNECTED", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT",
                      "ABORT", "DISCONNECT", "MESSAGE", "RECEIPT", "ERROR"])
    func everyCommand(command: String) {
        var driver = ViewDriver(choice: .only(.stomp))
        let frame = stomp(driver.text("\(command)\nid:1\n\nbody\0", from: .client))?.frames.first
        #expect(frame?.command == command)
        #expect(frame?.headers == [STOMPHeader(name: "id", value: "1")])
        #expect(frame?.body == Array("body".utf8))
    }

    @Test mutating func headersInOrderRepeatedOnesKeptTheFirstCounts() {
        let frame = stomp(driver.text("SEND\ndestination:/queue/a\nfoo:1\nfoo:2\n\nhi\0", from: .client))?.frames.first
        #expect(frame?.headers.map(\.name) == ["destination", "foo", "foo"])
        #expect(frame?.header("foo") == "1")
    }

    @Test mutating func crlfLineEndsAndTrailingEOLs() {
        // STOMP 1.2 allows CR LF; EOLs after the NUL are heart-beats/padding, not a frame.
        let view = stomp(driver.text("SEND\r\ndestination:/q\r\n\r\nx\0\r\n\n", from: .client))
        #expect(view?.frames.first?.header("destination") == "/q")
        #expect(view?.frames.first?.body == [0x78])
        #expect(view?.heartbeats == 2)
    }

    @Test mutating func escapesAreUndoneExceptInConnectFrames() {
        // \c is a colon, \n a line feed, \r a carriage return, \\ a backslash (STOMP 1.2 "Value Encoding").
        let frame = stomp(driver.text("MESSAGE\nkey\\cpart:a\\nb\\rc\\\\d\n\n\0", from: .server))?.frames.first
        #expect(frame?.headers == [STOMPHeader(name: "key:part", value: "a\nb\rc\\d")])
        let connect = stomp(driver.text("CONNECT\nhost:a\\cb\n\n\0", from: .client))?.frames.first
        #expect(connect?.header("host") == "a\\cb")
        // An undefined escape is kept, with a note.
        #expect(driver.text("SEND\nx:a\\tb\n\n\0", from: .client)?.notes == ["Undefined escape \\t in a header (STOMP 1.2 treats it as a fatal error)."])
    }

    @Test func version10DoesNotUnescape() {
        var driver = ViewDriver(subprotocol: "v10.stomp")
        #expect(stomp(driver.text("SEND\nx:a\\cb\n\n\0", from: .client))?.frames.first?.header("x") == "a\\cb")
    }

    @Test mutating func contentLengthBodiesMayHoldNULs() {
        // content-length 3: the body is 61 00 62, then the frame's NUL.
        let frame = stomp(driver.send(Array("SEND\ncontent-length:3\n\n".utf8) + [0x61, 0x00, 0x62, 0x00], from: .client))?.frames.first
        #expect(frame?.body == [0x61, 0x00, 0x62])
        #expect(frame?.bodyIsText == true)
        // A binary body (ff fe) is not text.
        let binary = stomp(driver.send(Array("SEND\ncontent-length:2\n\n".utf8) + [0xFF, 0xFE, 0x00], from: .client, binary: true))?.frames.first
        #expect(binary?.bodyIsText == false)
        // Bytes after content-length's body that are not a NUL.
        #expect(driver.send(Array("SEND\ncontent-length:1\n\nab\0".utf8), from: .client)?.notes == ["The 1 bytes content-length announced are not followed by a NUL."])
    }

    @Test mutating func severalFramesInOneMessage() {
        let view = stomp(driver.text("SEND\ndestination:/a\n\n1\0SEND\ndestination:/b\n\n2\0\n", from: .client))
        #expect(view?.frames.map { $0.header("destination") } == ["/a", "/b"])
        #expect(view?.heartbeats == 1)
    }

    @Test mutating func aFrameAcrossMessages() {
        let first = driver.text("SEND\ndestination:/a\n\nhel", from: .client)
        #expect(stomp(first)?.pendingBytes == 24)
        #expect(first?.notes == ["A frame starts here and continues in the next message (24 bytes held)."])
        // A middle piece without a NUL is only held.
        #expect(stomp(driver.text("lo w", from: .client))?.pendingBytes == 28)
        let last = driver.text("orld\0", from: .client)
        #expect(stomp(last)?.frames.first?.body == Array("hello world".utf8))
        #expect(last?.notes == ["The first frame began in an earlier message."])
        // The other direction is not affected.
        #expect(stomp(driver.text("RECEIPT\nreceipt-id:z\n\n\0", from: .server))?.frames.count == 1)
    }

    @Test mutating func aHeartBeatMessage() {
        let view = stomp(driver.text("\n", from: .server))
        #expect(view?.frames.isEmpty == true && view?.heartbeats == 1)
    }

    @Test mutating func receiptsAreMatchedToTheirRequests() {
        _ = driver.text("SUBSCRIBE\nid:0\ndestination:/q\nreceipt:sub-0\n\n\0", from: .client)
        _ = driver.text("SEND\ndestination:/q\nreceipt:77\n\nx\0", from: .client)
        let receipt = stomp(driver.text("RECEIPT\nreceipt-id:sub-0\n\n\0", from: .server))?.frames.first
        #expect(receipt?.receiptFor == "SUBSCRIBE")
        #expect(abs((receipt?.roundTrip ?? 0) - 0.002) < 1e-9)
        // An ERROR that names a receipt answers it too.
        let error = stomp(driver.text("ERROR\nreceipt-id:77\nmessage:no\n\n\0", from: .server))?.frames.first
        #expect(error?.receiptFor == "SEND")
        #expect(driver.text("RECEIPT\nreceipt-id:77\n\n\0", from: .server)?.notes == ["No frame asked for receipt \"77\" (or it was sent before the capture started)."])
    }

    @Test mutating func theVersionComesFromConnected() {
        _ = driver.text("CONNECTED\nversion:1.0\n\n\0", from: .server)
        #expect(stomp(driver.text("SEND\nx:a\\cb\n\n\0", from: .client))?.frames.first?.header("x") == "a\\cb")
    }

    @Test mutating func thePasscodeIsNotRepeated() {
        let view = driver.text("CONNECT\nlogin:guest\npasscode:secret\n\n\0", from: .client)
        #expect(stomp(view)?.frames.first?.headers == [STOMPHeader(name: "login", value: "guest"), STOMPHeader(name: "passcode", value: nil)])
        #expect(view?.notes == ["passcode: 6 bytes, not shown (the raw message has them)."])
    }

    @Test mutating func malformedFramesAreNotes() {
        #expect(driver.text("HELLO\n\n\0", from: .client)?.notes == ["Not a STOMP frame at byte 0: \"HELLO\" is not a STOMP command."])
        #expect(driver.text("SEND\ncontent-length:x\n\n\0", from: .client)?.notes == ["Not a STOMP frame at byte 0: content-length \"x\" is not a number."])
        #expect(driver.text("SEND\nno colon\n\n\0", from: .client)?.notes == ["Header line without ':' ignored."])
        #expect(driver.text("", from: .client)?.notes == ["An empty message."])
    }

    @Test func heldBytesAreBoundedAndDroppedWhenBytesAreLost() {
        var limits = ViewLimits()
        limits.maxMessageBytes = 64
        var driver = ViewDriver(choice: .only(.stomp), limits: limits)
        _ = driver.text("SEND\n\n" + String(repeating: "x", count: 50), from: .client)
        #expect(driver.text(String(repeating: "y", count: 20), from: .client)?.notes == ["An unfinished frame of more than 64 bytes (the view's limit) is dropped."])
        _ = driver.text("SEND\n\nabc", from: .client)
        // An incomplete message (bytes lost) drops what was held.
        #expect(driver.send(Array("def".utf8), from: .client, complete: false)?.notes ==
                ["The message is incomplete: not read.", "The 9 bytes of an unfinished frame held from earlier messages are dropped: bytes of this direction are missing."])
        #expect(stomp(driver.text("SEND\n\nnew\0", from: .client))?.frames.first?.body == Array("new".utf8))
    }
}

import Testing
import WSTLS

@Suite struct RecordReaderTests {
    /// 17 03 03 00 02 aa bb: an application_data record of 2 bytes; 16 03 01 00 01 01: a 1-byte handshake record.
    static let two: [UInt8] = [0x17, 0x03, 0x03, 0x00, 0x02, 0xAA, 0xBB, 0x16, 0x03, 0x01, 0x00, 0x01, 0x01]

    static func records(_ chunks: [[UInt8]]) -> [(TLSContentType, [UInt8])] {
        var reader = TLSRecordReader()
        var found: [(TLSContentType, [UInt8])] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { reader.append($0) }
            while case .record(let header, let fragment) = reader.next() { found.append((header.contentType, fragment)) }
        }
        return found
    }

    @Test func recordsComeOutWholeHoweverTheBytesAreCut() {
        let whole = Self.records([Self.two])
        #expect(whole.map(\.0) == [.applicationData, .handshake] && whole.map(\.1) == [[0xAA, 0xBB], [0x01]])
        // One byte at a time: the same records.
        let bytewise = Self.records(Self.two.map { [$0] })
        #expect(bytewise.map(\.1) == whole.map(\.1))
        // Cut inside the second header.
        #expect(Self.records([Array(Self.two[0..<9]), Array(Self.two[9...])]).count == 2)
    }

    @Test func bytesThatAreNotARecordHeaderAreReported() {
        // "GET /" is not a record header: content type 0x47 is unknown.
        var reader = TLSRecordReader()
        Array("GET / HTTP/1.1\r\n".utf8).withUnsafeBytes { reader.append($0) }
        guard case .malformed(let header) = reader.next() else { Issue.record("accepted HTTP as a record"); return }
        #expect(header.contentType.rawValue == 0x47)
        // 17 03 03 ff ff: a length past 2^14 + 2048.
        var long = TLSRecordReader()
        [UInt8]([0x17, 0x03, 0x03, 0xFF, 0xFF]).withUnsafeBytes { long.append($0) }
        if case .malformed = long.next() {} else { Issue.record("accepted a 65535-byte record") }
    }

    @Test func aPartialRecordIsHeldAndMeasured() {
        var reader = TLSRecordReader()
        // 17 03 03 00 10 + 3 of 16 bytes.
        [UInt8]([0x17, 0x03, 0x03, 0x00, 0x10, 1, 2, 3]).withUnsafeBytes { reader.append($0) }
        if case .needMore = reader.next() {} else { Issue.record("a partial record came out") }
        #expect(reader.pending == 8 && reader.pendingRecordLength == 16)
    }

    @Test func handshakeMessagesSpanRecordsAndShareThem() {
        var reader = TLSHandshakeReader()
        // A 3-byte finished (14 00 00 03 …) cut after 2 bytes, then the rest and a 0-byte hello_request (00 00 00 00).
        #expect(reader.append([0x14, 0x00]).isEmpty)
        let messages = reader.append([0x00, 0x03, 7, 8, 9, 0x00, 0x00, 0x00, 0x00])
        #expect(messages.map(\.type) == [.finished, TLSHandshakeType(rawValue: 0)] && messages[0].body == [7, 8, 9])
    }
}

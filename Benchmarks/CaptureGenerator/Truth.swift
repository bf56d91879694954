import Foundation
import WSWire

/// One frame as the generator built it.
struct TruthFrame {
    let fromClient: Bool
    /// Offset of its first header byte in its direction's stream (counted from ISN + 1).
    let offset: UInt64
    let headerLength: Int
    let payloadLength: Int
    let opcode: UInt8
    let fin: Bool
    let rsv: UInt8
    let key: [UInt8]?
    /// The first 16 payload bytes, unmasked.
    let head: [UInt8]
}

/// What the generator sent on one connection and what of it the file kept: every frame with its place in its
/// direction's byte stream, and per direction the byte ranges of the packets left out (`--drop-fraction`).
/// Written with `--truth` so that a decoder's output can be scored frame by frame (`wsinspect-capgen score`).
final class ConnectionTruth {
    let id: Int
    let client: String
    let server: String
    /// The initial sequence numbers (data starts at ISN + 1), client then server.
    let initialSequences: [UInt32]
    var frames: [TruthFrame] = []
    /// Per direction (0 client, 1 server): the end of the stream bytes written so far, kept or left out.
    private var written: [UInt64] = [0, 0]
    /// Per direction: byte ranges carried by packets that were left out.
    private var lost: [[Range<UInt64>]] = [[], []]
    /// Per direction: where a decoder's stream offsets start (the first kept packet), nil while none was kept.
    private var base: [UInt64?] = [nil, nil]

    init(id: Int, client: String, server: String, initialSequences: [UInt32]) {
        self.id = id
        self.client = client
        self.server = server
        self.initialSequences = initialSequences
    }

    /// A frame about to be queued at `offset` of its direction's stream.
    func record(fromClient: Bool, offset: UInt64, fin: Bool, rsv: UInt8, opcode: UInt8, key: [UInt8]?, payload: [UInt8]) {
        let n = payload.count
        let headerLength = 2 + (n <= 125 ? 0 : n <= 0xFFFF ? 2 : 8) + (key == nil ? 0 : 4)
        frames.append(TruthFrame(fromClient: fromClient, offset: offset, headerLength: headerLength, payloadLength: n,
                                 opcode: opcode, fin: fin, rsv: rsv, key: key, head: Array(payload.prefix(16))))
    }

    /// A packet was written (`kept`) or left out of the file.
    func packet(fromClient: Bool, syn: Bool, sequence: UInt32, payloadLength: Int, kept: Bool) {
        let side = fromClient ? 0 : 1
        // A SYN carries sequence number ISN; stream offsets count from ISN + 1.
        let offset = syn ? 0 : UInt64(sequence &- (initialSequences[side] &+ 1))
        let end = offset + UInt64(payloadLength)
        written[side] = max(written[side], end)
        if kept {
            // A decoder that misses the SYN starts its stream at the first packet it sees (data or not).
            if base[side] == nil { base[side] = offset }
        } else if payloadLength > 0 {
            lost[side].append(offset..<end)
        }
    }

    /// True when every byte of the frame was in a kept packet.
    func survived(_ frame: TruthFrame) -> Bool {
        let side = frame.fromClient ? 0 : 1
        let range = frame.offset..<(frame.offset + UInt64(frame.headerLength + frame.payloadLength))
        guard base[side] != nil, range.upperBound <= written[side] else { return false }
        // Lost ranges are in stream order: find the first that ends after the frame starts.
        let ranges = lost[side]
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low == ranges.count || ranges[low].lowerBound >= range.upperBound
    }

    /// The connection line and one line per frame, as JSON Lines.
    func lines() -> [String] {
        func optional(_ value: UInt64?) -> String { value.map(String.init) ?? "null" }
        var out = ["{\"kind\":\"connection\",\"id\":\(id),\"client\":\"\(client)\",\"server\":\"\(server)\",\"base\":{\"client\":\(optional(base[0])),\"server\":\(optional(base[1]))}}"]
        for frame in frames {
            let key = frame.key.map { "\"\(Hex.string($0))\"" } ?? "null"
            out.append("{\"kind\":\"frame\",\"id\":\(id),\"from\":\"\(frame.fromClient ? "client" : "server")\",\"offset\":\(frame.offset),\"header_length\":\(frame.headerLength),\"payload_length\":\(frame.payloadLength),\"opcode\":\(frame.opcode),\"fin\":\(frame.fin),\"rsv\":\(frame.rsv),\"masking_key\":\(key),\"head_hex\":\"\(Hex.string(frame.head))\",\"survived\":\(survived(frame))}")
        }
        return out
    }
}

/// Writes the truth of every connection as it finishes (and of the unfinished ones at the end).
final class TruthWriter {
    private let handle: FileHandle
    private var buffer = ""

    init(path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { fail("cannot write \(path)") }
        self.handle = handle
    }

    func write(_ truth: ConnectionTruth) {
        for line in truth.lines() { buffer += line; buffer += "\n" }
        if buffer.utf8.count > 1 << 20 { flush() }
    }

    func close() {
        flush()
        try? handle.close()
    }

    private func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }
}

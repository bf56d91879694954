import WSStream
import CZlib
import Foundation
import WSCapture
import WSTestSupport
import WSWire

/// Deterministic random choices (SplitMix64 underneath).
struct Random {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func range(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }
    mutating func bytes(_ n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        var i = 0
        while i < n {
            var word = next()
            for _ in 0..<min(8, n - i) { out[i] = UInt8(truncatingIfNeeded: word); word >>= 8; i += 1 }
        }
        return out
    }
}

/// Raw DEFLATE with sync flush and the 00 00 ff ff tail removed, keeping the window (context takeover).
final class MessageDeflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = [UInt8](repeating: 0, count: 1 << 20)

    init() {
        stream.initialize(to: z_stream())
        precondition(wsinspect_deflateInit2(stream, Z_DEFAULT_COMPRESSION, -15, 8) == Z_OK)
    }

    func compress(_ input: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var input = input
        input.withUnsafeMutableBytes { raw in
            stream.pointee.next_in = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(raw.count)
            repeat {
                output.withUnsafeMutableBytes { out in
                    stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(out.count)
                    deflate(stream, Z_SYNC_FLUSH)
                    result.append(contentsOf: out[0..<(out.count - Int(stream.pointee.avail_out))])
                }
            } while stream.pointee.avail_out == 0
        }
        if result.suffix(4) == [0, 0, 0xFF, 0xFF] { result.removeLast(4) }
        return result.isEmpty ? [0] : result
    }
}

/// Text that looks like application traffic: JSON with words and numbers, mostly ASCII with an occasional
/// non-ASCII word (about one word in 64), as in real chat and market-data feeds.
func textPayload(_ length: Int, _ random: inout Random) -> [UInt8] {
    let words = ["status", "update", "price", "ticker", "user", "message", "channel", "ok", "ready", "event",
                 "value", "count", "timestamp", "symbol", "bid", "ask"]
    let international = ["données", "привет", "你好", "✓"]
    var out: [UInt8] = Array("{\"seq\":\(random.below(1_000_000)),\"data\":\"".utf8)
    while out.count < length - 2 {
        let word = random.below(64) == 0 ? international[random.below(international.count)] : words[random.below(words.count)]
        out += Array(word.utf8)
        out.append(random.below(4) == 0 ? UInt8(ascii: ",") : UInt8(ascii: " "))
        if random.below(6) == 0 { out += Array(String(random.below(100_000)).utf8) }
    }
    // Cut back to a character boundary, then close the JSON string.
    var end = min(out.count, max(0, length - 2))
    while end > 0 && end < out.count && out[end] & 0xC0 == 0x80 { end -= 1 }
    return Array(out[..<end]) + Array("\"}".utf8)
}

/// One scripted connection; it queues packets that the scheduler hands out a few at a time.
final class Connection {
    let id: Int
    let client: Endpoint
    let server: Endpoint
    var clientNext: UInt32
    var serverNext: UInt32
    var queue: [(fromClient: Bool, flags: TCPFlags, payload: [UInt8])] = []
    var head = 0
    var messagesLeft: Int
    var closed = false
    var unacknowledged = [0, 0]
    let deflaters: [MessageDeflater]?
    /// Stream bytes queued so far per direction (client, server), counted from ISN + 1.
    private var queuedBytes: [UInt64] = [0, 0]
    /// What was sent, when `--truth` asks for it.
    let truth: ConnectionTruth?

    init(id: Int, random: inout Random, deflate: Bool, recordTruth: Bool) {
        self.id = id
        client = Endpoint(address: IPAddress(127, 0, UInt8(1 + (id >> 16) & 0xFF), UInt8(1 + (id >> 8) & 0x3F)), port: UInt16(20000 + id % 40000))
        server = Endpoint(address: IPAddress(127, 0, 0, 1), port: 8080)
        clientNext = UInt32(truncatingIfNeeded: random.next())
        serverNext = UInt32(truncatingIfNeeded: random.next())
        messagesLeft = random.range(50...400)
        deflaters = deflate ? [MessageDeflater(), MessageDeflater()] : nil
        truth = recordTruth ? ConnectionTruth(id: id, client: client.description, server: server.description,
                                              initialSequences: [clientNext, serverNext]) : nil
    }

    var hasPackets: Bool { head < queue.count }

    func take() -> (fromClient: Bool, flags: TCPFlags, payload: [UInt8], seq: UInt32, ack: UInt32)? {
        guard head < queue.count else { return nil }
        let p = queue[head]
        head += 1
        if head > 4096 { queue.removeFirst(head); head = 0 }
        let seq: UInt32, ack: UInt32
        if p.fromClient {
            seq = clientNext; ack = serverNext
            clientNext &+= UInt32(p.payload.count) &+ (p.flags.contains(.syn) || p.flags.contains(.fin) ? 1 : 0)
        } else {
            seq = serverNext; ack = clientNext
            serverNext &+= UInt32(p.payload.count) &+ (p.flags.contains(.syn) || p.flags.contains(.fin) ? 1 : 0)
        }
        return (p.fromClient, p.flags, p.payload, seq, p.flags == .syn ? 0 : ack)
    }

    func open(_ random: inout Random, deflate: Bool) {
        queue.append((true, .syn, []))
        queue.append((false, [.syn, .ack], []))
        queue.append((true, .ack, []))
        let key = Data(random.bytes(16)).base64EncodedString()
        let offer = deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : ""
        send(fromClient: true, Array("GET /feed/\(id) HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\(offer)User-Agent: wsinspect-capgen\r\n\r\n".utf8))
        let accept = AcceptDerivation(key: key).accept
        let agreed = deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : ""
        send(fromClient: false, Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\(agreed)\r\n".utf8))
    }

    /// Queues bytes as MSS-sized segments, with an ACK from the peer every second segment.
    func send(fromClient: Bool, _ bytes: [UInt8]) {
        var offset = 0
        let side = fromClient ? 0 : 1
        queuedBytes[side] += UInt64(bytes.count)
        while offset < bytes.count {
            let n = min(1448, bytes.count - offset)
            let last = offset + n == bytes.count
            queue.append((fromClient, last ? [.ack, .psh] : .ack, Array(bytes[offset..<(offset + n)])))
            offset += n
            unacknowledged[side] += 1
            if unacknowledged[side] >= 2 {
                queue.append((!fromClient, .ack, []))
                unacknowledged[side] = 0
            }
        }
    }

    /// Queues the next exchange: a client message and the server's reply, sometimes a ping, finally the close.
    func next(_ random: inout Random, payloads: PayloadLog?) {
        guard messagesLeft > 0 else {
            if !closed {
                closed = true
                let body = [0x03, 0xE8] + Array("done".utf8)
                var clientClose: [UInt8] = [], serverClose: [UInt8] = []
                appendFrame(to: &clientClose, fromClient: true, opcode: 8, payload: body, rsv1: false, random: &random)
                send(fromClient: true, clientClose)
                appendFrame(to: &serverClose, fromClient: false, opcode: 8, payload: body, rsv1: false, random: &random)
                send(fromClient: false, serverClose)
                queue.append((false, [.fin, .ack], []))
                queue.append((true, [.fin, .ack], []))
                queue.append((false, .ack, []))
            }
            return
        }
        messagesLeft -= 1
        for fromClient in [true, false] {
            let roll = random.below(100)
            let length: Int
            switch roll {
            case 0..<70: length = random.range(16...125)
            case 70..<93: length = random.range(126...16000)
            case 93..<95: length = random.range(65536...200_000)
            default: length = random.range(200...4000)
            }
            let isText = random.below(10) < 7 || deflaters != nil
            let payload = isText ? textPayload(length, &random) : random.bytes(length)
            let fragments = roll >= 95 ? random.range(2...4) : 1
            var body = payload
            var compressed = false
            if let deflaters {
                body = deflaters[fromClient ? 0 : 1].compress(payload)
                compressed = true
                payloads?.record(connection: id, fromClient: fromClient, body)
            }
            var bytes: [UInt8] = []
            let piece = max(1, body.count / fragments)
            var offset = 0
            for f in 0..<fragments {
                let end = f == fragments - 1 ? body.count : min(body.count, offset + piece)
                appendFrame(to: &bytes, fromClient: fromClient, fin: f == fragments - 1, opcode: f == 0 ? (isText ? 1 : 2) : 0,
                            payload: Array(body[offset..<end]), rsv1: compressed && f == 0, random: &random)
                offset = end
            }
            send(fromClient: fromClient, bytes)
        }
        if random.below(20) == 0 {
            let data = random.bytes(random.range(0...16))
            var ping: [UInt8] = [], pong: [UInt8] = []
            appendFrame(to: &ping, fromClient: true, opcode: 9, payload: data, rsv1: false, random: &random)
            send(fromClient: true, ping)
            appendFrame(to: &pong, fromClient: false, opcode: 10, payload: data, rsv1: false, random: &random)
            send(fromClient: false, pong)
        }
    }

    /// Builds one frame (client frames masked with a random key) onto `bytes`, which `send` queues next.
    func appendFrame(to bytes: inout [UInt8], fromClient: Bool, fin: Bool = true, opcode: UInt8, payload: [UInt8],
                     rsv1: Bool, random: inout Random) {
        let key = fromClient ? random.bytes(4) : nil
        let rsv: UInt8 = rsv1 ? 0b100 : 0
        truth?.record(fromClient: fromClient, offset: queuedBytes[fromClient ? 0 : 1] + UInt64(bytes.count), fin: fin,
                      rsv: rsv, opcode: opcode, key: key, payload: payload)
        bytes += WebSocketBytes.frame(fin: fin, rsv: rsv, opcode: opcode, key: key, payload: payload)
    }
}

/// Compressed messages, for the zlib-only floor: records of [u32 connection][u8 direction][u32 length][bytes].
final class PayloadLog {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)!
    }

    func record(connection: Int, fromClient: Bool, _ bytes: [UInt8]) {
        for v in [UInt32(connection)] { buffer += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        buffer.append(fromClient ? 0 : 1)
        let n = UInt32(bytes.count)
        buffer += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
        buffer += bytes
        if buffer.count > 1 << 22 { flush() }
    }

    func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

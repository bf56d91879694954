import WSStream
import WSCapture
import WSWire

/// Scripts a TCP connection between a client and a server and produces its packets, with sequence numbers kept
/// right (including wraparound), so that tests can then drop, duplicate, reorder or split them.
public struct Conversation {
    public struct Segment: Sendable {
        public let fromClient: Bool
        public let seq: UInt32
        public let ack: UInt32
        public let flags: TCPFlags
        public let payload: [UInt8]

        public init(fromClient: Bool, seq: UInt32, ack: UInt32, flags: TCPFlags, payload: [UInt8]) {
            self.fromClient = fromClient
            self.seq = seq
            self.ack = ack
            self.flags = flags
            self.payload = payload
        }
    }

    public let client: Endpoint
    public let server: Endpoint
    public private(set) var segments: [Segment] = []
    /// Extra seconds before the segment at each index (`wait`), on top of the millisecond between segments.
    private var pauses: [Int: Double] = [:]
    private var clientNext: UInt32
    private var serverNext: UInt32

    public init(client: Endpoint = .loopback(40000), server: Endpoint = .loopback(8080),
                clientISN: UInt32 = 1000, serverISN: UInt32 = 5000) {
        self.client = client
        self.server = server
        self.clientNext = clientISN
        self.serverNext = serverISN
    }

    /// SYN, SYN-ACK, ACK.
    public mutating func open() {
        segments.append(Segment(fromClient: true, seq: clientNext, ack: 0, flags: .syn, payload: []))
        clientNext &+= 1
        segments.append(Segment(fromClient: false, seq: serverNext, ack: clientNext, flags: [.syn, .ack], payload: []))
        serverNext &+= 1
        segments.append(Segment(fromClient: true, seq: clientNext, ack: serverNext, flags: .ack, payload: []))
    }

    /// Sends bytes in segments of at most `segmentSize`.
    public mutating func send(fromClient: Bool, _ bytes: [UInt8], segmentSize: Int = 1448) {
        var offset = 0
        while offset < bytes.count {
            let chunk = Array(bytes[offset..<min(offset + segmentSize, bytes.count)])
            if fromClient {
                segments.append(Segment(fromClient: true, seq: clientNext, ack: serverNext, flags: [.ack, .psh], payload: chunk))
                clientNext &+= UInt32(chunk.count)
            } else {
                segments.append(Segment(fromClient: false, seq: serverNext, ack: clientNext, flags: [.ack, .psh], payload: chunk))
                serverNext &+= UInt32(chunk.count)
            }
            offset += chunk.count
        }
    }

    /// A pure ACK acknowledging everything the peer sent so far.
    public mutating func acknowledge(fromClient: Bool) {
        segments.append(Segment(fromClient: fromClient, seq: fromClient ? clientNext : serverNext,
                                ack: fromClient ? serverNext : clientNext, flags: .ack, payload: []))
    }

    /// FIN from both sides, the server's first (as RFC 6455 §7.1.1 wants after a close handshake).
    public mutating func close() {
        segments.append(Segment(fromClient: false, seq: serverNext, ack: clientNext, flags: [.fin, .ack], payload: []))
        serverNext &+= 1
        segments.append(Segment(fromClient: true, seq: clientNext, ack: serverNext, flags: [.fin, .ack], payload: []))
        clientNext &+= 1
        segments.append(Segment(fromClient: false, seq: serverNext, ack: clientNext, flags: .ack, payload: []))
    }

    /// A FIN from one side only (the other may still send).
    public mutating func fin(fromClient: Bool) {
        if fromClient {
            segments.append(Segment(fromClient: true, seq: clientNext, ack: serverNext, flags: [.fin, .ack], payload: []))
            clientNext &+= 1
        } else {
            segments.append(Segment(fromClient: false, seq: serverNext, ack: clientNext, flags: [.fin, .ack], payload: []))
            serverNext &+= 1
        }
    }

    /// A reset from one side.
    public mutating func reset(fromClient: Bool) {
        segments.append(Segment(fromClient: fromClient, seq: fromClient ? clientNext : serverNext, ack: 0, flags: .rst, payload: []))
    }

    /// Lets `seconds` pass before the next segment (packets are otherwise one millisecond apart).
    public mutating func wait(_ seconds: Double) {
        pauses[segments.count, default: 0] += seconds
    }

    /// Appends a raw segment.
    public mutating func append(_ segment: Segment) {
        segments.append(segment)
    }

    /// The segments as packets, one millisecond apart (plus the pauses of `wait`).
    public func packets(_ list: [Segment]? = nil, builder: PacketBuilder = PacketBuilder(), startSecond: UInt32 = 1_700_000_000) -> [CaptureFileWriter.Packet] {
        var paused = 0.0
        return (list ?? segments).enumerated().map { index, segment in
            let bytes = builder.tcp(from: segment.fromClient ? client : server, to: segment.fromClient ? server : client,
                                    seq: segment.seq, ack: segment.ack, flags: segment.flags, payload: segment.payload)
            if list == nil { paused += pauses[index] ?? 0 }
            let whole = UInt32(paused), nanos = UInt32(((paused - Double(whole)) * 1e9).rounded())
            var nanoseconds = UInt32(index % 1000) * 1_000_000 + nanos
            var seconds = startSecond + UInt32(index / 1000) + whole
            if nanoseconds >= 1_000_000_000 { nanoseconds -= 1_000_000_000; seconds += 1 }
            return CaptureFileWriter.Packet(seconds: seconds, nanoseconds: nanoseconds, bytes: bytes)
        }
    }
}

/// WebSocket bytes for tests: a client handshake, its 101, and frames.
public enum WebSocketBytes {
    /// A random-looking key (not the RFC sample, which wsinspect flags) and its accept value.
    public static let key = "x3JJHMbDL1EzLkh9GBhXDw=="
    public static let accept = "HSmrc0sMlYUkAGmm5OPpG2HaGWk="

    public static func request(path: String = "/chat", host: String = "127.0.0.1:8080", key: String = key, extra: String = "") -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n".utf8)
    }

    public static func response(accept: String = accept, extra: String = "") -> [UInt8] {
        Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\(extra)\r\n".utf8)
    }

    /// A frame; masked with `key` when given.
    public static func frame(fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, key: [UInt8]? = nil, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let mask: UInt8 = key == nil ? 0 : 0x80
        let n = payload.count
        if n <= 125 {
            bytes.append(mask | UInt8(n))
        } else if n <= 0xFFFF {
            bytes += [mask | 126, UInt8(n >> 8), UInt8(n & 0xFF)]
        } else {
            bytes.append(mask | 127)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((UInt64(n) >> UInt64(shift)) & 0xFF)) }
        }
        guard let key else { return bytes + payload }
        return bytes + key + MaskingKey(key)!.apply(to: payload)
    }

    public static func text(_ s: String, masked: Bool, fin: Bool = true) -> [UInt8] {
        frame(fin: fin, opcode: 1, key: masked ? [0x11, 0x22, 0x33, 0x44] : nil, payload: Array(s.utf8))
    }
}

import WSStream
import WSWire

/// HTTP/1.x messages from one direction of a connection, parsed incrementally: heads are collected until their
/// empty line (at most `headLimit` bytes), bodies are skipped by Content-Length, chunked coding, or to the end.
struct HTTPStream {
    enum Body: Equatable {
        case none
        case length(UInt64)
        case chunked(Chunked)
        case untilClose
    }

    enum Chunked: Equatable {
        case sizeLine(digits: UInt64, sawDigit: Bool, inExtension: Bool)
        case data(UInt64)
        case dataEnd(Int)      // CRLF bytes still expected after chunk data
        case trailer(lineLength: Int)
    }

    enum Step {
        /// Consumed bytes without completing a head.
        case consumed(Int)
        /// A head completed after consuming `consumed` bytes of this chunk.
        case head(HTTPHead, origin: ByteOrigin, consumed: Int)
        /// The head passed `headLimit` bytes without ending; `mentionsWebSocket` when it names websocket (a
        /// handshake that is worth reporting although it cannot be parsed).
        case headTooLarge(consumed: Int, mentionsWebSocket: Bool)
    }

    /// Bytes a head may take before it is given up (`--max-http-head`).
    static let defaultHeadLimit = 64 * 1024
    let headLimit: Int

    init(headLimit: Int = HTTPStream.defaultHeadLimit) {
        self.headLimit = headLimit
    }

    private var pending: [UInt8] = []
    private var pendingOrigin = ByteOrigin.none
    private(set) var body: Body = .none

    /// True when bytes of an unfinished head are held.
    var hasPartialHead: Bool { !pending.isEmpty }
    var partialHeadBytes: Int { pending.count }

    /// Consumes from `bytes`, stopping right after a complete head so that the caller can decide what follows it.
    /// True when the bytes contain "websocket" in any case.
    static func mentionsWebSocket(_ bytes: [UInt8]) -> Bool {
        let word = Array("websocket".utf8)
        guard bytes.count >= word.count else { return false }
        for start in 0...(bytes.count - word.count) where bytes[start] | 0x20 == word[0] {
            var k = 1
            while k < word.count && bytes[start + k] | 0x20 == word[k] { k += 1 }
            if k == word.count { return true }
        }
        return false
    }

    mutating func step(_ bytes: UnsafeRawBufferPointer, origin: ByteOrigin) -> Step {
        var index = 0
        // Skip body bytes first.
        while index < bytes.count, body != .none {
            index += skipBody(UnsafeRawBufferPointer(rebasing: bytes[index...]))
        }
        if index == bytes.count { return .consumed(index) }
        if pending.isEmpty { pendingOrigin = origin }
        let searchFrom = max(0, pending.count - 3)
        let available = UnsafeRawBufferPointer(rebasing: bytes[index...])
        pending.append(contentsOf: available)
        let end = pending.withUnsafeBytes { HTTPHead.endOfHead(in: $0, from: searchFrom) }
        guard let end else {
            if pending.count > headLimit {
                let mentionsWebSocket = Self.mentionsWebSocket(pending)
                pending.removeAll()
                return .headTooLarge(consumed: bytes.count, mentionsWebSocket: mentionsWebSocket)
            }
            return .consumed(bytes.count)
        }
        let overshoot = pending.count - end
        let head = HTTPHead.parse(Array(pending[..<end]))
        pending.removeAll(keepingCapacity: true)
        return .head(head, origin: pendingOrigin, consumed: bytes.count - overshoot)
    }

    /// Sets up body skipping after a head. `requestMethod` is the method of the request a response answers.
    mutating func expectBody(after head: HTTPHead, isResponse: Bool, requestMethod: String?) {
        if isResponse {
            let status = HTTPStatusLine(head.startLine)?.status ?? 0
            if (100..<200).contains(status) || status == 204 || status == 304 || requestMethod == "HEAD" {
                body = .none
                return
            }
        }
        if head.listContains("Transfer-Encoding", "chunked") {
            body = .chunked(.sizeLine(digits: 0, sawDigit: false, inExtension: false))
        } else if let length = head.values("Content-Length").first.flatMap({ UInt64($0.filter { $0 != " " && $0 != "\t" }) }) {
            body = length > 0 ? .length(length) : .none
        } else if isResponse {
            body = .untilClose
        } else {
            body = .none
        }
    }

    /// Skips exactly `count` body bytes (used for the hixie-76 key bytes).
    mutating func expectBody(length count: UInt64) {
        body = count > 0 ? .length(count) : .none
    }

    /// Drops any partial head and body state (after a gap).
    mutating func reset() {
        pending.removeAll()
        body = .none
    }

    /// Skips body bytes at the start of `bytes`; returns how many.
    private mutating func skipBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch body {
        case .none:
            return 0
        case .untilClose:
            return bytes.count
        case .length(let remaining):
            let n = Int(min(remaining, UInt64(bytes.count)))
            body = remaining - UInt64(n) == 0 ? .none : .length(remaining - UInt64(n))
            return n
        case .chunked(var state):
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                switch state {
                case .sizeLine(let digits, let sawDigit, let inExtension):
                    i += 1
                    if b == 0x0A {
                        state = !sawDigit ? .sizeLine(digits: 0, sawDigit: false, inExtension: false)
                            : digits == 0 ? .trailer(lineLength: 0) : .data(digits)
                    } else if inExtension || b == UInt8(ascii: ";") || b == 0x0D || b == 0x20 || b == 0x09 {
                        state = .sizeLine(digits: digits, sawDigit: sawDigit, inExtension: inExtension || b == UInt8(ascii: ";"))
                    } else if let v = Self.hexValue(b), digits < (1 << 56) {
                        state = .sizeLine(digits: digits << 4 | UInt64(v), sawDigit: true, inExtension: false)
                    }
                case .data(let remaining):
                    let n = Int(min(remaining, UInt64(bytes.count - i)))
                    i += n
                    state = remaining - UInt64(n) == 0 ? .dataEnd(2) : .data(remaining - UInt64(n))
                case .dataEnd(let left):
                    i += 1
                    if b == 0x0A || left <= 1 {
                        state = .sizeLine(digits: 0, sawDigit: false, inExtension: false)
                    } else {
                        state = .dataEnd(left - 1)
                    }
                case .trailer(let lineLength):
                    i += 1
                    if b == 0x0A {
                        if lineLength == 0 {
                            body = .none
                            return i
                        }
                        state = .trailer(lineLength: 0)
                    } else if b != 0x0D {
                        state = .trailer(lineLength: lineLength + 1)
                    }
                }
            }
            body = .chunked(state)
            return i
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Recognises the first bytes of an HTTP message.
enum HTTPSniffer {
    enum Verdict { case request, response, notHTTP, undecided }

    static func classify(_ bytes: [UInt8]) -> Verdict {
        if bytes.isEmpty { return .undecided }
        let prefix = Array("HTTP/".utf8)
        if bytes.count >= prefix.count ? Array(bytes[..<prefix.count]) == prefix : Array(prefix[..<bytes.count]) == bytes {
            if bytes.count >= prefix.count { return .response }
        }
        // METHOD SP: 1-20 upper-case letters (or '-') followed by a space.
        for (i, b) in bytes.prefix(21).enumerated() {
            if b == 0x20 { return i > 0 ? .request : .notHTTP }
            let isMethodCharacter = (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
            if !isMethodCharacter { return (bytes.count < prefix.count && Array(prefix[..<bytes.count]) == bytes) ? .undecided : .notHTTP }
        }
        return bytes.count > 20 ? .notHTTP : .undecided
    }
}

/// What `FrameParser.next(_:index:)` found in the bytes it was given.
public enum FrameParserEvent: Equatable, Sendable {
    /// A complete header that started at stream offset `offset`. Its payload follows as `.payload` events
    /// and is closed by `.frameEnd` (immediately, for an empty payload).
    case header(FrameHeader, offset: UInt64)
    /// Payload bytes of the current frame as they were on the wire (still masked when MASK=1): a range of the
    /// caller's buffer, and the position of its first byte within the frame's payload.
    case payload(Range<Int>, payloadOffset: UInt64)
    /// The current frame's payload is complete.
    case frameEnd
    /// Every byte given was consumed; at least this many more are needed to finish the header or payload.
    case needMore(UInt64)
}

/// How far the parser is through the frame it is reading, for "what is missing" messages.
public enum FrameParserProgress: Equatable, Sendable {
    /// Between frames: nothing is pending.
    case atBoundary
    /// Inside a header: `have` bytes seen of the `need` known so far (2 until the second byte arrives).
    case header(have: Int, need: Int, offset: UInt64)
    /// Inside a payload: `have` of `declared` bytes seen.
    case payload(have: UInt64, declared: UInt64)
}

/// An incremental RFC 6455 frame parser.
///
/// Feed it bytes in chunks of any size; it reports headers as soon as they are complete and passes payload bytes
/// through as ranges of the caller's buffer, so a frame declaring a huge length is never buffered just to show its
/// header. Only an unfinished header (at most 14 bytes) is held between chunks. Feeding one byte at a time gives
/// exactly the same headers and payload bytes as feeding the whole buffer at once.
public struct FrameParser: Sendable {
    enum State: Sendable {
        case header
        case payload(header: FrameHeader, received: UInt64)
    }

    var state: State = .header
    /// Header bytes held across chunk boundaries.
    var pendingHeader: [UInt8] = []
    /// Stream offset of the first pending header byte.
    var pendingOffset: UInt64 = 0
    /// Bytes consumed since the start of the stream (or since `reset(at:)`).
    public private(set) var streamOffset: UInt64 = 0

    public init() {
        pendingHeader.reserveCapacity(14)
    }

    /// Where the parser stands inside the current frame.
    public var progress: FrameParserProgress {
        switch state {
        case .header:
            if pendingHeader.isEmpty { return .atBoundary }
            let need = pendingHeader.count >= 2 ? FrameHeader.headerLength(secondByte: pendingHeader[1]) : 2
            return .header(have: pendingHeader.count, need: need, offset: pendingOffset)
        case .payload(let header, let received):
            return .payload(have: received, declared: header.payloadLength)
        }
    }

    /// The header of the frame whose payload is being read, if any.
    public var currentHeader: FrameHeader? {
        if case .payload(let header, _) = state { return header }
        return nil
    }

    /// Payload bytes of the current frame still to come, nil between frames or inside a header.
    public var remainingPayload: UInt64? {
        if case .payload(let header, let received) = state { return header.payloadLength &- received }
        return nil
    }

    /// Accounts for `count` payload bytes of the current frame that will never be seen (lost from a capture),
    /// keeping the masking phase and the frame boundary. False (and nothing changes) unless the current frame's
    /// remaining payload covers all `count` bytes.
    public mutating func skipPayload(_ count: UInt64) -> Bool {
        guard case .payload(let header, let received) = state, header.payloadLength &- received >= count else { return false }
        state = .payload(header: header, received: received &+ count)
        streamOffset &+= count
        return true
    }

    /// Drops any partial frame and continues as if a new stream started at `offset` (used after a gap).
    public mutating func reset(at offset: UInt64) {
        state = .header
        pendingHeader.removeAll(keepingCapacity: true)
        streamOffset = offset
    }

    /// Parses from `buffer[index...]`, advancing `index` past what it consumed, and returns one event.
    /// Call it again until it returns `.needMore`.
    public mutating func next(_ buffer: UnsafeRawBufferPointer, index: inout Int) -> FrameParserEvent {
        switch state {
        case .payload(let header, let received):
            let remaining = header.payloadLength &- received
            if remaining == 0 {
                state = .header
                return .frameEnd
            }
            let available = buffer.count - index
            if available <= 0 { return .needMore(remaining) }
            let take = remaining < UInt64(available) ? Int(remaining) : available
            let range = index..<(index + take)
            index += take
            streamOffset &+= UInt64(take)
            state = .payload(header: header, received: received &+ UInt64(take))
            return .payload(range, payloadOffset: received)

        case .header:
            return parseHeader(buffer, index: &index)
        }
    }

    private mutating func parseHeader(_ buffer: UnsafeRawBufferPointer, index: inout Int) -> FrameParserEvent {
        let available = buffer.count - index
        // Fast path: the whole header is in this buffer.
        if pendingHeader.isEmpty, available >= 2 {
            let length = FrameHeader.headerLength(secondByte: buffer[index + 1])
            if available >= length {
                let slice = UnsafeRawBufferPointer(rebasing: buffer[index..<(index + length)])
                let header = FrameHeader.parse(slice)!
                let offset = streamOffset
                index += length
                streamOffset &+= UInt64(length)
                state = .payload(header: header, received: 0)
                return .header(header, offset: offset)
            }
        }
        // Slow path: collect header bytes one at a time across chunks.
        while index < buffer.count {
            if pendingHeader.isEmpty { pendingOffset = streamOffset }
            pendingHeader.append(buffer[index])
            index += 1
            streamOffset &+= 1
            if pendingHeader.count >= 2,
               pendingHeader.count == FrameHeader.headerLength(secondByte: pendingHeader[1]) {
                let header = pendingHeader.withUnsafeBytes { FrameHeader.parse($0)! }
                pendingHeader.removeAll(keepingCapacity: true)
                state = .payload(header: header, received: 0)
                return .header(header, offset: pendingOffset)
            }
        }
        if pendingHeader.count < 2 { return .needMore(UInt64(2 - pendingHeader.count)) }
        return .needMore(UInt64(FrameHeader.headerLength(secondByte: pendingHeader[1]) - pendingHeader.count))
    }
}

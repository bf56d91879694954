/// What a chain of candidate frames must respect to be believed, beyond each header being plausible on its own:
/// messages do not interleave (a continuation follows an unfinished data frame, or the start of the chain, which may
/// continue a message begun before it; no new data frame starts while one is unfinished), nothing but control frames
/// and no second Close follows a Close, a Close body is empty or a valid status code with a UTF-8 reason, and an
/// uncompressed text message in one frame is valid UTF-8 (the first fragment of one valid so far).
///
/// Payload bytes read as frames are far from random when they are masked text (the key repeats every four bytes over
/// a narrow alphabet), so headers alone are weaker evidence there than in random bytes; these checks are what such a
/// chain almost never passes.
struct FrameChain {
    let expectation: FrameBoundary.Expectation
    /// Whether a fragmented message is open in the chain; nil at its start (unknown).
    private var messageOpen: Bool?
    private var closed = false

    init(expectation: FrameBoundary.Expectation) {
        self.expectation = expectation
    }

    /// Takes the next frame of the chain: its header and its payload as on the wire. False when the chain cannot be
    /// what a conforming sender sent.
    mutating func admit(_ header: FrameHeader, wirePayload: UnsafeRawBufferPointer) -> Bool {
        let opcode = header.opcode
        if opcode.isData && closed { return false }
        switch opcode {
        case .continuation:
            if messageOpen == false { return false }
            messageOpen = !header.fin
        case .text, .binary:
            if messageOpen == true { return false }
            messageOpen = !header.fin
            let compressed = header.rsv1 && expectation.allowRSV1
            if opcode == .text && !compressed {
                var validator = UTF8Validator()
                validator.feed(unmasked(wirePayload, header: header))
                if header.fin ? validator.finish() != nil : !validator.isValidSoFar { return false }
            }
        case .close:
            if closed { return false }
            closed = true
            if header.payloadLength == 1 { return false }
            if header.payloadLength >= 2 {
                let body = unmasked(wirePayload, header: header)
                guard CloseCode(rawValue: UInt16(body[0]) << 8 | UInt16(body[1])).isValidOnWire,
                      UTF8Validator.validate(Array(body[2...])) == nil else { return false }
            }
        default:
            break
        }
        return true
    }

    private func unmasked(_ payload: UnsafeRawBufferPointer, header: FrameHeader) -> [UInt8] {
        guard let key = header.maskingKey else { return Array(payload) }
        var plain = [UInt8](repeating: 0, count: payload.count)
        plain.withUnsafeMutableBytes { key.apply(to: payload, into: $0, payloadOffset: 0) }
        return plain
    }
}

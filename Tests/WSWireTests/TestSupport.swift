import WSWire

/// Decodes `bytes` in one go.
func decode(_ bytes: [UInt8], context: FrameRuleContext = FrameRuleContext(),
            limit: Int = .max) -> FrameCollector {
    FrameCollector.decode(bytes, context: context, options: FrameDecoder.Options(payloadLimit: limit))
}

/// Decodes `bytes` fed in chunks of the given sizes (cycling through them).
func decode(_ bytes: [UInt8], chunks sizes: [Int], context: FrameRuleContext = FrameRuleContext()) -> FrameCollector {
    var decoder = FrameDecoder(context: context)
    var collector = FrameCollector()
    var offset = 0
    var k = 0
    while offset < bytes.count {
        let n = min(sizes[k % sizes.count], bytes.count - offset)
        decoder.feed(Array(bytes[offset..<(offset + n)]), into: &collector)
        offset += n
        k += 1
    }
    decoder.finish(into: &collector)
    return collector
}

/// Rule ids of a frame's diagnostics.
func ruleIDs(_ frame: Frame) -> [String] { frame.diagnostics.map(\.rule.id) }


/// Builds a frame's bytes; the payload is given unmasked and masked here when `key` is set.
func makeFrame(fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, key: [UInt8]? = nil, payload: [UInt8],
               form: LengthForm? = nil) -> [UInt8] {
    var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
    let mask: UInt8 = key == nil ? 0 : 0x80
    let length = UInt64(payload.count)
    switch form ?? LengthForm.minimal(for: length) {
    case .sevenBit:
        bytes.append(mask | UInt8(length))
    case .sixteenBit:
        bytes.append(mask | 126)
        bytes += [UInt8(length >> 8), UInt8(length & 0xFF)]
    case .sixtyFourBit:
        bytes.append(mask | 127)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((length >> UInt64(shift)) & 0xFF)) }
    }
    if let key {
        bytes += key
        bytes += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    } else {
        bytes += payload
    }
    return bytes
}

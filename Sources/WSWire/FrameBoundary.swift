/// Finds where frames plausibly start in bytes whose frame boundaries are unknown: after bytes were lost from a
/// capture, or in a connection first seen mid-stream.
///
/// A position is a candidate when a header there is plausible (known opcode, RSV bits allowed, control frames final
/// and short, shortest length form, masking as the sender requires, a length within reason) and it is confirmed
/// when the header that must follow that frame is plausible too, or the frame ends exactly where the stream ends.
/// HTTP text and TLS records never look plausible: their first bytes set RSV bits or name reserved opcodes.
public enum FrameBoundary {
    /// What a plausible frame needs to look like here.
    public struct Expectation: Hashable, Sendable {
        /// Whether frames must be masked (client), unmasked (server), or either.
        public var masked: Bool?
        /// Whether RSV1 may be set on data frames (permessage-deflate negotiated or assumed).
        public var allowRSV1: Bool
        /// Frames declaring more than this are not believed.
        public var maxPayload: UInt64

        public init(masked: Bool?, allowRSV1: Bool, maxPayload: UInt64 = 16 << 20) {
            self.masked = masked
            self.allowRSV1 = allowRSV1
            self.maxPayload = maxPayload
        }
    }

    public enum SearchResult: Equatable, Sendable {
        /// A confirmed boundary at this offset.
        case found(Int)
        /// A candidate at this offset cannot be confirmed until more bytes arrive (nothing before it qualifies).
        case needMore(candidate: Int)
        /// No position can start a frame; every byte before `scanned` can be skipped.
        case none(scanned: Int)
    }

    /// The header at `index` if one is plausible there; nil when not plausible or not complete.
    public static func plausibleHeader(in bytes: UnsafeRawBufferPointer, at index: Int, expecting expectation: Expectation) -> FrameHeader? {
        guard index + 2 <= bytes.count else { return nil }
        let first = bytes[index], second = bytes[index + 1]
        let opcode = Opcode(firstByte: first)
        guard !opcode.isReserved else { return nil }
        let rsv = (first >> 4) & 0x7
        if rsv != 0 && !(rsv == 0b100 && expectation.allowRSV1 && opcode.isData && opcode != .continuation) { return nil }
        if let masked = expectation.masked, (second & 0x80 != 0) != masked { return nil }
        guard let header = FrameHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[index...])),
              isPlausible(header, expecting: expectation) else { return nil }
        return header
    }

    /// Whether a parsed header is one a conforming sender could have sent here: a known opcode, RSV bits that are
    /// allowed, control frames final and short, the shortest length form, masking as the sender requires, a length
    /// within reason.
    public static func isPlausible(_ header: FrameHeader, expecting expectation: Expectation) -> Bool {
        implausibility(of: header, expecting: expectation) == nil
    }

    /// Why a header is not plausible here (e.g. "reserved opcode 0x3"), nil when it is.
    public static func implausibility(of header: FrameHeader, expecting expectation: Expectation) -> String? {
        let opcode = header.opcode
        if opcode.isReserved { return "reserved opcode 0x\(String(opcode.rawValue, radix: 16, uppercase: true))" }
        let rsv = header.rsvBits
        if rsv != 0 && !(rsv == 0b100 && expectation.allowRSV1 && opcode.isData && opcode != .continuation) {
            return "RSV bits \(Hex.bits(UInt64(rsv), count: 3)) set"
        }
        if let masked = expectation.masked, header.masked != masked {
            return masked ? "an unmasked frame from the client" : "a masked frame from the server"
        }
        if opcode.isControl && !header.fin { return "a fragmented \(opcode.name) frame" }
        if opcode.isControl && header.payloadLength > 125 { return "a \(opcode.name) frame of \(header.payloadLength) bytes" }
        if header.lengthIsNonMinimal || header.lengthMSBSet { return "a length of \(header.payloadLength) in the \(header.lengthForm.rawValue) form" }
        if header.payloadLength > expectation.maxPayload { return "a declared length of \(header.payloadLength) bytes" }
        return nil
    }

    /// Looks for the first confirmed frame boundary in `bytes`. `atEnd` says the stream ends after these bytes.
    public static func search(_ bytes: UnsafeRawBufferPointer, expecting expectation: Expectation, atEnd: Bool,
                              chain: Int = 2) -> SearchResult {
        var index = 0
        while index + 2 <= bytes.count {
            switch confirm(bytes, at: index, expecting: expectation, atEnd: atEnd, chain: chain) {
            case .yes: return .found(index)
            case .undecided: return .needMore(candidate: index)
            case .no: index += 1
            }
        }
        // The last byte (or two) could still begin a header.
        return atEnd ? .none(scanned: bytes.count) : .none(scanned: max(0, bytes.count - 1))
    }

    enum Verdict { case yes, no, undecided }

    /// Whether `chain` consecutive plausible frames start at `index`.
    static func confirm(_ bytes: UnsafeRawBufferPointer, at index: Int, expecting expectation: Expectation,
                        atEnd: Bool, chain: Int) -> Verdict {
        var position = index
        var confirmed = 0
        var expectation = expectation
        while confirmed < chain {
            if position == bytes.count {
                // The previous frame ends exactly at the end of what we have.
                return atEnd ? .yes : .undecided
            }
            let available = bytes.count - position
            let complete = available >= 2 && FrameHeader.headerLength(secondByte: bytes[position + 1]) <= available
            if !complete {
                // Too few bytes to judge the header: wait, unless what is there already rules it out.
                return !atEnd && couldStillBePlausible(bytes, at: position, expecting: expectation) ? .undecided : .no
            }
            guard let header = plausibleHeader(in: bytes, at: position, expecting: expectation) else { return .no }
            // One sender masks all its frames or none: the rest of the chain must agree with the first.
            expectation.masked = header.masked
            confirmed += 1
            let next = UInt64(position) + UInt64(header.headerLength) + header.payloadLength
            if next > UInt64(bytes.count) {
                return atEnd ? .no : .undecided
            }
            position = Int(next)
        }
        return .yes
    }

    /// True when the bytes present at `index` do not yet rule a header out.
    public static func couldStillBePlausible(_ bytes: UnsafeRawBufferPointer, at index: Int, expecting expectation: Expectation) -> Bool {
        guard index < bytes.count else { return true }
        return partialImplausibility(first: bytes[index], second: index + 1 < bytes.count ? bytes[index + 1] : nil,
                                     expecting: expectation) == nil
    }

    /// Why the first one or two bytes of a header already rule it out, nil when they do not.
    public static func partialImplausibility(first: UInt8, second: UInt8?, expecting expectation: Expectation) -> String? {
        let opcode = Opcode(firstByte: first)
        if opcode.isReserved { return "reserved opcode 0x\(String(opcode.rawValue, radix: 16, uppercase: true))" }
        let rsv = (first >> 4) & 0x7
        if rsv != 0 && !(rsv == 0b100 && expectation.allowRSV1 && opcode.isData && opcode != .continuation) {
            return "RSV bits \(Hex.bits(UInt64(rsv), count: 3)) set"
        }
        if let second, let masked = expectation.masked, (second & 0x80 != 0) != masked {
            return masked ? "an unmasked frame from the client" : "a masked frame from the server"
        }
        return nil
    }
}

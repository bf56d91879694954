/// A bit-level walk over one compressed permessage-deflate message (RFC 1951 blocks), for what zlib cannot say: zlib
/// stops at a BFINAL block, and checks a back-reference against its window only when it reaches before its output
/// buffer. The walker reads every block header, stored length and Huffman code (stored, fixed and dynamic blocks), counts
/// the bytes the message inflates to without producing them, and reports:
///
/// - where the data ends: RFC 7692 §7.2.1 wants it (with `00 00 ff ff` appended) to end with an empty stored block,
///   also after a BFINAL block (`pmd-missing-sync-flush`);
/// - the bits after a BFINAL block: padding to the byte boundary, 0 bits, no more (`pmd-bad-bfinal-padding`);
/// - the first back-reference longer than the agreed window, 2^max_window_bits (`pmd-window-exceeded`).
///
/// Bounded: a few kilobytes of tables, no output buffer, input taken as it streams by (a code split between two
/// chunks waits in a 64-bit bit buffer), and the walk stops once `outputLimit` bytes were counted. Malformed data
/// stops the walk too; zlib reports it (`pmd-inflate-failed`).
public struct DeflateWalker {
    /// What the walk found at the end of the message.
    public struct Result: Equatable, Sendable {
        /// Why the data does not end with an empty stored block (`pmd-missing-sync-flush`), nil when it does.
        public var missingSyncFlush: String?
        /// What is wrong after the BFINAL block (`pmd-bad-bfinal-padding`), nil when nothing is.
        public var badPadding: String?
        /// The first back-reference beyond the window: its distance.
        public var tooFar: Int?
        /// The data is not DEFLATE (zlib says why); nothing else is concluded.
        public var malformed: String?
        /// The walk stopped at `outputLimit`; nothing is concluded about the end.
        public var gaveUp = false
        /// The bytes the message inflates to, as counted (up to the BFINAL block, as zlib).
        public var length = 0

        public init() {}
    }

    enum State {
        case header
        case storedLength
        case stored(remaining: Int)
        case codes
        case dynamicCounts
        case codeLengthCodes(read: Int)
        case codeLengths(read: Int)
        /// After a BFINAL block: what follows is collected byte by byte.
        case afterFinal
        case failed
    }

    public let window: Int
    public let outputLimit: Int
    // (Internal, not private: the fast path of Huffman blocks is in DeflateWalker+FastPath.swift.)
    var state = State.header
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    private var final = false
    var produced = 0
    private var lastBlockFinal = false
    /// The last block that ended was an empty stored block.
    private var endsWithEmptyStored = false
    var result = Result()
    var literals = HuffmanTable.fixedLiterals
    var distances = HuffmanTable.fixedDistances
    // The dynamic header in progress.
    private var literalCount = 0, distanceCount = 0, codeLengthCount = 0
    /// The code lengths of the dynamic header in progress (allocated at the first dynamic block: most messages of a
    /// stream of small ones use fixed codes).
    private var lengths: [UInt8] = []
    private var codeLengthTable = HuffmanTable.empty
    /// After a BFINAL block: the bytes that follow it (the first few), and how many there are.
    private var tail: [UInt8] = []
    private var tailCount = 0
    private var paddingBits: UInt64 = 0
    private var paddingLength = 0

    /// `windowBits`: the sender's agreed max_window_bits (8-15).
    public init(windowBits: Int, outputLimit: Int = .max) {
        window = 1 << windowBits
        self.outputLimit = outputLimit
    }

    /// The next compressed bytes of the message.
    public mutating func feed(_ input: UnsafeRawBufferPointer) {
        var index = 0
        run(input, &index)
    }

    /// The message ended: appends `00 00 ff ff` (RFC 7692 §7.2.2) and judges how the data ends.
    public mutating func finish() -> Result {
        let trailer: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
        trailer.withUnsafeBytes { feed($0) }
        final = true
        var index = 0
        run(UnsafeRawBufferPointer(start: nil, count: 0), &index)
        result.length = produced
        guard result.malformed == nil, !result.gaveUp else { return result }
        if case .afterFinal = state {
            judgeAfterFinal()
        } else if case .header = state, endsWithEmptyStored, bitCount <= 0 {
            // The data ends exactly where an empty stored block ends: the sync flush.
        } else {
            result.missingSyncFlush = "with 00 00 ff ff appended, the data does not end with an empty stored block: the sender did not end the message with a sync flush (Z_SYNC_FLUSH)"
        }
        return result
    }

    // MARK: - Bits

    @inline(__always)
    private mutating func refill(_ input: UnsafeRawBufferPointer, _ index: inout Int) {
        while bitCount <= 56, index < input.count {
            bitBuffer |= UInt64(input[index]) << UInt64(bitCount)
            bitCount += 8
            index += 1
        }
    }

    /// True when `n` bits can be read (at the end of the message, missing bits read as 0 and make `bitCount` negative).
    @inline(__always)
    private func has(_ n: Int) -> Bool { bitCount >= n || final }

    @inline(__always)
    private mutating func take(_ n: Int) -> Int {
        let value = Int(bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    private mutating func fail(_ why: String) {
        result.malformed = why
        state = .failed
    }

    // MARK: - The walk

    private mutating func run(_ input: UnsafeRawBufferPointer, _ index: inout Int) {
        while true {
            // (Negative only at the end of the message: the data ended inside what was being read.)
            if bitCount < 0 { return }
            refill(input, &index)
            switch state {
            case .failed:
                return
            case .afterFinal:
                collectTail(input, &index)
                return
            case .header:
                guard bitCount >= 3 || (final && bitCount > 0) else { return }
                lastBlockFinal = take(1) == 1
                endsWithEmptyStored = false
                switch take(2) {
                case 0:
                    _ = take(bitCount & 7)   // stored: skip to the byte boundary
                    state = .storedLength
                case 1:
                    literals = HuffmanTable.fixedLiterals
                    distances = HuffmanTable.fixedDistances
                    state = .codes
                case 2:
                    state = .dynamicCounts
                default:
                    fail("block type 3 is reserved")
                }
            case .storedLength:
                guard has(32) else { return }
                let length = take(16), complement = take(16)
                guard bitCount >= 0 else { return }
                guard length == complement ^ 0xFFFF else { return fail("a stored block's LEN and NLEN disagree") }
                state = .stored(remaining: length)
            case .stored(let remaining):
                var left = remaining
                while left > 0, bitCount >= 8 {
                    _ = take(8)
                    left -= 1
                }
                let skip = min(left, input.count - index)
                index += skip
                left -= skip
                produced += remaining - left
                if left > 0 {
                    state = .stored(remaining: left)
                    if final { bitCount = -1 }   // the data ends inside the stored block
                    return
                }
                endsWithEmptyStored = remaining == 0
                endBlock()
            case .codes:
                // Most symbols take the fast path; what it leaves (the end of the input, long codes, errors), this one.
                if !final { decodeRun(input, &index) }
                guard case .codes = state else { continue }
                // One literal, or one length and distance: at most 48 bits (15 + 5 + 15 + 13).
                guard has(48) else { return }
                if !decodeSymbol() { return }
            case .dynamicCounts:
                guard has(14) else { return }
                literalCount = take(5) + 257
                distanceCount = take(5) + 1
                codeLengthCount = take(4) + 4
                guard literalCount <= 286, distanceCount <= 30 else { return fail("a dynamic block declares too many codes") }
                if lengths.isEmpty { lengths = [UInt8](repeating: 0, count: 320) }
                for i in 0..<19 { lengths[i] = 0 }
                state = .codeLengthCodes(read: 0)
            case .codeLengthCodes(let read):
                guard has(3) else { return }
                lengths[HuffmanTable.codeLengthOrder[read]] = UInt8(take(3))
                if read + 1 < codeLengthCount {
                    state = .codeLengthCodes(read: read + 1)
                } else {
                    guard let table = HuffmanTable(lengths: lengths[0..<19]) else { return fail("the code length code is invalid") }
                    codeLengthTable = table
                    state = .codeLengths(read: 0)
                    for i in 0..<19 { lengths[i] = 0 }
                }
            case .codeLengths(let read):
                // A code of up to 15 bits (an invalid one reads all 15) and up to 7 extra bits.
                guard has(22) else { return }
                if !readCodeLength(read) { return }
            }
        }
    }

    mutating func endBlock() {
        if lastBlockFinal {
            // What the bits up to the byte boundary hold, then collect the rest.
            paddingLength = max(0, bitCount & 7)
            paddingBits = UInt64(take(paddingLength))
            state = .afterFinal
        } else {
            state = .header
        }
    }

    /// Decodes one symbol of a Huffman block (with its distance); false when the walk must stop.
    private mutating func decodeSymbol() -> Bool {
        // (A symbol read partly from bits past the end of the data, `bitCount` < 0, was never sent: it is not counted.)
        guard let symbol = literals.decode(&bitBuffer, &bitCount) else {
            if bitCount >= 0 { fail("an invalid literal/length code") }
            return false
        }
        if bitCount < 0 { return false }
        if symbol < 256 {
            produced += 1
        } else if symbol == 256 {
            endBlock()
        } else {
            let slot = symbol - 257
            guard slot < 29 else { fail("an invalid length symbol"); return false }
            let length = HuffmanTable.lengthBase[slot] + take(HuffmanTable.lengthExtra[slot])
            guard let code = distances.decode(&bitBuffer, &bitCount), code < 30 else {
                if bitCount >= 0 { fail("an invalid distance code") }
                return false
            }
            let distance = HuffmanTable.distanceBase[code] + take(HuffmanTable.distanceExtra[code])
            if bitCount < 0 { return false }
            if distance > window, result.tooFar == nil { result.tooFar = distance }
            produced += length
        }
        if produced > outputLimit {
            result.gaveUp = true
            state = .failed
            return false
        }
        return true
    }

    /// Reads the code length of symbol `read` of a dynamic header (with its repeat codes 16-18).
    private mutating func readCodeLength(_ read: Int) -> Bool {
        let total = literalCount + distanceCount
        guard let symbol = codeLengthTable.decode(&bitBuffer, &bitCount) else {
            if bitCount >= 0 { fail("an invalid code length") }
            return false
        }
        var next = read
        switch symbol {
        case 0...15:
            lengths[next] = UInt8(symbol)
            next += 1
        default:
            let repeats: Int, value: UInt8
            switch symbol {
            case 16:
                guard next > 0 else { fail("a repeat with no previous length"); return false }
                value = lengths[next - 1]
                repeats = 3 + take(2)
            case 17:
                value = 0
                repeats = 3 + take(3)
            default:
                value = 0
                repeats = 11 + take(7)
            }
            guard next + repeats <= total else { fail("code lengths run past the declared codes"); return false }
            for i in next..<(next + repeats) { lengths[i] = value }
            next += repeats
        }
        if bitCount < 0 { return false }
        guard next == total else {
            state = .codeLengths(read: next)
            return true
        }
        guard lengths[256] != 0,
              let literalTable = HuffmanTable(lengths: lengths[0..<literalCount]),
              let distanceTable = HuffmanTable(lengths: lengths[literalCount..<total], allowIncomplete: true) else {
            fail("a dynamic block's codes are invalid")
            return false
        }
        literals = literalTable
        distances = distanceTable
        state = .codes
        return true
    }

    // MARK: - After a BFINAL block

    private mutating func collectTail(_ input: UnsafeRawBufferPointer, _ index: inout Int) {
        while bitCount >= 8 {
            keep(UInt8(take(8)))
        }
        while index < input.count {
            keep(input[index])
            index += 1
        }
    }

    private mutating func keep(_ byte: UInt8) {
        if tail.count < 16 { tail.append(byte) }
        tailCount += 1
    }

    /// After a BFINAL block RFC 7692 §7.2.3.4 wants the bits up to the byte boundary 0, then one byte holding the
    /// header of an empty stored block (BFINAL 0, BTYPE 00), whose LEN and NLEN are the `00 00 ff ff` the receiver
    /// appends.
    private mutating func judgeAfterFinal() {
        if paddingBits != 0 {
            result.badPadding = "the \(paddingLength) bits that pad the BFINAL block to its byte boundary are not all 0"
        }
        let sent = tailCount - 4   // the bytes after the BFINAL block that the sender sent
        if sent == 1, tail[0] & 0x07 == 0 { return }
        if sent > 1, tail.prefix(min(sent, 12)).allSatisfy({ $0 == 0 }) {
            result.badPadding = (result.badPadding.map { $0 + "; and " } ?? "")
                + "\(sent - 1) zero byte\(sent == 2 ? "" : "s") more than the one byte of the empty stored block follow\(sent == 2 ? "s" : "") it"
            return
        }
        result.missingSyncFlush = sent == 0
            ? "the BFINAL block is not followed by the empty stored block (the single byte 00 of RFC 7692 §7.2.3.4)"
            : "the \(sent) byte\(sent == 1 ? "" : "s") after the BFINAL block are not the header of an empty stored block (receivers ignore them)"
    }
}

/// A canonical Huffman code of RFC 1951 §3.2.2, for `DeflateWalker`: codes of up to 10 bits are looked up in one
/// table (the common case); longer ones are decoded bit by bit from the counts per length, as zlib's puff.c does.
struct HuffmanTable {
    static let fastBits = 10
    /// Indexed by the next `fastBits` input bits: symbol << 4 | code length, 0 when the code is longer.
    private(set) var fast: [UInt16]
    /// Codes per length (index 0 unused), and the symbols in canonical order.
    private var counts: [UInt16]
    private var symbols: [UInt16]

    static let empty = HuffmanTable(fast: [UInt16](repeating: 0, count: 1 << fastBits), counts: [UInt16](repeating: 0, count: 16), symbols: [])

    private init(fast: [UInt16], counts: [UInt16], symbols: [UInt16]) {
        self.fast = fast
        self.counts = counts
        self.symbols = symbols
    }

    /// The code of these code lengths (0: symbol unused); nil when over-subscribed, or incomplete unless
    /// `allowIncomplete` (RFC 1951 allows an incomplete distance code, e.g. a single distance).
    init?<C: Collection>(lengths: C, allowIncomplete: Bool = false) where C.Element == UInt8 {
        var counts = [UInt16](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left <<= 1
            left -= Int(counts[length])
            if left < 0 { return nil }
        }
        let used = counts.reduce(0) { $0 + Int($1) }
        if left > 0 && !allowIncomplete && used > 1 { return nil }
        // Canonical order: by length, then by symbol.
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + Int(counts[length]) }
        var symbols = [UInt16](repeating: 0, count: max(used, 1))
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[Int(length)]] = UInt16(symbol)
            offsets[Int(length)] += 1
        }
        // The fast table: each code of up to fastBits bits, bit-reversed (codes are read from the most significant
        // bit, the stream from the least significant), repeated for every value of the bits after it.
        var fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        var code = 0, index = 0
        for length in 1...15 {
            for _ in 0..<Int(counts[length]) {
                if length <= Self.fastBits {
                    var reversed = 0
                    for bit in 0..<length where code & (1 << (length - 1 - bit)) != 0 { reversed |= 1 << bit }
                    let entry = symbols[index] << 4 | UInt16(length)
                    var slot = reversed
                    while slot < 1 << Self.fastBits {
                        fast[slot] = entry
                        slot += 1 << length
                    }
                }
                code += 1
                index += 1
            }
            code <<= 1
        }
        self.init(fast: fast, counts: counts, symbols: symbols)
    }

    /// Decodes one symbol from the low bits of `bits` (`count` valid; missing bits read as 0 and leave `count`
    /// negative); nil for a code that is not in the table.
    func decode(_ bits: inout UInt64, _ count: inout Int) -> Int? {
        let entry = fast[Int(bits & ((1 << UInt64(Self.fastBits)) - 1))]
        if entry != 0 {
            let length = Int(entry & 15)
            bits >>= UInt64(length)
            count -= length
            return Int(entry >> 4)
        }
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            code |= Int(bits & 1)
            bits >>= 1
            count -= 1
            let n = Int(counts[length])
            if code - first < n { return Int(symbols[index + code - first]) }
            index += n
            first = (first + n) << 1
            code <<= 1
        }
        return nil
    }

    // MARK: - RFC 1951 §3.2.5-§3.2.7 constants

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
                               3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic block sends the code length code's lengths.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed codes of BTYPE 01: literals/lengths 0-143 in 8 bits, 144-255 in 9, 256-279 in 7, 280-287 in 8;
    /// distances in 5 bits.
    static let fixedLiterals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return HuffmanTable(lengths: lengths)!
    }()
    static let fixedDistances = HuffmanTable(lengths: [UInt8](repeating: 5, count: 30), allowIncomplete: true)!
}

/// The fast path of `DeflateWalker` through a Huffman block: symbols whose codes fit the 10-bit lookup tables, read
/// from a local bit buffer refilled eight bytes at a time, with the length and distance tables at hand. Whatever it
/// cannot take (fewer than 48 bits left, a longer code, an invalid symbol, the output limit) it leaves to the walk's
/// general path, which reads one symbol at a time and says what is wrong.
extension DeflateWalker {
    /// Length and distance symbols: base << 8 | extra bits (RFC 1951 §3.2.5).
    nonisolated(unsafe) private static let lengthCodes: UnsafeMutablePointer<UInt32> = table(HuffmanTable.lengthBase, HuffmanTable.lengthExtra)
    nonisolated(unsafe) private static let distanceCodes: UnsafeMutablePointer<UInt32> = table(HuffmanTable.distanceBase, HuffmanTable.distanceExtra)

    private static func table(_ bases: [Int], _ extras: [Int]) -> UnsafeMutablePointer<UInt32> {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 32)
        table.initialize(repeating: 0, count: 32)
        for (i, base) in bases.enumerated() { table[i] = UInt32(base) << 8 | UInt32(extras[i]) }
        return table
    }

    /// Decodes symbols of the current Huffman block while at least 48 bits can be had from the buffer and `input`.
    mutating func decodeRun(_ input: UnsafeRawBufferPointer, _ index: inout Int) {
        guard let base = input.baseAddress else { return }
        let lengthCodes = Self.lengthCodes, distanceCodes = Self.distanceCodes
        let mask = UInt64(1 << HuffmanTable.fastBits - 1)
        var bits = bitBuffer, count = bitCount, i = index, out = produced
        var ended = false, tooFar = result.tooFar
        let n = input.count, window = self.window, limit = outputLimit
        literals.fast.withUnsafeBufferPointer { literal in
            distances.fast.withUnsafeBufferPointer { distance in
                // (Wrapping arithmetic and masking shifts: every value is bounded by the checks around it.)
                while out <= limit {
                    if count <= 56 {
                        if n &- i >= 8 {
                            bits |= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &<< UInt64(count)
                            let taken = (63 &- count) &>> 3
                            i &+= taken
                            count &+= taken &<< 3
                        } else {
                            while count <= 56 && i < n {
                                bits |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64(count)
                                count &+= 8
                                i &+= 1
                            }
                        }
                    }
                    guard count >= 48 else { break }
                    let entry = literal[Int(truncatingIfNeeded: bits & mask)]
                    guard entry != 0 else { break }
                    let length = Int(truncatingIfNeeded: entry & 15), symbol = Int(truncatingIfNeeded: entry &>> 4)
                    if symbol < 256 {
                        bits = bits &>> UInt64(length)
                        count &-= length
                        out &+= 1
                        continue
                    }
                    if symbol == 256 {
                        bits = bits &>> UInt64(length)
                        count &-= length
                        ended = true
                        break
                    }
                    guard symbol < 286 else { break }
                    // A length and its distance, committed only when both fit the tables.
                    var b = bits &>> UInt64(length), c = count &- length
                    let lengthCode = lengthCodes[symbol &- 257]
                    let lengthExtra = UInt64(lengthCode & 0xFF)
                    let copy = Int(truncatingIfNeeded: lengthCode &>> 8) &+ Int(truncatingIfNeeded: b & ((1 &<< lengthExtra) &- 1))
                    b = b &>> lengthExtra
                    c &-= Int(truncatingIfNeeded: lengthExtra)
                    let distanceEntry = distance[Int(truncatingIfNeeded: b & mask)]
                    guard distanceEntry != 0, distanceEntry &>> 4 < 30 else { break }
                    b = b &>> UInt64(distanceEntry & 15)
                    c &-= Int(truncatingIfNeeded: distanceEntry & 15)
                    let distanceCode = distanceCodes[Int(truncatingIfNeeded: distanceEntry &>> 4)]
                    let distanceExtra = UInt64(distanceCode & 0xFF)
                    let reach = Int(truncatingIfNeeded: distanceCode &>> 8) &+ Int(truncatingIfNeeded: b & ((1 &<< distanceExtra) &- 1))
                    b = b &>> distanceExtra
                    c &-= Int(truncatingIfNeeded: distanceExtra)
                    if reach > window && tooFar == nil { tooFar = reach }
                    bits = b
                    count = c
                    out &+= copy
                }
            }
        }
        bitBuffer = bits
        bitCount = count
        index = i
        produced = out
        result.tooFar = tooFar
        if ended { endBlock() }
    }
}

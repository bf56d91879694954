/// What one direction of a TCP stream delivered recently, kept to compare retransmitted and overlapping segments
/// with it: the last `exactBytes` bytes themselves, and a 64-bit digest of each of the last `chunkCount` delivered
/// chunks (a few segments' worth, usually more than the 4 KiB of bytes kept before).
///
/// Copying every delivered byte into a per-direction ring cost a tenth of a large capture's decoding time (cold
/// cache lines, hundreds of connections); a digest is computed from bytes that are already in cache and takes one
/// store. The exact tail keeps byte-exact answers for recent overlaps of any shape; an older chunk is compared when
/// the overlap covers it whole (a retransmission usually repeats the original segments), and a difference there is
/// reported from the chunk's start.
public struct DeliveryHistory {
    static let exactBytes = 64
    static let chunkCount = 8

    private struct Chunk {
        var start: UInt64 = 0
        var length = 0
        var digest: UInt64 = 0
    }

    // Both rings are stored inline (tuples, no separate allocation): with hundreds of connections the per-packet
    // cost is in the cache lines touched, so the history stays small and next to the reassembler's other fields.
    private var exact: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes held in `exact`, at most `exactBytes`; they are the ones just before the stream position.
    private var filled = 0
    /// Index in `exact` where the next byte goes.
    private var head = 0
    private var chunks: (Chunk, Chunk, Chunk, Chunk, Chunk, Chunk, Chunk, Chunk) =
        (Chunk(), Chunk(), Chunk(), Chunk(), Chunk(), Chunk(), Chunk(), Chunk())
    private var chunksHeld = 0
    private var nextChunk = 0

    /// Records bytes delivered at stream offset `start`; `digest`, when known, is `digest(bytes)`.
    mutating func record(_ bytes: UnsafeRawBufferPointer, at start: UInt64, digest known: UInt64? = nil) {
        guard !bytes.isEmpty else { return }
        let tail = bytes.count > Self.exactBytes ? UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - Self.exactBytes)...]) : bytes
        var head = self.head
        withUnsafeMutableBytes(of: &exact) { ring in
            var written = 0
            while written < tail.count {
                let n = min(Self.exactBytes - head, tail.count - written)
                ring.baseAddress!.advanced(by: head).copyMemory(from: tail.baseAddress!.advanced(by: written), byteCount: n)
                head = (head + n) & (Self.exactBytes - 1)
                written += n
            }
        }
        self.head = head
        filled = min(Self.exactBytes, filled + bytes.count)
        let chunk = Chunk(start: start, length: bytes.count, digest: known ?? Self.digest(bytes))
        let slot = nextChunk
        withUnsafeMutableBytes(of: &chunks) { raw in
            raw.baseAddress!.assumingMemoryBound(to: Chunk.self)[slot] = chunk
        }
        nextChunk = (slot + 1) & (Self.chunkCount - 1)
        chunksHeld = min(Self.chunkCount, chunksHeld + 1)
    }

    /// Forgets everything (after a gap the bytes before it are no longer contiguous with what follows).
    mutating func clear() {
        filled = 0
        chunksHeld = 0
        nextChunk = 0
    }

    /// Compares `bytes`, which sit at stream offsets `start...` (all before `position`, the stream position), with
    /// what was delivered there. Returns the stream offset from which they differ, nil when no difference is seen.
    /// Bytes too old to be held or digested, and old chunks covered only in part, are not compared.
    func firstDifference(_ bytes: UnsafeRawBufferPointer, at start: UInt64, position: UInt64) -> UInt64? {
        var found: UInt64?
        let end = start + UInt64(bytes.count)
        // Whole chunks inside the overlap, compared by digest.
        withUnsafeBytes(of: chunks) { raw in
            let held = raw.baseAddress!.assumingMemoryBound(to: Chunk.self)
            for slot in 0..<chunksHeld {
                let chunk = held[slot]
                guard chunk.start >= start, chunk.start + UInt64(chunk.length) <= end else { continue }
                if let known = found, known <= chunk.start { continue }
                let from = Int(chunk.start - start)
                if Self.digest(UnsafeRawBufferPointer(rebasing: bytes[from..<(from + chunk.length)])) != chunk.digest {
                    found = chunk.start
                }
            }
        }
        // The exact tail, byte by byte.
        guard filled > 0 else { return found }
        return withUnsafeBytes(of: exact) { ring -> UInt64? in
            for i in 0..<bytes.count {
                let offset = start + UInt64(i)
                if let known = found, known <= offset { break }
                let back = Int(position - offset)          // how far before the position this byte sits
                guard back >= 1, back <= filled else { continue }
                let index = (head - back + Self.exactBytes) & (Self.exactBytes - 1)
                if ring[index] != bytes[i] { return offset }
            }
            return found
        }
    }

    /// A 64-bit digest of a chunk: four lanes of Fletcher-style sums over 8-byte words (position-sensitive, one
    /// add per word and lane), finished with a multiplicative mix.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var sum = SIMD4<UInt64>(repeating: 0)
        var sumOfSums = SIMD4<UInt64>(repeating: 0)
        var i = 0
        while i &+ 32 <= n {
            sum &+= base.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt64>.self)
            sumOfSums &+= sum
            i &+= 32
        }
        var last = SIMD4<UInt64>(repeating: 0)
        withUnsafeMutableBytes(of: &last) { raw in
            raw.baseAddress!.copyMemory(from: base + i, byteCount: n - i)
        }
        sum &+= last
        sumOfSums &+= sum
        var h = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
        for lane in 0..<4 {
            h = (h ^ sum[lane]) &* 0xFF51_AFD7_ED55_8CCD
            h = (h ^ sumOfSums[lane] ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        }
        return h ^ (h >> 32)
    }
}

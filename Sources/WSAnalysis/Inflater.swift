import CZlib
import WSWire

/// Raw DEFLATE decompression for one direction of permessage-deflate, through zlib.
///
/// The z_stream lives at a fixed address (zlib keeps a pointer back to it). One inflater per direction keeps the LZ77
/// window across messages (context takeover) until `reset()`.
final class Inflater {
    enum Failure: Error, Equatable {
        /// zlib rejected the data; the message is zlib's.
        case corrupt(String)
        /// The output passed the limit.
        case limitReached
    }

    let windowBits: Int
    private let stream: UnsafeMutablePointer<z_stream>
    /// Where zlib writes: scratch memory shared by every inflater of a capture (the output is passed on at once).
    /// It must not be the scratch that the frame decoder unmasks into: the input being inflated may be there.
    private let output: ScratchBuffer
    private var initialised = false
    /// True after zlib reported Z_STREAM_END (a BFINAL block): the rest of that message is ignored, and the next
    /// message needs a `reset()` first (RFC 7692 §7.2.3.4).
    private(set) var streamEnded = false
    /// True when the last call consumed all its input and left zlib between two blocks with no bits pending (zlib's
    /// `data_type`: 128 + unused bits): the data ended exactly where a block ended. After `00 00 ff ff` that block is
    /// the empty stored block of a sync flush, so the bit-level walk has nothing to add (`DeflateWalker`).
    private(set) var endedAtBlockBoundary = false

    init(windowBits: Int, output: ScratchBuffer = ScratchBuffer(capacity: 64 * 1024)) {
        self.windowBits = windowBits
        self.output = output
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        initialised = wsinspect_inflateInit2(stream, -Int32(windowBits)) == Z_OK
    }

    deinit {
        if initialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Forgets the window (no context takeover, or after a failure).
    func reset() {
        if initialised { inflateReset(stream) }
        streamEnded = false
        endedAtBlockBoundary = false
    }

    /// Inflates `input`, passing each piece of output to `body`. Stops with `.limitReached` once `budget` bytes were
    /// produced in this call (the caller's remaining allowance for the message).
    func inflate(_ input: UnsafeRawBufferPointer, budget: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws(Failure) -> Int {
        guard initialised else { throw .corrupt("zlib could not be initialised with window bits \(windowBits)") }
        // After a BFINAL block nothing more of this message is inflated, however the input was cut into pieces.
        guard !input.isEmpty, !streamEnded else {
            if streamEnded { endedAtBlockBoundary = false }
            return 0
        }
        var produced = 0
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var failure: Failure?
        let out = output.bytes
        repeat {
            stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(out.count)
            let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
            let count = out.count - Int(stream.pointee.avail_out)
            if count > 0 {
                let allowed = min(count, budget - produced)
                if allowed > 0 { body(UnsafeRawBufferPointer(rebasing: out[0..<allowed])) }
                produced += allowed
                if allowed < count {
                    failure = .limitReached
                    break
                }
            }
            switch status {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                break   // needs more input (or no progress possible): fine between frames
            case Z_STREAM_END:
                streamEnded = true   // the rest of the message after a BFINAL block is ignored
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                failure = .corrupt(message)
            }
            if status != Z_OK { break }
        } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
        endedAtBlockBoundary = failure == nil && !streamEnded && stream.pointee.avail_in == 0 && stream.pointee.data_type & 0xBF == 0x80
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        if let failure { throw failure }
        return produced
    }
}

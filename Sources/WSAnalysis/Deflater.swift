import CZlib

/// A permessage-deflate sender (`wsinspect encode --deflate`, tests): raw DEFLATE, sync flush, the trailing
/// 00 00 ff ff removed (RFC 7692 §7.2.1). zlib lives here, beside the `Inflater`, not in WSWire.
public final class Deflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    /// zlib cannot deflate with an 8-bit window (it refuses -8 for raw deflate); 9 is used instead, and the test data
    /// keeps its back-references short enough for an 8-bit window.
    public init(windowBits: Int = 15) {
        stream.initialize(to: z_stream())
        precondition(wsinspect_deflateInit2(stream, Z_DEFAULT_COMPRESSION, -Int32(max(9, windowBits)), 8) == Z_OK)
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Starts from an empty window (no context takeover).
    public func reset() { deflateReset(stream) }

    /// One message's compressed bytes, as the sender puts them in its frames.
    public func compress(_ input: [UInt8]) -> [UInt8] {
        // Sync-flushed DEFLATE grows incompressible input by 5 bytes per 16 KiB block, plus a few.
        var output = [UInt8](repeating: 0, count: input.count + input.count / 1024 + 1024)
        var produced = 0
        var input = input
        input.withUnsafeMutableBytes { raw in
            stream.pointee.next_in = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(raw.count)
            output.withUnsafeMutableBytes { out in
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(out.count)
                deflate(stream, Z_SYNC_FLUSH)
                produced = out.count - Int(stream.pointee.avail_out)
            }
        }
        var result = Array(output[..<produced])
        if result.suffix(4) == [0x00, 0x00, 0xFF, 0xFF] { result.removeLast(4) }
        return result.isEmpty ? [0x00] : result
    }

    public func compress(_ text: String) -> [UInt8] { compress(Array(text.utf8)) }
}

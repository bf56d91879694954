import WSWire

/// The bit-level walk of compressed messages (`DeflateWalker`) and its findings, beside zlib's. A walk decodes every
/// symbol again, which costs about what inflating does, so it runs only where it can add something: always when the
/// window is smaller than 32 KiB (zlib lets back-references inside its output buffer pass), and otherwise only for a
/// message whose inflation did not end cleanly between two blocks (a BFINAL block, data that stops inside a block).
extension MessageAssembler {
    /// Compressed bytes of the open message for the bit-level walk: walked at once, or kept for the end.
    mutating func walk(_ bytes: UnsafeRawBufferPointer) {
        if walker != nil {
            walker!.feed(bytes)
            return
        }
        walkBuffer.append(contentsOf: bytes)
        if walkBuffer.count > Self.walkRetainLimit, let deflate {
            // A large message: walk it as it streams by instead of keeping it.
            walker = DeflateWalker(windowBits: deflate.windowBits, outputLimit: options.maxMessageSize)
            walkBuffer.withUnsafeBytes { walker!.feed($0) }
            walkBuffer = []
        }
    }

    /// The walk of the message that ends (nil when there is nothing it could add: zlib inflated it and ended cleanly
    /// between two blocks, so the data ends with the sync flush's empty stored block).
    mutating func finishWalk(cleanEnd: Bool, inflated: Bool) -> DeflateWalker.Result? {
        if var streaming = walker.take() { return streaming.finish() }
        guard inflated, !cleanEnd, let deflate else { return nil }
        var walker = DeflateWalker(windowBits: deflate.windowBits, outputLimit: options.maxMessageSize)
        walkBuffer.withUnsafeBytes { walker.feed($0) }
        return walker.finish()
    }

    /// What the bit-level walk adds: a back-reference beyond the window that zlib let pass (inside its output buffer),
    /// and, for a message that inflated, an end without the sync flush or a BFINAL block padded wrongly.
    func walkDiagnostics(_ walk: DeflateWalker.Result, message: Message) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if let distance = walk.tooFar, let bits = deflate?.windowBits,
           !message.diagnostics.contains(where: { $0.rule == .pmdWindowExceeded || $0.rule == .pmdContextTakeoverViolated }) {
            found.append(Diagnostic(.pmdWindowExceeded,
                "A back-reference reaches \(distance) bytes back, beyond the agreed window of \(1 << bits) bytes (max_window_bits=\(bits)); a receiver with that window cannot inflate it."))
        }
        // A message that did not inflate, is empty, or whose trailer was not removed, has its finding already.
        guard !message.inflateFailed,
              !message.diagnostics.contains(where: { $0.rule == .pmdTrailerNotRemoved || $0.rule == .pmdEmptyCompressedPayload })
        else { return found }
        if let why = walk.missingSyncFlush {
            found.append(Diagnostic(.pmdMissingSyncFlush, "The compressed data does not end as RFC 7692 §7.2.1 says: \(why)."))
        }
        if let why = walk.badPadding {
            found.append(Diagnostic(.pmdBadBFinalPadding, "The BFINAL block is not padded with the fewest 0 bits: \(why)."))
        }
        return found
    }
}

import WSWire

/// The findings of a compressed message's bit-level walk (`DeflateWalker`), beside zlib's.
extension MessageAssembler {
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

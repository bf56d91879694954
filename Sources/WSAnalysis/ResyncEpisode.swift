import WSStream
import WSWire

/// Why a direction searched for a frame boundary, and what the search found.
struct ResyncEpisode {
    enum Cause {
        /// A capture gap of this many bytes swallowed a header.
        case gap(UInt64)
        /// The connection was first seen mid-stream.
        case midStream
        /// The TCP handshake was captured, but the first bytes after it were lost.
        case startLost
        /// After an earlier resynchronisation, a header at this offset was implausible (why).
        case implausibleHeader(String)
        /// The server's response to the upgrade was lost in a gap (the upgrade is assumed to have succeeded).
        case upgradeResponseLost
        /// The client's upgrade request was lost in a gap (the server's 101 was captured).
        case upgradeRequestLost
    }

    let cause: Cause
    /// Stream offset where the search began (the first byte after the gap).
    let start: UInt64
    /// Bytes passed over.
    let skipped: UInt64
    /// The proven boundary, nil when none could be proven before the next gap or the end.
    let boundary: UInt64?
    let origin: ByteOrigin
}

extension ResyncEpisode {
    /// The `stream-resynchronised` note that tells what happened.
    var note: String {
        let bytes = skipped == 1 ? "1 byte" : "\(skipped) bytes"
        let text: String
        switch (cause, boundary) {
        case (.gap(let lost), let boundary?):
            text = "A capture gap of \(lost) byte\(lost == 1 ? "" : "s") swallowed a frame header, so the frame boundaries were lost; decoding resumes at stream offset \(boundary), the first boundary the bytes after the gap prove (\(bytes) skipped). Checks that need the lost bytes are not made across the gap."
        case (.gap(let lost), nil):
            text = "A capture gap of \(lost) byte\(lost == 1 ? "" : "s") swallowed a frame header, and no frame boundary can be proven in the \(bytes) captured after it (up to the next gap or the end): they are skipped, not guessed at."
        case (.midStream, let boundary?):
            text = skipped == 0
                ? "First seen mid-stream; decoding starts at the first proven frame boundary, stream offset \(boundary) (the first byte captured)."
                : "First seen mid-stream; decoding starts at the first proven frame boundary, stream offset \(boundary) (\(bytes) before it skipped)."
        case (.midStream, nil):
            text = "First seen mid-stream; no frame boundary can be proven in the \(bytes) captured (up to the first gap or the end): they are skipped, not guessed at."
        case (.startLost, let boundary?):
            text = "The first bytes of this direction after the TCP handshake are missing from the capture; decoding starts at the first proven frame boundary, stream offset \(boundary) (\(bytes) captured before it skipped)."
        case (.startLost, nil):
            text = "The first bytes of this direction after the TCP handshake are missing from the capture, and no frame boundary can be proven in the \(bytes) captured (up to the next gap or the end): they are skipped."
        case (.upgradeResponseLost, let boundary?):
            text = "The server's response to the upgrade was lost in a capture gap; decoding goes on as WebSocket (most upgrades succeed) from stream offset \(boundary), the first frame boundary the bytes after the gap prove (\(bytes) skipped)."
        case (.upgradeResponseLost, nil):
            text = "The server's response to the upgrade was lost in a capture gap, and no frame boundary can be proven in the \(bytes) captured after it (up to the next gap or the end): they are skipped."
        case (.upgradeRequestLost, let boundary?):
            text = "The client's upgrade request was lost in a capture gap; its frames are decoded from stream offset \(boundary), the first frame boundary the captured bytes prove (\(bytes) skipped)."
        case (.upgradeRequestLost, nil):
            text = "The client's upgrade request was lost in a capture gap, and no frame boundary can be proven in the \(bytes) of it captured (up to the next gap or the end): they are skipped."
        case (.implausibleHeader(let why), let boundary?):
            text = "Decoding stopped at an implausible header (\(why)) soon after a resynchronisation: the boundary found then was wrong, or the peer broke the protocol right after the gap. Decoding resumes at stream offset \(boundary), the next proven boundary (\(bytes) skipped)."
        case (.implausibleHeader(let why), nil):
            text = "Decoding stopped at an implausible header (\(why)) soon after a resynchronisation, and no frame boundary can be proven in the \(bytes) after it: they are skipped."
        }
        return text
    }
}

import WSStream
import WSWire

/// Everything a `ConnectionAnalyzer` keeps for one direction of its connection. A class, so that the per-packet and
/// per-frame updates happen in place (no array copy-on-write checks, no struct moves).
final class DirectionState {
    var accounting = ByteAccounting()
    /// Bytes held while the connection's kind is being decided, and where they started.
    var probe: [UInt8] = []
    /// Where each segment held in `probe` starts in it, and where it came from (replayed segment by segment, so that
    /// frames found in the probe keep their own packet numbers and times).
    var probeChunks: [(start: Int, origin: ByteOrigin)] = []
    /// Probe offsets before this are ruled out as frame boundaries (the heuristic search resumes here).
    var probeSearchedUpTo = 0
    /// Where the search for TLS records in the probe resumes (nil: given up, no TLS).
    var tlsSearchFrom: Int? = 0
    /// When the TCP handshake was captured but the first bytes were lost: the boundary search over the probe.
    var detectionSearch: BoundarySearch?
    var http: HTTPStream
    /// True after a gap broke this direction's HTTP framing.
    var httpLost = false
    /// Capture gaps in this direction so far.
    var gaps = 0
    /// The capture missed this direction's SYN: its first bytes are not the start of what it sent.
    var startedMidStream = false
    /// The layer below delivers nothing more of this direction (TLS decryption stopped).
    var stopped = false
    /// When this direction's FIN arrived (every byte before it delivered), nil before.
    var finTime: Timestamp?
    /// Bytes passed into a CONNECT tunnel.
    var tunnelBytes: UInt64 = 0

    func clearProbe() {
        probe = []
        probeChunks = []
        probeSearchedUpTo = 0
        tlsSearchFrom = 0
        detectionSearch = nil
    }

    init(httpHeadLimit: Int) {
        http = HTTPStream(headLimit: httpHeadLimit)
    }
}

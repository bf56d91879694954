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
    /// When the TCP handshake was captured but the first bytes were lost: the boundary search over the probe.
    var detectionSearch: BoundarySearch?
    var http: HTTPStream
    /// True after a gap broke this direction's HTTP framing.
    var httpLost = false
    var webSocket: WebSocketStream?
    var assembler: MessageAssembler?
    /// Findings about the frame being read, made when its header arrived.
    var startDiagnostics: [Diagnostic] = []
    /// Capture gaps in this direction so far, and how many of them lost the frame boundaries: findings that need
    /// bytes a gap may have held are not made once one fell where they matter.
    var gaps = 0
    var boundaryLosses = 0
    /// The capture missed this direction's SYN: its first bytes are not the start of what it sent.
    var startedMidStream = false

    // Totals for the summary; frame and message counts are indexed by opcode.
    var framesByOpcode = [Int](repeating: 0, count: 16)
    var frames = 0
    var payloadBytes: UInt64 = 0
    var messagesByOpcode = [Int](repeating: 0, count: 16)
    var messages = 0
    var compressedMessages = 0
    var compressedBytes: UInt64 = 0
    var inflatedBytes: UInt64 = 0

    func clearProbe() {
        probe = []
        probeChunks = []
        probeSearchedUpTo = 0
        detectionSearch = nil
    }

    init(httpHeadLimit: Int) {
        http = HTTPStream(headLimit: httpHeadLimit)
    }

    /// The first Close this direction sent: frame index, code, reason, and the gap counts of this direction
    /// (`boundaryLosses`) and of the peer (`gaps`) at that moment.
    var closeSent: (frame: Int, code: UInt16?, reason: String?, ownLosses: Int, peerGaps: Int)?
    /// Pings this direction sent that the peer has not answered yet.
    var unansweredPings: [ConnectionAnalyzer.OutstandingPing] = []
    /// Round trips (ms) of this direction's pings.
    var roundTrips: [Double] = []

    /// Counts by opcode name, for summaries.
    static func named(_ counts: [Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (raw, count) in counts.enumerated() where count > 0 {
            result[Opcode(rawValue: UInt8(raw))!.name] = count
        }
        return result
    }
}

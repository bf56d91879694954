import WSStream
import WSWire

extension ConnectionAnalyzer {
    /// Bytes kept while deciding what a connection first seen mid-stream carries.
    static let probeLimit = 64 * 1024

    /// Decides from the first bytes whether the connection is HTTP, WebSocket without a handshake, or neither.
    func detect(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {
        let index = direction.rawValue
        recordProbeChunk(at: directions[index].probe.count, origin: origin, in: directions[index])
        directions[index].probe.append(contentsOf: bytes)
        let ports = inspector.options.webSocketPorts
        let verdict = HTTPSniffer.classify(Array(directions[index].probe.prefix(32)))

        switch verdict {
        case .request:
            clientDirection = direction
            mode = .http
            replayProbes()
            return
        case .response:
            clientDirection = direction.reversed
            mode = .http
            // A response whose request is not there: the client's first bytes were lost (the gap may not be declared
            // yet, or its stream was first seen mid-stream). What the client sends waits for the response to say what
            // it is: frames after a 101, unknown HTTP otherwise.
            let client = directions[clientDirection.rawValue]
            if client.gaps > 0 || client.accounting.streamBytes == 0
                || HTTPSniffer.classify(Array(client.probe.prefix(32))) == .notHTTP {
                requestLost = true
            }
            replayProbes()
            return
        case .undecided:
            return
        case .notHTTP:
            break
        }
        // TLS: a ClientHello (or a ServerHello whose ClientHello is missing). Before --ws-port: on port 443 the
        // records would otherwise be decoded as frames.
        switch detectTLS(directions[index].probe, direction: direction) {
        case true?:
            replayProbes()
            return
        case nil:
            return
        case false?:
            break
        }
        // A connection first seen after its TLS handshake (or whose start the capture lost): named as TLS.
        if !info.handshakeSeen || directions.contains(where: { $0.gaps > 0 || $0.startedMidStream }),
           detectTLSMidStream(directions[index]) {
            replayProbes()
            return
        }

        if ports.contains(info.responder.port) || ports.contains(info.initiator.port) {
            // --ws-port: the side on that port is the server.
            clientDirection = ports.contains(info.responder.port) ? .fromInitiator : .fromResponder
            startWebSocket(detection: .webSocketPort, resynchronise: true, outcome: nil, startOffsets: probeStartOffsets)
            replayProbes()
            return
        }
        // With the TCP handshake captured, the first bytes would be HTTP, unless the capture lost them: in a gap, or
        // before a direction's first captured packet (its SYN missing).
        let startLost = directions.contains { $0.gaps > 0 || $0.startedMidStream }
        guard !info.handshakeSeen || startLost, inspector.options.heuristic else {
            giveUp()
            return
        }
        if info.handshakeSeen {
            // The TCP handshake was captured, then its first bytes were lost: the client is the TCP initiator, and the
            // frames must prove a boundary as after any gap (compression may have been agreed, so RSV1 may be set).
            let state = directions[index]
            if state.detectionSearch == nil {
                state.detectionSearch = BoundarySearch(expectation: FrameBoundary.Expectation(
                    masked: direction == .fromInitiator, allowRSV1: true), limit: Self.probeLimit)
            }
            state.detectionSearch!.append(bytes, origin: origin)
            if case .boundary = state.detectionSearch!.decide(islandEnds: false) {
                clientDirection = .fromInitiator
                startWebSocket(detection: .heuristic, resynchronise: true, outcome: nil, startOffsets: probeStartOffsets,
                               searchCause: .startLost)
                replayProbes()
            } else if state.probe.count > Self.probeLimit {
                giveUp()
            }
            return
        }
        // A conservative heuristic: three consecutive plausible frames, consistently masked, RSV bits clear.
        // Positions ruled out stay ruled out as bytes arrive, so each search resumes where the last stopped (starting
        // over on every segment took quadratic time for a stream cut into tiny segments).
        let expectation = FrameBoundary.Expectation(masked: nil, allowRSV1: false)
        let from = directions[index].probeSearchedUpTo
        let result = directions[index].probe.withUnsafeBytes {
            FrameBoundary.search(UnsafeRawBufferPointer(rebasing: $0[from...]), expecting: expectation, atEnd: false, chain: 3)
        }
        switch result {
        case .found(let relative):
            let at = from + relative
            let masked = directions[index].probe[at + 1] & 0x80 != 0
            clientDirection = masked ? direction : direction.reversed
            startWebSocket(detection: .heuristic, resynchronise: true, outcome: nil, startOffsets: probeStartOffsets)
            replayProbes()
        case .needMore(let candidate):
            directions[index].probeSearchedUpTo = from + candidate
            if directions[index].probe.count > Self.probeLimit { giveUp() }
        case .none(let scanned):
            directions[index].probeSearchedUpTo = from + scanned
            if directions[index].probe.count > Self.probeLimit { giveUp() }
        }
    }

    /// Notes where a segment starts in the probe. At most 1 024 are kept: when full, the segments wholly before the
    /// point the search has ruled out (never frame starts) merge into one; if that frees nothing, the new segment
    /// joins the last one (its frames then show that segment's packet).
    private func recordProbeChunk(at start: Int, origin: ByteOrigin, in state: DirectionState) {
        if state.probeChunks.count >= 1024 {
            let ruledOut = state.probeSearchedUpTo
            // Chunks that end at or before `ruledOut`: all but the one containing it.
            let firstLive = state.probeChunks.lastIndex { $0.start <= ruledOut } ?? 0
            if firstLive > 1 {
                state.probeChunks.removeSubrange(1..<firstLive)
                state.probeChunks[0].start = 0
            }
        }
        if state.probeChunks.count < 1024 { state.probeChunks.append((start, origin)) }
    }

    /// Where the held probe bytes start in each direction's stream.
    private var probeStartOffsets: [UInt64] {
        directions.map { $0.accounting.streamBytes - UInt64($0.probe.count) }
    }

    private func giveUp() {
        mode = .ignored
        for direction in directions { direction.clearProbe() }
    }

    /// Replays what detection held through the chosen mode, segment by segment in capture order (both directions
    /// interleaved, so that frames come out in time order as in any other connection).
    private func replayProbes() {
        let saved = directions.map(\.probe)
        let chunks = directions.map(\.probeChunks)
        for direction in directions { direction.clearProbe() }
        var pieces: [(direction: StreamDirection, chunk: Int, order: Int)] = []
        for (order, direction) in [clientDirection, clientDirection.reversed].enumerated() where !saved[direction.rawValue].isEmpty {
            pieces += chunks[direction.rawValue].indices.map { (direction, $0, order) }
        }
        // By packet; within one packet (or merged chunks), the client's bytes first, each direction's in order.
        pieces.sort {
            let a = chunks[$0.direction.rawValue][$0.chunk].origin.packet, b = chunks[$1.direction.rawValue][$1.chunk].origin.packet
            return (a, $0.order, $0.chunk) < (b, $1.order, $1.chunk)
        }
        for piece in pieces {
            let index = piece.direction.rawValue
            let starts = chunks[index]
            let bytes = saved[index]
            let offset = directions[index].accounting.streamBytes - UInt64(bytes.count)
            let start = starts[piece.chunk].start
            let end = piece.chunk + 1 < starts.count ? starts[piece.chunk + 1].start : bytes.count
            bytes.withUnsafeBytes { all in
                // Routing may switch modes (an upgrade inside the probe); later chunks follow the new mode.
                route(UnsafeRawBufferPointer(rebasing: all[start..<end]), direction: piece.direction,
                      origin: starts[piece.chunk].origin, offset: offset + UInt64(start))
            }
        }
    }
}

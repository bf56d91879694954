import WSCapture
import WSWire

extension ConnectionAnalyzer: WebSocketStreamDelegate {
    func webSocketFrameStarted(_ frame: Frame, from sender: Sender) {}

    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, of frame: Frame, at offset: UInt64, from sender: Sender) {}

    func webSocketFrame(_ frame: Frame, from sender: Sender) {
        guard inspector.admitFrame() else { return }
        let index = direction(of: sender).rawValue
        let opcode = frame.header.opcode
        framesByOpcode[index][opcode.name, default: 0] += 1
        frameCounts[index] += 1
        payloadBytes[index] += frame.payloadReceived
        if opcode == .close {
            if let first = firstClose {
                if first.sender != sender { closeAnswered = true }
            } else {
                firstClose = (sender, frame.close?.code?.rawValue, frame.close?.reason)
            }
        }
        count(frame.diagnostics)
        inspector.emit(.frame(FrameRecord(stream: info.stream, index: frameIndex, sender: sender, frame: frame,
                                          relativeTime: relativeTime(frame.origin.time))))
        frameIndex += 1
        if sender == .client, clientMustFail, !reportedBadHandshakeUse, opcode.isData {
            reportedBadHandshakeUse = true
            report(Diagnostic(.clientAcceptedBadHandshake,
                "The client sent data frames although the server's 101 is invalid; it must fail the connection instead."),
                sender: .client, origin: frame.origin)
        }
    }

    func webSocketIncompleteHeader(_ truncation: TruncatedHeader, from sender: Sender) {
        count([truncation.diagnostic])
        inspector.emit(.incompleteHeader(stream: info.stream, sender: sender, truncation: truncation))
    }

    func webSocketResynchronised(skipped: UInt64, at offset: UInt64, from sender: Sender, origin: ByteOrigin) {
        report(Diagnostic(.streamResynchronised,
            skipped == 0 ? "Decoding resumed right after the lost bytes, at stream offset \(offset), where a plausible frame starts."
                         : "Skipped \(skipped) byte\(skipped == 1 ? "" : "s") to the next plausible frame boundary at stream offset \(offset)."),
            sender: sender, origin: origin)
    }

    /// The connection's totals.
    func summary(_ how: TCPClose) -> ConnectionSummary {
        func direction(_ sender: Sender) -> DirectionSummary {
            let index = self.direction(of: sender).rawValue
            var accounting = self.accounting[index]
            if let stream = webSocket[index] {
                accounting.frameBytes += stream.frameBytes
                accounting.skippedBytes += stream.skippedBytes
            }
            accounting.skippedBytes += probes[index].count > 0 ? UInt64(probes[index].count) : 0
            return DirectionSummary(sender: sender, framesByOpcode: framesByOpcode[index], frames: frameCounts[index],
                                    payloadBytes: payloadBytes[index], accounting: accounting)
        }
        let tcpEnd: String
        switch how {
        case .fin: tcpEnd = "fin"
        case .reset(let by): tcpEnd = "reset by \(sender(by).rawValue)"
        case .captureEnded: tcpEnd = "capture ended"
        case .replaced: tcpEnd = "replaced by a new connection on the same ports"
        case .evicted: tcpEnd = "evicted (too many open connections)"
        }
        let counts = diagnosticCounts.map { (rule: $0.key, severity: $0.value.0, count: $0.value.1) }.sorted { $0.rule < $1.rule }
        return ConnectionSummary(
            stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
            clientDirection: direction(.client), serverDirection: direction(.server),
            firstClose: firstClose, closeAnswered: closeAnswered, tcpEnd: tcpEnd,
            duration: relativeTime(lastTime), diagnosticCounts: counts)
    }
}

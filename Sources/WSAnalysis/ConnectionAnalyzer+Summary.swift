import WSCapture
import WSWire

extension ConnectionAnalyzer {
    /// The connection's totals.
    func summary(_ how: TCPClose) -> ConnectionSummary {
        func direction(_ sender: Sender) -> DirectionSummary {
            let index = self.direction(of: sender).rawValue
            var accounting = directions[index].accounting
            if let stream = directions[index].webSocket {
                accounting.frameBytes += stream.frameBytes
                accounting.skippedBytes += stream.skippedBytes
            }
            accounting.skippedBytes += UInt64(directions[index].probe.count)
            return DirectionSummary(
                sender: sender, framesByOpcode: DirectionState.named(directions[index].framesByOpcode), frames: directions[index].frames, payloadBytes: directions[index].payloadBytes,
                messagesByOpcode: DirectionState.named(directions[index].messagesByOpcode), messages: directions[index].messages,
                compressedMessages: directions[index].compressedMessages, compressedBytes: directions[index].compressedBytes, inflatedBytes: directions[index].inflatedBytes,
                pingRoundTrips: roundTripSummary(directions[index].roundTrips), accounting: accounting)
        }
        var close: CloseHandshake?
        if let initiator = closeInitiator, let first = directions[self.direction(of: initiator).rawValue].closeSent {
            let answer = directions[self.direction(of: initiator.peer).rawValue].closeSent
            close = CloseHandshake(initiator: initiator, code: first.code, reason: first.reason, answerCode: answer?.code, answered: answer != nil)
        }
        let counts = diagnosticCounts.map { (rule: $0.key, severity: $0.value.0, count: $0.value.1) }.sorted { $0.rule < $1.rule }
        return ConnectionSummary(
            stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
            clientDirection: direction(.client), serverDirection: direction(.server),
            close: close, tcpEnd: tcpEndDescription(how), firstFIN: firstFIN.map(sender),
            duration: relativeTime(lastTime), diagnosticCounts: counts)
    }
}

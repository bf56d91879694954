import WSCapture
import WSWire

extension ConnectionAnalyzer {
    /// The connection's totals.
    func summary(_ how: TCPClose) -> ConnectionSummary {
        func direction(_ sender: Sender) -> DirectionSummary {
            let index = self.direction(of: sender).rawValue
            var accounting = self.accounting[index]
            if let stream = webSocket[index] {
                accounting.frameBytes += stream.frameBytes
                accounting.skippedBytes += stream.skippedBytes
            }
            accounting.skippedBytes += UInt64(probes[index].count)
            return DirectionSummary(
                sender: sender, framesByOpcode: framesByOpcode[index], frames: frameCounts[index], payloadBytes: payloadBytes[index],
                messagesByOpcode: messagesByOpcode[index], messages: messageCounts[index],
                compressedMessages: compressedMessages[index], compressedBytes: compressedBytes[index], inflatedBytes: inflatedBytes[index],
                pingRoundTrips: roundTripSummary(roundTrips[index]), accounting: accounting)
        }
        var close: CloseHandshake?
        if let initiator = closeInitiator, let first = closeSent[self.direction(of: initiator).rawValue] {
            let answer = closeSent[self.direction(of: initiator.peer).rawValue]
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

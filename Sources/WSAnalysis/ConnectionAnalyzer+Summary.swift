import WSStream
import WSWire

extension ConnectionAnalyzer {
    /// The connection's totals.
    func summary(_ how: StreamEnd) -> ConnectionSummary {
        func direction(_ sender: Sender) -> DirectionSummary {
            let index = self.direction(of: sender).rawValue
            var accounting = directions[index].accounting
            let side = session?.side(sender)
            if let stream = side?.stream {
                accounting.frameBytes += stream.frameBytes
                accounting.skippedBytes += stream.skippedBytes
            }
            accounting.skippedBytes += UInt64(directions[index].probe.count)
            return DirectionSummary(
                sender: sender, framesByOpcode: SessionDirection.named(side?.framesByOpcode ?? []), frames: side?.frames ?? 0,
                payloadBytes: side?.payloadBytes ?? 0, messagesByOpcode: SessionDirection.named(side?.messagesByOpcode ?? []),
                messages: side?.messages ?? 0, compressedMessages: side?.compressedMessages ?? 0,
                compressedBytes: side?.compressedBytes ?? 0, inflatedBytes: side?.inflatedBytes ?? 0,
                pingRoundTrips: WebSocketSession.roundTripSummary(side?.roundTrips ?? []), accounting: accounting)
        }
        var close: CloseHandshake?
        if let session, let initiator = session.closeInitiator, let first = session.side(initiator).closeSent {
            let answer = session.side(initiator.peer).closeSent
            close = CloseHandshake(initiator: initiator, code: first.code, reason: first.reason, answerCode: answer?.code, answered: answer != nil)
        }
        let counts = tally.sortedByID
        return ConnectionSummary(
            stream: info.stream, client: clientEndpoint.description, server: serverEndpoint.description,
            clientDirection: direction(.client), serverDirection: direction(.server),
            close: close, tcpEnd: tcpEndDescription(how), firstFIN: firstFIN.map(sender),
            duration: relativeTime(lastTime), diagnosticCounts: counts)
    }
}

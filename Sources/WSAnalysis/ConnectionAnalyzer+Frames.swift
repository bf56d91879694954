import WSCapture
import WSWire

extension ConnectionAnalyzer: WebSocketStreamDelegate {
    func webSocketFrameStarted(_ frame: Frame, from sender: Sender) {
        let index = direction(of: sender).rawValue
        startDiagnostics[index] = assemblers[index]?.frameStarted(frame) ?? []
    }

    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, of frame: Frame, at offset: UInt64, from sender: Sender) {
        assemblers[direction(of: sender).rawValue]?.payload(bytes, of: frame)
    }

    func webSocketFrame(_ input: Frame, from sender: Sender) {
        let index = direction(of: sender).rawValue
        var frame = input
        frame.addDiagnostics(startDiagnostics[index])
        startDiagnostics[index] = []
        frame.addDiagnostics(conversationDiagnostics(frame, from: sender))
        let compressed = frame.header.opcode.isData && assemblers[index]?.openMessageIsCompressed == true
        let messages = assemblers[index]?.frameEnded(frame, index: frameIndex) ?? []
        guard inspector.admitFrame() else { return }
        let opcode = frame.header.opcode
        framesByOpcode[index][opcode.name, default: 0] += 1
        frameCounts[index] += 1
        payloadBytes[index] += frame.payloadReceived
        count(frame.diagnostics)
        inspector.emit(.frame(FrameRecord(stream: info.stream, index: frameIndex, sender: sender, frame: frame,
                                          relativeTime: relativeTime(frame.origin.time), compressed: compressed)))
        frameIndex += 1
        if sender == .client, clientMustFail, !reportedBadHandshakeUse, opcode.isData {
            reportedBadHandshakeUse = true
            report(Diagnostic(.clientAcceptedBadHandshake,
                "The client sent data frames although the server's 101 is invalid; it must fail the connection instead."),
                sender: .client, origin: frame.origin)
        }
        for message in messages { emit(message, from: sender) }
        if opcode == .close, let unfinished = assemblers[index]?.finish(because: "its sender sent Close") {
            emit(unfinished, from: sender)
        }
    }

    func emit(_ message: Message, from sender: Sender) {
        let index = direction(of: sender).rawValue
        messagesByOpcode[index][message.opcode.name, default: 0] += 1
        messageCounts[index] += 1
        if message.compressed {
            compressedMessages[index] += 1
            compressedBytes[index] += message.wireLength
            inflatedBytes[index] += message.length
        }
        count(message.diagnostics)
        inspector.emit(.message(MessageRecord(stream: info.stream, index: messageIndex, sender: sender, message: message,
                                              relativeTime: relativeTime(message.origin.time))))
        messageIndex += 1
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
}

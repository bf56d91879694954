import WSCapture
import WSWire

extension ConnectionAnalyzer: WebSocketStreamDelegate {
    func webSocketFrameStarted(_ frame: Frame, from sender: Sender) {
        let index = direction(of: sender).rawValue
        directions[index].startDiagnostics = directions[index].assembler?.frameStarted(frame) ?? []
    }

    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, header: FrameHeader, at offset: UInt64, from sender: Sender) {
        directions[direction(of: sender).rawValue].assembler?.payload(bytes, header: header)
    }

    func webSocketFrame(_ input: consuming Frame, from sender: Sender) {
        let index = direction(of: sender).rawValue
        var frame = input
        frame.addDiagnostics(directions[index].startDiagnostics)
        directions[index].startDiagnostics = []
        frame.addDiagnostics(conversationDiagnostics(frame, from: sender))
        let state = directions[index]
        let compressed = frame.header.opcode.isData && state.assembler?.openMessageIsCompressed == true
        let interrupted = state.assembler?.hasInterrupted == true ? state.assembler!.takeInterrupted() : []
        let completed = state.assembler?.frameEnded(frame, index: frameIndex)
        guard inspector.admitFrame() else { return }
        let opcode = frame.header.opcode
        directions[index].framesByOpcode[Int(opcode.rawValue)] += 1
        directions[index].frames += 1
        directions[index].payloadBytes += frame.payloadReceived
        count(frame.diagnostics)
        if inspector.options.reportFrames {
            inspector.emit(.frame(FrameRecord(stream: info.stream, index: frameIndex, sender: sender, frame: frame,
                                              relativeTime: relativeTime(frame.origin.time), compressed: compressed)))
        } else {
            inspector.countSilently(frame.diagnostics)
        }
        frameIndex += 1
        if sender == .client, clientMustFail, !reportedBadHandshakeUse, opcode.isData {
            reportedBadHandshakeUse = true
            report(Diagnostic(.clientAcceptedBadHandshake,
                "The client sent data frames although the server's 101 is invalid; it must fail the connection instead."),
                sender: .client, origin: frame.origin)
        }
        for message in interrupted { emit(message, from: sender) }
        if let completed { emit(completed, from: sender) }
        if opcode == .close, let unfinished = directions[index].assembler?.finish(because: "its sender sent Close") {
            emit(unfinished, from: sender)
        }
    }

    func emit(_ message: Message, from sender: Sender) {
        let index = direction(of: sender).rawValue
        directions[index].messagesByOpcode[Int(message.opcode.rawValue)] += 1
        directions[index].messages += 1
        if message.compressed {
            directions[index].compressedMessages += 1
            directions[index].compressedBytes += message.wireLength
            directions[index].inflatedBytes += message.length
        }
        count(message.diagnostics)
        if inspector.options.reportFrames {
            inspector.emit(.message(MessageRecord(stream: info.stream, index: messageIndex, sender: sender, message: message,
                                                  relativeTime: relativeTime(message.origin.time))))
        } else {
            inspector.countSilently(message.diagnostics)
        }
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

import WSCapture
import WSWire

extension ConnectionAnalyzer: WebSocketStreamDelegate {
    func webSocketFrameStarted(_ frame: Frame, from sender: Sender) {
        let state = directions[direction(of: sender).rawValue]
        if state.assembler != nil { state.startDiagnostics = state.assembler!.frameStarted(frame) }
    }

    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, header: FrameHeader, at offset: UInt64, from sender: Sender) {
        let state = directions[direction(of: sender).rawValue]
        if state.assembler != nil { state.assembler!.payload(bytes, header: header) }
    }

    func webSocketFrame(_ input: consuming Frame, from sender: Sender) {
        // One reference to the direction's state for the whole frame: its fields are updated in place.
        let state = directions[direction(of: sender).rawValue]
        var frame = input
        if !state.startDiagnostics.isEmpty {
            frame.addDiagnostics(state.startDiagnostics)
            state.startDiagnostics = []
        }
        let opcode = frame.header.opcode
        let found = conversationDiagnostics(frame, from: sender)
        if !found.isEmpty { frame.addDiagnostics(found) }
        var compressed = false
        var interrupted: [Message] = []
        var completed: Message?
        if state.assembler != nil {
            compressed = opcode.isData && state.assembler!.openMessageIsCompressed
            if state.assembler!.hasInterrupted { interrupted = state.assembler!.takeInterrupted() }
            completed = state.assembler!.frameEnded(frame, index: frameIndex)
        }
        guard inspector.admitFrame() else { return }
        state.framesByOpcode[Int(opcode.rawValue)] += 1
        state.frames += 1
        state.payloadBytes += frame.payloadReceived
        if !frame.diagnostics.isEmpty { count(frame.diagnostics) }
        if inspector.options.reportFrames {
            inspector.emit(.frame(FrameRecord(stream: info.stream, index: frameIndex, sender: sender, frame: frame,
                                              relativeTime: relativeTime(frame.origin.time), compressed: compressed)))
        } else if !frame.diagnostics.isEmpty {
            inspector.countSilently(frame.diagnostics)
        }
        frameIndex += 1
        if sender == .client, clientMustFail, !reportedBadHandshakeUse, opcode.isData {
            reportedBadHandshakeUse = true
            report(Diagnostic(.clientAcceptedBadHandshake,
                "The client sent data frames although the server's 101 is invalid; it must fail the connection instead."),
                sender: .client, origin: frame.origin)
        }
        for message in interrupted { emit(message, from: sender, state: state) }
        if let completed { emit(completed, from: sender, state: state) }
        if opcode == .close, state.assembler != nil, let unfinished = state.assembler!.finish(because: "its sender sent Close") {
            emit(unfinished, from: sender, state: state)
        }
    }

    func emit(_ message: Message, from sender: Sender) {
        emit(message, from: sender, state: directions[direction(of: sender).rawValue])
    }

    func emit(_ message: Message, from sender: Sender, state: DirectionState) {
        state.messagesByOpcode[Int(message.opcode.rawValue)] += 1
        state.messages += 1
        if message.compressed {
            state.compressedMessages += 1
            state.compressedBytes += message.wireLength
            state.inflatedBytes += message.length
        }
        if !message.diagnostics.isEmpty { count(message.diagnostics) }
        if inspector.options.reportFrames {
            inspector.emit(.message(MessageRecord(stream: info.stream, index: messageIndex, sender: sender, message: message,
                                                  relativeTime: relativeTime(message.origin.time))))
        } else if !message.diagnostics.isEmpty {
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

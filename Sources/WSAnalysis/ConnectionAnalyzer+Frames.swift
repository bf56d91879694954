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

    func webSocketPayloadLost(_ count: UInt64, header: FrameHeader, from sender: Sender) {
        let state = directions[direction(of: sender).rawValue]
        if state.assembler != nil { state.assembler!.payloadLost(count, header: header) }
    }

    func webSocketLostBoundaries(at offset: UInt64, from sender: Sender) {
        let state = directions[direction(of: sender).rawValue]
        state.boundaryLosses += 1
        if state.assembler != nil, let cut = state.assembler!.boundariesLost() {
            emit(cut, from: sender, state: state)
        }
    }

    func webSocketResynchronised(_ episode: ResyncEpisode, from sender: Sender) {
        let skipped = episode.skipped == 1 ? "1 byte" : "\(episode.skipped) bytes"
        let text: String
        switch (episode.cause, episode.boundary) {
        case (.gap(let lost), let boundary?):
            text = "A capture gap of \(lost) byte\(lost == 1 ? "" : "s") swallowed a frame header, so the frame boundaries were lost; decoding resumes at stream offset \(boundary), the first boundary the bytes after the gap prove (\(skipped) skipped). Checks that need the lost bytes are not made across the gap."
        case (.gap(let lost), nil):
            text = "A capture gap of \(lost) byte\(lost == 1 ? "" : "s") swallowed a frame header, and no frame boundary can be proven in the \(skipped) captured after it (up to the next gap or the end): they are skipped, not guessed at."
        case (.midStream, let boundary?):
            text = episode.skipped == 0
                ? "First seen mid-stream; decoding starts at the first proven frame boundary, stream offset \(boundary) (the first byte captured)."
                : "First seen mid-stream; decoding starts at the first proven frame boundary, stream offset \(boundary) (\(skipped) before it skipped)."
        case (.midStream, nil):
            text = "First seen mid-stream; no frame boundary can be proven in the \(skipped) captured (up to the first gap or the end): they are skipped, not guessed at."
        case (.startLost, let boundary?):
            text = "The first bytes of this direction after the TCP handshake are missing from the capture; decoding starts at the first proven frame boundary, stream offset \(boundary) (\(skipped) captured before it skipped)."
        case (.startLost, nil):
            text = "The first bytes of this direction after the TCP handshake are missing from the capture, and no frame boundary can be proven in the \(skipped) captured (up to the next gap or the end): they are skipped."
        case (.upgradeResponseLost, let boundary?):
            text = "The server's response to the upgrade was lost in a capture gap; decoding goes on as WebSocket (most upgrades succeed) from stream offset \(boundary), the first frame boundary the bytes after the gap prove (\(skipped) skipped)."
        case (.upgradeResponseLost, nil):
            text = "The server's response to the upgrade was lost in a capture gap, and no frame boundary can be proven in the \(skipped) captured after it (up to the next gap or the end): they are skipped."
        case (.upgradeRequestLost, let boundary?):
            text = "The client's upgrade request was lost in a capture gap; its frames are decoded from stream offset \(boundary), the first frame boundary the captured bytes prove (\(skipped) skipped)."
        case (.upgradeRequestLost, nil):
            text = "The client's upgrade request was lost in a capture gap, and no frame boundary can be proven in the \(skipped) of it captured (up to the next gap or the end): they are skipped."
        case (.implausibleHeader(let why), let boundary?):
            text = "Decoding stopped at an implausible header (\(why)) soon after a resynchronisation: the boundary found then was wrong, or the peer broke the protocol right after the gap. Decoding resumes at stream offset \(boundary), the next proven boundary (\(skipped) skipped)."
        case (.implausibleHeader(let why), nil):
            text = "Decoding stopped at an implausible header (\(why)) soon after a resynchronisation, and no frame boundary can be proven in the \(skipped) after it: they are skipped."
        }
        report(Diagnostic(.streamResynchronised, text), sender: sender, origin: episode.origin)
    }
}

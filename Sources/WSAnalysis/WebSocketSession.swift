import WSStream
import WSWire

/// Where a `WebSocketSession` reports what it finds: the connection analyzer of a capture, or the analysis of pasted
/// frames (`wsinspect frame`). Both get the same events from the same code.
protocol WebSocketSessionHost: AnyObject {
    /// The connection's number in the capture, nil for pasted frames (asked once).
    var sessionStream: Int? { get }
    /// False with `--summary`: frames and messages are decoded and checked, but not emitted (asked once).
    var sessionReportsFrames: Bool { get }
    /// The time of the connection's first packet, from which event times count; nil for pasted frames (asked once).
    var sessionStart: Timestamp? { get }
    /// Counts a frame about to be reported; false once a limit (`-c`) says to stop.
    func sessionAdmitFrame() -> Bool
    /// Emits a frame, message or incomplete-header event.
    func sessionEmit(_ event: InspectionEvent)
    /// Counts findings for the connection's summary and the capture's totals (whether or not they are emitted).
    func sessionCount(_ diagnostics: [Diagnostic])
    /// Emits a finding of the session as a diagnostic record (and counts it).
    func sessionReport(_ diagnostic: Diagnostic, sender: Sender?, origin: ByteOrigin?)
}

/// How one sender's stream ended, for what it leaves unfinished.
struct StreamStop {
    /// The sender itself closed (FIN) or reset (RST) the connection: a frame or message it leaves unfinished is its
    /// own doing. Otherwise (the capture or the pasted input ended, the peer reset the connection) nobody is blamed.
    let bySender: Bool
    /// Why, in words: "the client closed TCP (FIN)", "the capture ended".
    let reason: String
}

/// What a session is told about one sender's direction when it starts.
struct SessionDirectionSetup {
    var context: FrameRuleContext
    var deflate: DeflateSettings?
    /// RSV1 may mean compressed, but the agreement is unknown (no handshake).
    var compressionUnknown = false
    /// Stream offset of the first byte.
    var startOffset: UInt64 = 0
    /// The boundaries are unknown at the start: look for a proven one first.
    var resynchronise = false
    var searchCause: ResyncEpisode.Cause = .midStream
    /// The payload view's reader of this sender's messages.
    var consumer: MessageConsumer?
}

/// The WebSocket layer of one connection, or of pasted frames: for each sender, frames through the WSWire decoder
/// (with recovery from capture gaps) and the message assembler, then the conversation rules between the two (the
/// close handshake, ping and pong), and the counters for the summary. What it finds goes to its host as events.
final class WebSocketSession: WebSocketStreamDelegate {
    /// Options that come from the command line.
    struct Options {
        var payloadLimit = Int.max
        var maxMessageSize = 64 << 20
        /// Keep each compressed message's bytes as sent too (for the decompression view of pasted frames).
        var keepCompressed = false
        /// The time limits of the promptness rules.
        var timing = TimingThresholds()
    }

    /// The host outlives the session (it owns it): no reference counting on the per-frame path.
    unowned(unsafe) let host: WebSocketSessionHost
    /// Whether frames and messages are emitted (`--summary` decodes and checks them without).
    private let reportsFrames: Bool
    /// The host's constants, kept here so that the per-frame path makes fewer calls through the host protocol.
    private let stream: Int?
    /// nil for pasted frames, which have no times: the timing rules are not applied to them.
    let start: Timestamp?
    let timing: TimingThresholds
    /// Per sender: index 0 the client (or the unknown sender of pasted frames), 1 the server.
    let sides: [SessionDirection]
    var frameIndex = 0
    var messageIndex = 0
    var closeInitiator: Sender?
    /// The server's 101 was one a conforming client must refuse: its data frames are a finding (once).
    var clientMustFail = false
    private var reportedBadHandshakeUse = false
    /// The server's 101 accepted permessage-deflate with client_no_context_takeover (RFC 7692 §7.1.1.2).
    var clientNoContextTakeover = false

    /// `setups` are for the client and the server, or a single one for pasted frames whose sender is `sender`.
    init(host: WebSocketSessionHost, options: Options, setups: [Sender?: SessionDirectionSetup],
         scratch: ScratchBuffer, inflateScratch: ScratchBuffer) {
        self.host = host
        self.reportsFrames = host.sessionReportsFrames
        self.stream = host.sessionStream
        self.start = host.sessionStart
        self.timing = options.timing
        // Slot 0 is the client's (or that of pasted frames whose sender is not known), slot 1 the server's.
        sides = [SessionDirection(sender: setups.keys.contains(nil) ? nil : .client), SessionDirection(sender: .server)]
        for (sender, setup) in setups {
            let side = sides[Self.slot(sender)]
            side.assembler = MessageAssembler(
                sender: side.sender, deflate: setup.deflate, compressionUnknown: setup.compressionUnknown,
                options: MessageAssembler.Options(maxMessageSize: options.maxMessageSize, displayLimit: options.payloadLimit,
                                                  keepCompressed: options.keepCompressed),
                inflateScratch: inflateScratch, startsMidStream: setup.resynchronise, consumer: setup.consumer)
            side.hasAssembler = true
            side.stream = WebSocketStream(
                sender: side.sender, context: setup.context, options: FrameDecoder.Options(payloadLimit: options.payloadLimit),
                delegate: self, startOffset: setup.startOffset, resynchronise: setup.resynchronise,
                searchCause: setup.searchCause, allowRSV1: setup.context.negotiatedRSV & 0b100 != 0, scratch: scratch)
        }
    }

    /// The slot of a sender (pasted frames of an unknown sender use the client's).
    static func slot(_ sender: Sender?) -> Int { sender == .server ? 1 : 0 }

    func side(_ sender: Sender?) -> SessionDirection { sides[Self.slot(sender)] }

    // MARK: - Input

    func receive(_ bytes: UnsafeRawBufferPointer, from sender: Sender?, origin: ByteOrigin) {
        sides[Self.slot(sender)].stream!.receive(bytes, origin: origin)
    }

    /// `count` bytes of the sender's stream are missing from the capture.
    func gap(_ count: UInt64, from sender: Sender?) {
        let side = sides[Self.slot(sender)]
        side.gaps += 1
        side.stream!.gap(count)
    }

    /// The layer below delivers nothing more of the sender's stream (TLS decryption stopped): an unfinished frame is
    /// cut off, and the rules that need what follows are not applied across it (as after a gap).
    func stop(_ sender: Sender?) {
        let side = sides[Self.slot(sender)]
        side.gaps += 1
        side.stream?.stop()
    }

    /// The input ended: what each direction still holds is reported, in time order (the earlier unfinished frame
    /// first), then the messages left open. `end` says, per sender, why they never finished.
    func finish(_ end: (Sender?) -> StreamStop) {
        let present = sides.filter { $0.stream != nil }
        let order = present.sorted {
            let a = $0.stream!.pendingOrigin?.time, b = $1.stream!.pendingOrigin?.time
            return a.map { a in b.map { a < $0 } ?? true } ?? false
        }
        for side in order { side.stream!.finish(end(side.sender)) }
        for side in present {
            let stop = end(side.sender)
            if let unfinished = side.assembler?.finish(because: stop.reason, bySender: stop.bySender) { emit(unfinished, side: side) }
        }
    }

    /// Seconds since the connection's first packet (0 for pasted frames).
    private func relativeTime(_ time: Timestamp) -> Double {
        start.map { time.seconds(since: $0) } ?? 0
    }

    // MARK: - WebSocketStreamDelegate

    func webSocketFrameStarted(_ frame: Frame, from sender: Sender?) {
        let side = sides[Self.slot(sender)]
        if side.hasAssembler, let found = side.assembler?.frameStarted(frame) { side.startDiagnostics = found }
    }

    func webSocketPayload(_ bytes: UnsafeRawBufferPointer, header: FrameHeader, at offset: UInt64, from sender: Sender?) {
        let side = sides[Self.slot(sender)]
        if side.hasAssembler { side.assembler?.payload(bytes, header: header) }
    }

    func webSocketFrame(_ frame: consuming Frame, from sender: Sender?) {
        // One reference to the direction's state for the whole frame: its fields are updated in place. (The frame is
        // changed where it was passed: a `var` copy of it would be 205 bytes more to move for every frame.)
        let side = sides[Self.slot(sender)]
        if !side.startDiagnostics.isEmpty {
            frame.addDiagnostics(side.startDiagnostics)
            side.startDiagnostics = []
        }
        let opcode = frame.header.opcode
        var found = conversationDiagnostics(frame, side: side)
        if let key = frame.header.maskingKey, !side.maskKeys.reported, let predictable = side.maskKeys.next(key) {
            found.append(Diagnostic(.maskKeyPredictable, predictable))
        }
        if !found.isEmpty { frame.addDiagnostics(found) }
        if !frame.diagnostics.isEmpty { noteViolations(frame.diagnostics, side: side, frame: frameIndex, time: frame.origin.time) }
        if opcode.isControl, side.assembler?.isOpen == true { side.controlsInOpenMessage = true }
        side.lastFrameTime = frame.origin.time
        var compressed = false
        var interrupted: [Message] = []
        var completed: Message?
        var inMessage: FrameInMessage?
        if side.hasAssembler {
            side.assembler?.endFrame(frame, index: frameIndex, compressed: &compressed, interrupted: &interrupted,
                                     completed: &completed, inMessage: &inMessage)
        }
        guard host.sessionAdmitFrame() else { return }
        let index = frameIndex
        if side.receiver.isListening { side.receiver.receive(frame: index, findings: frame.diagnostics) }
        side.framesByOpcode[Int(opcode.rawValue)] += 1
        side.frames += 1
        side.payloadBytes += frame.payloadReceived
        if !frame.diagnostics.isEmpty { host.sessionCount(frame.diagnostics) }
        let origin = frame.origin
        if reportsFrames {
            // The frame is not used after this: it moves into its record.
            var record = FrameRecord(stream: stream, index: frameIndex, sender: sender, frame: consume frame,
                                     relativeTime: relativeTime(origin.time), compressed: compressed)
            record.inMessage = inMessage
            host.sessionEmit(.frame(record))
        }
        frameIndex += 1
        if sender == .client, clientMustFail, !reportedBadHandshakeUse, opcode.isData {
            reportedBadHandshakeUse = true
            host.sessionReport(Diagnostic(.clientAcceptedBadHandshake,
                "The client sent data frames although the server's 101 is invalid; it must fail the connection instead."),
                sender: .client, origin: origin)
        }
        for message in interrupted {
            side.receiver.receive(message, at: index, completed: false)
            emit(message, side: side)
        }
        if let completed = completed.take() {
            side.receiver.receive(completed, at: index, completed: true)
            emit(completed, side: side)
        }
        if opcode == .close {
            if let unfinished = side.assembler?.finish(because: "its sender sent Close") {
                emit(unfinished, side: side)
            }
            side.receiver.receiveClose()
        }
    }

    func emit(_ message: consuming Message, side: SessionDirection) {
        if !message.diagnostics.isEmpty {
            noteViolations(message.diagnostics, side: side, frame: max(message.lastFrame, 0), time: side.lastFrameTime)
        }
        side.lastMessage = (messageIndex, message.frameCount, side.controlsInOpenMessage,
                            message.complete && message.diagnostics.isEmpty)
        side.controlsInOpenMessage = false
        side.messagesByOpcode[Int(message.opcode.rawValue)] += 1
        side.messages += 1
        if message.compressed {
            side.compressedMessages += 1
            side.compressedBytes += message.wireLength
            side.inflatedBytes += message.length
        }
        if !message.diagnostics.isEmpty { host.sessionCount(message.diagnostics) }
        if reportsFrames {
            let time = relativeTime(message.origin.time)
            host.sessionEmit(.message(MessageRecord(stream: stream, index: messageIndex, sender: side.sender,
                                                    message: consume message, relativeTime: time)))
        }
        messageIndex += 1
    }

    func webSocketIncompleteHeader(_ truncation: TruncatedHeader, from sender: Sender?) {
        host.sessionCount([truncation.diagnostic])
        host.sessionEmit(.incompleteHeader(stream: stream, sender: sender, truncation: truncation))
    }

    func webSocketPayloadLost(_ count: UInt64, header: FrameHeader, from sender: Sender?) {
        let side = sides[Self.slot(sender)]
        if side.hasAssembler { side.assembler?.payloadLost(count, header: header) }
    }

    func webSocketLostBoundaries(at offset: UInt64, from sender: Sender?) {
        let side = sides[Self.slot(sender)]
        side.boundaryLosses += 1
        if let cut = side.assembler?.boundariesLost() { emit(cut, side: side) }
    }

    func webSocketResynchronised(_ episode: ResyncEpisode, from sender: Sender?) {
        host.sessionReport(Diagnostic(.streamResynchronised, episode.note), sender: sender, origin: episode.origin)
    }
}

/// Everything a `WebSocketSession` keeps for one sender. A class, so that the per-frame updates happen in place.
final class SessionDirection {
    /// nil for pasted frames of an unknown sender.
    let sender: Sender?
    var stream: WebSocketStream?
    /// Reached by optional chaining, `assembler?.…`, changed in place: `assembler != nil` or a read through
    /// `assembler!` copies the whole assembler (728 bytes) first. (No property observer either: it would turn each
    /// in-place change into a copy and a write-back.)
    var assembler: MessageAssembler?
    /// `assembler != nil`, set with it. Tested before the per-chunk and per-frame calls: measured, the optional
    /// chaining alone still copied the assembler there (1 GB capture: 22 samples in its copies, 7 with this test).
    var hasAssembler = false
    /// Findings about the frame being read, made when its header arrived.
    var startDiagnostics: [Diagnostic] = []
    /// Capture gaps in this direction so far, and how many of them lost the frame boundaries: findings that need
    /// bytes a gap may have held are not made once one fell where they matter.
    var gaps = 0
    var boundaryLosses = 0

    // Totals for the summary; frame and message counts are indexed by opcode.
    var framesByOpcode = [Int](repeating: 0, count: 16)
    var frames = 0
    var payloadBytes: UInt64 = 0
    var messagesByOpcode = [Int](repeating: 0, count: 16)
    var messages = 0
    var compressedMessages = 0
    var compressedBytes: UInt64 = 0
    var inflatedBytes: UInt64 = 0
    /// The peer as a conforming receiver of this direction's frames: what its API delivered, and whether it failed.
    var receiver = ReceivingEndpoint()

    /// The first Close this direction sent: frame index, code, reason, the gap counts of this direction
    /// (`boundaryLosses`) and of the peer (`gaps`) at that moment, and its time.
    var closeSent: (frame: Int, code: UInt16?, reason: String?, ownLosses: Int, peerGaps: Int, time: Timestamp)?
    /// Pings this direction sent that the peer has not answered yet.
    var unansweredPings: [OutstandingPing] = []
    /// Round trips (ms) of this direction's pings.
    var roundTrips: [Double] = []

    // What the peer's reactions are judged against (WebSocketSession+Reactions).
    /// The first finding of this direction that obliges the receiver to fail the connection.
    var violation: (frame: Int, time: Timestamp, rule: Rule)?
    /// Error-level findings on this direction's frames and messages.
    var errors = 0
    /// The last message this direction completed: its number, frames, whether control frames came between its
    /// fragments, and whether it is complete and without findings.
    var lastMessage: (index: Int, frames: Int, controlsInside: Bool, clean: Bool)?
    /// A control frame came while this direction's message was open.
    var controlsInOpenMessage = false
    var maskKeys = MaskKeyHistory()
    /// When this direction's latest frame arrived.
    var lastFrameTime = Timestamp.zero
    /// Findings reported once per direction.
    var reportedContinuing = false
    var reportedLateAnswer = false

    init(sender: Sender?) {
        self.sender = sender
    }

    /// Counts by opcode name, for summaries.
    static func named(_ counts: [Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (raw, count) in counts.enumerated() where count > 0 {
            result[Opcode(rawValue: UInt8(raw))!.name] = count
        }
        return result
    }
}

/// A ping waiting for its pong.
struct OutstandingPing {
    let payload: [UInt8]
    let time: Timestamp
    let frame: Int
    /// Gaps in the answering direction when the ping was sent: a later gap may hold the pong.
    let answererGaps: Int
    /// Frames the answerer had sent when the ping was sent (a late pong counts only while other frames flow).
    let answererFrames: Int
    /// The first pong after this ping that did not carry its data (an unsolicited one may come first).
    var mismatchedPong: Int?
}

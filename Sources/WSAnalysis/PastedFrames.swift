import WSStream
import WSWire

/// The analysis of pasted frame bytes (`wsinspect frame`): the same `WebSocketSession` a connection of a capture
/// has, fed one sender's bytes, so that pasted frames get the same frame, message and conversation rules and the
/// same events as frames in a capture.
public final class PastedFrames: WebSocketSessionHost {
    public struct Options: Sendable {
        /// Who sent the frames (turns on the masking rules); nil when not known.
        public var sender: Sender?
        /// permessage-deflate as agreed for the sender, nil when not negotiated.
        public var deflate: DeflateSettings?

        public init(sender: Sender? = nil, deflate: DeflateSettings? = nil) {
            self.sender = sender
            self.deflate = deflate
        }
    }

    public let options: Options
    private let sink: InspectionSink
    /// Every finding, for `--strict`.
    public private(set) var tally = DiagnosticTally()
    /// True when a frame or a header was cut short by the end of the input.
    public private(set) var truncated = false
    private let scratch = ScratchBuffer()
    private let inflateScratch = ScratchBuffer(capacity: 64 * 1024)

    public init(options: Options, sink: InspectionSink) {
        self.options = options
        self.sink = sink
    }

    /// Decodes the bytes as one stream of frames from `options.sender` and reports everything to the sink.
    public func analyse(_ bytes: [UInt8]) {
        let context = options.deflate != nil ? FrameRuleContext.permessageDeflate(sender: options.sender)
                                             : FrameRuleContext(sender: options.sender)
        let setup = SessionDirectionSetup(context: context, deflate: options.deflate)
        let session = WebSocketSession(host: self, options: WebSocketSession.Options(keepCompressed: true),
                                       setups: [options.sender: setup], scratch: scratch, inflateScratch: inflateScratch)
        bytes.withUnsafeBytes { session.receive($0, from: options.sender, origin: .none) }
        session.finish { _ in StreamStop(bySender: false, reason: "the input ended") }
        withExtendedLifetime(session) {}
    }

    // MARK: - WebSocketSessionHost

    var sessionStream: Int? { nil }
    var sessionReportsFrames: Bool { true }
    var sessionStart: Timestamp? { nil }
    func sessionAdmitFrame() -> Bool { true }

    func sessionEmit(_ event: InspectionEvent) {
        switch event {
        case .frame(let record) where !record.frame.isComplete: truncated = true
        case .incompleteHeader: truncated = true
        default: break
        }
        sink.handle(event)
    }

    func sessionCount(_ diagnostics: [Diagnostic]) {
        tally.add(diagnostics)
    }

    func sessionReport(_ diagnostic: Diagnostic, sender: Sender?, origin: ByteOrigin?) {
        sessionCount([diagnostic])
        sink.handle(.diagnostic(DiagnosticRecord(stream: nil, sender: sender, origin: origin, diagnostic: diagnostic)))
    }
}

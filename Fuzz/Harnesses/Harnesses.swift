import Foundation
import WSStream
import WSAnalysis
import WSCapture
import WSReport
import WSTLS
import WSTestSupport
import WSWire
#if canImport(Glibc)
import Glibc
#endif

/// The fuzzing harnesses: each takes arbitrary bytes and runs one parser on them. A crash, a trap (including the
/// cross-checks below), a leak or a hang is a finding. Fuzz/run.sh builds this target with libFuzzer and runs one
/// harness at a time; without -DFUZZING it is a replayer of saved inputs (the regression tests use it).
enum Harness: String, CaseIterable {
    case frame, hex, http, extensions, inflate, pipeline, boundary, tls, walk
    // The payload views (ViewHarnesses.swift).
    case json, socketio, stomp, mqtt, graphql, views

    func run(_ bytes: [UInt8]) {
        switch self {
        case .json: Self.json(bytes)
        case .socketio: Self.view(bytes, choice: .only(.socketIO))
        case .stomp: Self.view(bytes, choice: .only(.stomp))
        case .mqtt: Self.view(bytes, choice: .only(.mqtt))
        case .graphql: Self.view(bytes, choice: .only(.graphQL))
        case .views: Self.view(bytes, choice: .auto)
        case .boundary: Self.boundary(bytes)
        case .frame: Self.frame(bytes)
        case .hex: Self.hex(bytes)
        case .http: Self.http(bytes)
        case .extensions: Self.extensions(bytes)
        case .inflate: Self.inflate(bytes)
        case .pipeline: Self.pipeline(bytes)
        case .tls: Self.tls(bytes)
        case .walk: Self.walk(bytes)
        }
    }

    /// The frame parser, whole and in pieces cut where the first byte says: both must give the same frames.
    static func frame(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let input = Array(bytes.dropFirst())
        let context = FrameRuleContext(sender: first & 1 == 0 ? .client : .server)
        let whole = FrameCollector.decode(input, context: context, options: .init(payloadLimit: Int(first >> 1) * 8))
        var decoder = FrameDecoder(context: context, options: .init(payloadLimit: Int(first >> 1) * 8))
        var pieces = FrameCollector()
        let step = Int(first % 7) + 1
        var start = 0
        while start < input.count {
            let end = min(input.count, start + step)
            decoder.feed(Array(input[start..<end]), into: &pieces)
            start = end
        }
        decoder.finish(into: &pieces)
        precondition(whole.frames.count == pieces.frames.count, "frame count depends on chunking")
        for (a, b) in zip(whole.frames, pieces.frames) {
            precondition(a.header == b.header && a.payload == b.payload, "frame depends on chunking")
            precondition(a.diagnostics.map(\.rule.id) == b.diagnostics.map(\.rule.id), "diagnostics depend on chunking")
        }
    }

    static func hex(_ bytes: [UInt8]) {
        _ = try? HexInput.parse(String(decoding: bytes, as: UTF8.self))
    }

    /// An HTTP head, as a request and as a response, through the handshake checks.
    static func http(_ bytes: [UInt8]) {
        let head = HTTPHead.parse(bytes)
        let request = HandshakeRequest(head: head)
        let diagnostics = request.check(serverPort: 8080)
        let response = HandshakeResponse(head: HTTPHead.parse(Array(bytes.reversed())))
        _ = HandshakeOutcome(request: request, response: response, requestDiagnostics: diagnostics)
        _ = HandshakeOutcome(request: request, response: HandshakeResponse(head: head), requestDiagnostics: diagnostics)
    }

    /// Sec-WebSocket-Extensions values: the parser, permessage-deflate validation and negotiation.
    static func extensions(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let halves = text.split(separator: "\n", maxSplits: 1).map(String.init)
        let offers = ExtensionElement.parseList(halves.first ?? "").elements
        let accepted = ExtensionElement.parseList(halves.count > 1 ? halves[1] : "").elements
        for element in offers { _ = PermessageDeflate.validate(element, isOffer: true) }
        for element in accepted { _ = PermessageDeflate.validate(element, isOffer: false) }
        _ = PermessageDeflate.negotiate(offers: offers, accepted: accepted)
    }

    /// Bytes as permessage-deflate messages: the first byte picks window bits and context takeover, the rest is cut
    /// into two compressed messages of two fragments each. A small size limit makes bombs stop early.
    static func inflate(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let settings = DeflateSettings(noContextTakeover: first & 0x80 != 0, windowBits: 8 + Int(first & 7))
        var assembler = MessageAssembler(sender: .server, deflate: settings, options: .init(maxMessageSize: 1 << 20, displayLimit: 256))
        let payload = Array(bytes.dropFirst())
        let cut = payload.count / 2
        for message in [Array(payload[..<cut]), Array(payload[cut...])] {
            let split = message.count / 3
            var wire = WebSocketBytes.frame(fin: false, rsv: 0b100, opcode: 1, payload: Array(message[..<split]))
            wire += WebSocketBytes.frame(opcode: 0, payload: Array(message[split...]))
            for frame in FrameCollector.decode(wire, context: .permessageDeflate(sender: .server)).frames {
                _ = assembler.frameStarted(frame)
                frame.payload.withUnsafeBytes { assembler.payload($0, header: frame.header) }
                _ = assembler.messagesEnded(by: frame, index: 0)
            }
        }
        _ = assembler.finish(because: "the input ended")
    }

    /// The bit-level DEFLATE walk (`DeflateWalker`): the first byte picks the window bits and how the rest is cut.
    /// The walk must not depend on the cut, and where zlib inflates the message without an error (the message
    /// assembler, the same bytes as one compressed message) and the walk finds well-formed DEFLATE, both must count
    /// the same length. (The walk may call malformed what zlib has not rejected yet: zlib reads an empty code length
    /// code as lengths 0 and waits for more input, where the data ends.)
    static func walk(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let bits = 8 + Int(first & 7)
        let payload = Array(bytes.dropFirst())
        var whole = DeflateWalker(windowBits: bits, outputLimit: 1 << 20)
        payload.withUnsafeBytes { whole.feed($0) }
        let result = whole.finish()
        var pieces = DeflateWalker(windowBits: bits, outputLimit: 1 << 20)
        let step = Int(first >> 3) + 1
        var start = 0
        while start < payload.count {
            let end = min(payload.count, start + step)
            payload[start..<end].withUnsafeBytes { pieces.feed($0) }
            start = end
        }
        precondition(pieces.finish() == result, "the walk depends on how the bytes are cut")
        var assembler = MessageAssembler(sender: .server, deflate: DeflateSettings(noContextTakeover: true, windowBits: 15),
                                         options: .init(maxMessageSize: 1 << 20, displayLimit: 0))
        let wire = WebSocketBytes.frame(rsv: 0b100, opcode: 2, payload: payload)
        for frame in FrameCollector.decode(wire, context: .permessageDeflate(sender: .server)).frames {
            _ = assembler.frameStarted(frame)
            frame.payload.withUnsafeBytes { assembler.payload($0, header: frame.header) }
            for message in assembler.messagesEnded(by: frame, index: 0) where message.complete && !message.inflateFailed {
                guard result.malformed == nil else { continue }
                precondition(result.gaveUp || result.length == Int(message.length),
                             "the walk counts \(result.length) bytes, zlib inflates \(message.length)")
            }
        }
    }

    /// The boundary search after a gap: the first byte picks the sender, RSV1 and how the rest is cut into segments
    /// (and where islands end). A boundary must be held, start a plausible header, and give back exactly the bytes
    /// from there on; nothing may be held past the limit.
    static func boundary(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let expectation = FrameBoundary.Expectation(masked: first & 1 == 0, allowRSV1: first & 2 != 0)
        var search = BoundarySearch(expectation: expectation, limit: 1024)
        var input: [UInt8] = []
        let step = Int(first >> 2) + 1
        var start = 1
        var k = 0
        while start < bytes.count {
            let end = min(bytes.count, start + step + (k % 3) * 17)
            let segment = Array(bytes[start..<end])
            segment.withUnsafeBytes { search.append($0, origin: ByteOrigin(packet: k, time: .zero)) }
            input += segment
            let islandEnds = end == bytes.count || k % 5 == 4
            switch search.decide(islandEnds: islandEnds) {
            case .waiting:
                precondition(!islandEnds, "an island ended undecided")
                // Live bytes stay within the limit; dead ones are freed once they are half of what is held.
                precondition(search.heldBytes <= 2 * 1024 + 4096 + 2 * (step + 34), "held past the limit")
            case .boundary(let at):
                precondition(at >= search.heldStart && at < search.end, "boundary outside the held bytes")
                let held = Array(input[at...])
                precondition(held.withUnsafeBytes { FrameBoundary.plausibleHeader(in: $0, at: 0, expecting: expectation) } != nil,
                             "boundary at an implausible header")
                let back = search.takeHeld(from: at).flatMap { Array($0.bytes) }
                precondition(back == held, "held bytes differ from the input")
                input = []
            case .none:
                _ = search.takeHeld(from: search.end)
                input = []
            }
            start = end
            k += 1
        }
    }

    /// A whole capture file: libpcap, link layers, IP, TCP reassembly, HTTP, frames, messages, and both renderers.
    static func pipeline(_ bytes: [UInt8]) {
        guard let source = try? CaptureSource.openMemory(bytes), let linkType = try? source.linkType() else { return }
        let output = Output(descriptor: devNull, threshold: 1 << 16)
        var options = CaptureInspector.Options()
        options.maxBuffer = 64 << 10
        options.maxBufferTotal = 256 << 10
        options.maxConnections = 8
        options.maxMessageSize = 1 << 20
        options.webSocketPorts = [8080, 8765]
        options.tlsKeys = sampleKeys
        options.reportTLSRecords = true
        let sink = FanOut([JSONEventRenderer(output: output, payloadLimit: nil, includeFields: true),
                           TextEventRenderer(output: output, options: .init(verbose: true, style: .plain, messagesOnly: false))])
        let decoder = PacketDecoder(linkType: linkType)
        let inspector = CaptureInspector(source: "fuzz", linkType: linkType, linkTypeName: source.linkTypeName,
                                         options: options, sink: sink)
        var readError: String?
        reading: while true {
            do {
                switch try source.next() {
                case .packet(let packet): inspector.process(decoder.prepare(packet))
                case .timeout, .end: break reading
                }
            } catch {
                readError = error.description
                break reading
            }
        }
        inspector.finish(readError: readError)
        output.flush()
    }

    nonisolated(unsafe) static let devNull = open("/dev/null", O_WRONLY)

    /// The key logs of the wss samples (when run from the package root), so that the pipeline decrypts their seeds.
    static let sampleKeys: TLSKeyProvider? = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "Samples"))?.filter { $0.hasSuffix(".keys") } ?? []
        let text = names.compactMap { try? String(contentsOfFile: "Samples/" + $0, encoding: .utf8) }.joined(separator: "\n")
        return text.isEmpty ? nil : FixedKeys(TLSKeyLog(text: text))
    }()

    /// The TLS layer on a valid conversation (TLS 1.3 or 1.2, sealed by `TLSTestSession`) whose bytes from a point the
    /// input chooses on are the input's; fed in chunks of a size it chooses. Every byte must be accounted for, and
    /// the hello parsers, the sniffer and the key log reader take the raw input too.
    static func tls(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let rest = Array(bytes.dropFirst(2))
        _ = TLSClientHello(rest)
        _ = TLSServerHello(rest)
        _ = TLSSniffer.classify(rest)
        _ = TLSSniffer.recordChain(in: rest)
        _ = TLSKeyLog(text: String(decoding: rest, as: UTF8.self))
        var handshake = TLSHandshakeReader()
        _ = handshake.append(rest)

        var session = TLSTestSession(bytes[1] & 1 == 0 ? .tls13(suite: 0x1301) : .tls12(suite: 0xC02F))
        var client = session.clientHello(), server = session.serverHello()
        if case .tls13 = session.version {
            server += session.serverFinishedFlight()
            client += session.clientFinished()
        } else {
            client += session.clientFinished()
            server += session.serverFinishedFlight()
        }
        client += session.applicationData(fromClient: true, Array("GET / HTTP/1.1\r\n\r\n".utf8))
        server += session.applicationData(fromClient: false, [0x81, 0x02, 0x68, 0x69])
        if bytes[1] & 2 == 0 {
            client = Array(client.prefix(Int(bytes[1] >> 2) * client.count / 64)) + rest
        } else {
            server = Array(server.prefix(Int(bytes[1] >> 2) * server.count / 64)) + rest
        }
        let layer = TLSLayer(downstream: NullStream.shared, delegate: NullStream.shared, keys: FixedKeys(TLSKeyLog(text: session.keyLog)),
                             handshakeExpected: true)
        let step = Int(bytes[0] % 32) + 1
        let origin = ByteOrigin(packet: 1, time: Timestamp(seconds: 1, nanoseconds: 0))
        var positions = [0, 0]
        while positions[0] < client.count || positions[1] < server.count {
            for (index, stream) in [client, server].enumerated() where positions[index] < stream.count {
                let end = min(stream.count, positions[index] + step)
                stream[positions[index]..<end].withUnsafeBytes {
                    layer.streamReceived($0, direction: StreamDirection(rawValue: index)!, origin: origin)
                }
                positions[index] = end
            }
        }
        if bytes[0] & 0x80 != 0 { layer.streamGap(7, direction: .fromInitiator, origin: origin, reason: .acknowledged) }
        layer.streamClosed(.fin, origin: origin, latest: origin.time)
        precondition(layer.accounting(.fromInitiator).isBalanced && layer.accounting(.fromResponder).isBalanced,
                     "TLS bytes not accounted for")
    }
}

/// Sends every event to several renderers.
final class FanOut: InspectionSink {
    let sinks: [InspectionSink]
    init(_ sinks: [InspectionSink]) { self.sinks = sinks }
    func handle(_ event: InspectionEvent) { for sink in sinks { sink.handle(event) } }
}

/// A key provider over a fixed key log.
final class FixedKeys: TLSKeyProvider, @unchecked Sendable {
    let log: TLSKeyLog
    init(_ log: TLSKeyLog) { self.log = log }
    var mayGrow: Bool { false }
    func secrets(clientRandom: [UInt8]) -> TLSSecrets? { log.secrets(clientRandom: clientRandom) }
}

/// Swallows what a TLS layer delivers.
final class NullStream: ByteStreamObserver, TLSLayerDelegate, @unchecked Sendable {
    static let shared = NullStream()
    func streamReceived(_ bytes: UnsafeRawBufferPointer, direction: StreamDirection, origin: ByteOrigin) {}
    func streamGap(_ count: UInt64, direction: StreamDirection, origin: ByteOrigin, reason: GapReason) {}
    func streamConflict(at offset: UInt64, length: Int, direction: StreamDirection, origin: ByteOrigin) {}
    func streamStartedMidStream(direction: StreamDirection) {}
    func streamFinished(direction: StreamDirection, origin: ByteOrigin) {}
    func streamStopped(direction: StreamDirection, origin: ByteOrigin) {}
    func streamClosed(_ end: StreamEnd, origin: ByteOrigin, latest: Timestamp) {}
    func tlsLayerInfoChanged(_ layer: TLSLayer, origin: ByteOrigin) {}
    func tlsLayer(_ layer: TLSLayer, event: TLSEvent, direction: StreamDirection, origin: ByteOrigin) {}
}

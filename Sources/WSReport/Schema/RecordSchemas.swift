// The keys of every JSON Lines record kind but frames (Schema/FrameSchema.swift), in the order they are written.

/// `kind: "connection"`: a connection that carries (or tried to carry) WebSocket.
public enum ConnectionKey: RecordSchema {
    public static let recordKind = "connection"
    public static let inOrder = allCases
    /// Only for TLS connections and proxy tunnels.
    public static let optionalKeys: Set<Self> = [.tls, .proxy]

    case kind, file, stream, client, server, firstPacket, ts, tcpHandshakeSeen, detection, tls, proxy

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .client: "client"
        case .server: "server"
        case .firstPacket: "first_packet"
        case .ts: "ts"
        case .tcpHandshakeSeen: "tcp_handshake_seen"
        case .detection: "detection"
        case .tls: "tls"
        case .proxy: "proxy"
        }
    }
}

/// `kind: "handshake"`: an opening handshake, the request and (when captured) the response.
public enum HandshakeKey: RecordSchema {
    public static let recordKind = "handshake"
    public static let inOrder = allCases
    /// `file`: captures only (not pasted input).
    public static let optionalKeys: Set<Self> = [.file]

    case kind, file, stream, client, server, packet, ts, requestLine, status, reason, responsePacket, key, accept
    case expectedAccept, acceptValid, subprotocol, extensions, offeredSubprotocols, offeredExtensions, upgraded
    case hixie76, permessageDeflate, requestHeaders, responseHeaders, diagnostics

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .client: "client"
        case .server: "server"
        case .packet: "packet"
        case .ts: "ts"
        case .requestLine: "request_line"
        case .status: "status"
        case .reason: "reason"
        case .responsePacket: "response_packet"
        case .key: "key"
        case .accept: "accept"
        case .expectedAccept: "expected_accept"
        case .acceptValid: "accept_valid"
        case .subprotocol: "subprotocol"
        case .extensions: "extensions"
        case .offeredSubprotocols: "offered_subprotocols"
        case .offeredExtensions: "offered_extensions"
        case .upgraded: "upgraded"
        case .hixie76: "hixie76"
        case .permessageDeflate: "permessage_deflate"
        case .requestHeaders: "request_headers"
        case .responseHeaders: "response_headers"
        case .diagnostics: "diagnostics"
        }
    }
}

/// The `permessage_deflate` object of a handshake record.
public enum DeflateAgreementKey: RecordSchema {
    public static let recordKind = "handshake.permessage_deflate"
    public static let inOrder = allCases

    case clientNoContextTakeover, serverNoContextTakeover, clientMaxWindowBits, serverMaxWindowBits

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .clientNoContextTakeover: "client_no_context_takeover"
        case .serverNoContextTakeover: "server_no_context_takeover"
        case .clientMaxWindowBits: "client_max_window_bits"
        case .serverMaxWindowBits: "server_max_window_bits"
        }
    }
}

/// `kind: "message"`: one message, after its last frame (`stream`, `ts`, `packet`: captures only; `payload_compressed`, `missing_bytes`: only when they apply).
public enum MessageKey: RecordSchema {
    public static let recordKind = "message"
    public static let inOrder = allCases
    /// `view`: only when a payload view read the message (Schema/ViewSchemas.swift).
    public static let optionalKeys: Set<Self> = [.file, .stream, .ts, .packet, .payloadCompressed, .missingBytes, .view]

    case kind, file, stream, from, index, ts, packet, opcode, opcodeName, frames, compressed, wireLength, length, text
    case dataHex, payloadTruncated, payloadCompressed, complete, missingBytes, firstFrame, lastFrame, diagnostics, view

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .from: "from"
        case .index: "index"
        case .ts: "ts"
        case .packet: "packet"
        case .opcode: "opcode"
        case .opcodeName: "opcode_name"
        case .frames: "frames"
        case .compressed: "compressed"
        case .wireLength: "wire_length"
        case .length: "length"
        case .text: "text"
        case .dataHex: "data_hex"
        case .payloadTruncated: "payload_truncated"
        case .payloadCompressed: "payload_compressed"
        case .complete: "complete"
        case .missingBytes: "missing_bytes"
        case .firstFrame: "first_frame"
        case .lastFrame: "last_frame"
        case .diagnostics: "diagnostics"
        case .view: "view"
        }
    }
}

/// `kind: "gap"`: bytes of one direction missing from the capture.
public enum GapKey: RecordSchema {
    public static let recordKind = "gap"
    public static let inOrder = allCases

    case kind, file, stream, from, offset, bytes, packet, ts, reason

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .from: "from"
        case .offset: "offset"
        case .bytes: "bytes"
        case .packet: "packet"
        case .ts: "ts"
        case .reason: "reason"
        }
    }
}

/// `kind: "diagnostic"`: a finding about a connection or the capture rather than one frame.
public enum DiagnosticRecordKey: RecordSchema {
    public static let recordKind = "diagnostic"
    public static let inOrder = allCases
    /// `file`: captures only (not pasted input).
    public static let optionalKeys: Set<Self> = [.file]

    case kind, file, stream, from, packet, ts, rule, severity, rfc, message

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .from: "from"
        case .packet: "packet"
        case .ts: "ts"
        case .rule: "rule"
        case .severity: "severity"
        case .rfc: "rfc"
        case .message: "message"
        }
    }
}

/// One entry of a `diagnostics` array.
public enum DiagnosticKey: RecordSchema {
    public static let recordKind = "diagnostics[]"
    public static let inOrder = allCases

    case rule, severity, rfc, message

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .rule: "rule"
        case .severity: "severity"
        case .rfc: "rfc"
        case .message: "message"
        }
    }
}

/// One entry of a frame's `fields` array: a row of the declarative field table.
public enum FieldKey: RecordSchema {
    public static let recordKind = "frame.fields[]"
    public static let inOrder = allCases

    case name, bitOffset, bitCount, raw, value, meaning

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .name: "name"
        case .bitOffset: "bit_offset"
        case .bitCount: "bit_count"
        case .raw: "raw"
        case .value: "value"
        case .meaning: "meaning"
        }
    }
}

/// `kind: "summary"`: the end of a connection.
public enum SummaryKey: RecordSchema {
    public static let recordKind = "summary"
    public static let inOrder = allCases
    /// Only for TLS connections and proxy tunnels.
    public static let optionalKeys: Set<Self> = [.tls, .tunnel]

    case kind, file, stream, client, server, duration, tcpEnd, tcpFirstFin, stoppedEarly, close, clientCloseEvent, serverCloseEvent, directions, tls, tunnel
    case diagnostics

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .stream: "stream"
        case .client: "client"
        case .server: "server"
        case .duration: "duration"
        case .tcpEnd: "tcp_end"
        case .tcpFirstFin: "tcp_first_fin"
        case .stoppedEarly: "stopped_early"
        case .close: "close"
        case .clientCloseEvent: "client_close_event"
        case .serverCloseEvent: "server_close_event"
        case .directions: "directions"
        case .tls: "tls"
        case .tunnel: "tunnel"
        case .diagnostics: "diagnostics"
        }
    }
}

/// The `close` object of a summary: the close handshake.
public enum CloseKey: RecordSchema {
    public static let recordKind = "summary.close"
    public static let inOrder = allCases

    case firstBy, code, reason, answered, answerCode

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .firstBy: "first_by"
        case .code: "code"
        case .reason: "reason"
        case .answered: "answered"
        case .answerCode: "answer_code"
        }
    }
}

/// The `client` and `server` objects of a summary's `directions`.
public enum DirectionKey: RecordSchema {
    public static let recordKind = "summary.directions.*"
    public static let inOrder = allCases

    case frames, framesByOpcode, payloadBytes, messages, messagesByOpcode, compressedMessages, compressedBytes
    case inflatedBytes, pingRttMs, streamBytes, httpBytes, frameBytes, skippedBytes, gapBytes

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .frames: "frames"
        case .framesByOpcode: "frames_by_opcode"
        case .payloadBytes: "payload_bytes"
        case .messages: "messages"
        case .messagesByOpcode: "messages_by_opcode"
        case .compressedMessages: "compressed_messages"
        case .compressedBytes: "compressed_bytes"
        case .inflatedBytes: "inflated_bytes"
        case .pingRttMs: "ping_rtt_ms"
        case .streamBytes: "stream_bytes"
        case .httpBytes: "http_bytes"
        case .frameBytes: "frame_bytes"
        case .skippedBytes: "skipped_bytes"
        case .gapBytes: "gap_bytes"
        }
    }
}

/// The `ping_rtt_ms` object: round trips of one side's pings, in milliseconds.
public enum RoundTripKey: RecordSchema {
    public static let recordKind = "summary.directions.*.ping_rtt_ms"
    public static let inOrder = allCases

    case count, min, avg, max

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .count: "count"
        case .min: "min"
        case .avg: "avg"
        case .max: "max"
        }
    }
}

/// `kind: "capture"`: the totals of the whole capture, last.
public enum CaptureKey: RecordSchema {
    public static let recordKind = "capture"
    public static let inOrder = allCases

    /// Only with `--stream`.
    public static let optionalKeys: Set<Self> = [.onlyStream]

    case kind, file, source, linkType, packets, tcpSegments, tcpConnections, websocketConnections, frames, nonIpPackets
    case nonTcpPackets, ipFragments, malformedPackets, diagnostics, readError, dropped, stoppedByLimit, stoppedEarly, onlyStream

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .file: "file"
        case .source: "source"
        case .linkType: "link_type"
        case .packets: "packets"
        case .tcpSegments: "tcp_segments"
        case .tcpConnections: "tcp_connections"
        case .websocketConnections: "websocket_connections"
        case .frames: "frames"
        case .nonIpPackets: "non_ip_packets"
        case .nonTcpPackets: "non_tcp_packets"
        case .ipFragments: "ip_fragments"
        case .malformedPackets: "malformed_packets"
        case .diagnostics: "diagnostics"
        case .readError: "read_error"
        case .dropped: "dropped"
        case .stoppedByLimit: "stopped_by_limit"
        case .stoppedEarly: "stopped_early"
        case .onlyStream: "only_stream"
        }
    }
}

/// The `dropped` object of a live capture's totals.
public enum DroppedKey: RecordSchema {
    public static let recordKind = "capture.dropped"
    public static let inOrder = allCases

    case kernel, interface

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kernel: "kernel"
        case .interface: "interface"
        }
    }
}


/// `kind: "rule"`: `wsinspect rules --json`.
public enum RuleKey: RecordSchema {
    public static let recordKind = "rule"
    public static let inOrder = allCases

    case kind, rule, severity, rfc, summary

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .rule: "rule"
        case .severity: "severity"
        case .rfc: "rfc"
        case .summary: "summary"
        }
    }
}

/// `client_close_event` and `server_close_event` of a summary: what each endpoint's WebSocket API reported.
public enum CloseEventKey: RecordSchema {
    public static let recordKind = "summary.close_event"
    public static let inOrder = allCases

    /// Only when the endpoint failed the connection on a frame it received.
    public static let optionalKeys: Set<Self> = [.errorFrame, .errorRule]

    case code, reason, wasClean, errorFrame, errorRule

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .code: "code"
        case .reason: "reason"
        case .wasClean: "was_clean"
        case .errorFrame: "error_frame"
        case .errorRule: "error_rule"
        }
    }
}

import WSStream
import WSWire

/// HTTP CONNECT (RFC 9110 §9.3.6): a client asks a proxy for a tunnel to `host:port`; after a 2xx answer the
/// connection carries whatever the client and the far server say, which is inspected as a fresh connection start
/// (an HTTP upgrade, or TLS for wss) by an inner analyzer, under the same connection.
extension ConnectionAnalyzer {
    /// The port a request read here is addressed to: inside a tunnel, the CONNECT target's (the TCP port is the
    /// proxy's); otherwise the server's TCP port.
    var portTheRequestReaches: UInt16 {
        if !isRoot, let hop = root.proxyHop, hop.established, let colon = hop.target.lastIndex(of: ":"),
           let port = UInt16(hop.target[hop.target.index(after: colon)...]) {
            return port
        }
        return serverEndpoint.port
    }

    /// The proxy answered the pending CONNECT.
    func answerConnect(_ connect: (target: String, origin: ByteOrigin), response: HandshakeResponse, head: HTTPHead,
                       origin: ByteOrigin, nextOffset: UInt64) {
        pendingConnect = nil
        let hop = ProxyHop(target: connect.target, status: response.status, reason: response.line?.reason.trimmingWhitespace,
                           requestOrigin: connect.origin, responseOrigin: origin)
        root.proxyHop = hop
        let heldChunks = held
        held = []
        heldBytes = 0
        let clientStart = directions[clientDirection.rawValue].accounting.streamBytes - heldChunks.reduce(0) { $0 + $1.length }
        if hop.established {
            mode = .tunnel
            let innerInfo = StreamInfo(stream: info.stream, initiator: info.initiator, responder: info.responder,
                                       handshakeSeen: true, firstPacket: info.firstPacket)
            tunnel = ConnectionAnalyzer(info: innerInfo, inspector: inspector, parent: self)
        } else {
            reportConnection(.connect)
            let status = response.status.map(String.init) ?? "an unreadable status line"
            let why = response.status == 407 ? " (it asks for credentials: Proxy-Authenticate)" : ""
            report(Diagnostic(.connectRefused,
                "The proxy answered CONNECT \(connect.target) with \(status) \(hop.reason ?? "")\(why); no tunnel was opened.",
                at: .startLine(.response)), sender: .server, origin: origin)
            // A refusal is an ordinary response: its body is skipped as any other's.
            directions[clientDirection.reversed.rawValue].http.expectBody(after: head, isResponse: true, requestMethod: "GET")
        }
        // What the client sent while waiting goes into the tunnel, or is HTTP again (a new request with credentials).
        replayHeld(heldChunks, from: clientStart)
    }
}

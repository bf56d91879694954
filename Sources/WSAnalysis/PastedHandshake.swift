import WSStream
import WSWire

/// The analysis of a pasted opening handshake (`wsinspect handshake`): a request head, optionally followed by the
/// response head, as browser DevTools, `curl -v` or a tutorial print them. The heads go through the same checks as a
/// captured handshake and come out as the same `handshake` event (without a connection: no stream, endpoints or
/// packets), so every view draws them as it draws a capture's.
public enum PastedHandshake {
    /// Why a paste cannot be read as a handshake.
    public enum Failure: Error, CustomStringConvertible {
        case empty
        case responseOnly
        case notARequest(String)

        public var description: String {
            switch self {
            case .empty: "no handshake given: paste the request head (and the response head after it)"
            case .responseOnly: "this is a response: paste the request head first, then the response"
            case .notARequest(let line): "the first line \"\(line.prefix(60))\" is not an HTTP request line (METHOD target HTTP/x.y)"
            }
        }
    }

    /// The two heads of a paste, as CRLF-terminated bytes, and whether its lines ended in bare LF.
    struct Heads {
        var request: [UInt8]
        var response: [UInt8]?
        var bareLF: Bool
    }

    /// Reads the paste and reports the handshake to `sink` (with a note among its findings when the lines end in bare LF).
    public static func analyse(_ text: String, sink: InspectionSink) throws(Failure) -> DiagnosticTally {
        let heads = try split(text)
        let request = HandshakeRequest(head: HTTPHead.parse(heads.request))
        var diagnostics = request.check(serverPort: nil)
        var response: HandshakeResponse?
        var outcome: HandshakeOutcome?
        if let bytes = heads.response {
            let parsed = HandshakeResponse(head: HTTPHead.parse(bytes))
            response = parsed
            let evaluated = HandshakeOutcome(request: request, response: parsed, requestDiagnostics: diagnostics)
            outcome = evaluated
            diagnostics += evaluated.diagnostics
        }
        if heads.bareLF {
            diagnostics.append(Diagnostic(.pastedBareLF,
                "The pasted lines end in bare LF; they were read as CRLF lines, as sent on the wire (a paste cannot show whether the CR was there)."))
        }
        var tally = DiagnosticTally()
        tally.add(diagnostics)
        sink.handle(.handshake(HandshakeRecord(stream: nil, client: nil, server: nil, request: request, requestOrigin: .none,
                                               response: response, responseOrigin: response == nil ? nil : ByteOrigin.none,
                                               outcome: outcome, diagnostics: diagnostics)))
        return tally
    }

    /// Splits a paste into its request head and response head. `curl -v` output (`> ` request lines, `< ` response
    /// lines, `* ` comments) is recognised; otherwise the request comes first and the response follows a blank line.
    static func split(_ text: String) throws(Failure) -> Heads {
        // (In Swift "\r\n" is one Character: CRLF and bare LF are told apart as Characters.)
        let bareLF = text.contains { $0 == "\n" }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        var request: [String] = []
        var response: [String] = []
        if lines.contains(where: { $0.hasPrefix("> ") }) {
            for line in lines {
                if line.hasPrefix("> ") || line == ">" { request.append(String(line.dropFirst(2))) }
                if line.hasPrefix("< ") || line == "<" { response.append(String(line.dropFirst(2))) }
            }
            request = trimmed(request)
            response = Array(trimmed(response).prefix { !$0.isEmpty })
        } else {
            lines = Array(lines.drop { $0.trimmingCharacters(in: " \t").isEmpty })
            request = Array(lines.prefix { !$0.isEmpty })
            let rest = lines.dropFirst(request.count).drop { $0.trimmingCharacters(in: " \t").isEmpty }
            response = Array(rest.prefix { !$0.isEmpty })
        }
        guard let first = request.first else { throw .empty }
        if first.hasPrefix("HTTP/") { throw .responseOnly }
        guard HTTPRequestLine(first) != nil || first.split(separator: " ").count == 3 else { throw .notARequest(first) }
        func bytes(_ head: [String]) -> [UInt8] { Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) }
        return Heads(request: bytes(request), response: response.first?.hasPrefix("HTTP/") == true ? bytes(response) : nil,
                     bareLF: bareLF)
    }

    private static func trimmed(_ lines: [String]) -> [String] {
        Array(lines.drop { $0.trimmingCharacters(in: " \t").isEmpty })
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

/// What permessage-deflate settles for one direction's compressed messages (RFC 7692 §7).
public struct DeflateSettings: Hashable, Sendable {
    /// The sender starts every message from an empty window (`*_no_context_takeover`).
    public var noContextTakeover: Bool
    /// LZ77 window size the sender may use, 8-15 (`*_max_window_bits`, 15 when absent).
    public var windowBits: Int

    public init(noContextTakeover: Bool = false, windowBits: Int = 15) {
        self.noContextTakeover = noContextTakeover
        self.windowBits = windowBits
    }
}

/// The permessage-deflate agreement of a connection: which parameters the server accepted, and what they mean for
/// each direction. `server_*` parameters govern what the server compresses (server-to-client messages), `client_*`
/// what the client compresses (client-to-server) — the opposite of what Wireshark 4.0 applies.
public struct DeflateAgreement: Hashable, Sendable {
    /// The response element as sent.
    public let element: ExtensionElement
    public let client: DeflateSettings
    public let server: DeflateSettings

    /// The settings for messages sent by `sender`.
    public func settings(for sender: Sender) -> DeflateSettings {
        sender == .client ? client : server
    }
}

/// Parses and validates permessage-deflate offers and responses (RFC 7692 §5, §7).
public enum PermessageDeflate {
    public static let name = "permessage-deflate"
    /// Pre-standard per-frame compression extensions that also use RSV1.
    public static let legacyNames: Set<String> = ["x-webkit-deflate-frame", "deflate-frame", "perframe-deflate"]
    static let parameterNames: Set<String> = ["server_no_context_takeover", "client_no_context_takeover",
                                              "server_max_window_bits", "client_max_window_bits"]

    /// Findings about one offer (`isOffer`) or response element, and whether the element is valid.
    public static func validate(_ element: ExtensionElement, isOffer: Bool) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let role = isOffer ? "offer" : "response"
        let anchor = DiagnosticAnchor.header(isOffer ? .request : .response, name: "sec-websocket-extensions")
        var seen = Set<String>()
        for parameter in element.parameters {
            let name = parameter.name.lowercased()
            guard parameterNames.contains(name) else {
                found.append(Diagnostic(.pmdUnknownParameter, "The permessage-deflate \(role) has the unknown parameter \"\(parameter.name)\".", at: anchor))
                continue
            }
            if !seen.insert(name).inserted {
                found.append(Diagnostic(.pmdDuplicateParameter, "The permessage-deflate \(role) repeats \(name).", at: anchor))
            }
            if name.hasSuffix("no_context_takeover") {
                if parameter.value != nil {
                    found.append(Diagnostic(.pmdUnexpectedValue, "\(name) takes no value, but the \(role) gives it \"\(parameter.value!)\".", at: anchor))
                }
            } else if let value = parameter.value {
                if windowBits(value) == nil {
                    found.append(Diagnostic(.pmdInvalidWindowBits, "\(name)=\(value) in the \(role) is not a decimal 8-15 without a leading zero.", at: anchor))
                }
            } else if name == "server_max_window_bits" || !isOffer {
                found.append(Diagnostic(.pmdInvalidWindowBits, "\(name) in the \(role) needs a value 8-15\(name == "client_max_window_bits" ? " (only an offer may send it bare)" : "").", at: anchor))
            }
        }
        return found
    }

    /// 8...15 from "8".."15"; nil for anything else (leading zeros, signs, other numbers).
    static func windowBits(_ text: String) -> Int? {
        guard let value = Int(text), (8...15).contains(value), String(value) == text else { return nil }
        return value
    }

    /// Evaluates the server's accepted extensions against the client's offers: the agreement (when permessage-deflate
    /// was accepted) and every finding of RFC 7692 §7.1 and §5.
    public static func negotiate(offers: [ExtensionElement], accepted: [ExtensionElement]) -> (agreement: DeflateAgreement?, diagnostics: [Diagnostic]) {
        var found: [Diagnostic] = []
        let pmdOffers = offers.filter { $0.name.lowercased() == name }
        for offer in pmdOffers { found += validate(offer, isOffer: true) }
        for element in offers where legacyNames.contains(element.name.lowercased()) {
            found.append(Diagnostic(.legacyDeflateFrame, "The client offers \(element.name), the pre-standard per-frame compression of old Chrome and Safari (superseded by permessage-deflate).",
                                    at: .header(.request, name: "sec-websocket-extensions")))
        }
        let responses = accepted.filter { $0.name.lowercased() == name }
        for element in accepted where legacyNames.contains(element.name.lowercased()) {
            found.append(Diagnostic(.legacyDeflateFrame, "The server accepted \(element.name), the pre-standard per-frame compression; its frames are not permessage-deflate messages."))
        }
        if responses.count > 1 || (responses.count == 1 && accepted.contains { legacyNames.contains($0.name.lowercased()) }) {
            found.append(Diagnostic(.pmdRSV1Conflict, "The server accepted permessage-deflate together with another extension that uses RSV1 (or twice); RSV1 can mean only one thing."))
        }
        guard let response = responses.first else { return (nil, found) }
        let responseProblems = validate(response, isOffer: false)
        found += responseProblems
        if !pmdOffers.isEmpty && pmdOffers.allSatisfy({ !validate($0, isOffer: true).isEmpty }) {
            found.append(Diagnostic(.pmdInvalidOfferAccepted, "Every permessage-deflate offer was invalid, yet the server accepted one; it must decline invalid offers."))
        }
        func parameter(_ key: String, in element: ExtensionElement) -> ExtensionElement.Parameter? {
            element.parameters.first { $0.name.lowercased() == key }
        }
        if parameter("client_max_window_bits", in: response) != nil,
           !pmdOffers.contains(where: { parameter("client_max_window_bits", in: $0) != nil }) {
            found.append(Diagnostic(.pmdClientWindowBitsNotOffered, "The response sets client_max_window_bits, which no offer included."))
        }
        // An offer's server_max_window_bits must be honoured with an equal or smaller value.
        let responseServerBits = parameter("server_max_window_bits", in: response).flatMap { $0.value.flatMap(windowBits) }
        let compatible = pmdOffers.contains { offer in
            guard let asked = parameter("server_max_window_bits", in: offer)?.value.flatMap(windowBits) else { return true }
            guard let given = responseServerBits else { return false }
            return given <= asked
        }
        if !pmdOffers.isEmpty && !compatible {
            found.append(Diagnostic(.pmdServerWindowBitsNotHonoured, "Every offer limited server_max_window_bits, but the response does not honour any limit (missing or larger)."))
        }
        let clientBits = parameter("client_max_window_bits", in: response).flatMap { $0.value.flatMap(windowBits) } ?? 15
        let serverBits = responseServerBits ?? 15
        for (side, bits) in [("client", clientBits), ("server", serverBits)] where bits < 10 {
            found.append(Diagnostic(.pmdSmallWindow, "\(side)_max_window_bits=\(bits) gives a window of \(1 << bits) bytes; RFC 7692 §7.3 recommends at least 1024."))
        }
        let agreement = DeflateAgreement(
            element: response,
            client: DeflateSettings(noContextTakeover: parameter("client_no_context_takeover", in: response) != nil, windowBits: clientBits),
            server: DeflateSettings(noContextTakeover: parameter("server_no_context_takeover", in: response) != nil, windowBits: serverBits))
        return (agreement, found)
    }
}

/// The payload of a Close frame taken apart: an optional 2-byte status code and a UTF-8 reason (RFC 6455 §5.5.1).
public struct CloseBody: Hashable, Sendable {
    /// The status code, nil when the payload is empty (or a lone byte).
    public let code: CloseCode?
    /// The reason bytes after the code, as sent.
    public let reasonBytes: [UInt8]
    /// Where the reason stops being UTF-8, nil when it is valid.
    public let reasonFailure: UTF8Validator.Failure?

    /// The reason as text when it is valid UTF-8.
    public var reason: String? {
        reasonFailure == nil ? String(decoding: reasonBytes, as: UTF8.self) : nil
    }

    /// Takes a close payload apart and lists what it breaks.
    public static func parse(_ payload: [UInt8]) -> (body: CloseBody, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        switch payload.count {
        case 0:
            return (CloseBody(code: nil, reasonBytes: [], reasonFailure: nil), [])
        case 1:
            diagnostics.append(Diagnostic(.closePayloadOneByte,
                "The close payload is the single byte 0x\(Hex.byte(payload[0])); a status code needs two bytes."))
            return (CloseBody(code: nil, reasonBytes: payload, reasonFailure: nil), diagnostics)
        default:
            let code = CloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
            if !code.isValidOnWire {
                diagnostics.append(Diagnostic(.invalidCloseCode, invalidCodeMessage(code)))
            }
            let reason = Array(payload[2...])
            let failure = UTF8Validator.validate(reason)
            if let failure {
                diagnostics.append(Diagnostic(.invalidUTF8,
                    "The close reason is not valid UTF-8 at byte \(failure.offset + 2) of the payload (\(failure.kind.rawValue)): \(failure.explanation).",
                    at: .payloadBytes(failure.offset + 2..<failure.badByteOffset + 3),
                    section: Rule.closeReasonUTF8Section))
            }
            return (CloseBody(code: code, reasonBytes: reason, reasonFailure: failure), diagnostics)
        }
    }

    private static func invalidCodeMessage(_ code: CloseCode) -> String {
        switch code.category {
        case .notOnWire:
            return "Close code \(code.rawValue) (\(code.name)) is for local use by an API and is never sent in a Close frame."
        case .reserved:
            return "Close code \(code.rawValue) is reserved by RFC 6455 and not assigned, so it is not sent."
        default:
            return "Close code \(code.rawValue) lies outside every defined range; valid codes are 1000-4999."
        }
    }
}

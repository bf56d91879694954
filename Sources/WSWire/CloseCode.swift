/// A status code carried in the first two bytes of a Close frame (RFC 6455 §7.4).
///
/// Known codes are cases; every other value stays representable as `.unknown`.
public enum CloseCode: Hashable, Sendable, CustomStringConvertible {
    case normalClosure
    case goingAway
    case protocolError
    case unsupportedData
    case reserved1004
    case noStatusReceived
    case abnormalClosure
    case invalidFramePayloadData
    case policyViolation
    case messageTooBig
    case mandatoryExtension
    case internalError
    case serviceRestart
    case tryAgainLater
    case badGateway
    case tlsHandshake
    case unknown(UInt16)

    /// Where a code sits in the registry, which decides whether it may appear on the wire.
    public enum Category: String, Sendable {
        /// 1000-1003, 1007-1014: defined, with a meaning, valid in a Close frame.
        case standard
        /// 1005, 1006, 1015: designated for local use only, never sent in a Close frame (RFC 6455 §7.4.1).
        case notOnWire = "not-on-wire"
        /// 1004 and 1016-2999: reserved for the protocol, not assigned (RFC 6455 §7.4.1, §7.4.2).
        case reserved
        /// 3000-3999: registered with IANA for libraries, frameworks and applications.
        case registered
        /// 4000-4999: private use by agreement between the endpoints.
        case privateUse = "private-use"
        /// 0-999 and 5000-65535: not used by any range (RFC 6455 §7.4.2).
        case outOfRange = "out-of-range"
    }

    public init(rawValue: UInt16) {
        switch rawValue {
        case 1000: self = .normalClosure
        case 1001: self = .goingAway
        case 1002: self = .protocolError
        case 1003: self = .unsupportedData
        case 1004: self = .reserved1004
        case 1005: self = .noStatusReceived
        case 1006: self = .abnormalClosure
        case 1007: self = .invalidFramePayloadData
        case 1008: self = .policyViolation
        case 1009: self = .messageTooBig
        case 1010: self = .mandatoryExtension
        case 1011: self = .internalError
        case 1012: self = .serviceRestart
        case 1013: self = .tryAgainLater
        case 1014: self = .badGateway
        case 1015: self = .tlsHandshake
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: UInt16 {
        switch self {
        case .normalClosure: return 1000
        case .goingAway: return 1001
        case .protocolError: return 1002
        case .unsupportedData: return 1003
        case .reserved1004: return 1004
        case .noStatusReceived: return 1005
        case .abnormalClosure: return 1006
        case .invalidFramePayloadData: return 1007
        case .policyViolation: return 1008
        case .messageTooBig: return 1009
        case .mandatoryExtension: return 1010
        case .internalError: return 1011
        case .serviceRestart: return 1012
        case .tryAgainLater: return 1013
        case .badGateway: return 1014
        case .tlsHandshake: return 1015
        case .unknown(let value): return value
        }
    }

    public var category: Category {
        switch rawValue {
        case 1000...1003, 1007...1014: return .standard
        case 1005, 1006, 1015: return .notOnWire
        case 1004, 1016...2999: return .reserved
        case 3000...3999: return .registered
        case 4000...4999: return .privateUse
        default: return .outOfRange
        }
    }

    /// True when an endpoint may put this code in a Close frame.
    public var isValidOnWire: Bool {
        switch category {
        case .standard, .registered, .privateUse: return true
        case .notOnWire, .reserved, .outOfRange: return false
        }
    }

    /// The short registry name, e.g. "normal closure", "no status received", "private use".
    public var name: String {
        switch self {
        case .normalClosure: return "normal closure"
        case .goingAway: return "going away"
        case .protocolError: return "protocol error"
        case .unsupportedData: return "unsupported data"
        case .reserved1004: return "reserved"
        case .noStatusReceived: return "no status received"
        case .abnormalClosure: return "abnormal closure"
        case .invalidFramePayloadData: return "invalid frame payload data"
        case .policyViolation: return "policy violation"
        case .messageTooBig: return "message too big"
        case .mandatoryExtension: return "mandatory extension"
        case .internalError: return "internal error"
        case .serviceRestart: return "service restart"
        case .tryAgainLater: return "try again later"
        case .badGateway: return "bad gateway"
        case .tlsHandshake: return "TLS handshake failure"
        case .unknown:
            switch category {
            case .reserved: return "unassigned"
            case .registered: return "registered"
            case .privateUse: return "private use"
            default: return "out of range"
            }
        }
    }

    /// The meaning a student needs, e.g. "normal closure" or "private use (4000-4999)".
    public var meaning: String {
        switch self {
        case .normalClosure: return "normal closure"
        case .goingAway: return "going away (server shutting down or browser leaving the page)"
        case .protocolError: return "protocol error"
        case .unsupportedData: return "unsupported data (a data type the endpoint cannot accept)"
        case .reserved1004: return "reserved (1004), not to be sent"
        case .noStatusReceived: return "no status received (local use only, never sent)"
        case .abnormalClosure: return "abnormal closure (local use only, never sent)"
        case .invalidFramePayloadData: return "invalid frame payload data (e.g. non-UTF-8 text)"
        case .policyViolation: return "policy violation"
        case .messageTooBig: return "message too big"
        case .mandatoryExtension: return "mandatory extension (client needed an extension the server did not negotiate)"
        case .internalError: return "internal server error"
        case .serviceRestart: return "service restart"
        case .tryAgainLater: return "try again later"
        case .badGateway: return "bad gateway"
        case .tlsHandshake: return "TLS handshake failure (local use only, never sent)"
        case .unknown:
            switch category {
            case .reserved: return "reserved by RFC 6455 and not assigned"
            case .registered: return "registered for libraries and frameworks (3000-3999)"
            case .privateUse: return "private use (4000-4999)"
            default: return "outside every defined range (valid codes are 1000-4999)"
            }
        }
    }

    public var description: String { "\(rawValue) (\(meaning))" }

    /// Who may send the code in a Close frame: `either` endpoint, only the `client` or the `server`, or `nobody`.
    public var sentBy: String {
        switch self {
        case .mandatoryExtension: "client"
        case .internalError, .serviceRestart, .tryAgainLater, .badGateway: "server"
        case .reserved1004, .noStatusReceived, .abnormalClosure, .tlsHandshake: "nobody"
        case .unknown: isValidOnWire ? "either" : "nobody"
        default: "either"
        }
    }

    /// Where the code is defined.
    public var section: String {
        switch rawValue {
        case 1000...1011, 1015: "RFC 6455 §7.4.1"
        case 1012...1014: "IANA WebSocket Close Code registry (RFC 6455 §11.7)"
        case 1016...2999: "RFC 6455 §7.4.2"
        case 3000...4999: "RFC 6455 §7.4.2, §11.7"
        default: "RFC 6455 §7.4.2"
        }
    }

    /// The registry as a teacher lists it: the defined codes 1000-1015, then the ranges.
    public static let registry: [CloseCode] = (1000...1015).map { CloseCode(rawValue: UInt16($0)) }

    /// The ranges of the registry beyond the defined codes (RFC 6455 §7.4.2).
    public static let ranges: [(range: ClosedRange<UInt16>, category: Category, meaning: String)] = [
        (0...999, .outOfRange, "not used"),
        (1016...2999, .reserved, "reserved for future revisions of the protocol and its extensions"),
        (3000...3999, .registered, "registered with IANA by libraries, frameworks and applications"),
        (4000...4999, .privateUse, "private use, by agreement between the endpoints (not registered)"),
    ]
}

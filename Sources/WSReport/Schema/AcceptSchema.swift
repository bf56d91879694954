/// `kind: "accept"`: `wsinspect accept --json`.
public enum AcceptKey: RecordSchema {
    public static let recordKind = "accept"
    public static let inOrder = allCases

    case kind, key, keyBytes, concatenated, sha1Hex, accept, received, match
    case likelyMistake, mistakeExplanation, mistakeEvidence
    case diagnostics

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .key: "key"
        case .keyBytes: "key_bytes"
        case .concatenated: "concatenated"
        case .sha1Hex: "sha1_hex"
        case .accept: "accept"
        case .received: "received"
        case .match: "match"
        case .likelyMistake: "likely_mistake"
        case .mistakeExplanation: "mistake_explanation"
        case .mistakeEvidence: "mistake_evidence"
        case .diagnostics: "diagnostics"
        }
    }
}

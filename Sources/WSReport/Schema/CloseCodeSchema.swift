/// `kind: "close-code"`: `wsinspect close-codes --json`, one record per defined code and per range (`code`..`to`).
public enum CloseCodeKey: RecordSchema {
    public static let recordKind = "close-code"
    public static let inOrder = allCases

    case kind, code, to, name, category, sentBy, onWire, meaning, rfc

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .code: "code"
        case .to: "to"
        case .name: "name"
        case .category: "category"
        case .sentBy: "sent_by"
        case .onWire: "on_wire"
        case .meaning: "meaning"
        case .rfc: "rfc"
        }
    }
}

/// `kind: "encoded"`: `wsinspect encode --json`, after the frame and message records of the bytes it built.
public enum EncodedKey: RecordSchema {
    public static let recordKind = "encoded"
    public static let inOrder = allCases

    case kind, hex, from, frames, breaksRules

    @inline(__always)
    public var key: StaticString {
        switch self {
        case .kind: "kind"
        case .hex: "hex"
        case .from: "from"
        case .frames: "frames"
        case .breaksRules: "breaks_rules"
        }
    }
}

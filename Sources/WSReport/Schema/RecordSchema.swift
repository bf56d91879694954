/// The keys of one kind of JSON Lines record, in the order they are written: the one declaration of that record.
/// The JSON writers name every key through its case (`key(FrameKey.fin)`), Docs/json.md lists them, and tests check
/// all three against each other: every record written for the samples has its keys in this order (only the
/// `optionalKeys` may be left out), and every key is documented in its kind's section of Docs/json.md. (The writers
/// are straight-line code rather than a loop over the cases: the loop with its switch cost 7 % of `--json` time.)
public protocol RecordSchema: CaseIterable, Hashable, Sendable where AllCases == [Self] {
    /// The record's `kind`, e.g. `frame`.
    static var recordKind: String { get }
    /// The keys in order, made once (`allCases` builds a new array on every use).
    static var inOrder: [Self] { get }
    /// The key as written.
    var key: StaticString { get }
    /// Keys that some records of this kind leave out (e.g. `stream` for pasted frames, `missing_bytes` unless
    /// bytes are missing); every other key is in every record.
    static var optionalKeys: Set<Self> { get }
}

extension RecordSchema {

    public static var optionalKeys: Set<Self> { [] }

    /// The key as a String.
    public var name: String { key.withUTF8Buffer { String(decoding: $0, as: UTF8.self) } }

    /// Every key, in order.
    public static var keyNames: [String] { inOrder.map(\.name) }
}

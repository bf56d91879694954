/// The keys of one kind of JSON Lines record, in the order they are written: the one declaration of that record.
/// The JSON renderer walks the cases (an exhaustive switch gives each its value, so a key cannot be added without
/// being written), Docs/json.md lists them (a test checks that the two agree), and the text views take the labels of
/// the fields they show from them.
public protocol RecordSchema: CaseIterable, Hashable, Sendable where AllCases == [Self] {
    /// The record's `kind`, e.g. `frame`.
    static var recordKind: String { get }
    /// The keys in order, made once (`allCases` builds a new array on every use).
    static var inOrder: [Self] { get }
    /// The key as written.
    var key: StaticString { get }
}

extension RecordSchema {

    /// The key as a String.
    public var name: String { key.withUTF8Buffer { String(decoding: $0, as: UTF8.self) } }

    /// Every key, in order.
    public static var keyNames: [String] { inOrder.map(\.name) }
}

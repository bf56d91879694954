/// A count with its noun, singular or plural as the count asks: `counted(1, "byte")` is "1 byte",
/// `counted(5, "byte")` "5 bytes", `counted(2, "more byte")` "2 more bytes". `plural` is for nouns that do not just
/// take an s.
public func counted<Count: BinaryInteger>(_ count: Count, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}

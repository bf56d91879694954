import Crypto
import Foundation

/// The usual ways of computing Sec-WebSocket-Accept wrongly, each with a stable id (written as `likely_mistake`)
/// and a one-sentence explanation for a student.
public enum AcceptMistake: String, CaseIterable, Hashable, Sendable {
    /// The SHA-1 digest used as 40 hex digits instead of its 20 bytes.
    case sha1HexNotBase64 = "sha1-hex-not-base64"
    /// SHA-1 of the key alone, without the GUID.
    case guidMissing = "guid-missing"
    /// A GUID with a typo, in the wrong case, or before the key.
    case wrongGUID = "wrong-guid"
    /// The key base64-decoded before hashing.
    case keyDecodedFirst = "key-decoded-first"
    /// Spaces, a tab or a line ending hashed with the key.
    case whitespaceInKey = "whitespace-in-key"
    /// The key sent back as the accept value.
    case keyUsedAsAccept = "key-used-as-accept"
    /// None of the above reproduces the value.
    case unknown = "unknown"

    /// The stable id, e.g. `sha1-hex-not-base64`.
    public var id: String { rawValue }

    /// What went wrong and what is right, in one sentence.
    public var explanation: String {
        switch self {
        case .sha1HexNotBase64:
            "The SHA-1 digest was used as hex text (40 characters); Sec-WebSocket-Accept is base64 of the digest's 20 raw bytes (28 characters ending in =)."
        case .guidMissing:
            "The key was hashed alone; the GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11 must be appended to it first: SHA-1(key + GUID)."
        case .wrongGUID:
            "The GUID must be exactly 258EAFA5-E914-47DA-95CA-C5AB0DC85B11 (RFC 6455 §1.3), uppercase with its four dashes, after the key; any other spelling gives a different hash."
        case .keyDecodedFirst:
            "The key was base64-decoded before hashing; it must be hashed as the text sent (its 24 characters) followed by the GUID."
        case .whitespaceInKey:
            "Whitespace was hashed with the key (a space, a tab or a line ending from the header line or from echo); hash only the key's own characters and the GUID."
        case .keyUsedAsAccept:
            "The key was sent back unchanged; Sec-WebSocket-Accept is base64(SHA-1(key + GUID)), which proves the server read the key."
        case .unknown:
            "The value matches none of the usual mistakes; compare your steps with the derivation: key + GUID as text, SHA-1 as 20 raw bytes, then base64."
        }
    }
}

/// Which mistake gives exactly a wrong Sec-WebSocket-Accept value: the value is compared with what each usual wrong
/// computation makes from the key. Pure; a few thousand SHA-1s at most.
///
/// What is checked, in this order (the first that reproduces the value wins):
/// - `key-used-as-accept`: the value is the key (both trimmed of spaces and tabs; not for an empty key).
/// - `sha1-hex-not-base64`: the value is the 40 hex digits of SHA-1(key + GUID), in either case, with or without
///   spaces or colons between the bytes; or base64 of those 40 hex digits (PHP's `base64_encode(sha1(…))`).
/// - `guid-missing`: base64(SHA-1(key)).
/// - `key-decoded-first`: base64(SHA-1(decoded key + GUID)) or base64(SHA-1(decoded key)), the decoded key being
///   the key's base64-decoded bytes.
/// - `whitespace-in-key`: base64(SHA-1(P + key + S + GUID)) for P in "", " ", "\t" and S in "", " ", "\t", "\r",
///   "\n", "\r\n" (not both empty); base64(SHA-1(key + GUID + S)) for S in "\n", "\r\n", " " (echo without -n);
///   and the key exactly as given, when that has surrounding whitespace.
/// - `wrong-guid`: base64(SHA-1(key + G)) for every G one edit away from the GUID (one character substituted by a
///   hex digit of either case or a dash, deleted, doubled, swapped with its neighbour, or a dash inserted), and for
///   the GUID in lowercase, without dashes, in braces; and base64(SHA-1(GUID + key)) (the GUID first).
/// - `unknown` otherwise.
public struct LikelyAcceptMistake: Hashable, Sendable {
    /// The mistake found (`.unknown` when none reproduces the value).
    public let mistake: AcceptMistake
    /// The computation that gives exactly the value, in words, e.g. `The value given is base64(SHA-1(key)): …`;
    /// nil for `.unknown`.
    public let evidence: String?

    /// The likely mistake behind `received` as the accept for `key`; nil when `received` is right. Both are
    /// trimmed of surrounding spaces and tabs first, as `AcceptDerivation` does.
    public init?(key: String, received: String) {
        let derivation = AcceptDerivation(key: key)
        if derivation.matches(received) { return nil }
        let found = Self.find(key: derivation.trimmedKey, givenKey: key, received: received.trimmingWhitespace,
                              digest: derivation.digest)
        self.mistake = found?.0 ?? .unknown
        self.evidence = found?.1
    }

    private typealias Finding = (AcceptMistake, String)

    private static func find(key: String, givenKey: String, received: String, digest: [UInt8]) -> Finding? {
        let guid = AcceptDerivation.guid
        if !key.isEmpty, received == key {
            return (.keyUsedAsAccept, "The value given is the Sec-WebSocket-Key itself.")
        }
        if let finding = hexDigest(received, digest: digest) { return finding }

        // The remaining mistakes all end in base64 of some SHA-1: compare digests.
        guard let receivedDigest = Data(base64Encoded: received).map(Array.init), receivedDigest.count == 20 else { return nil }
        func hashes(_ text: String) -> Bool { hashes(Array(text.utf8)) }
        func hashes(_ bytes: [UInt8]) -> Bool { Array(Insecure.SHA1.hash(data: bytes)) == receivedDigest }

        if hashes(key) {
            return (.guidMissing, "The value given is base64(SHA-1(key)): the key hashed without the GUID.")
        }
        if let decoded = Data(base64Encoded: key).map(Array.init) {
            if hashes(decoded + Array(guid.utf8)) {
                return (.keyDecodedFirst, "The value given is base64(SHA-1(decoded key + GUID)): the key's \(decoded.count) decoded bytes hashed instead of its text.")
            }
            if hashes(decoded) {
                return (.keyDecodedFirst, "The value given is base64(SHA-1(decoded key)): the key's \(decoded.count) decoded bytes hashed, and without the GUID.")
            }
        }
        for variant in whitespaceVariants(key: key, givenKey: givenKey) where hashes(variant.text) {
            return (.whitespaceInKey, "The value given is base64(SHA-1(\(variant.formula))): \(variant.description).")
        }
        if hashes(guid + key) {
            return (.wrongGUID, "The value given is base64(SHA-1(GUID + key)): the GUID put before the key instead of after it.")
        }
        for variant in guidVariants() where hashes(key + variant.guid) {
            return (.wrongGUID, "The value given is base64(SHA-1(key + \"\(variant.guid)\")): \(variant.description).")
        }
        return nil
    }

    /// The digest as hex text: the 40 digits themselves, or base64 of them.
    private static func hexDigest(_ received: String, digest: [UInt8]) -> Finding? {
        let hex = Hex.string(digest)
        let digits = received.filter { $0 != " " && $0 != ":" }.lowercased()
        if digits == hex {
            return (.sha1HexNotBase64, "The value given is the 40 hex digits of SHA-1(key + GUID).")
        }
        if received == Data(hex.utf8).base64EncodedString() || received == Data(hex.uppercased().utf8).base64EncodedString() {
            return (.sha1HexNotBase64, "The value given is base64 of the 40 hex digits of SHA-1(key + GUID), not of its 20 bytes.")
        }
        return nil
    }

    /// A hashed text that has whitespace the key does not: what was hashed, as a formula, and in words.
    struct WhitespaceVariant {
        let text: String
        let formula: String
        let description: String
    }

    /// The whitespace spellings, with their escapes and names.
    private static let spaces: [(text: String, escaped: String, name: String)] = [
        ("", "", ""), (" ", " ", "a space"), ("\t", "\\t", "a tab"), ("\r", "\\r", "a carriage return"),
        ("\n", "\\n", "a newline"), ("\r\n", "\\r\\n", "a line ending (\\r\\n)"),
    ]

    static func whitespaceVariants(key: String, givenKey: String) -> [WhitespaceVariant] {
        let guid = AcceptDerivation.guid
        var variants: [WhitespaceVariant] = []
        for before in spaces.prefix(3) {
            for after in spaces where !(before.text.isEmpty && after.text.isEmpty) {
                let formula = (before.text.isEmpty ? "" : "\"\(before.escaped)\" + ") + "key"
                    + (after.text.isEmpty ? "" : " + \"\(after.escaped)\"") + " + GUID"
                let words = [before.text.isEmpty ? nil : "\(before.name) before the key",
                             after.text.isEmpty ? nil : "\(after.name) after the key"].compactMap { $0 }
                variants.append(WhitespaceVariant(text: before.text + key + after.text + guid, formula: formula,
                                                  description: words.joined(separator: " and ")))
            }
        }
        for after in spaces where ["\n", "\r\n", " "].contains(after.text) {
            let hint = after.text == "\n" ? " (as echo adds without -n)" : ""
            variants.append(WhitespaceVariant(text: key + guid + after.text, formula: "key + GUID + \"\(after.escaped)\"",
                                              description: "\(after.name) after the GUID\(hint)"))
        }
        if givenKey != key, !variants.contains(where: { $0.text == givenKey + guid }) {
            variants.append(WhitespaceVariant(text: givenKey + guid, formula: "key as given + GUID",
                                              description: "the key with the whitespace around it as given"))
        }
        return variants
    }

    /// A misspelt GUID and how it differs.
    struct GUIDVariant {
        let guid: String
        let description: String
    }

    /// Every GUID one typing mistake away from the right one (about a thousand), most likely first, no duplicates.
    static func guidVariants() -> [GUIDVariant] {
        let right = Array(AcceptDerivation.guid)
        var seen: Set<String> = [AcceptDerivation.guid]
        var variants: [GUIDVariant] = []
        func add(_ characters: [Character], _ description: String) {
            let guid = String(characters)
            if seen.insert(guid).inserted { variants.append(GUIDVariant(guid: guid, description: description)) }
        }
        func quoted(_ c: Character) -> String { "'\(c)'" }

        add(Array(AcceptDerivation.guid.lowercased()), "the GUID in lowercase")
        add(right.filter { $0 != "-" }, "the GUID without its dashes")
        add(Array(AcceptDerivation.guid.lowercased()).filter { $0 != "-" }, "the GUID in lowercase and without its dashes")
        add(Array("{" + AcceptDerivation.guid + "}"), "the GUID in braces")
        add(Array("{" + AcceptDerivation.guid.lowercased() + "}"), "the GUID in lowercase and in braces")
        for i in right.indices {
            var deleted = right
            deleted.remove(at: i)
            add(deleted, "the GUID without its character \(i + 1) (\(quoted(right[i])))")
        }
        for i in right.indices {
            for c in "0123456789ABCDEFabcdef-" where c != right[i] {
                var changed = right
                changed[i] = c
                add(changed, "the GUID with \(quoted(c)) instead of \(quoted(right[i])) at character \(i + 1)")
            }
        }
        for i in right.indices.dropLast() where right[i] != right[i + 1] {
            var swapped = right
            swapped.swapAt(i, i + 1)
            add(swapped, "the GUID with characters \(i + 1) and \(i + 2) swapped ('\(right[i + 1])\(right[i])' instead of '\(right[i])\(right[i + 1])')")
        }
        for i in right.indices {
            var doubled = right
            doubled.insert(right[i], at: i)
            add(doubled, "the GUID with its character \(i + 1) (\(quoted(right[i]))) typed twice")
        }
        for i in 0...right.count {
            var dashed = right
            dashed.insert("-", at: i)
            add(dashed, i == right.count ? "the GUID with an extra '-' at the end" : "the GUID with an extra '-' before character \(i + 1)")
        }
        return variants
    }
}

/// Reads the bytes people paste, in whatever form the tool they copied from printed them, without being told which.
///
/// Forms:
/// - plain hex: `81 86 af`, `81:86:af`, `81-86-af`, `0x81, 0x86`, `\x81\x86`, `8186AF` (Wireshark's "Copy as hex
///   stream", `xxd -p`), `8186 af87`, over several lines, in either case;
/// - Node's `<Buffer 81 86 af>`;
/// - offset-column hex dumps (`HexDump`): `xxd`, `hexdump -C`, `od -A x -t x1` (and `od -t x1`, octal offsets),
///   `od -t x1z`, Wireshark's "Copy as Hex Dump". The offset column and the text column are never read as bytes, and
///   a `*` line (the line before it repeats up to the next offset) is expanded;
/// - Python bytes literals (`PythonBytesLiteral`): `b'\x81\x05Hello'`, `b"…"`, several concatenated,
///   `bytearray(b'…')`;
/// - C and JavaScript arrays (`ArrayLiteral`): `{0x81, 0x05}`, `[0x81,0x05]`, `[129, 5, 72]`,
///   `new Uint8Array([129, 5])`, `xxd -i` output, Node's `{"type":"Buffer","data":[129,5]}`.
///
/// Which reader reads a text is decided once, from the text itself, in this order; the chosen reader reads all of it
/// or throws an error that names the problem, its line and its column. No reader falls back to another, so two
/// readings of one text never compete silently:
/// 1. `<Buffer` first: Node's buffer (plain hex inside; a "... N more bytes" abbreviation is an error).
/// 2. `b'`, `b"`, `bytearray(b` or `(b'` first: Python bytes literals. A literal holding only hex digits, spaces
///    and colons, with no escape (what `binascii.hexlify` returns, `b'8186af'`), is read as that hex, as before.
/// 3. A first non-blank line that starts with an offset column: a hex dump (`HexDump` has the details). An offset
///    column is a run of 4 to 16 hex digits followed either by `:` and a blank (xxd: `00000000: 8105 4865`) or by
///    blanks and a two-digit byte (`0000   81 05`). So a hex stream line stays plain hex: `8105 4865` and
///    `0000 0000` (four digits, then four) and `8105` alone have no offset column, while `0000 81 05` has one (four
///    digits then two is how dumps are laid out, not how anyone spaces bytes). The line's offset is trusted when it
///    is zero, or when the dump confirms it (xxd's colon, a text column that shows the bytes, a second offset that
///    counts them); an unconfirmed non-zero "offset" (`8186 af 87`) is an error, not a guess. An all-zero offset of
///    6+ digits followed by four-digit groups (`0000000 0581 6548`: `hexdump` without `-C`, `od -x`) is an error:
///    those are 16-bit words with their bytes swapped on little-endian machines. When a dump fits two readings that
///    give different bytes (od offsets that count in hex and in octal around a `*`), it is an error.
/// 4. A bracketed list of numbers with at least one comma (`[…]` or `{…}`, the first innermost one holding only
///    numbers; `[81 86]` is not one and stays plain hex): an array (`ArrayLiteral`). Elements with `0x` are hex;
///    otherwise two-digit elements (`[81, 05, 48]`) or any element with a hex letter make the list hex, and mixed
///    widths without leading zeros (`[129, 5, 72]`) make it decimal. Mixed `0x` and bare elements (`[0x81, 10]`),
///    or a leading zero in a decimal list (`[129, 05]`), are errors, as is an even hex word or a number outside the
///    list.
/// 5. Anything else: plain hex. Separators are whitespace and `: , ; - [ ] { } ( ) ' "`. A run of hex digits
///    between separators is a group; each group must have an even number of digits.
public enum HexInput {
    /// A pasted text that is not hex, with where the problem is.
    public struct Error: Swift.Error, Hashable, Sendable, CustomStringConvertible {
        public let message: String
        /// 1-based line and column (in characters) of the offending character or group.
        public let line: Int
        public let column: Int

        public init(message: String, line: Int, column: Int) {
            self.message = message
            self.line = line
            self.column = column
        }

        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// Parses `text` into bytes, or throws an `HexInput.Error` naming the first problem.
    public static func parse(_ text: String) throws(Error) -> [UInt8] {
        let paste = PasteText(text)
        guard let start = paste.firstNonSpace else { return [] }
        if paste.matches("<Buffer", at: start) { return try readNodeBuffer(paste, at: start) }
        if let bytes = try PythonBytesLiteral.read(paste) { return bytes }
        if let bytes = try HexDump.read(paste) { return bytes }
        if let bytes = try ArrayLiteral.read(paste) { return bytes }
        return try readPlainHex(paste)
    }

    /// Node: `<Buffer 81 86 ...>`; a "... N more bytes" abbreviation cannot be recovered.
    private static func readNodeBuffer(_ paste: PasteText, at start: Int) throws(Error) -> [UInt8] {
        var chars = paste.chars
        for i in start..<(start + 7) { chars[i] = " " }
        if let end = chars.lastIndex(of: ">") { chars[end] = " " }
        if let dots = (0..<chars.count).first(where: { paste.matches("...", at: $0) }) {
            throw paste.error("Node shortened this Buffer (\"... more bytes\"); print it whole with buf.toString('hex')", at: dots)
        }
        return try readPlainHex(PasteText(chars: chars))
    }

    private static let separators: Set<Character> = [" ", "\t", "\n", "\r", "\r\n", ":", ",", ";", "-", "[", "]", "{", "}",
                                                      "(", ")", "'", "\"", "\u{00A0}"]

    /// Plain hex: groups of hex digits between separators, with `0x` and `\x` prefixes. Characters the caller has
    /// blanked (a literal's `b` and quotes) are spaces, so positions stay those of the text pasted.
    static func readPlainHex(_ paste: PasteText) throws(Error) -> [UInt8] {
        let chars = paste.chars
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var groupStart = -1
        var groupDigits: [UInt8] = []

        func closeGroup() throws(Error) {
            guard groupStart >= 0 else { return }
            if groupDigits.count % 2 != 0 {
                let group = String(chars[groupStart..<(groupStart + groupDigits.count)])
                throw paste.error("odd number of hex digits in \"\(group)\" (\(counted(groupDigits.count, "digit")); each byte needs two)",
                                  at: groupStart)
            }
            var i = 0
            while i < groupDigits.count {
                bytes.append(groupDigits[i] << 4 | groupDigits[i + 1])
                i += 2
            }
            groupStart = -1
            groupDigits.removeAll(keepingCapacity: true)
        }

        var offset = 0
        while offset < chars.count {
            let c = chars[offset]
            if separators.contains(c) {
                try closeGroup()
                offset += 1
                continue
            }
            // Prefixes: 0x / 0X at the start of a group, \x anywhere.
            if groupStart < 0, c == "0", offset + 2 < chars.count, chars[offset + 1] == "x" || chars[offset + 1] == "X",
               PasteCharacter.isHexDigit(chars[offset + 2]) {
                offset += 2
                continue
            }
            if c == "\\", offset + 1 < chars.count, chars[offset + 1] == "x" || chars[offset + 1] == "X" {
                try closeGroup()
                offset += 2
                continue
            }
            guard let value = PasteCharacter.hexValue(c) else {
                throw paste.error("not a hex digit: \(PasteCharacter.describe(c))", at: offset)
            }
            if groupStart < 0 { groupStart = offset }
            groupDigits.append(value)
            offset += 1
        }
        try closeGroup()
        return bytes
    }
}

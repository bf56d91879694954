/// Offset-column hex dumps, as `xxd`, `hexdump -C`, `od -A x -t x1` (`od -t x1`, `od -t x1z`) and Wireshark's
/// "Copy as Hex Dump" print them:
///
/// ```
/// 00000000: 8105 4865 6c6c 6f                        ..Hello                      xxd
/// 00000000  81 05 48 65 6c 6c 6f                              |..Hello|        hexdump -C
/// 00000007
/// 000000 81 05 48 65 6c 6c 6f                                                 od -A x -t x1
/// 000007
/// 0000   81 05 48 65 6c 6c 6f                              ..Hello            Wireshark
/// ```
///
/// Recognition (from the first non-blank line only; see `HexInput` for where this sits among the other forms): a run
/// of 4 to 16 hex digits, then either `:` and a blank (xxd), or blanks and a two-digit byte. A text whose first line
/// has that shape is read as a dump or rejected with an error; it is never read as plain hex.
///
/// Reading:
/// - The offset column and the text column are never bytes. The text column (`|…|`, `>…<`, or undelimited after the
///   bytes) must show exactly the bytes of its line, printable ASCII as itself and anything else as `.`; that is how
///   a text column that happens to look like hex (`..ab`) is told from bytes.
/// - Every offset must count the bytes before it. The first offset may be non-zero (part of a dump), but then
///   something must confirm that it is an offset: xxd's colon, a text column, or a second offset.
/// - A `*` line means that the line before it repeats up to the next offset; the distance must be a whole number of
///   those lines. A line that is an offset alone ends the dump (hexdump, od). An offset of zero after some bytes
///   starts another dump, so several dumps pasted one after another are read one after another.
/// - od's offsets may be hex, octal or decimal (`-A x`, `-A o`, `-A d`); the radix is the one that makes every offset
///   count the bytes. Whenever two readings (two radices, or a text column against none) both fit and give different
///   bytes, the dump is an error rather than a guess.
/// - Four-digit groups after an all-zero offset of 6 or more digits without a colon (`hexdump`, `od -x`) are an
///   error: those are 16-bit words, whose bytes are swapped on little-endian machines.
enum HexDump {
    /// Most bytes a dump may stand for once its `*` lines are expanded (a paste is small; this bounds a hostile offset).
    static let maximumBytes = 64 << 20

    /// The bytes of a dump, nil when `paste` does not start like one, or an error naming the line that breaks it.
    static func read(_ paste: PasteText) throws(HexInput.Error) -> [UInt8]? {
        let chars = paste.chars
        let lines = paste.lines.map { HexDumpLine(number: $0.number, range: $0.range, in: chars) }
        guard let first = lines.first(where: { $0.kind != .blank }), case .data(let colon) = first.kind else { return nil }
        let zeroOffset = chars[first.offset].allSatisfy { $0 == "0" }
        let firstTokens = HexDumpLine.tokens(chars, first.rest)
        var styles: [HexDumpStyle] = [.xxd]
        if !colon {
            guard let token = firstTokens.first, chars[token].allSatisfy(PasteCharacter.isHexDigit) else { return nil }
            if token.count == 4 && zeroOffset && first.offset.count >= 6 {
                throw paste.error("these are 16-bit words (hexdump without -C, od -x), whose bytes are swapped on little-endian "
                                  + "machines: use hexdump -C, od -A x -t x1 or xxd",
                                  at: token.lowerBound)
            }
            guard token.count == 2 else { return nil }
            styles = [.textColumn, .bytesOnly]
            let last = chars[first.rest].last { !PasteCharacter.isBlank($0) }
            if last == "|" { styles.insert(.hexdumpCanonical, at: 0) }
            if last == "<" { styles.insert(.odPrintable, at: 0) }
        }
        // The style whose error is shown when no style reads the dump: the one the first line looks most like.
        let allBytes = firstTokens.allSatisfy { HexDumpLine.groupBytes(chars, $0, width: 2) != nil }
        let likeliest = styles.count > 2 ? styles[0] : (colon ? .xxd : (allBytes ? .bytesOnly : .textColumn))

        var readings: [Reading] = []
        var likeliestError: HexInput.Error?
        for style in styles {
            for radix in style.offsetRadices {
                do {
                    readings.append(try assemble(lines, style: style, radix: radix, in: paste))
                } catch {
                    if style == likeliest && likeliestError == nil { likeliestError = error }
                }
            }
        }
        guard let chosen = readings.first else {
            throw likeliestError ?? paste.error("not a hex dump this reader knows", at: first.start)
        }
        if let other = readings.first(where: { $0.bytes != chosen.bytes }) {
            if other.style == chosen.style, let marker = lines.first(where: { $0.kind == .repeatMarker }) {
                throw paste.error("the offsets count the bytes in \(chosen.radixName) and in \(other.radixName) alike, but the '*' "
                                  + "repeats a different number of lines in each: paste the dump from od -v (no '*' lines) or hexdump -C",
                                  at: marker.start)
            }
            throw paste.error("this dump reads two ways that give different bytes (as \(chosen.name) or as \(other.name))",
                              at: first.start)
        }
        if chosen.style == .bytesOnly && !zeroOffset && chosen.offsetLines < 2 {
            throw paste.error("\(paste.quote(first.offset)) may be an offset column or bytes: paste the dump from its first line, or space the bytes evenly",
                              at: first.offset.lowerBound)
        }
        return chosen.bytes
    }

    /// One complete reading of a dump.
    struct Reading {
        let style: HexDumpStyle
        let radix: Int
        let bytes: [UInt8]
        /// How many lines carried an offset that counted the bytes (the first one included).
        let offsetLines: Int

        var radixName: String { [16: "hex", 8: "octal", 10: "decimal"][radix] ?? "base \(radix)" }

        var name: String {
            style.offsetRadices.count == 1 ? style.name : "\(style.name) with \(radixName) offsets"
        }
    }

    /// Reads every line as `style` with offsets in `radix`: bytes, offsets that count them, `*` lines expanded.
    static func assemble(_ lines: [HexDumpLine], style: HexDumpStyle, radix: Int, in paste: PasteText) throws(HexInput.Error) -> Reading {
        let chars = paste.chars
        var bytes: [UInt8] = []
        var dumpStart = 0           // index in `bytes` where the current dump began
        var base: UInt64? = nil     // the current dump's first offset
        var previous: [UInt8] = []  // the last data line's bytes, which a `*` repeats
        var repeatMarker: HexDumpLine? = nil
        var endedBy: HexDumpLine? = nil  // an offset-only line that ended the current dump
        var offsetLines = 0

        for line in lines {
            switch line.kind {
            case .blank:
                continue
            case .other:
                throw paste.error("not a line of this \(style.name) dump (expected an offset, bytes and text)", at: line.start)
            case .repeatMarker:
                guard !previous.isEmpty, repeatMarker == nil, endedBy == nil else {
                    throw paste.error("a '*' line stands for the line before it repeated, and there is none", at: line.start)
                }
                repeatMarker = line
            case .offsetOnly, .data:
                let digits = paste.quote(line.offset)
                guard let value = line.offsetValue(radix: radix, in: chars) else {
                    throw paste.error("\(digits) is not an offset in base \(radix)", at: line.offset.lowerBound)
                }
                if value == 0, base != nil, bytes.count > dumpStart, repeatMarker == nil {
                    // Offset zero again: another dump follows.
                    dumpStart = bytes.count
                    base = nil
                    previous = []
                    endedBy = nil
                }
                if let ending = endedBy {
                    throw paste.error("the dump ended with the offset alone on line \(ending.number); another dump must start at offset 0",
                                      at: line.start)
                }
                let start = base ?? value
                base = start
                var count = UInt64(bytes.count - dumpStart)
                if let marker = repeatMarker {
                    let lineLength = UInt64(previous.count)
                    let notWhole = "offset \(digits) does not end a whole number of repetitions of the \(previous.count)-byte line "
                        + "that the '*' on line \(marker.number) repeats"
                    guard value >= start, value - start >= count else { throw paste.error(notWhole, at: line.offset.lowerBound) }
                    guard value - start <= UInt64(maximumBytes) else {
                        throw paste.error("the '*' on line \(marker.number) repeats up to offset \(digits): more than 64 MiB",
                                          at: line.offset.lowerBound)
                    }
                    guard (value - start - count) % lineLength == 0 else { throw paste.error(notWhole, at: line.offset.lowerBound) }
                    for _ in 0..<((value - start - count) / lineLength) { bytes += previous }
                    count = value - start
                    repeatMarker = nil
                }
                guard value >= start, value - start == count else {
                    let expected = String(start + count, radix: radix)
                    let padded = String(repeating: "0", count: max(0, line.offset.count - expected.count)) + expected
                    throw paste.error("offset \(digits) does not count the \(counted(count, "byte")) before it (expected \(padded))",
                                      at: line.offset.lowerBound)
                }
                offsetLines += 1
                guard case .data(let colon) = line.kind else {
                    endedBy = line
                    continue
                }
                if colon != style.hasColon {
                    throw paste.error(colon ? "unexpected ':' after the offset (line 1 has none)" : "expected ':' after the offset, as in xxd's line 1",
                                      at: line.offset.upperBound)
                }
                previous = try style.readBytes(of: line, in: paste)
                bytes += previous
            }
        }
        if let marker = repeatMarker {
            throw paste.error("the '*' on line \(marker.number) is not followed by the offset where the repetition ends", at: marker.start)
        }
        return Reading(style: style, radix: radix, bytes: bytes, offsetLines: offsetLines)
    }
}

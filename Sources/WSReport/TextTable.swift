/// A plain text table: columns padded to the widest cell, measured in terminal columns (so "你好" counts as 4 and
/// colour codes count as 0).
public struct TextTable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []
    /// Text placed between columns.
    public var separator = "  "
    /// Text placed before each line.
    public var indent = ""
    /// False: no header line (a two-column listing).
    public var showsHeader = true

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// Columns left to the lines that tables are nested in (the text views indent them up to 8).
    static let nesting = 8

    /// The table as lines, headers first (headers are styled by `style`). When `style.width` is narrower than the
    /// table, its widest columns wrap their cells between words (`TableShrinker`): a row then takes several lines.
    public func render(style: Style = .plain) -> [String] {
        let columnCount = headers.count
        // Each cell's columns, measured once (a missing cell is empty).
        let headerWidths = headers.map(TerminalText.displayWidth)
        let cellWidths = rows.map { row in
            (0..<columnCount).map { i in i < row.count ? TerminalText.displayWidth(row[i]) : 0 }
        }
        var widths = headerWidths
        for row in cellWidths {
            for i in 0..<columnCount { widths[i] = max(widths[i], row[i]) }
        }
        if let width = style.width {
            let room = width - Self.nesting - TerminalText.displayWidth(indent)
            if let shrunk = TableShrinker.shrink(rows: rows, headers: headers, widths: widths,
                                                 separator: TerminalText.displayWidth(separator), room: room) {
                return render(wrapped: shrunk.rows, widths: shrunk.widths, style: style)
            }
        }
        var lines: [String] = []
        if showsHeader {
            lines.append(line((0..<columnCount).map { (style.dim(headers[$0]), headerWidths[$0]) }, widths: widths))
        }
        for (row, rowWidths) in zip(rows, cellWidths) {
            lines.append(line((0..<columnCount).map { (($0 < row.count ? row[$0] : ""), rowWidths[$0]) }, widths: widths))
        }
        return lines
    }

    /// Rows whose cells are lists of lines, each row as many lines as its tallest cell.
    private func render(wrapped rows: [[[String]]], widths: [Int], style: Style) -> [String] {
        var lines: [String] = []
        if showsHeader {
            lines.append(line(headers.map { (style.dim($0), TerminalText.displayWidth($0)) }, widths: widths))
        }
        for row in rows {
            let height = row.map(\.count).max() ?? 1
            for k in 0..<height {
                lines.append(line(row.map { cell in
                    let text = k < cell.count ? cell[k] : ""
                    return (text, TerminalText.displayWidth(text))
                }, widths: widths))
            }
        }
        return lines
    }

    /// One line: after the indent, each cell (text as shown, and its columns) padded to its column's width and
    /// aligned, the separator between them, no padding after the last; trailing spaces dropped. Built on bytes.
    private func line(_ cells: [(text: String, columns: Int)], widths: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(indent.utf8.count + widths.reduce(0, +) + separator.utf8.count * cells.count + 16)
        bytes.append(contentsOf: indent.utf8)
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(contentsOf: separator.utf8) }
            let pad = max(0, widths[i] - cell.columns)
            switch alignments[i] {
            case .left:
                bytes.append(contentsOf: cell.text.utf8)
                if i < cells.count - 1 { bytes.append(contentsOf: repeatElement(0x20, count: pad)) }
            case .right:
                bytes.append(contentsOf: repeatElement(0x20, count: pad))
                bytes.append(contentsOf: cell.text.utf8)
            }
        }
        // (A trailing space is always a character of its own: dropping bytes is dropping characters.)
        while bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Narrows a table to the room it has by wrapping the cells of its widest columns between words.
enum TableShrinker {
    static let narrowest = 10

    /// The wrapped rows and the new column widths; nil when the table fits (or cannot be narrowed at all).
    static func shrink(rows: [[String]], headers: [String], widths: [Int], separator: Int, room: Int)
        -> (rows: [[[String]]], widths: [Int])? {
        let count = widths.count
        func total(_ w: [Int]) -> Int { w.reduce(0, +) + separator * max(0, count - 1) }
        guard total(widths) > room else { return nil }
        var widths = widths
        // Per column, its cells' words (measured once, when the column is first narrowed) and the width its cells
        // are wrapped to in the end.
        var words: [[LineFitter.Words]?] = Array(repeating: nil, count: count)
        var targets: [Int?] = Array(repeating: nil, count: count)
        var fixed = Set<Int>()
        while total(widths) > room {
            let candidates = (0..<count).filter { !fixed.contains($0) && widths[$0] > narrowest }
            guard let column = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            // The widest column gives up columns down to the next widest (balanced), one at least.
            let second = candidates.filter { $0 != column }.map { widths[$0] }.max() ?? narrowest
            let step = max(1, min(total(widths) - room, widths[column] - second))
            let header = TerminalText.displayWidth(headers[column])
            let target = max(narrowest, header, widths[column] - step)
            if words[column] == nil {
                words[column] = rows.map { LineFitter.Words($0.count > column ? $0[column] : "") }
            }
            let widest = words[column]!.reduce(header) { max($0, $1.widest(width: target)) }
            if widest >= widths[column] {
                fixed.insert(column)   // its words are as wide as the column: no narrower
                continue
            }
            targets[column] = target
            widths[column] = widest
        }
        var wrapsAny = false
        let cells: [[[String]]] = rows.indices.map { r in
            (0..<count).map { i in
                guard let target = targets[i], let cell = words[i]?[r] else { return [i < rows[r].count ? rows[r][i] : ""] }
                let lines = cell.lines(width: target)
                if lines.count > 1 { wrapsAny = true }
                return lines
            }
        }
        return wrapsAny ? (cells, widths) : nil
    }
}

extension String {
    /// The string without its trailing spaces (a trailing space is always a character of its own, so this is done
    /// on the UTF-8 bytes).
    var trailingSpacesTrimmed: String {
        var end = utf8.count
        var text = self
        return text.withUTF8 { bytes in
            while end > 0 && bytes[end - 1] == 0x20 { end -= 1 }
            return end == bytes.count ? self : String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        }
    }
}

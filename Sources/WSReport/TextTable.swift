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
        var widths = headers.map(TerminalText.displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columnCount {
                widths[i] = max(widths[i], TerminalText.displayWidth(cell))
            }
        }
        if let width = style.width {
            let room = width - Self.nesting - TerminalText.displayWidth(indent)
            if let shrunk = TableShrinker.shrink(rows: rows, headers: headers, widths: widths,
                                                 separator: TerminalText.displayWidth(separator), room: room) {
                return render(wrapped: shrunk.rows, widths: shrunk.widths, style: style)
            }
        }
        func line(_ cells: [String], styled: (String) -> String) -> String {
            var parts: [String] = []
            for i in 0..<columnCount {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - TerminalText.displayWidth(cell))
                let isLast = i == columnCount - 1
                switch alignments[i] {
                case .left: parts.append(styled(cell) + (isLast ? "" : pad))
                case .right: parts.append(pad + styled(cell))
                }
            }
            return indent + parts.joined(separator: separator)
        }
        var lines = showsHeader ? [line(headers, styled: style.dim)] : []
        for row in rows { lines.append(line(row, styled: { $0 })) }
        return lines.map { $0.trailingSpacesTrimmed }
    }

    /// Rows whose cells are lists of lines, each row as many lines as its tallest cell.
    private func render(wrapped rows: [[[String]]], widths: [Int], style: Style) -> [String] {
        var lines: [String] = []
        if showsHeader {
            var parts: [String] = []
            for (i, cell) in headers.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - TerminalText.displayWidth(cell)))
                switch alignments[i] {
                case .left: parts.append(style.dim(cell) + (i == headers.count - 1 ? "" : pad))
                case .right: parts.append(pad + style.dim(cell))
                }
            }
            lines.append((indent + parts.joined(separator: separator)).trailingSpacesTrimmed)
        }
        for row in rows {
            let height = row.map(\.count).max() ?? 1
            for k in 0..<height {
                var parts: [String] = []
                for (i, cell) in row.enumerated() {
                    let text = k < cell.count ? cell[k] : ""
                    let pad = String(repeating: " ", count: max(0, widths[i] - TerminalText.displayWidth(text)))
                    let isLast = i == row.count - 1
                    switch alignments[i] {
                    case .left: parts.append(text + (isLast ? "" : pad))
                    case .right: parts.append(pad + text)
                    }
                }
                lines.append((indent + parts.joined(separator: separator)).trailingSpacesTrimmed)
            }
        }
        return lines
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
    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

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

    /// The table as lines, headers first (headers are styled by `style`).
    public func render(style: Style = .plain) -> [String] {
        let columnCount = headers.count
        var widths = headers.map(TerminalText.displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columnCount {
                widths[i] = max(widths[i], TerminalText.displayWidth(cell))
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
}

extension String {
    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

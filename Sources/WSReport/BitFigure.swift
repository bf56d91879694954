import WSWire

/// Draws a frame header in the shape of the RFC 6455 §5.2 figure, filled with the frame's actual bits:
/// 32 bits per row, each field boxed and labelled, the row's bytes in hex at the right.
public enum BitFigure {
    struct Cell {
        let field: FrameField
        /// First bit of the cell, counted from the start of the frame.
        let start: UInt64
        let count: UInt64
        /// True for the second and later pieces of a field that crosses a row boundary.
        let isContinuation: Bool

        /// Characters between the cell's borders: one per bit plus a space between bits.
        var width: Int { Int(count) * 2 - 1 }

        var bits: String {
            let raw = Array(field.rawBits)
            let from = Int(start - field.bitOffset)
            return raw[from..<(from + Int(count))].map(String.init).joined(separator: " ")
        }

        var labelLines: [String] {
            if count == 1 { return field.figureLabel }
            if isContinuation { return [field.figureLabel[0], "(continued)"] }
            return field.figureLabel
        }
    }

    /// The figure as lines. `headerBytes` are the frame's header bytes, shown in hex beside each row.
    public static func render(fields: [FrameField], headerBytes: [UInt8], style: Style = .plain) -> [String] {
        let rows = layout(fields.filter(\.isHeader))
        var lines = [
            " 0                   1                   2                   3",
            " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1",
        ]
        let borders = rows.map { cells in
            "+" + cells.map { String(repeating: "-", count: $0.width) }.joined(separator: "+") + "+"
        }
        for (rowIndex, cells) in rows.enumerated() {
            if rowIndex == 0 { lines.append(borders[0]) }
            let rowBytes = headerBytes.dropFirst(rowIndex * 4).prefix(4)
            let rowWidth = cells.reduce(1) { $0 + $1.width + 1 }
            let bitsLine = "|" + cells.map { style.bold($0.bits) }.joined(separator: "|") + "|"
            lines.append(bitsLine + String(repeating: " ", count: 65 - rowWidth + 3)
                         + style.dim(Hex.string(rowBytes, separator: " ")))
            let labelCount = cells.map { $0.labelLines.count }.max() ?? 0
            for labelRow in 0..<labelCount {
                let parts = cells.map { cell -> String in
                    let labels = cell.labelLines
                    return center(labelRow < labels.count ? labels[labelRow] : "", width: cell.width)
                }
                lines.append("|" + parts.joined(separator: "|") + "|")
            }
            // The line under a row is shared with the next row: it shows the field boundaries of both.
            lines.append(rowIndex + 1 < rows.count ? merge(borders[rowIndex], borders[rowIndex + 1]) : borders[rowIndex])
        }
        return lines.map(\.trailingSpacesTrimmed)
    }

    /// Splits fields into cells of at most 32 bits per row.
    static func layout(_ fields: [FrameField]) -> [[Cell]] {
        var rows: [[Cell]] = []
        var current: [Cell] = []
        for field in fields {
            var start = field.bitOffset
            let end = field.bitOffset + field.bitCount
            while start < end {
                let rowEnd = (start / 32 + 1) * 32
                let pieceEnd = min(end, rowEnd)
                current.append(Cell(field: field, start: start, count: pieceEnd - start,
                                    isContinuation: start != field.bitOffset))
                start = pieceEnd
                if start == rowEnd {
                    rows.append(current)
                    current = []
                }
            }
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// Overlays two border lines: a `+` wherever either has one.
    private static func merge(_ a: String, _ b: String) -> String {
        let x = Array(a), y = Array(b)
        return String((0..<max(x.count, y.count)).map { i -> Character in
            let p = i < x.count ? x[i] : "-", q = i < y.count ? y[i] : "-"
            return p == "+" || q == "+" ? "+" : "-"
        })
    }

    private static func center(_ text: String, width: Int) -> String {
        let textWidth = TerminalText.displayWidth(text)
        guard textWidth < width else { return String(text.prefix(width)) }
        let left = (width - textWidth) / 2
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: width - textWidth - left)
    }
}

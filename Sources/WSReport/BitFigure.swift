import WSWire

/// Draws a frame header in the shape of the RFC 6455 §5.2 figure, filled with the frame's actual bits:
/// 32 bits per row (`BitFigureRow`, from the frame's anatomy), each field boxed and labelled.
public enum BitFigure {
    /// The figure as lines, drawn from the anatomy's rows (the row's bytes in hex at the right).
    public static func render(_ rows: [BitFigureRow], style: Style = .plain) -> [String] {
        var lines = [
            " 0                   1                   2                   3",
            " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1",
        ]
        let borders = rows.map { row in
            "+" + row.cells.map { String(repeating: "-", count: width($0)) }.joined(separator: "+") + "+"
        }
        for (rowIndex, row) in rows.enumerated() {
            if rowIndex == 0 { lines.append(borders[0]) }
            let rowWidth = row.cells.reduce(1) { $0 + width($1) + 1 }
            let bitsLine = "|" + row.cells.map { style.bold($0.bits.map(String.init).joined(separator: " ")) }.joined(separator: "|") + "|"
            lines.append(bitsLine + String(repeating: " ", count: 65 - rowWidth + 3)
                         + style.dim(Hex.string(row.bytes, separator: " ")))
            let labelCount = row.cells.map { $0.labelLines.count }.max() ?? 0
            for labelRow in 0..<labelCount {
                let parts = row.cells.map { cell -> String in
                    let labels = cell.labelLines
                    return center(labelRow < labels.count ? labels[labelRow] : "", width: width(cell))
                }
                lines.append("|" + parts.joined(separator: "|") + "|")
            }
            // The line under a row is shared with the next row: it shows the field boundaries of both.
            lines.append(rowIndex + 1 < rows.count ? merge(borders[rowIndex], borders[rowIndex + 1]) : borders[rowIndex])
        }
        return lines.map(\.trailingSpacesTrimmed)
    }

    /// Characters between a cell's borders: one per bit plus a space between bits.
    static func width(_ cell: BitFigureRow.Cell) -> Int { Int(cell.count) * 2 - 1 }

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

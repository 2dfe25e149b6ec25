/// A bar chart as the console's template draws it in inline SVG: the geometry is computed here and the
/// template only places rectangles and texts, so every label goes through Mustache's HTML escaping and
/// the page needs no script, image or style source (the console's CSP forbids them).
struct BarChart: Sendable, Equatable {
    struct Bar: Sendable, Equatable {
        var x, y, width, height: Int
        var colour: String
        /// The tooltip: what the bar counts.
        var title: String
    }

    struct Label: Sendable, Equatable {
        var x, y: Int
        var text: String
    }

    var id: String
    var caption: String
    var width: Int
    var height: Int
    var bars: [Bar]
    var labels: [Label]
    var legend: [Label]

    var template: [String: Any] {
        ["id": id, "caption": caption, "width": width, "height": height, "empty": bars.isEmpty,
         "bars": bars.map { ["x": $0.x, "y": $0.y, "w": $0.width, "h": $0.height, "colour": $0.colour, "title": $0.title] },
         "labels": (labels + legend).map { ["x": $0.x, "y": $0.y, "text": $0.text] },
         "swatches": legend.enumerated().map { ["x": $1.x - 14, "y": $1.y - 9, "colour": ConsoleCharts.colour($0)] }]
    }
}

/// One column of a stacked chart: its label and the counts stacked in it, by key.
struct StackedColumn: Sendable, Equatable {
    var label: String
    var parts: [String: Int]
}

/// The dashboard's charts: bars of counts, and columns stacked by key (findings per pattern per month).
enum ConsoleCharts {
    static let palette = ["#1d4e89", "#2e7d32", "#ef6c00", "#c62828", "#6a1b9a", "#00838f", "#9e9d24", "#5d4037"]
    static let plot = (top: 30, height: 160, left: 30, column: 48, gap: 16)

    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// One bar per (label, count), all in one colour.
    static func bars(id: String, caption: String, _ values: [(label: String, count: Int)]) -> BarChart {
        stacked(id: id, caption: caption, values.map { StackedColumn(label: $0.label, parts: [caption: $0.count]) }, legend: false)
    }

    /// Columns stacked by key, the keys in a fixed order (sorted) and colour, with a legend when asked.
    static func stacked(id: String, caption: String, _ columns: [StackedColumn], legend: Bool = true) -> BarChart {
        let keys = Set(columns.flatMap(\.parts.keys)).sorted()
        let peak = max(1, columns.map { $0.parts.values.reduce(0, +) }.max() ?? 1)
        let p = plot
        var bars: [BarChart.Bar] = [], labels: [BarChart.Label] = []
        for (index, column) in columns.enumerated() {
            let x = p.left + index * (p.column + p.gap)
            var y = p.top + p.height
            for (k, key) in keys.enumerated() {
                guard let count = column.parts[key], count > 0 else { continue }
                let h = max(1, count * p.height / peak)
                y -= h
                bars.append(.init(x: x, y: y, width: p.column, height: h, colour: colour(k), title: "\(column.label) \(key): \(count)"))
            }
            let total = column.parts.values.reduce(0, +)
            labels.append(.init(x: x, y: y - 4, text: "\(total)"))
            labels.append(.init(x: x, y: p.top + p.height + 14, text: column.label))
        }
        let width = max(240, p.left + columns.count * (p.column + p.gap) + 10)
        let legendRows = legend ? keys.enumerated().map { BarChart.Label(x: p.left + 14 + ($0 % 6) * 70, y: p.top + p.height + 34 + ($0 / 6) * 16, text: $1) } : []
        let height = p.top + p.height + 24 + (legendRows.isEmpty ? 0 : 16 * ((keys.count + 5) / 6) + 8)
        return BarChart(id: id, caption: caption, width: width, height: height, bars: bars, labels: labels, legend: legendRows)
    }
}

import CreditRules
import Foundation
import HISContract

/// Hand-written SVG for the two charts the API serves: small enough to read and check in a test,
/// no drawing library needed.
enum Charts {
    static let colours: [CreditGrade: String] = [.A: "#2e7d32", .B: "#9e9d24", .C: "#ef6c00", .D: "#c62828"]

    /// Stacked bars, one per region: how many institutions hold each grade.
    static func gradeDistribution(_ counts: [(region: String, name: String, grades: [CreditGrade: Int])]) -> String {
        let barWidth = 60, gap = 30, height = 240, top = 30
        let maxTotal = max(1, counts.map { $0.grades.values.reduce(0, +) }.max() ?? 1)
        var parts: [String] = [text(10, 20, "信用等级分布 / grade distribution by region", size: 14)]
        for (index, region) in counts.enumerated() {
            let x = 40 + index * (barWidth + gap)
            var y = top + height
            for grade in CreditGrade.allCases {
                let count = region.grades[grade, default: 0]
                guard count > 0 else { continue }
                let h = count * height / maxTotal
                y -= h
                parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(colours[grade]!)\"><title>\(escape(region.name)) \(grade.rawValue): \(count)</title></rect>")
            }
            parts.append(text(x, top + height + 16, region.region, size: 10))
        }
        for (i, grade) in CreditGrade.allCases.enumerated() {
            parts.append("<rect x=\"\(40 + i * 50)\" y=\"\(top + height + 28)\" width=\"10\" height=\"10\" fill=\"\(colours[grade]!)\"/>")
            parts.append(text(54 + i * 50, top + height + 37, grade.rawValue, size: 10))
        }
        return svg(width: max(300, 60 + counts.count * (barWidth + gap)), height: top + height + 50, parts)
    }

    /// A step line of the practitioner's points in force through the year (0-12), with the
    /// suspension (9) and termination (12) thresholds drawn.
    static func pointsOverYear(practitioner: String, year: Int, points: [(day: Int, points: Int)], policy: PointsPolicy = .default) -> String {
        let width = 730, height = 240, left = 40, top = 30
        func x(_ day: Int) -> Int { left + day * (width - left - 10) / 366 }
        func y(_ value: Int) -> Int { top + height - value * height / policy.annualBudget }
        var path = "M \(x(0)) \(y(0))"
        var current = 0
        for step in points {
            path += " L \(x(step.day)) \(y(current)) L \(x(step.day)) \(y(step.points))"
            current = step.points
        }
        path += " L \(x(366)) \(y(current))"
        let parts = [
            text(10, 20, "\(escape(practitioner)) \(year) 年记分 / points in \(year)", size: 14),
            line(x(0), y(policy.suspensionThreshold), x(366), y(policy.suspensionThreshold), colour: "#ef6c00"),
            text(x(366) - 80, y(policy.suspensionThreshold) - 4, "暂停 \(policy.suspensionThreshold)", size: 10),
            line(x(0), y(policy.annualBudget), x(366), y(policy.annualBudget), colour: "#c62828"),
            text(x(366) - 80, y(policy.annualBudget) + 12, "终止 \(policy.annualBudget)", size: 10),
            "<path d=\"\(path)\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>",
        ]
        return svg(width: width + 20, height: top + height + 20, parts)
    }

    private static func svg(width: Int, height: Int, _ parts: [String]) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
            + parts.joined(separator: "\n") + "\n</svg>\n"
    }

    private static func text(_ x: Int, _ y: Int, _ content: String, size: Int) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\">\(escape(content))</text>"
    }

    private static func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, colour: String) -> String {
        "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(colour)\" stroke-dasharray=\"4 3\"/>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension PointsState {
    /// The year's points after each action of `year`, as (day of year, points) steps.
    func steps(in year: Int) -> [(day: Int, points: Int)] {
        guard let jan1 = CivilDate(year: year, month: 1, day: 1) else { return [] }
        return history.filter { $0.action.date.year == year }.map { (jan1.days(to: $0.action.date), $0.pointsInYear) }
    }
}

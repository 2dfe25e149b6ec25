import Foundation
import PlatformClient

/// The demo's closing report: decisions per level, cases, credit changes, deliveries per receiver.
struct DemoSummary {
    let report: ScriptedReviewers.Report
    let changes: [CreditChange]
    let deliveries: [DeliveryRow]
    let receivers: LocalReceivers
    let subscribed: [String]

    var text: String {
        var lines: [String] = []
        for level in [1, 2] {
            let verdicts = (report.decided[level] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("Items decided at level \(level) (\(level == 1 ? "初审" : "复审")): \(verdicts.isEmpty ? "none" : verdicts.joined(separator: ", "))")
        }
        lines.append("Confirmed items waiting for the second-review draw: \(report.awaitingSample)")
        let major = report.casesPublished.filter(\.major).count
        lines.append("Cases published on review.outcomes: \(report.casesPublished.count) (major, after legal approval 法制审核: \(major))")
        let kinds = Dictionary(grouping: changes, by: { "\($0.subjectKind) \($0.change)" }).mapValues(\.count).sorted { $0.key < $1.key }
        lines.append("Credit changes for these cases: \(changes.count)" + (kinds.isEmpty ? "" : " (" + kinds.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        lines.append("Deliveries to the agencies' receivers (signature verified here; notification's own status in brackets):")
        for id in subscribed {
            let tally = receivers.tally(id), rows = deliveries.filter { $0.subscriberId == id }
            let statuses = Dictionary(grouping: rows, by: \.status).mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  \(id.padding(toLength: 40, withPad: " ", startingAt: 0)) \(String(format: "%4d", tally.deliveries.count))"
                         + "  duplicates \(tally.duplicates), bad signatures \(tally.badSignatures)  [\(statuses.joined(separator: ", "))]")
        }
        if !report.problems.isEmpty {
            lines.append("Refused or failed on the way (\(report.problems.count)):")
            lines += report.problems.prefix(5).map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}

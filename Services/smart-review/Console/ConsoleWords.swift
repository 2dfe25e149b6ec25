import Foundation
import ReviewWorkflow

/// The console speaks Chinese: the stored codes of states, decisions, levels and severities as a
/// reviewer reads them. A code without a name (a newer one) is shown as it is rather than hidden.
enum ConsoleWords {
    static func itemState(_ code: Any?) -> String { word(code) { ItemState(rawValue: $0)?.chineseName } }
    static func caseState(_ code: Any?) -> String { word(code) { CaseState(rawValue: $0)?.chineseName } }
    static func verdict(_ code: Any?) -> String { word(code) { DecisionRequest.Verdict(rawValue: $0)?.chineseName } }
    static func rectificationState(_ code: Any?) -> String { word(code) { RectificationState(rawValue: $0)?.chineseName } }

    static func severity(_ code: Any?) -> String {
        guard let level = code as? Int ?? (code as? String).flatMap(Int.init) else { return "\(code ?? "")" }
        return Severity(rawValue: level)?.chineseName ?? "\(level)"
    }

    /// The post as the header names it (初审 … 机构).
    static func role(_ role: WorkbenchRole) -> String {
        switch role {
        case .firstReviewer: "初审"
        case .secondReviewer: "复审"
        case .legalReviewer: "法制审核"
        case .supervisor: "监管负责人"
        case .auditor: "审计"
        case .admin: "管理员"
        case .institution: "定点医药机构"
        }
    }

    static func level(_ code: Any?) -> String {
        switch code as? Int ?? (code as? String).flatMap(Int.init) {
        case 1: "初审"
        case 2: "复审"
        default: "\(code ?? "")"
        }
    }

    /// Adds `<key>_zh` beside `key` in each row, leaving the code for links, tests and scripts.
    static func adding(_ key: String, _ name: (Any?) -> String, to rows: [[String: Any]]) -> [[String: Any]] {
        rows.map { row in row.merging([key + "_zh": name(row[key])]) { $1 } }
    }

    /// An instant as a reviewer in China reads it: yyyy-MM-dd HH:mm, China Standard Time.
    static func localTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LedgerCalendar.zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0)
    }

    private static func word(_ code: Any?, _ name: (String) -> String?) -> String {
        let text = code as? String ?? ""
        return name(text) ?? text
    }
}

/// A finding's severity (sev_deg of the national 3101/3102 answer): how sure the machine review is that a
/// flagged item breaks the rules — 1 明确违规, 2 疑似违规, 3 提醒. It belongs to a finding and to the review item
/// built from findings; a decided case's seriousness is its `Gravity`, not this.
///
/// The raw value is the national number, and events and the database carry that number, so lower raw is
/// graver. `Comparable` orders by gravity all the same: `.reminder < .suspected < .violation`, so "graver
/// first" is a descending sort and "the case's gravest finding" is `max()`.
public enum Severity: Int, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// 明确违规: a clear violation.
    case violation = 1
    /// 疑似违规: a suspected violation that a reviewer must confirm.
    case suspected = 2
    /// 提醒: a reminder, the mildest level.
    case reminder = 3

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue > rhs.rawValue }

    /// The national wire form, `sev_deg` "1" / "2" / "3".
    public var sevDeg: String { String(rawValue) }

    /// 明确违规 / 疑似违规 / 提醒
    public var chineseName: String {
        switch self {
        case .violation: "明确违规"
        case .suspected: "疑似违规"
        case .reminder: "提醒"
        }
    }
}

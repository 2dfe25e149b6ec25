/// How grave a flagged item is. The raw values are those of `RuleEngine.Finding.severity`
/// (1 明确违规, 2 疑似违规, 3 提醒) so a finding's number maps straight onto this type.
///
/// `Comparable` orders by gravity: `.reminder < .suspected < .violation`, so "more severe first"
/// is a descending sort.
public enum Severity: Int, Codable, Sendable, Equatable, Hashable, CaseIterable, Comparable {
    /// 明确违规: a clear violation.
    case violation = 1
    /// 疑似违规: a suspected violation that a reviewer must confirm.
    case suspected = 2
    /// 提醒: a reminder, the mildest level.
    case reminder = 3

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue > rhs.rawValue }

    /// 明确违规 / 疑似违规 / 提醒
    public var chineseName: String {
        switch self {
        case .violation: "明确违规"
        case .suspected: "疑似违规"
        case .reminder: "提醒"
        }
    }
}

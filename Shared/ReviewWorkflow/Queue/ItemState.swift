/// Where a flagged claim stands on the workbench (审核事项状态). The raw values are those stored in
/// `review_items.state` and shown by the API, so the stored rows and old answers read the same.
public enum ItemState: String, Codable, Sendable, CaseIterable {
    /// 待初审: waiting for a first-level decision.
    case firstPending = "first_pending"
    /// 待抽样: decided at the first level, waiting for the second-review draw of its batch.
    case sampling
    /// 待复审: drawn (or high-risk) and waiting for a second-level decision.
    case secondPending = "second_pending"
    /// 已办结: decided for good (first level not drawn, or second level done).
    case decided
    /// 已撤回: every finding of the claim was withdrawn before anyone decided it.
    case withdrawn

    /// The state that waits for a decision at `level` (1 or 2), nil for any other level.
    public static func pending(level: Int) -> ItemState? {
        switch level {
        case 1: .firstPending
        case 2: .secondPending
        default: nil
        }
    }

    /// 待初审 … 已撤回: the console's words for the state.
    public var chineseName: String {
        switch self {
        case .firstPending: "待初审"
        case .sampling: "待抽样"
        case .secondPending: "待复审"
        case .decided: "已办结"
        case .withdrawn: "已撤回"
        }
    }
}

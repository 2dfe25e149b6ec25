import Foundation

/// The posts that decide on an item; 初审复审岗位实行不相容管理 keeps them in different hands.
public enum ReviewRole: String, Codable, Sendable, Equatable, Hashable {
    /// 初审
    case firstLevel
    /// 复审
    case secondLevel
    /// 法制审核
    case legalReview
}

/// One decision taken on an item by a reviewer in a role.
public struct ReviewAct: Codable, Sendable, Equatable {
    public var reviewer: String
    public var role: ReviewRole
    public var at: Date

    public init(reviewer: String, role: ReviewRole, at: Date) {
        self.reviewer = reviewer
        self.role = role
        self.at = at
    }
}

/// Every decision taken so far on one item.
public struct ItemHistory: Codable, Sendable, Equatable {
    public var itemID: String
    public var acts: [ReviewAct]

    public init(itemID: String, acts: [ReviewAct] = []) {
        self.itemID = itemID
        self.acts = acts
    }

    /// Reviewers who decided the item in `role`.
    public func deciders(in role: ReviewRole) -> Set<String> {
        Set(acts.filter { $0.role == role }.map(\.reviewer))
    }
}

/// Whether `reviewer` may take the second-level decision on the item: never the one who decided its
/// first level (岗位不相容).
public func mayDecideSecondLevel(reviewer: String, history: ItemHistory) -> Bool {
    !history.deciders(in: .firstLevel).contains(reviewer)
}

/// Whether `reviewer` may take the legal review of the item: never one who decided its first level,
/// nor its second level, since the legal review must be independent of those who handled the case.
public func mayDecideLegalReview(reviewer: String, history: ItemHistory) -> Bool {
    history.deciders(in: .firstLevel).union(history.deciders(in: .secondLevel)).isDisjoint(with: [reviewer])
}

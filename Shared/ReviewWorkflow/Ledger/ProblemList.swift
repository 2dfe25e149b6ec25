import Foundation

/// One confirmed finding as the problem list counts it: the rule broken, by whom, on which claim,
/// and the amount the finding puts at stake.
public struct ConfirmedProblem: Sendable, Equatable {
    public var ruleID: String
    public var title: String
    public var institutionID: String
    public var claimID: String
    public var amount: Decimal

    public init(ruleID: String, title: String, institutionID: String, claimID: String, amount: Decimal) {
        self.ruleID = ruleID
        self.title = title
        self.institutionID = institutionID
        self.claimID = claimID
        self.amount = amount
    }
}

/// A line of the negative problem list (负面问题清单): a typical problem confirmed in the period.
public struct TypicalProblem: Codable, Sendable, Equatable {
    public var ruleId: String
    public var title: String
    public var institutions: Int
    public var claims: Int
    public var amount: Decimal

    public init(ruleId: String, title: String, institutions: Int, claims: Int, amount: Decimal) {
        self.ruleId = ruleId
        self.title = title
        self.institutions = institutions
        self.claims = claims
        self.amount = amount
    }
}

public enum ProblemList {
    /// Aggregates confirmed problems by rule, most widespread first (institutions, then claims, then
    /// amount): what many institutions do is what every institution should inspect itself for. A claim
    /// with two findings of one rule counts once; its amounts add up.
    public static func compile(_ problems: [ConfirmedProblem], minimumInstitutions: Int = 1) -> [TypicalProblem] {
        Dictionary(grouping: problems, by: \.ruleID).compactMap { rule, group -> TypicalProblem? in
            let institutions = Set(group.map(\.institutionID)).count
            guard institutions >= minimumInstitutions else { return nil }
            return TypicalProblem(ruleId: rule, title: group.map(\.title).min() ?? rule, institutions: institutions,
                                  claims: Set(group.map(\.claimID)).count, amount: group.reduce(Decimal(0)) { $0 + $1.amount })
        }
        .sorted { ($1.institutions, $1.claims, $1.amount, $0.ruleId) < ($0.institutions, $0.claims, $0.amount, $1.ruleId) }
    }
}

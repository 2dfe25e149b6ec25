import HISContract

/// 暂停医保协议 / 暂停结算: a decided case suspends the institution's service agreement — under Order 735
/// art. 38 or 40 the responsible department's fund-paid services (暂停相关责任部门涉及医保基金使用的医药服务),
/// 6–12 months; under the agreement alone it may be shorter. While it lasts every claim of the institution is
/// reviewed one by one (逐单审核, `SanctionMeasure.fullReview` at intake's door and in smart-review); it ends by
/// itself on `until`, when credit publishes the agreement active again.
public struct AgreementSuspension: Sendable, Codable, Equatable {
    /// The period a decision may set; one outside is brought into it (the period is the decision's, the
    /// range the regulation's).
    public static let allowedMonths = 1...12

    /// fixmedins_code
    public var institution: String
    public var caseId: String
    public var from: CivilDate
    public var months: Int
    /// First day the agreement is active again.
    public var until: CivilDate

    public init(institution: String, caseId: String, from: CivilDate, months asked: Int) {
        self.institution = institution
        self.caseId = caseId
        self.from = from
        months = min(max(asked, Self.allowedMonths.lowerBound), Self.allowedMonths.upperBound)
        until = CalendarMath.adding(months: months, to: from)
    }

    /// Whether a decided case suspends the institution's agreement: its handling names a suspension with a
    /// period, under an article that binds the institution (art. 41 is an insured person's fraud, whose
    /// suspension is of direct settlement, `DirectSettlementSuspension`).
    public static func isDecided(handling: [String], suspensionMonths: Int?, article: Int) -> Bool {
        (suspensionMonths ?? 0) > 0 && handling.contains("suspension") && article != 41
    }

    public func isSuspended(on date: CivilDate) -> Bool { from <= date && date < until }
}

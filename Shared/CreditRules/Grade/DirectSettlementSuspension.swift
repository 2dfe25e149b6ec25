import HISContract

public enum DirectSettlementSuspensionError: Error, Sendable, Equatable {
    case monthsOutOfRange(months: Int, allowed: ClosedRange<Int>)
}

/// 暂停医疗费用联网结算 for an insured person found defrauding the fund: for the period the handling
/// decision sets, the person pays in full and claims reimbursement by hand (手工报销).
public struct DirectSettlementSuspension: Sendable, Codable, Equatable {
    /// The period a decision may set.
    public static let allowedMonths = 3...12

    public var psnNo: String
    public var caseId: String
    public var from: CivilDate
    public var months: Int
    /// First day direct settlement is available again.
    public var until: CivilDate

    public init(psnNo: String, caseId: String, from: CivilDate, months: Int) throws(DirectSettlementSuspensionError) {
        self.psnNo = psnNo
        self.caseId = caseId
        self.from = from
        self.months = months
        until = try Self.periodEnd(from: from, months: months)
    }

    /// The first day after a suspension of `months` starting on `from` (2025-01-31 + 3 months ends
    /// before 2025-04-30, the month end clamped).
    public static func periodEnd(from: CivilDate, months: Int) throws(DirectSettlementSuspensionError) -> CivilDate {
        guard allowedMonths.contains(months) else { throw .monthsOutOfRange(months: months, allowed: allowedMonths) }
        return CalendarMath.adding(months: months, to: from)
    }

    public func isSuspended(on date: CivilDate) -> Bool {
        from <= date && date < until
    }
}

/// The thresholds of the practitioner payment-eligibility scheme (医保支付资格管理, 医保发〔2024〕23号)
/// as data, so a province's implementing rules (实施细则) can differ without code changes.
public struct PointsPolicy: Sendable, Codable, Equatable {
    /// Points a practitioner may accumulate in a calendar year (记分周期为自然年度, 满分 12 分);
    /// reaching it terminates payment qualification (终止医保支付资格).
    public var annualBudget: Int
    /// Reaching this many points in a year suspends payment qualification (暂停医保支付资格).
    public var suspensionThreshold: Int
    /// Months of suspension for a yearly total of `suspensionThreshold + i` points (index `i`).
    /// Default: 9 → 1 month, 10 → 3 months, 11 → 6 months — the document's 1-6 month range,
    /// mildest at the threshold and longest just short of termination.
    public var suspensionMonthsByPointsOverThreshold: [Int]
    /// Years during which a terminated practitioner may not re-register (不得再次登记备案).
    public var terminationBarYears: Int
    /// The bar when 12 points came at once, from a single violation (一次性记满 12 分).
    public var terminationBarYearsAtOnce: Int

    public init(annualBudget: Int = 12, suspensionThreshold: Int = 9,
                suspensionMonthsByPointsOverThreshold: [Int] = [1, 3, 6],
                terminationBarYears: Int = 1, terminationBarYearsAtOnce: Int = 3) {
        self.annualBudget = annualBudget
        self.suspensionThreshold = suspensionThreshold
        self.suspensionMonthsByPointsOverThreshold = suspensionMonthsByPointsOverThreshold
        self.terminationBarYears = terminationBarYears
        self.terminationBarYearsAtOnce = terminationBarYearsAtOnce
    }

    public static let `default` = PointsPolicy()

    /// Suspension months for a yearly total, nil below the threshold or at/above the budget
    /// (termination, not suspension). Totals beyond the table use its last value.
    public func suspensionMonths(forYearlyPoints points: Int) -> Int? {
        guard points >= suspensionThreshold, points < annualBudget,
              let last = suspensionMonthsByPointsOverThreshold.last else { return nil }
        let index = points - suspensionThreshold
        return index < suspensionMonthsByPointsOverThreshold.count ? suspensionMonthsByPointsOverThreshold[index] : last
    }
}

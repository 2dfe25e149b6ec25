import Foundation

/// One rule of the whistle-blower reward (举报奖励): a percentage of the amount verified and recovered
/// (查实金额), never below a floor and never above a cap. Nationally (《违法违规使用医疗保障基金举报
/// 奖励办法》) the reward is at most 200,000 and at least 200 yuan; provinces set the rates by grade.
public struct RewardRule: Codable, Sendable, Equatable {
    /// Fraction of the recovered amount (0.02 = 2%).
    public var rate: Decimal
    public var floor: Decimal
    /// The hard limit: wins over the floor if they were ever configured crossed.
    public var cap: Decimal

    public init(rate: Decimal, floor: Decimal = 200, cap: Decimal = 200_000) {
        self.rate = rate
        self.floor = floor
        self.cap = cap
    }

    /// The reward for a report; nothing unless the report was verified (查证属实).
    public func reward(recoveredAmount: Decimal, verified: Bool) -> RewardAward {
        guard verified else {
            return RewardAward(recoveredAmount: recoveredAmount, rule: self, calculated: 0, amount: 0,
                               floorApplied: false, capApplied: false)
        }
        let calculated = (max(recoveredAmount, 0) * rate).roundedToFen
        let amount = min(cap, max(floor, calculated))
        return RewardAward(recoveredAmount: recoveredAmount, rule: self, calculated: calculated, amount: amount,
                           floorApplied: amount == floor && calculated < floor,
                           capApplied: amount == cap && calculated > cap)
    }
}

/// The reward worked out, with what shaped it, for the reward decision and the audit log.
public struct RewardAward: Codable, Sendable, Equatable {
    public var recoveredAmount: Decimal
    public var rule: RewardRule
    /// rate × recovered amount, before floor and cap.
    public var calculated: Decimal
    /// What is paid.
    public var amount: Decimal
    public var floorApplied: Bool
    public var capApplied: Bool
}

/// The grades of reward as configured data: how much the report and the reporter's help contributed
/// (一级 detailed facts and evidence plus direct help … 三级 facts or leads only).
public struct RewardSchedule: Codable, Sendable, Equatable {
    /// Rule by grade, 1 the highest.
    public var grades: [Int: RewardRule]

    public init(grades: [Int: RewardRule]) { self.grades = grades }

    /// A common provincial schedule: 一级 3% (at least 400), 二级 2% (at least 300), 三级 1% (at least 200),
    /// each capped at 200,000 yuan.
    public static let standard = RewardSchedule(grades: [
        1: RewardRule(rate: 0.03, floor: 400),
        2: RewardRule(rate: 0.02, floor: 300),
        3: RewardRule(rate: 0.01, floor: 200),
    ])

    /// The reward under the grade's rule; nil for a grade not configured.
    public func reward(grade: Int, recoveredAmount: Decimal, verified: Bool) -> RewardAward? {
        grades[grade]?.reward(recoveredAmount: recoveredAmount, verified: verified)
    }
}

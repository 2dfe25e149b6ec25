import Foundation

/// The local discretion benchmark (裁量基准) as data: where in the article's range a case starts and
/// how far each circumstance moves it. A position of 0 is the article's minimum, 1 its maximum;
/// the resulting fine is clamped to the range whatever the steps add up to.
public struct DiscretionPolicy: Codable, Sendable, Equatable {
    /// Starting position by seriousness: 轻微 at the minimum, 一般 at the middle, 严重 at the maximum.
    public var minorPosition: Decimal
    public var generalPosition: Decimal
    public var seriousPosition: Decimal
    /// 从重: added for a repeat violation.
    public var repeatStep: Decimal
    /// 从轻: subtracted for a voluntary refund (主动退回).
    public var voluntaryRefundStep: Decimal
    /// 从轻: subtracted for self-reporting (主动供述 / 自查自纠).
    public var selfReportStep: Decimal
    /// Decimal places of a fine multiple (1 → 1.5 倍).
    public var multipleScale: Int
    /// Amount defrauded from which fraud is proposed for referral to the police (涉嫌诈骗, 行刑衔接);
    /// the national 数额较大 starts between 3,000 and 10,000 yuan depending on the province.
    public var policeReferralAmount: Decimal

    public init(minorPosition: Decimal = 0, generalPosition: Decimal = 0.5, seriousPosition: Decimal = 1,
                repeatStep: Decimal = 0.25, voluntaryRefundStep: Decimal = 0.25, selfReportStep: Decimal = 0.25,
                multipleScale: Int = 1, policeReferralAmount: Decimal = 3_000) {
        self.minorPosition = minorPosition
        self.generalPosition = generalPosition
        self.seriousPosition = seriousPosition
        self.repeatStep = repeatStep
        self.voluntaryRefundStep = voluntaryRefundStep
        self.selfReportStep = selfReportStep
        self.multipleScale = multipleScale
        self.policeReferralAmount = policeReferralAmount
    }

    public static let standard = DiscretionPolicy()

    func startPosition(for seriousness: Seriousness) -> Decimal {
        switch seriousness {
        case .minor: minorPosition
        case .general: generalPosition
        case .serious: seriousPosition
        }
    }
}

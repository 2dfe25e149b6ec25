import Foundation

/// The penalty articles of 《医疗保障基金使用监督管理条例》(国务院令第735号) that the discretion
/// calculator applies, each with the ranges the law allows. The ranges are law, not configuration:
/// a supervisor may move within them but never outside (see `PenaltyDiscretion.depart`).
public enum Article: Int, Codable, Sendable, Equatable, Hashable, CaseIterable {
    /// 第三十八条: an institution's irregular use causing a fund loss (分解住院、过度诊疗、重复收费、串换…).
    /// Recover the loss, fine 1–2× the loss; suspend the responsible department's insured services
    /// 6–12 months when it refuses to correct or the consequences are serious.
    case article38 = 38
    /// 第三十九条: an institution's management failures (no internal system, records, data, disclosure…).
    /// Order correction; a fine of 10,000–50,000 yuan only when it refuses to correct (拒不改正).
    case article39 = 39
    /// 第四十条: an institution's fraud (骗取医保基金). Recover, fine 2–5× the amount defrauded, suspend
    /// 6–12 months, up to termination of the service agreement (解除服务协议).
    case article40 = 40
    /// 第四十一条: an individual's violation. Recover; suspend the insured person's direct settlement
    /// (暂停联网结算) 3–12 months; with intent to defraud, also a fine of 2–5× the amount.
    case article41 = 41

    /// 第N条 as cited in a decision.
    public var citation: String {
        switch self {
        case .article38: "《医疗保障基金使用监督管理条例》第三十八条"
        case .article39: "《医疗保障基金使用监督管理条例》第三十九条"
        case .article40: "《医疗保障基金使用监督管理条例》第四十条"
        case .article41: "《医疗保障基金使用监督管理条例》第四十一条"
        }
    }

    /// Fine as a multiple of the amount at stake, where the article fines that way.
    public var fineMultipleRange: ClosedRange<Decimal>? {
        switch self {
        case .article38: 1...2
        case .article39: nil
        case .article40, .article41: 2...5
        }
    }

    /// Fine as a fixed amount in yuan, where the article fines that way (only 第三十九条).
    public var fixedFineRange: ClosedRange<Decimal>? {
        self == .article39 ? 10_000...50_000 : nil
    }

    /// Months of suspension the article allows: of the responsible department's insured services
    /// for an institution, of direct settlement (联网结算) for an insured person.
    public var suspensionRange: ClosedRange<Int>? {
        switch self {
        case .article38, .article40: 6...12
        case .article39: nil
        case .article41: 3...12
        }
    }

    /// Whether the article orders the fund's loss returned (责令退回).
    public var recoversLoss: Bool { self != .article39 }

    /// Whether the article lets the agreement be terminated (直至解除服务协议): only fraud.
    public var allowsTermination: Bool { self == .article40 }

    /// Whether the one punished is an individual rather than an institution.
    public var punishesIndividual: Bool { self == .article41 }
}

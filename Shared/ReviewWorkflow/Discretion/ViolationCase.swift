import Foundation

/// 情节: how grave the facts are, as the investigating officer assesses them.
public enum Seriousness: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    /// 轻微: minor; together with a first violation and prompt correction it opens 首违不罚.
    case minor
    /// 一般: ordinary.
    case general
    /// 严重: serious consequences (造成严重后果); triggers suspension under 第三十八条.
    case serious
}

/// The facts the discretion calculator weighs: what was done, how much, and the circumstances that
/// the lenient list (免罚轻罚清单) and the credit link (信用与处罚裁量挂钩) look at.
public struct ViolationCase: Codable, Sendable, Equatable {
    public var kind: ViolationKind
    /// Fund loss or amount defrauded in yuan (涉案金额); the base of recovery and of multiple fines.
    public var amount: Decimal
    /// 以骗取医保基金为目的: moves an institution's 第三十八条 behaviour to 第四十条 and adds the
    /// 2–5× fine to an individual's 第四十一条 behaviour.
    public var intentToDefraud: Bool
    /// 初次违法 (no earlier confirmed violation of this subject); a repeat weighs heavier (从重).
    public var isFirstViolation: Bool
    /// 主动退回: the subject returned the money before the decision (主动消除或者减轻危害后果).
    public var voluntaryRefund: Bool
    /// 主动供述 / 自查自纠: the subject reported what the bureau did not yet know.
    public var selfReported: Bool
    /// 及时改正: corrected as soon as told; a condition of 首违不罚.
    public var correctedPromptly: Bool
    /// 拒不改正: refused to correct; triggers the 第三十九条 fine and the 第三十八条 suspension.
    public var refusedToCorrect: Bool
    public var seriousness: Seriousness
    /// Multiplier from the subject's credit grade, e.g. A 0.9, B 1.0, C 1.1, D 1.2, supplied by the
    /// credit service; it scales the fine, which is then clamped to the article's range.
    public var creditFactor: Decimal
    /// For 第四十一条: whether the individual is an insured person, whose direct settlement can be suspended.
    public var isInsuredPerson: Bool

    public init(kind: ViolationKind, amount: Decimal, intentToDefraud: Bool = false, isFirstViolation: Bool = true,
                voluntaryRefund: Bool = false, selfReported: Bool = false, correctedPromptly: Bool = false,
                refusedToCorrect: Bool = false, seriousness: Seriousness = .general, creditFactor: Decimal = 1,
                isInsuredPerson: Bool = true) {
        self.kind = kind
        self.amount = amount
        self.intentToDefraud = intentToDefraud
        self.isFirstViolation = isFirstViolation
        self.voluntaryRefund = voluntaryRefund
        self.selfReported = selfReported
        self.correctedPromptly = correctedPromptly
        self.refusedToCorrect = refusedToCorrect
        self.seriousness = seriousness
        self.creditFactor = creditFactor
        self.isInsuredPerson = isInsuredPerson
    }

    /// Whether intent to defraud is established, by the facts or by the nature of the behaviour.
    public var isFraud: Bool { intentToDefraud || kind.isFraudByNature }

    /// The article applied: an institution's 第三十八条 behaviour done to defraud goes to 第四十条 (第四十条第二款).
    public var article: Article {
        kind.article == .article38 && isFraud ? .article40 : kind.article
    }
}

extension Seriousness {
    /// 轻微 / 一般 / 严重
    public var title: String {
        switch self {
        case .minor: "轻微"
        case .general: "一般"
        case .serious: "严重"
        }
    }
}

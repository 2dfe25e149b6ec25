import Foundation

/// Which entry of the lenient list (免罚轻罚清单) shaped a proposal.
public enum LenientMeasure: String, Codable, Sendable, Equatable, Hashable {
    /// 首违不罚: first, minor violation corrected promptly — no fine, no suspension, loss still recovered
    /// (《行政处罚法》第三十三条).
    case noPenalty
    /// 从轻: voluntary refund or self-report moved the fine towards the minimum (《行政处罚法》第三十二条).
    case lighter
}

/// What the law allows for this case, fixed when the proposal is made; a supervisor's departure is
/// checked against it, so the check does not depend on re-deriving the facts.
public struct LegalBounds: Codable, Sendable, Equatable {
    /// Allowed fine multiple, nil when the case cannot be fined by multiple.
    public var fineMultipleRange: ClosedRange<Decimal>?
    /// Allowed fixed fine in yuan (第三十九条), nil when the case cannot be fined that way.
    public var fixedFineRange: ClosedRange<Decimal>?
    /// Whether a fine must be imposed (false when no fine is possible or 首违不罚 applies).
    public var fineRequired: Bool
    /// Allowed months of suspension, nil when the case allows none.
    public var suspensionRange: ClosedRange<Int>?
    /// Whether a suspension must be imposed.
    public var suspensionRequired: Bool
    /// Whether termination of the service agreement is possible (fraud only).
    public var terminationAllowed: Bool

    public init(fineMultipleRange: ClosedRange<Decimal>? = nil, fixedFineRange: ClosedRange<Decimal>? = nil,
                fineRequired: Bool = false, suspensionRange: ClosedRange<Int>? = nil,
                suspensionRequired: Bool = false, terminationAllowed: Bool = false) {
        self.fineMultipleRange = fineMultipleRange
        self.fixedFineRange = fixedFineRange
        self.fineRequired = fineRequired
        self.suspensionRange = suspensionRange
        self.suspensionRequired = suspensionRequired
        self.terminationAllowed = terminationAllowed
    }
}

/// A supervisor's recorded departure from the calculated proposal (偏离裁量建议), kept on the proposal
/// so the full-process record shows both what was calculated and what was decided, and why.
public struct Departure: Codable, Sendable, Equatable {
    /// The measures as the calculator proposed them.
    public var calculated: PenaltyDecision
    /// The written reason (书面说明理由).
    public var reason: String
}

/// The discretion calculator's proposal (处罚裁量建议) for one case: the measures, each step of the
/// reasoning in words, the legal bounds, and whether it needs legal review before it takes effect.
public struct Proposal: Codable, Sendable, Equatable {
    public var article: Article
    public var kind: ViolationKind
    /// The amount the fine multiple is applied to.
    public var basisAmount: Decimal
    /// 责令退回: the loss to recover (0 for 第三十九条).
    public var recoverAmount: Decimal
    /// Fine as a multiple of `basisAmount`; nil for a fixed fine or no fine.
    public var fineMultiple: Decimal?
    public var fineAmount: Decimal
    public var suspensionMonths: Int
    /// 解除服务协议
    public var terminateAgreement: Bool
    /// 移送公安机关
    public var referToPolice: Bool
    public var lenientMeasure: LenientMeasure?
    /// Each step of the calculation, in Chinese, for the decision document and the audit log.
    public var reasoning: [String]
    /// Needs 重大执法决定法制审核.
    public var isMajor: Bool
    public var majorReasons: [MajorReason]
    public var bounds: LegalBounds
    /// Set when a supervisor departed from the calculation.
    public var departure: Departure?

    /// Whether an entry of the lenient list (免罚轻罚清单) was applied.
    public var lenientListApplied: Bool { lenientMeasure != nil }

    /// The measures as the legal review gate sees them.
    public var measures: EnforcementMeasures {
        EnforcementMeasures(subject: article.punishesIndividual ? .individual : .institution, fineAmount: fineAmount,
                            suspensionMonths: suspensionMonths, terminatesAgreement: terminateAgreement,
                            refersToPolice: referToPolice)
    }
}

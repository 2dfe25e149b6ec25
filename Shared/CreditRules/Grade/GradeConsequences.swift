/// Settlement measures under the service agreement (协议管理中的资金结算措施).
public enum SettlementMeasure: String, Sendable, Codable, CaseIterable {
    /// 优先拨付 / 预付: payments released first, advance payment allowed.
    case priorityPayment
    /// Normal settlement.
    case standardSettlement
    /// 提高审核比例: a higher share of claims reviewed by hand.
    case increasedReview
    /// 暂缓拨付部分资金 / 扣留质量保证金: part of each payment withheld until the year-end assessment.
    case withholdQualityDeposit
    /// 暂停预付: no advance payment.
    case suspendAdvancePayment
    /// 逐单审核: every claim reviewed before payment.
    case fullReview
}

/// What a grade entails, as data.
public struct GradeConsequences: Sendable, Codable, Equatable {
    public var inspectionFrequency: Periodicity
    /// Multiplies the fine the case calculator would otherwise choose within the legal range
    /// (处罚裁量), and is clamped to that range by the calculator.
    public var penaltyDiscretionFactor: Double
    public var settlementMeasures: [SettlementMeasure]

    public init(inspectionFrequency: Periodicity, penaltyDiscretionFactor: Double, settlementMeasures: [SettlementMeasure]) {
        self.inspectionFrequency = inspectionFrequency
        self.penaltyDiscretionFactor = penaltyDiscretionFactor
        self.settlementMeasures = settlementMeasures
    }
}

/// Consequences of each grade, versioned like the grade model.
public struct ConsequencePolicy: Sendable, Codable, Equatable {
    public var version: String
    public var a: GradeConsequences
    public var b: GradeConsequences
    public var c: GradeConsequences
    public var d: GradeConsequences

    public init(version: String, a: GradeConsequences, b: GradeConsequences, c: GradeConsequences, d: GradeConsequences) {
        self.version = version
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    public subscript(grade: CreditGrade) -> GradeConsequences {
        switch grade {
        case .A: a
        case .B: b
        case .C: c
        case .D: d
        }
    }

    /// A: yearly, ×0.9, priority payment; B: half-yearly, ×1.0, standard; C: quarterly, ×1.1, more
    /// review and a withheld deposit; D: monthly, ×1.2, every claim reviewed, no advance payment,
    /// deposit withheld.
    public static let `default` = ConsequencePolicy(
        version: "credit-consequences-v1",
        a: GradeConsequences(inspectionFrequency: .yearly, penaltyDiscretionFactor: 0.9, settlementMeasures: [.priorityPayment]),
        b: GradeConsequences(inspectionFrequency: .halfYearly, penaltyDiscretionFactor: 1.0, settlementMeasures: [.standardSettlement]),
        c: GradeConsequences(inspectionFrequency: .quarterly, penaltyDiscretionFactor: 1.1,
                             settlementMeasures: [.increasedReview, .withholdQualityDeposit]),
        d: GradeConsequences(inspectionFrequency: .monthly, penaltyDiscretionFactor: 1.2,
                             settlementMeasures: [.fullReview, .suspendAdvancePayment, .withholdQualityDeposit]))
}

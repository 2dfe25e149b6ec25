import Foundation

/// Who a decision is against; the "large fine" threshold differs for institutions and individuals.
public enum SubjectKind: String, Codable, Sendable, Equatable, Hashable {
    /// 定点医药机构
    case institution
    /// 个人 (参保人员 or another individual)
    case individual
}

/// The measures of an enforcement decision that decide whether it is major. Built from a
/// `Proposal` or directly for decisions made outside the discretion calculator.
public struct EnforcementMeasures: Codable, Sendable, Equatable {
    public var subject: SubjectKind
    public var fineAmount: Decimal
    /// Months of suspension (of services for an institution, of direct settlement for a person).
    public var suspensionMonths: Int
    /// 解除服务协议
    public var terminatesAgreement: Bool
    /// 移送公安机关 (行刑衔接)
    public var refersToPolice: Bool

    public init(subject: SubjectKind, fineAmount: Decimal = 0, suspensionMonths: Int = 0,
                terminatesAgreement: Bool = false, refersToPolice: Bool = false) {
        self.subject = subject
        self.fineAmount = fineAmount
        self.suspensionMonths = suspensionMonths
        self.terminatesAgreement = terminatesAgreement
        self.refersToPolice = refersToPolice
    }
}

/// Why a decision is major (重大执法决定).
public enum MajorReason: String, Codable, Sendable, Equatable, Hashable {
    /// 较大数额罚款
    case largeFine
    /// 暂停医药服务 / 暂停联网结算
    case suspension
    /// 解除服务协议
    case termination
    /// 移送公安机关
    case policeReferral
}

/// Which decisions need 重大执法决定法制审核 before they take effect: "作出重大执法决定前，进行法制审核，
/// 未经法制审核或者审核未通过的，不得作出决定". The fine thresholds are local configuration; a fine
/// counts as large from the threshold itself up (Chinese "以上" includes the figure).
public struct MajorDecisionPolicy: Codable, Sendable, Equatable {
    /// A fine on an institution at or above this is major.
    public var institutionFineThreshold: Decimal
    /// A fine on an individual at or above this is major.
    public var individualFineThreshold: Decimal

    public init(institutionFineThreshold: Decimal = 100_000, individualFineThreshold: Decimal = 10_000) {
        self.institutionFineThreshold = institutionFineThreshold
        self.individualFineThreshold = individualFineThreshold
    }

    public static let standard = MajorDecisionPolicy()

    /// Every reason that makes these measures major, empty when none does.
    public func reasons(for measures: EnforcementMeasures) -> [MajorReason] {
        let threshold = measures.subject == .institution ? institutionFineThreshold : individualFineThreshold
        var reasons: [MajorReason] = []
        if measures.fineAmount > 0 && measures.fineAmount >= threshold { reasons.append(.largeFine) }
        if measures.suspensionMonths > 0 { reasons.append(.suspension) }
        if measures.terminatesAgreement { reasons.append(.termination) }
        if measures.refersToPolice { reasons.append(.policeReferral) }
        return reasons
    }

    public func isMajor(_ measures: EnforcementMeasures) -> Bool { !reasons(for: measures).isEmpty }
}

extension MajorReason {
    /// The reason in words.
    public var title: String {
        switch self {
        case .largeFine: "较大数额罚款"
        case .suspension: "暂停医药服务或联网结算"
        case .termination: "解除服务协议"
        case .policeReferral: "移送公安机关"
        }
    }
}

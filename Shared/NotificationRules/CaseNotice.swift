import Foundation

/// What the notification service routes: a decided case (`review.outcomes`), a credit change
/// (`credit.changes`) or a published inspection plan (`inspection.plans`), flattened into the
/// facts that routing, minimisation and public disclosure need.
///
/// It carries every field that could be delivered; what a given receiver actually gets is
/// decided by `FieldPolicy`, never by this type.
public struct CaseNotice: Sendable, Codable, Equatable {
    public var caseId: String
    public var kind: NoticeKind
    /// The designated institution concerned (定点医药机构).
    public var institution: InstitutionRef
    /// Division of the place of care (就医地 admdvs), where the institution is.
    public var careRegion: String
    /// Home divisions of the insured persons involved (参保地 admdvs).
    public var insuredRegions: [String]
    /// Violation patterns "P01".."P23" of the rule base.
    public var patterns: [String]
    /// The case's gravity (`CaseDecided.gravity`: 轻微 … 欺诈骗保); `.minor` for credit changes and plans.
    public var gravity: Gravity
    /// Amount involved, in yuan (涉案金额).
    public var amount: Decimal
    public var handling: [HandlingMeasure]
    public var decisionDate: Date
    /// The bureau proposes a referral for a suspected crime (涉嫌犯罪, 行刑衔接).
    public var suspectedCrime: Bool
    /// Public officials are involved (公职人员, 行纪衔接).
    public var officialsInvolved: Bool
    /// Insured persons, legal representatives, officials and others involved.
    public var persons: [PersonInvolved]
    /// Doctors, pharmacists, nurses of the institution (医药服务人员).
    public var practitioners: [Practitioner]
    public var diagnoses: [Diagnosis]
    /// Drug traceability codes (药品追溯码) of the lines in question.
    public var traceabilityCodes: [TraceabilityRecord]
    /// Charged items against their standard price (收费项目).
    public var pricingItems: [PricingItem]
    /// Articles relied on, e.g. 《医疗保障基金使用监督管理条例》第三十八条.
    public var legalBasis: [String]
    /// Full text of the decision (处理决定书): free text, may name persons.
    public var decisionText: String
    /// 典型案例: the bureau exposes the case on the public feed as typical (nil in notices stored before it existed).
    public var typical: Bool?

    public init(caseId: String, kind: NoticeKind = .caseOutcome, institution: InstitutionRef,
                careRegion: String, insuredRegions: [String] = [], patterns: [String] = [],
                gravity: Gravity = .minor, amount: Decimal = 0, handling: [HandlingMeasure] = [],
                decisionDate: Date, suspectedCrime: Bool = false, officialsInvolved: Bool = false,
                persons: [PersonInvolved] = [], practitioners: [Practitioner] = [],
                diagnoses: [Diagnosis] = [], traceabilityCodes: [TraceabilityRecord] = [],
                pricingItems: [PricingItem] = [], legalBasis: [String] = [], decisionText: String = "", typical: Bool = false) {
        self.typical = typical
        self.caseId = caseId
        self.kind = kind
        self.institution = institution
        self.careRegion = careRegion
        self.insuredRegions = insuredRegions
        self.patterns = patterns
        self.gravity = gravity
        self.amount = amount
        self.handling = handling
        self.decisionDate = decisionDate
        self.suspectedCrime = suspectedCrime
        self.officialsInvolved = officialsInvolved
        self.persons = persons
        self.practitioners = practitioners
        self.diagnoses = diagnoses
        self.traceabilityCodes = traceabilityCodes
        self.pricingItems = pricingItems
        self.legalBasis = legalBasis
        self.decisionText = decisionText
    }
}

/// The source event of a notice; `ceType` is its CloudEvents type in EVENTS.md.
public enum NoticeKind: String, Sendable, Codable, CaseIterable {
    case caseOutcome
    case creditChange
    case inspectionPlan

    public var ceType: String {
        switch self {
        case .caseOutcome: "cn.hsa.review.outcome"
        case .creditChange: "cn.hsa.credit.change"
        case .inspectionPlan: "cn.hsa.inspection.plan"
        }
    }
}

/// How the bureau or agency handled the case; drives the kind of notice an institution gets.
public enum HandlingMeasure: String, Sendable, Codable, CaseIterable {
    /// 警告
    case warning
    /// 追回医保基金
    case recovery
    /// 罚款
    case fine
    /// 暂停医保结算 / 暂停服务协议
    case suspension
    /// 解除服务协议
    case termination
    /// 约谈
    case interview
    /// 函询
    case inquiry
    /// 责令整改
    case rectification

    public var nameZh: String {
        switch self {
        case .warning: "警告"
        case .recovery: "追回医保基金"
        case .fine: "罚款"
        case .suspension: "暂停医保结算"
        case .termination: "解除服务协议"
        case .interview: "约谈"
        case .inquiry: "函询"
        case .rectification: "责令整改"
        }
    }
}

public struct InstitutionRef: Sendable, Codable, Equatable {
    /// 定点医药机构编码 (medins_id)
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

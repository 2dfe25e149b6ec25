import Foundation

/// Whose credit file it is (信用档案主体): the documents keep files for institutions, their staff,
/// insured persons, employers and pharma companies.
public struct CreditSubject: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 定点医药机构 (fixmedins_code).
        case institution
        /// 医药机构相关人员: doctors, pharmacists, nurses (prac_codg).
        case practitioner
        /// 参保人 (psn_no).
        case insuredPerson
        /// 用人单位.
        case employer
        /// 医药企业.
        case pharmaCompany
    }

    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// A violation confirmed by a decided case (确认的违法违规行为).
public struct Violation: Sendable, Codable, Equatable {
    public var caseId: String
    /// The case's gravity (轻微 / 一般 / 严重 / 欺诈骗保).
    public var gravity: Gravity
    /// Fund amount involved (涉及金额), yuan.
    public var amount: Decimal
    public var summary: String

    public init(caseId: String, gravity: Gravity, amount: Decimal, summary: String = "") {
        self.caseId = caseId
        self.gravity = gravity
        self.amount = amount
        self.summary = summary
    }

    /// Entries stored before the word gravity carry it as `severity` (the same numbers 1-4).
    private enum CodingKeys: String, CodingKey {
        case caseId, gravity = "severity", amount, summary
    }
}

/// What a credit file records about its subject. Process steps (objections, repair) are separate
/// `CreditEvent`s that refer to a fact by its entry id.
public enum CreditFact: Sendable, Codable, Equatable {
    case violation(Violation)
    /// A notification-and-commitment (告知承诺) the subject kept.
    case commitmentKept(commitmentId: String)
    /// A commitment found broken (违反承诺).
    case commitmentBroken(commitmentId: String)
    /// Voluntary self-correction with refund (自查自纠, 主动退回) before any case was opened.
    case selfCorrection(refunded: Decimal, summary: String)
    /// Overdue insurance contributions (欠缴医保费用), mainly for employers.
    case overdueContribution(amount: Decimal)

    /// Negative facts can be disputed and repaired; positive ones cannot.
    public var isNegative: Bool {
        switch self {
        case .violation, .commitmentBroken, .overdueContribution: true
        case .commitmentKept, .selfCorrection: false
        }
    }

    /// The amount that must be paid back before repair (退回违规金额 / 补缴欠费); zero when none.
    public var amountOwed: Decimal {
        switch self {
        case .violation(let v): v.amount
        case .overdueContribution(let amount): amount
        case .commitmentKept, .commitmentBroken, .selfCorrection: 0
        }
    }

    /// Whether repair needs verified rectification (整改); arrears are cured by paying them.
    public var needsRectification: Bool {
        switch self {
        case .violation, .commitmentBroken: true
        case .overdueContribution, .commitmentKept, .selfCorrection: false
        }
    }

    var kindName: String {
        switch self {
        case .violation: "violation"
        case .commitmentKept: "commitmentKept"
        case .commitmentBroken: "commitmentBroken"
        case .selfCorrection: "selfCorrection"
        case .overdueContribution: "overdueContribution"
        }
    }
}

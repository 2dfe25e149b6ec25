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

/// Severity of a confirmed violation, as the case was decided.
public enum ViolationSeverity: Int, Sendable, Codable, CaseIterable, Comparable {
    /// 轻微: corrected on the spot, lenient-list territory (免罚轻罚).
    case minor = 1
    /// 一般: an ordinary violation (违规).
    case general = 2
    /// 严重: large amounts, repetition, or aggravated handling.
    case serious = 3
    /// 欺诈骗保: fraud (Order 735 art. 40).
    case fraud = 4

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var chineseName: String {
        switch self {
        case .minor: "轻微"
        case .general: "一般"
        case .serious: "严重"
        case .fraud: "欺诈骗保"
        }
    }
}

/// A violation confirmed by a decided case (确认的违法违规行为).
public struct Violation: Sendable, Codable, Equatable {
    public var caseId: String
    public var severity: ViolationSeverity
    /// Fund amount involved (涉及金额), yuan.
    public var amount: Decimal
    public var summary: String

    public init(caseId: String, severity: ViolationSeverity, amount: Decimal, summary: String = "") {
        self.caseId = caseId
        self.severity = severity
        self.amount = amount
        self.summary = summary
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

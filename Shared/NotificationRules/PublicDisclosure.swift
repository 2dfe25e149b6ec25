import Foundation

/// A decided case as the public may read it (行政执法公示, 典型案例曝光): the institution named,
/// persons anonymised ("张某"), no identity numbers, diagnoses, drug codes or free text of the decision.
public struct DisclosureEntry: Sendable, Codable, Equatable {
    /// Atom id: `PublicDisclosure.idPrefix` + category + percent-encoded case id.
    public var id: String
    public var caseId: String
    public var category: DisclosureCategory
    public var title: String
    public var institutionName: String
    public var institutionCode: String
    public var region: String
    public var violations: [Violation]
    public var handling: [HandlingMeasure]
    public var amount: Decimal
    public var decisionDate: Date
    public var legalBasis: [String]
    public var summary: String

    public struct Violation: Sendable, Codable, Equatable {
        public var code: String
        public var nameZh: String

        public init(code: String, nameZh: String) {
            self.code = code
            self.nameZh = nameZh
        }
    }

    public init(id: String, caseId: String, category: DisclosureCategory, title: String, institutionName: String,
                institutionCode: String, region: String, violations: [Violation], handling: [HandlingMeasure],
                amount: Decimal, decisionDate: Date, legalBasis: [String], summary: String) {
        self.id = id
        self.caseId = caseId
        self.category = category
        self.title = title
        self.institutionName = institutionName
        self.institutionCode = institutionCode
        self.region = region
        self.violations = violations
        self.handling = handling
        self.amount = amount
        self.decisionDate = decisionDate
        self.legalBasis = legalBasis
        self.summary = summary
    }
}

public enum DisclosureCategory: String, Sendable, Codable, CaseIterable {
    /// 行政执法公示: the result of every administrative penalty.
    case enforcementResult
    /// 典型案例曝光: a case the bureau chose to expose as a warning; may name persons as "张某".
    case typicalCase

    public var nameZh: String {
        switch self {
        case .enforcementResult: "行政执法结果公示"
        case .typicalCase: "典型案例曝光"
        }
    }
}

public enum PublicDisclosure {
    /// Atom ids are IRIs: the case id is percent-encoded into a URN.
    public static let idPrefix = "urn:medsup:disclosure:"

    /// The public projection of a decided case, nil for anything that is not a case outcome.
    public static func anonymise(_ notice: CaseNotice, as category: DisclosureCategory = .enforcementResult) -> DisclosureEntry? {
        guard notice.kind == .caseOutcome else { return nil }
        let violations = notice.patterns.map { DisclosureEntry.Violation(code: $0, nameZh: ViolationPatterns.nameZh($0)) }
        return DisclosureEntry(
            id: idPrefix + category.rawValue + ":" + percentEncoded(notice.caseId),
            caseId: notice.caseId, category: category,
            title: "\(category.nameZh)：\(notice.institution.name)",
            institutionName: notice.institution.name, institutionCode: notice.institution.code,
            region: notice.careRegion, violations: violations, handling: notice.handling, amount: notice.amount,
            decisionDate: notice.decisionDate, legalBasis: notice.legalBasis,
            summary: summary(notice, violations: violations, category: category))
    }

    /// A summary from structured facts only, never from the decision text (which may name persons).
    static func summary(_ notice: CaseNotice, violations: [DisclosureEntry.Violation], category: DisclosureCategory) -> String {
        var text = "经查，\(notice.institution.name)"
        if category == .typicalCase {
            let names = notice.persons.filter { $0.role != .publicOfficial }.map { Masking.anonymiseName($0.name) }
            if !names.isEmpty { text += "（涉案人员：\(names.joined(separator: "、"))）" }
        }
        if !violations.isEmpty { text += "存在\(violations.map(\.nameZh).joined(separator: "、"))等问题，" }
        text += "涉及医保基金\(yuan(notice.amount))元。"
        let basis = notice.legalBasis.isEmpty ? "" : "依据\(notice.legalBasis.joined(separator: "、"))，"
        if !notice.handling.isEmpty {
            text += "医保部门\(basis)作出\(notice.handling.map(\.nameZh).joined(separator: "、"))的处理。"
        }
        return text
    }

    /// An amount with exactly two decimals, "1234.50".
    public static func yuan(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let parts = "\(rounded)".split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return "\(parts[0]).\(fraction.padding(toLength: 2, withPad: "0", startingAt: 0))"
    }

    /// Unreserved characters (RFC 3986) stay, everything else is percent-encoded byte by byte.
    public static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) }
            else { out += String(format: "%%%02X", byte) }
        }
        return out
    }
}

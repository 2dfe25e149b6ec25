import Foundation
import KnowledgeBase

/// One line of evidence: a fee line of the claim and the part of the amount at stake it carries.
public struct FindingLine: Codable, Sendable, Equatable {
    public var rxID: String
    public var code: String
    public var amount: Decimal

    public init(rxID: String, code: String, amount: Decimal) {
        self.rxID = rxID
        self.code = code
        self.amount = amount
    }
}

/// A machine-review finding (初审结果) on one claim, reproducible: the same claim under the same
/// rule version always yields the same `id`.
public struct Finding: Codable, Sendable, Equatable {
    /// Pattern code of the built-in "code not in the knowledge base" check.
    public static let unknownCodePattern = "UNKNOWN_CODE"
    /// Pattern codes of the built-in sanction rules (`SanctionRules`): a line ordered by a practitioner
    /// whose payment qualification is suspended; a direct settlement of a person whose direct settlement is suspended.
    public static let suspendedPractitionerPattern = "SUSPENDED_PRACTITIONER"
    public static let suspendedSettlementPattern = "SUSPENDED_SETTLEMENT"

    public var id: String
    public var claimID: String
    public var personID: String
    public var encounterID: String
    public var settlementID: String?
    public var institutionID: String
    public var doctor: String?
    /// "P01".."P23", `unknownCodePattern` or a sanction pattern.
    public var pattern: String
    public var ruleID: String
    public var ruleName: String
    public var ruleVersion: Int
    public var ruleSetVersion: Int
    public var kbVersion: String
    /// The rule's severity (sev_deg): 明确违规, 疑似违规, 提醒.
    public var severity: Severity
    /// Amount at stake in yuan.
    public var amount: Decimal
    /// Rendered Chinese text naming items and dates.
    public var explanation: String
    public var legalBasis: String
    /// Fee lines of this claim involved.
    public var lines: [FindingLine]
    /// Other claims involved (earlier settlements for history patterns).
    public var relatedClaimIDs: [String]
    /// What distinguishes this finding from others of the same rule on the claim (e.g. item and day).
    public var detailKey: String

    /// rx ids of the fee lines involved.
    public var evidenceRxIDs: [String] { lines.map(\.rxID) }

    /// "JR-" + 16 hex digits of FNV-1a-64 over claim id, rule id, rule version and detail key.
    public static func makeID(claimID: String, ruleID: String, ruleVersion: Int, detailKey: String) -> String {
        var hash = FNV1a64()
        for part in [claimID, ruleID, String(ruleVersion), detailKey] {
            hash.add(part)
            hash.add([0x1F])
        }
        return "JR-" + hash.hex
    }
}

/// What a pattern reports before the engine dresses it as a `Finding`.
struct Hit {
    /// Distinguishes hits of one rule on one claim (item code, day, other claim…).
    var detailKey: String
    var amount: Decimal
    var lines: [FindingLine] = []
    var relatedClaimIDs: [String] = []
    /// Values for the rule's explanation placeholders.
    var values: [String: String]
}

import Foundation
import HISContract
import KnowledgeBase

/// The machine review (智能审核): evaluates one claim against the rule set and the knowledge base.
/// Pure and `Sendable`: build one per (knowledge base, rule set) pair and share it across requests.
public struct RuleEngine: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let rules: RuleSet
    /// Credit's sanctions in force (`credit.changes`), enforced by the built-in `SanctionRules`.
    public let sanctions: SanctionRegister
    /// Enabled rules with a known pattern, in rule-set order.
    private let active: [Rule]

    typealias SinglePattern = @Sendable (ClaimContext, Rule) -> [Hit]
    typealias HistoryPattern = @Sendable (ClaimContext, Rule, HistoryView) -> [Hit]

    static let singlePatterns: [String: SinglePattern] = [
        "P01": PersonPatterns.sex, "P02": PersonPatterns.age, "P03": ChargePatterns.overPrice,
        "P04": ChargePatterns.duplicate, "P05": ChargePatterns.unbundling, "P06": DrugPatterns.overQuantity,
        "P07": DrugPatterns.indication, "P08": ScopePatterns.level, "P09": ScopePatterns.stay,
        "P10": ScopePatterns.inpatientOnly, "P11": ChargePatterns.exclusive, "P12": DrugPatterns.switched,
        "P21": PersonPatterns.identity, "P22": FabricationPatterns.idleStay,
    ]

    static let historyPatterns: [String: HistoryPattern] = [
        "P13": TracePatterns.reuse, "P14": TracePatterns.excessPurchase, "P15": EncounterPatterns.concurrent,
        "P16": EncounterPatterns.afterDeath, "P17": FrequencyPatterns.frequentAdmission,
        "P18": FrequencyPatterns.splitAdmission, "P19": CapacityPatterns.overCapacity,
        "P20": FrequencyPatterns.frequentOutpatient, "P23": FabricationPatterns.unsupportedPrescription,
    ]

    /// Rules should have passed `RuleSet.validate()`; disabled rules and unknown patterns are skipped.
    public init(knowledgeBase: KnowledgeBase, rules: RuleSet = .defaults, sanctions: SanctionRegister = .empty) {
        self.knowledgeBase = knowledgeBase
        self.rules = rules
        self.sanctions = sanctions
        active = rules.rules.filter { $0.enabled && PatternCatalog.schemas[$0.pattern] != nil }
    }

    /// Reviews one claim. Without history only the single-claim patterns (P01-P12, P21, P22) run; with
    /// history also P13-P20 and P23, excluding the claim's own settlement from it. `ruleIDs` restricts the
    /// review to those rules (3101/3102 `rule_ids`); the unknown-code check always runs.
    public func evaluate(_ claim: Claim, history: (any ClaimHistory)?, ruleIDs: Set<String>? = nil) -> [Finding] {
        let context = ClaimContext(claim: claim, kb: knowledgeBase)
        let view = history.map { HistoryView(history: $0, claim: claim) }
        var findings = UnknownCodes.hits(context).map { finding(claim, UnknownCodes.rule, $0) }
        if !sanctions.isEmpty { findings += SanctionRules.hits(context, sanctions).map { finding(claim, $0.0, $0.1) } }
        for rule in active where ruleIDs?.contains(rule.id) ?? true {
            let hits: [Hit]
            if let single = Self.singlePatterns[rule.pattern] {
                hits = single(context, rule)
            } else if let pattern = Self.historyPatterns[rule.pattern], let view {
                hits = pattern(context, rule, view)
            } else {
                continue
            }
            findings += hits.map { finding(claim, rule, $0) }
        }
        return findings
    }

    private func finding(_ claim: Claim, _ rule: Rule, _ hit: Hit) -> Finding {
        Finding(id: Finding.makeID(claimID: claim.claimID, ruleID: rule.id, ruleVersion: rule.version, detailKey: hit.detailKey),
                claimID: claim.claimID, personID: claim.personID, encounterID: claim.encounterID,
                settlementID: claim.settlementID, institutionID: claim.institutionID, doctor: claim.doctor,
                pattern: rule.pattern, ruleID: rule.id, ruleName: rule.name, ruleVersion: rule.version,
                ruleSetVersion: rules.version, kbVersion: knowledgeBase.version, severity: rule.severity,
                amount: hit.amount.rounded(2), explanation: explanation(rule, hit),
                legalBasis: rule.legalBasis, lines: hit.lines, relatedClaimIDs: hit.relatedClaimIDs, detailKey: hit.detailKey)
    }
}

extension RuleEngine {
    /// The rule's text, then what every finding owes a reader whatever the rule's wording: the amount
    /// at stake, the other settlements involved, the legal basis and the rule version.
    func explanation(_ rule: Rule, _ hit: Hit) -> String {
        var text = ExplanationTemplate.render(rule.explanation, hit.values)
        text += "。涉及金额\(hit.amount.rounded(2).text)元"
        if !hit.relatedClaimIDs.isEmpty {
            let shown = hit.relatedClaimIDs.prefix(10).joined(separator: "、")
            text += "，关联结算：\(shown)" + (hit.relatedClaimIDs.count > 10 ? "等\(hit.relatedClaimIDs.count)笔" : "")
        }
        return text + "。依据\(rule.legalBasis)（规则\(rule.id)第\(rule.version)版，规则库第\(rules.version)版）。"
    }

    /// Whether a pattern needs other claims (P13-P20, P23).
    public static func isHistoryPattern(_ pattern: String) -> Bool { historyPatterns[pattern] != nil }
}

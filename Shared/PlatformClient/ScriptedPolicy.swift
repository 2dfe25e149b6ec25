import Foundation
import ReviewWorkflow

/// The scripted reviewers' deterministic judgement, a pure function of what the workbench shows:
/// an item with a finding the rule base calls a clear violation (明确违规, severity 1) is confirmed
/// for its amount; one with only suspected findings or reminders is not a violation, with the
/// reason written down, because a script has no evidence beyond the claim to confirm a suspicion.
public enum ScriptedPolicy {
    public static func verdict(on view: ItemView) -> Verdict {
        if view.findings.contains(where: { $0.severity == .violation }) {
            return Verdict(decision: "confirmed", amount: view.item.amount)
        }
        let patterns = Set(view.findings.map(\.pattern)).sorted().joined(separator: ",")
        return Verdict(decision: "not_violation", reason: "脚本审核：仅疑似或提醒（\(patterns)），无现场证据，不予认定")
    }

    /// The behaviour a case is opened for, from the patterns of its confirmed items: the gravest
    /// kind wins (fraud under art. 40 before a loss under art. 38), then the lowest pattern code.
    public static func kind(of patterns: Set<String>) -> ViolationKind {
        let kinds = patterns.sorted().compactMap { kindOfPattern[$0] }
        return kinds.first(where: { fraudKinds.contains($0) }) ?? kinds.first ?? .otherFundLoss
    }

    static let fraudKinds: Set<ViolationKind> = [.fabricatedServices, .forgingRecords, .inducingFalseTreatment, .otherFraud]

    /// Each pattern of `reference/kb/patterns.csv` read as the regulation's behaviour (《条例》第三十八、四十条).
    static let kindOfPattern: [String: ViolationKind] = [
        "P01": .outOfScopeSettlement, "P02": .outOfScopeSettlement, "P03": .overStandardCharging, "P04": .duplicateCharging,
        "P05": .splitItemCharging, "P06": .overTreatment, "P07": .outOfScopeSettlement, "P08": .outOfScopeSettlement,
        "P09": .otherFundLoss, "P10": .outOfScopeSettlement, "P11": .duplicateCharging, "P12": .itemSwitching,
        "P13": .facilitatingResale, "P14": .facilitatingResale, "P15": .inducingFalseTreatment, "P16": .fabricatedServices,
        "P17": .bedOnlyAdmission, "P18": .splitAdmission, "P19": .fabricatedServices, "P20": .overTreatment, "P21": .inducingFalseTreatment,
        "P22": .bedOnlyAdmission, "P23": .forgingRecords,
    ]
}

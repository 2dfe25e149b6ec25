import Foundation
import HISContract

/// The bureau's conditions for credit repair (信用修复): a waiting period after the fact, the problem
/// rectified (整改到位), the money paid back (退回 / 补缴), and no new negative fact within the
/// waiting period (期内未再发生失信行为).
public struct RepairPolicy: Sendable, Codable, Equatable {
    /// Days after a violation before repair may be approved, by gravity.
    /// Default: minor 90, general 180, serious 365, fraud 1095 (3 years).
    public var violationWaitingDays: GravityTable<Int>
    public var brokenCommitmentWaitingDays: Int
    public var overdueContributionWaitingDays: Int
    public var requiresRectification: Bool
    public var requiresRefund: Bool

    public init(violationWaitingDays: GravityTable<Int> = GravityTable(minor: 90, general: 180, serious: 365, fraud: 1095),
                brokenCommitmentWaitingDays: Int = 180, overdueContributionWaitingDays: Int = 90,
                requiresRectification: Bool = true, requiresRefund: Bool = true) {
        self.violationWaitingDays = violationWaitingDays
        self.brokenCommitmentWaitingDays = brokenCommitmentWaitingDays
        self.overdueContributionWaitingDays = overdueContributionWaitingDays
        self.requiresRectification = requiresRectification
        self.requiresRefund = requiresRefund
    }

    public static let `default` = RepairPolicy()

    public func waitingDays(for fact: CreditFact) -> Int {
        switch fact {
        case .violation(let v): violationWaitingDays[v.gravity]
        case .commitmentBroken: brokenCommitmentWaitingDays
        case .overdueContribution: overdueContributionWaitingDays
        case .commitmentKept, .selfCorrection: 0
        }
    }

    /// Whether the fact `entryId` may be repaired on `view.date`, and what is still missing.
    public func eligibility(of entryId: String, in view: CreditFileView) -> RepairEligibility {
        guard let fact = view.fact(entryId), fact.current.isNegative else {
            return RepairEligibility(entryId: entryId, earliestDate: nil, unmet: ["不是可修复的失信记录 / not a repairable negative fact"])
        }
        var unmet: [String] = []
        if fact.isReversed { unmet.append("异议已成立，记录已撤销 / already reversed by an upheld objection") }
        if fact.isRepaired { unmet.append("已修复 / already repaired") }
        if case .disputed = fact.objection { unmet.append("异议处理中 / an objection is pending") }
        let waiting = waitingDays(for: fact.current)
        let earliest = fact.recordedOn.adding(days: waiting)
        if view.date < earliest { unmet.append("修复等待期至 \(earliest) 未满 / waiting period of \(waiting) days ends \(earliest)") }
        if requiresRectification, !fact.rectified, fact.current.needsRectification {
            unmet.append("整改未经核实 / rectification not verified")
        }
        let owed = fact.current.amountOwed
        if requiresRefund, fact.refunded < owed {
            unmet.append("未足额退回：已退 \(Amounts.yuan(fact.refunded)) / 应退 \(Amounts.yuan(owed)) 元 / refund incomplete")
        }
        let windowEnd = min(view.date, earliest)
        let repeats = view.facts.filter {
            $0.entryId != entryId && $0.current.isNegative && !$0.isReversed
                && $0.recordedOn > fact.recordedOn && $0.recordedOn <= windowEnd
        }
        if !repeats.isEmpty {
            unmet.append("等待期内再次失信：\(repeats.map(\.entryId).joined(separator: ", ")) / repeated within the waiting period")
        }
        return RepairEligibility(entryId: entryId, earliestDate: earliest, unmet: unmet)
    }
}

public struct RepairEligibility: Sendable, Codable, Equatable {
    public var entryId: String
    /// End of the waiting period; nil when the entry is not repairable at all.
    public var earliestDate: CivilDate?
    /// Readable reasons (Chinese / English) why repair cannot be approved yet; empty when eligible.
    public var unmet: [String]

    public var isEligible: Bool { unmet.isEmpty }
}

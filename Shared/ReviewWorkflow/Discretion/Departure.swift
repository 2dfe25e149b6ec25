import Foundation

extension PenaltyDiscretion {
    /// A supervisor's decision differing from the calculation (偏离裁量基准). Allowed only with a written
    /// reason and only within what the law allows for the case (`proposal.bounds`); the result keeps the
    /// calculated measures and the reason, adds a reasoning step, and is re-classified for legal review.
    public func depart(from proposal: Proposal, to decision: PenaltyDecision, reason: String) throws -> Proposal {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw DiscretionError.missingReason }
        let bounds = proposal.bounds
        var decided = proposal
        switch decision.fine {
        case .none:
            guard !bounds.fineRequired else { throw DiscretionError.fineRequired }
            decided.fineMultiple = nil
            decided.fineAmount = 0
        case .multiple(let multiple):
            guard let range = bounds.fineMultipleRange, range.contains(multiple) else {
                throw DiscretionError.fineOutsideRange(decision.fine)
            }
            decided.fineMultiple = multiple
            decided.fineAmount = (proposal.basisAmount * multiple).roundedToFen
        case .amount(let amount):
            guard let range = bounds.fixedFineRange, range.contains(amount) else {
                throw DiscretionError.fineOutsideRange(decision.fine)
            }
            decided.fineMultiple = nil
            decided.fineAmount = amount
        }
        if decision.suspensionMonths == 0 {
            guard !bounds.suspensionRequired else { throw DiscretionError.suspensionRequired }
        } else {
            guard let range = bounds.suspensionRange, range.contains(decision.suspensionMonths) else {
                throw DiscretionError.suspensionOutsideRange(decision.suspensionMonths)
            }
        }
        guard !decision.terminateAgreement || bounds.terminationAllowed else { throw DiscretionError.terminationNotAllowed }
        decided.suspensionMonths = decision.suspensionMonths
        decided.terminateAgreement = decision.terminateAgreement
        decided.referToPolice = decision.referToPolice
        let calculated = proposal.departure?.calculated ?? proposal.decision
        decided.departure = Departure(calculated: calculated, reason: reason)
        decided.reasoning.append("监管人员偏离裁量建议：由“\(proposal.decision.summary)”改为“\(decision.summary)”，理由：\(reason)")
        classify(&decided)
        return decided
    }
}

import Foundation

/// Errors of the discretion calculator and of a supervisor's departure.
public enum DiscretionError: Error, Sendable, Equatable {
    case negativeAmount(Decimal)
    case invalidCreditFactor(Decimal)
    /// A departure needs a written reason (书面说明理由).
    case missingReason
    /// The fine is not of a form or size the article allows for this case.
    case fineOutsideRange(Fine)
    /// The article requires a fine here and 首违不罚 does not apply.
    case fineRequired
    case suspensionOutsideRange(Int)
    case suspensionRequired
    case terminationNotAllowed
}

/// The penalty discretion calculator (行政处罚裁量基准): turns the facts of a case into a proposal
/// within the article's ranges, applying the lenient list and the credit link, and writes down every
/// step so the decision can be explained and audited.
///
/// The calculation: start at a position in the article's range by seriousness, move it up for a repeat
/// violation (从重) and down for a voluntary refund or a self-report (从轻), read the fine multiple at
/// that position, scale it by the credit factor, round, and clamp it to the range. Suspension months are
/// read at the same position. 首违不罚 replaces all of this with no fine and no suspension.
public struct PenaltyDiscretion: Codable, Sendable, Equatable {
    public var policy: DiscretionPolicy
    public var majorDecisions: MajorDecisionPolicy
    public var lenientList: LenientList

    public init(policy: DiscretionPolicy = .standard, majorDecisions: MajorDecisionPolicy = .standard, lenientList: LenientList = .standard) {
        self.policy = policy
        self.majorDecisions = majorDecisions
        self.lenientList = lenientList
    }

    public func propose(_ violation: ViolationCase) throws -> Proposal {
        guard violation.amount >= 0 else { throw DiscretionError.negativeAmount(violation.amount) }
        guard violation.creditFactor > 0 else { throw DiscretionError.invalidCreditFactor(violation.creditFactor) }
        let article = violation.article
        let bounds = violation.legalBounds(under: lenientList)
        var steps = ["违法行为：\(violation.kind.title)，涉案金额\(violation.amount)元，适用\(article.citation)。"]
        if article != violation.kind.article {
            steps.append("以骗取医保基金为目的实施第三十八条所列行为，依第四十条第二款按第四十条处理。")
        }
        let recover = article.recoversLoss ? violation.amount.roundedToFen : 0
        steps.append(article.recoversLoss ? "责令退回医保基金损失\(recover)元。" : "第三十九条不涉及基金损失，责令改正。")

        var proposal = Proposal(article: article, kind: violation.kind, basisAmount: violation.amount,
                                recoverAmount: recover, fineMultiple: nil, fineAmount: 0, suspensionMonths: 0,
                                terminateAgreement: false, referToPolice: false, lenientMeasure: nil,
                                reasoning: [], isMajor: false, majorReasons: [], bounds: bounds, departure: nil)
        if violation.qualifiesForNoPenalty(under: lenientList) {
            proposal.lenientMeasure = .noPenalty
            steps.append("初次违法、情节轻微并及时改正，适用免罚清单（首违不罚）：不予罚款，不暂停。")
        } else {
            let position = discretionPosition(violation, steps: &steps)
            if violation.hasMitigation && lenientList.allowsLighter(violation) { proposal.lenientMeasure = .lighter }
            applyFine(violation, position: position, to: &proposal, steps: &steps)
            applySuspension(violation, position: position, to: &proposal, steps: &steps)
            if bounds.terminationAllowed && violation.seriousness == .serious && !violation.isFirstViolation {
                proposal.terminateAgreement = true
                steps.append("骗保情节严重且非初次违法，建议由经办机构解除服务协议。")
            }
        }
        if violation.isFraud && violation.amount >= policy.policeReferralAmount {
            proposal.referToPolice = true
            steps.append("涉嫌诈骗，金额达到移送标准\(policy.policeReferralAmount)元，建议移送公安机关。")
        }
        proposal.reasoning = steps
        classify(&proposal)
        return proposal
    }

    /// Where in the article's range the case stands (0 minimum, 1 maximum, before clamping).
    private func discretionPosition(_ violation: ViolationCase, steps: inout [String]) -> Decimal {
        var position = policy.startPosition(for: violation.seriousness)
        steps.append("情节\(violation.seriousness.title)：裁量起点为法定幅度的\(percent(position))。")
        if !violation.isFirstViolation {
            position += policy.repeatStep
            steps.append("非初次违法，从重：上移\(percent(policy.repeatStep))。")
        }
        guard lenientList.allowsLighter(violation) else {
            if violation.hasMitigation { steps.append("该违法行为不在从轻处罚清单内，主动退回或主动供述不从轻。") }
            return position
        }
        if violation.voluntaryRefund {
            position -= policy.voluntaryRefundStep
            steps.append("主动退回医保基金，从轻：下移\(percent(policy.voluntaryRefundStep))。")
        }
        if violation.selfReported {
            position -= policy.selfReportStep
            steps.append("主动供述（自查自纠）违法行为，从轻：下移\(percent(policy.selfReportStep))。")
        }
        return position
    }

    private func applyFine(_ violation: ViolationCase, position: Decimal, to proposal: inout Proposal,
                           steps: inout [String]) {
        let factor = violation.creditFactor
        if let range = proposal.bounds.fineMultipleRange {
            let raw = interpolate(range, at: position)
            let scaled = (raw * factor).rounded(scale: policy.multipleScale)
            let multiple = scaled.clamped(to: range)
            steps.append("裁量位置对应罚款\(raw.rounded(scale: 4))倍，乘以信用系数\(factor)得\(scaled)倍。")
            if multiple != scaled { steps.append("超出法定幅度\(range.lowerBound)–\(range.upperBound)倍，取\(multiple)倍。") }
            proposal.fineMultiple = multiple
            proposal.fineAmount = (violation.amount * multiple).roundedToFen
            steps.append("罚款\(violation.amount)元×\(multiple)倍＝\(proposal.fineAmount)元。")
        } else if let range = proposal.bounds.fixedFineRange {
            let raw = interpolate(range, at: position)
            let scaled = (raw * factor).rounded(scale: 0)
            let amount = scaled.clamped(to: range)
            steps.append("拒不改正：裁量位置对应罚款\(raw.rounded(scale: 0))元，乘以信用系数\(factor)得\(scaled)元。")
            if amount != scaled { steps.append("超出法定幅度\(range.lowerBound)–\(range.upperBound)元，取\(amount)元。") }
            proposal.fineAmount = amount
        } else {
            steps.append(noFineReason(violation))
        }
    }

    private func noFineReason(_ violation: ViolationCase) -> String {
        switch violation.article {
        case .article39: "未拒不改正，第三十九条不予罚款。"
        case .article41 where !violation.isFraud: "无骗取医保基金目的，第四十一条第一款不设罚款。"
        default: "未造成医保基金损失，不处罚款。"
        }
    }

    private func applySuspension(_ violation: ViolationCase, position: Decimal, to proposal: inout Proposal,
                                 steps: inout [String]) {
        let article = proposal.article
        guard let range = proposal.bounds.suspensionRange else {
            switch article {
            case .article38: steps.append("未拒不改正且未造成严重后果，不暂停相关医药服务。")
            case .article41: steps.append("非参保人员，不适用暂停联网结算。")
            case .article39, .article40: break
            }
            return
        }
        let lower = Decimal(range.lowerBound), upper = Decimal(range.upperBound)
        let months = interpolate(lower...upper, at: position).roundedInt().clamped(to: range)
        proposal.suspensionMonths = months
        steps.append(article.punishesIndividual
            ? "暂停其医疗费用联网结算\(months)个月（法定\(range.lowerBound)–\(range.upperBound)个月）。"
            : "暂停相关责任部门涉及医保基金使用的医药服务\(months)个月（法定\(range.lowerBound)–\(range.upperBound)个月）。")
    }

    /// Sets `isMajor` and `majorReasons` and says so in the reasoning.
    func classify(_ proposal: inout Proposal) {
        proposal.majorReasons = majorDecisions.reasons(for: proposal.measures)
        proposal.isMajor = !proposal.majorReasons.isEmpty
        proposal.reasoning.append(proposal.isMajor
            ? "属重大执法决定（\(proposal.majorReasons.map(\.title).joined(separator: "、"))），须经法制审核后方可作出。"
            : "非重大执法决定。")
    }

    private func interpolate(_ range: ClosedRange<Decimal>, at position: Decimal) -> Decimal {
        range.lowerBound + position * (range.upperBound - range.lowerBound)
    }

    private func percent(_ fraction: Decimal) -> String { "\((fraction * 100).rounded(scale: 1))%" }
}

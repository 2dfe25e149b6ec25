import Foundation
import HISContract

extension Finding {
    /// The national 3101/3102 output entry (`output.result[]`) for this finding.
    public func reviewResult(taskID: String?) -> ReviewResult {
        var evidence: [String] = []
        if !lines.isEmpty { evidence.append("费用明细：" + lines.map(\.rxID).joined(separator: "、")) }
        if !relatedClaimIDs.isEmpty {
            let shown = relatedClaimIDs.prefix(20).joined(separator: "、")
            evidence.append("关联结算：" + shown + (relatedClaimIDs.count > 20 ? "等\(relatedClaimIDs.count)笔" : ""))
        }
        evidence.append("依据：" + legalBasis)
        evidence.append("规则：\(ruleID) v\(ruleVersion)，规则库 v\(ruleSetVersion)，知识库 \(kbVersion)")
        let details = lines.enumerated().map { i, line in
            ReviewResultDetail(jrdId: "\(id)-\(i + 1)", patnId: personID, mdtrtId: encounterID, rxId: line.rxID,
                               volaItemType: pattern, volaAmt: line.amount)
        }
        return ReviewResult(jrId: id, ruleId: ruleID, ruleName: ruleName, volaCont: explanation, patnId: personID,
                            mdtrtId: encounterID, volaAmt: amount, volaAmtStas: "1", sevDeg: severity.sevDeg,
                            volaEvid: evidence.joined(separator: "；"), volaBhvrType: pattern, taskId: taskID,
                            judgeResultDetailDtos: details)
    }
}

extension RuleEngine {
    /// 3101/3102 `output.result` for a claim's findings.
    public func toReviewResults(_ findings: [Finding], taskID: String?) -> [ReviewResult] {
        findings.map { $0.reviewResult(taskID: taskID) }
    }
}

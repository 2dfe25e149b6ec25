import Foundation
import HISContract
import KnowledgeBase

/// P17 高频次住院, P18 分解住院, P20 频繁就诊: how often one person comes back.
enum FrequencyPatterns {
    /// P17: `minAdmissions` admissions of the person with at most `windowDays` (elapsed) between the
    /// first and the last, this claim's admission among them.
    static func frequentAdmission(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        guard c.claim.kind == .inpatient else { return [] }
        return denseVisits(c, h, window: rule.int("windowDays", default: 90), count: rule.int("minAdmissions", default: 3)) {
            $0.kind == .inpatient
        }.map { run in
            Hit(detailKey: "run", amount: c.claim.totalAmount, relatedClaimIDs: run.others.map(\.claimID),
                values: run.values.merging(["admissions": run.members.map { $0.admission.date.description }.joined(separator: "、")]) { $1 })
        }.map { [$0] } ?? []
    }

    /// P20: `minEncounters` outpatient or pharmacy encounters with at most `windowDays` (elapsed)
    /// between the first and the last, this claim among them.
    static func frequentOutpatient(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        guard c.claim.kind.isOutpatientLike else { return [] }
        return denseVisits(c, h, window: rule.int("windowDays", default: 7), count: rule.int("minEncounters", default: 8)) {
            $0.kind.isOutpatientLike
        }.map { run in
            [Hit(detailKey: "run", amount: c.claim.totalAmount, relatedClaimIDs: run.others.map(\.claimID), values: run.values)]
        } ?? []
    }

    /// P18: a stay at the same institution whose admission comes 0…`windowDays` calendar days after
    /// the other's discharge, principal diagnoses equal in their first `diagnosisPrefixLength`
    /// characters. Checked both ways, so a late-arriving earlier stay still completes the pattern.
    static func splitAdmission(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        let me = c.claim
        guard me.kind == .inpatient, let principal = me.principalDiagnosis else { return [] }
        let window = rule.int("windowDays", default: 15)
        let category = String(principal.prefix(rule.int("diagnosisPrefixLength", default: 3)))
        let reach = (window + 1) * secondsPerDay
        let others = h.personClaims(from: me.admission.adding(seconds: -reach), to: me.discharge.adding(seconds: reach)).filter {
            $0.kind == .inpatient && $0.institutionID == me.institutionID && $0.principalDiagnosis?.hasPrefix(category) == true
        }
        return chronological(others, by: \.admission).compactMap { other in
            let (first, second) = other.admission <= me.admission ? (other, me) : (me, other)
            let days = first.discharge.date.days(to: second.admission.date)
            guard (0...window).contains(days) else { return nil }
            return Hit(detailKey: "claim:\(other.claimID)", amount: me.totalAmount, relatedClaimIDs: [other.claimID],
                       values: ["dischargeDate": first.discharge.date.description, "admissionDate": second.admission.date.description,
                                "days": "\(days)", "category": category, "window": "\(window)"])
        }
    }

    struct Run {
        var members: [Claim]
        var others: [Claim]
        var values: [String: String]
    }

    /// The person's encounters of one kind around this claim's admission, and the earliest run of
    /// `count` of them (this claim included) spanning at most `window` days.
    private static func denseVisits(_ c: ClaimContext, _ h: HistoryView, window: Int, count: Int,
                                    _ include: (Claim) -> Bool) -> Run? {
        let me = c.claim, span = window * secondsPerDay
        let t = me.admission
        let nearby = distinctEncounters(h.personClaims(from: t.adding(seconds: -span), to: t.adding(seconds: span)).filter {
            include($0) && abs($0.admission.secondsSinceEpoch - t.secondsSinceEpoch) <= span
        })
        guard nearby.count + 1 >= count else { return nil }
        let all = chronological(nearby + [me], by: \.admission)
        guard let anchor = all.firstIndex(where: { $0.key == me.key }),
              let range = denseRun(all.map(\.admission.secondsSinceEpoch), anchor: anchor, count: count, span: span) else { return nil }
        let members = Array(all[range])
        return Run(members: members, others: members.filter { $0.key != me.key },
                   values: ["from": members.first!.admission.date.description, "to": members.last!.admission.date.description,
                            "window": "\(window)", "count": "\(members.count)"])
    }
}

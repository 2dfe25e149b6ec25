import Foundation
import HISContract
import KnowledgeBase

/// P15 同时段多处就医, P16 死亡后就医: impersonation and card-lending (冒名就医) signals.
enum EncounterPatterns {
    /// P15: another encounter of the person at an institution of another prefecture within
    /// `maxGapHours` (gap 0 when overlapping; inclusive), or an outpatient/pharmacy encounter at
    /// another institution during an inpatient stay. Symmetric, so a late claim still completes it.
    static func concurrent(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        let maxGap = rule.int("maxGapHours", default: 6) * 3600
        let me = c.claim
        let others = h.personClaims(from: me.admission.adding(seconds: -maxGap), to: me.discharge.adding(seconds: maxGap))
        return chronological(others, by: \.admission).compactMap { other in
            guard let relation = relation(me, other, maxGap: maxGap, kb: c.kb) else { return nil }
            return Hit(detailKey: "claim:\(other.claimID)", amount: me.totalAmount, relatedClaimIDs: [other.claimID],
                       values: ["time": me.admission.description, "institution": name(me.institutionID, c.kb),
                                "otherTime": other.admission.description, "otherInstitution": name(other.institutionID, c.kb),
                                "relation": relation])
        }
    }

    private static func relation(_ a: Claim, _ b: Claim, maxGap: Int, kb: KnowledgeBase) -> String? {
        if let regionA = kb.institutions[a.institutionID]?.admdvs, let regionB = kb.institutions[b.institutionID]?.admdvs,
           regionA != regionB {
            let gap = max(0, max(a.admission, b.admission).secondsSinceEpoch - min(a.discharge, b.discharge).secondsSinceEpoch)
            if gap <= maxGap { return gap == 0 ? "时间重叠，且两机构分属不同统筹地区" : "仅相隔\(gap / 60)分钟，且两机构分属不同统筹地区" }
        }
        guard a.institutionID != b.institutionID else { return nil }
        if a.kind == .inpatient, b.kind.isOutpatientLike, within(b.admission, a) { return "发生在本次住院期间" }
        if b.kind == .inpatient, a.kind.isOutpatientLike, within(a.admission, b) { return "处于其住院期间" }
        return nil
    }

    private static func within(_ time: CivilDateTime, _ stay: Claim) -> Bool {
        stay.admission <= time && time <= stay.discharge
    }

    private static func name(_ code: String, _ kb: KnowledgeBase) -> String { kb.institutions[code]?.name ?? code }

    /// P16: an encounter starting on or after the registered death date, or fee lines dated after
    /// it (a stay ending on the day of an in-hospital death, with fees that day, passes).
    static func afterDeath(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        guard let death = c.person?.deathDate else { return [] }
        let values = ["deathDate": death.description]
        if c.claim.admission.date >= death {
            return [Hit(detailKey: "encounter", amount: c.claim.totalAmount, lines: c.evidence(Array(c.lines.indices)),
                        values: values.merging(["detail": "本次就诊开始于\(c.claim.admission)，在死亡日期当日或之后"]) { $1 })]
        }
        let late = c.lines.indices.filter { c.lines[$0].line.time.date > death }
        guard !late.isEmpty else { return [] }
        let amount = late.reduce(Decimal(0)) { $0 + c.lines[$1].line.amount }
        let dates = joined(late.map { c.lines[$0].line.time.date.description })
        return [Hit(detailKey: "lines", amount: amount, lines: c.evidence(late),
                    values: values.merging(["detail": "\(joined(late.map { c.lines[$0].name }))的收费日期\(dates)在死亡日期之后"]) { $1 })]
    }
}

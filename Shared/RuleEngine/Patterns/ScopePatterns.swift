import Foundation
import KnowledgeBase

/// P08 限定医疗机构级别, P09 计费日期与住院时间不符, P10 限定住院使用: where and when an item may be billed.
enum ScopePatterns {
    /// P08: an item whose minimum level is above the institution's, or a service whose cap at the
    /// institution's level is 0 (not allowed there). A pharmacy counts as `pharmacyLevel`.
    static func level(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard let level = c.level(pharmacyLevel: rule.int("pharmacyLevel", default: 1)) else { return [] }
        let exempt = rule.exemptCodes
        var hits: [Hit] = []
        for (i, l) in c.lines.enumerated() where !exempt.contains(l.line.code) {
            let capZero = l.service?.priceCap(level: level) == 0
            guard l.drug != nil || l.service != nil, l.minHospitalLevel > level || capZero else { continue }
            let minLevel = max(l.minHospitalLevel, l.service?.priceCaps.firstIndex { $0 > 0 }.map { $0 + 1 } ?? 1)
            hits.append(Hit(detailKey: "line:\(l.line.rxID)", amount: l.line.amount, lines: c.evidence([i]),
                            values: ["item": l.name, "minLevel": "\(minLevel)", "level": "\(level)"]))
        }
        return hits
    }

    /// P09 (inpatient only): per-stay-day items billed for more days than the stay has (calendar days
    /// between discharge and admission, at least `minStayDays`), or a fee time outside the stay.
    static func stay(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard c.claim.kind == .inpatient else { return [] }
        let exempt = rule.exemptCodes
        let stayDays = max(rule.int("minStayDays", default: 1), c.claim.admission.date.days(to: c.claim.discharge.date))
        let common = ["admission": c.claim.admission.description, "discharge": c.claim.discharge.description, "stayDays": "\(stayDays)"]
        var hits: [Hit] = []
        var perStay: [String: [Int]] = [:]
        var order: [String] = []
        for (i, l) in c.lines.enumerated() where !exempt.contains(l.line.code) {
            if l.isPerStayDay {
                if perStay[l.line.code] == nil { order.append(l.line.code) }
                perStay[l.line.code, default: []].append(i)
            }
            guard l.line.time < c.claim.admission || l.line.time > c.claim.discharge else { continue }
            hits.append(Hit(detailKey: "time:\(l.line.rxID)", amount: l.line.amount, lines: c.evidence([i]),
                            values: common.merging(["item": l.name, "detail": "收费时间\(l.line.time)不在住院期间"]) { $1 }))
        }
        for code in order {
            let indexes = perStay[code]!
            let total = indexes.reduce(Decimal(0)) { $0 + c.lines[$1].line.count }
            guard total > Decimal(stayDays) else { continue }
            let amount = ((total - Decimal(stayDays)) * c.lines[indexes[0]].line.price).rounded(2)
            hits.append(Hit(detailKey: "days:\(code)", amount: amount, lines: c.evidence(indexes),
                            values: common.merging(["item": c.lines[indexes[0]].name, "detail": "按日收费\(total)天，超过住院天数"]) { $1 }))
        }
        return hits
    }

    /// P10: an inpatient-only drug or service in an outpatient or pharmacy encounter.
    static func inpatientOnly(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard c.claim.kind.isOutpatientLike else { return [] }
        let exempt = rule.exemptCodes
        return c.lines.enumerated().compactMap { i, l in
            guard !exempt.contains(l.line.code), l.inpatientOnly else { return nil }
            return Hit(detailKey: "line:\(l.line.rxID)", amount: l.line.amount, lines: c.evidence([i]),
                       values: ["item": l.name, "kind": c.claim.kind.chinese, "date": l.line.time.date.description])
        }
    }
}

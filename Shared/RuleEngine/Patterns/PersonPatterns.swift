import Foundation
import HISContract
import KnowledgeBase

/// P01 限定性别, P02 限定年龄, P21 身份信息不符: checks against the insured-person registry
/// (the registry's sex and birth date decide, never the claim's own).
enum PersonPatterns {
    /// P01: a drug, service or diagnosis limited to the other sex.
    static func sex(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard let person = c.person else { return [] }
        let exempt = rule.exemptCodes
        var hits: [Hit] = []
        for (i, l) in c.lines.enumerated() where !exempt.contains(l.line.code) {
            guard let limit = l.sexLimit, limit != person.sex else { continue }
            hits.append(Hit(detailKey: "line:\(l.line.rxID)", amount: l.line.amount, lines: c.evidence([i]),
                            values: ["item": l.name, "date": l.line.time.date.description,
                                     "limitSex": limit.chinese, "personSex": person.sex.chinese]))
        }
        for d in c.claim.diagnoses where !exempt.contains(d.code) {
            guard let entry = c.kb.diagnosisEntry(for: d.code), let limit = entry.sexLimit, limit != person.sex else { continue }
            hits.append(Hit(detailKey: "dx:\(d.code)", amount: 0,
                            values: ["item": "诊断\(entry.name)（\(d.code)）", "date": d.date.description,
                                     "limitSex": limit.chinese, "personSex": person.sex.chinese]))
        }
        return hits
    }

    /// P02: outside the age limits on the service date — completed years for drugs, days since
    /// birth for services and diagnoses; limits inclusive.
    static func age(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard let person = c.person else { return [] }
        let exempt = rule.exemptCodes
        var hits: [Hit] = []
        for (i, l) in c.lines.enumerated() where !exempt.contains(l.line.code) {
            let date = l.line.time.date
            let problem: (limit: String, age: String)?
            if let drug = l.drug {
                let years = person.ageYears(on: date)
                problem = outside(years, drug.minAgeYears, drug.maxAgeYears)
                    ? (yearsLimit(drug.minAgeYears, drug.maxAgeYears), "\(years)周岁") : nil
            } else if let service = l.service {
                let days = person.ageDays(on: date)
                problem = outside(days, service.minAgeDays, service.maxAgeDays)
                    ? (daysLimit(service.minAgeDays, service.maxAgeDays), ageText(days: days, person, date)) : nil
            } else {
                problem = nil
            }
            guard let problem else { continue }
            hits.append(Hit(detailKey: "line:\(l.line.rxID)", amount: l.line.amount, lines: c.evidence([i]),
                            values: ["item": l.name, "date": date.description, "limit": problem.limit, "age": problem.age]))
        }
        for d in c.claim.diagnoses where !exempt.contains(d.code) {
            guard let entry = c.kb.diagnosisEntry(for: d.code) else { continue }
            let days = person.ageDays(on: d.date)
            guard outside(days, entry.minAgeDays, entry.maxAgeDays) else { continue }
            hits.append(Hit(detailKey: "dx:\(d.code)", amount: 0,
                            values: ["item": "诊断\(entry.name)（\(d.code)）", "date": d.date.description,
                                     "limit": daysLimit(entry.minAgeDays, entry.maxAgeDays), "age": ageText(days: days, person, d.date)]))
        }
        return hits
    }

    /// P21: the claim's sex or birth date differ from the registry.
    static func identity(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard let person = c.person else { return [] }
        var fields: [String] = [], claimed: [String] = [], registered: [String] = []
        if c.claim.claimedSex != person.sex {
            fields.append("性别")
            claimed.append(c.claim.claimedSex?.chinese ?? "无效代码")
            registered.append(person.sex.chinese)
        }
        if c.claim.claimedBirthDate != person.birthDate {
            fields.append("出生日期")
            claimed.append(c.claim.claimedBirthDate.description)
            registered.append(person.birthDate.description)
        }
        guard !fields.isEmpty else { return [] }
        return [Hit(detailKey: "identity", amount: c.claim.totalAmount,
                    values: ["field": fields.joined(separator: "和"), "claimed": claimed.joined(separator: "、"),
                             "registered": registered.joined(separator: "、")])]
    }

    private static func outside(_ value: Int, _ min: Int?, _ max: Int?) -> Bool {
        if let min, value < min { return true }
        if let max, value > max { return true }
        return false
    }

    private static func yearsLimit(_ min: Int?, _ max: Int?) -> String {
        switch (min, max) {
        case let (lo?, hi?): "\(lo)至\(hi)周岁"
        case let (lo?, nil): "\(lo)周岁及以上"
        case let (nil, hi?): "\(hi)周岁及以下"
        default: "特定年龄"
        }
    }

    private static func daysLimit(_ min: Int?, _ max: Int?) -> String {
        func text(_ days: Int) -> String { days < 365 ? "出生\(days)天" : "\(days)天（约\(days / 365)岁）" }
        switch (min, max) {
        case let (lo?, hi?): return "\(text(lo))至\(text(hi))"
        case let (lo?, nil): return "\(text(lo))及以上"
        case let (nil, hi?): return "\(text(hi))及以下"
        default: return "特定年龄"
        }
    }

    private static func ageText(days: Int, _ person: Person, _ date: CivilDate) -> String {
        days < 365 ? "出生第\(days)天" : "\(person.ageYears(on: date))周岁（\(days)天）"
    }
}

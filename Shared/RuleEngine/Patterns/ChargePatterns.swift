import Foundation
import KnowledgeBase

/// P03 超标准收费, P04 重复收费, P05 分解收费, P11 互斥项目: how items are charged.
enum ChargePatterns {
    /// P03: unit price above the cap for the institution level (a cap of 0 is P08's business).
    static func overPrice(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard let level = c.level() else { return [] }
        let exempt = rule.exemptCodes
        var hits: [Hit] = []
        for (i, l) in c.lines.enumerated() where !exempt.contains(l.line.code) {
            guard let cap = l.drug?.priceCap ?? l.service?.priceCap(level: level), cap > 0, l.line.price > cap else { continue }
            let excess = ((l.line.price - cap) * l.line.count).rounded(2)
            hits.append(Hit(detailKey: "line:\(l.line.rxID)", amount: excess, lines: c.evidence([i]) { _ in excess },
                            values: ["item": l.name, "date": l.line.time.date.description, "price": l.line.price.text,
                                     "cap": cap.text, "level": "\(level)", "excess": excess.text]))
        }
        return hits
    }

    /// P04: one service billed more often on a day than its `max_per_day` (per-stay-day lines count
    /// once on each of their days).
    static func duplicate(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        let exempt = rule.exemptCodes
        return c.serviceDays.keys.sorted(by: dayKeyOrder).compactMap { key in
            let use = c.serviceDays[key]!
            guard !exempt.contains(key.code), let service = c.kb.services[key.code], let max = service.maxPerDay,
                  use.count > Decimal(max) else { return nil }
            let first = c.lines[use.lines[0]]
            let amount = ((use.count - Decimal(max)) * first.line.price).rounded(2)
            return Hit(detailKey: "\(key.code)@\(dayText(key.day))", amount: amount, lines: c.evidence(use.lines),
                       values: ["item": service.name, "date": dayText(key.day), "count": "\(use.count)", "limit": "\(max)"])
        }
    }

    /// P05: a package and any of its components billed on the same day.
    static func unbundling(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        let exempt = rule.exemptCodes
        return c.serviceDays.keys.sorted(by: dayKeyOrder).compactMap { key in
            guard !exempt.contains(key.code), let package = c.kb.services[key.code], !package.packageOf.isEmpty else { return nil }
            let parts = package.packageOf.compactMap { code in c.serviceDays[DayKey(code: code, day: key.day)].map { (code, $0) } }
            guard !parts.isEmpty else { return nil }
            let componentLines = parts.flatMap { $0.1.lines }
            let amount = parts.reduce(Decimal(0)) { $0 + $1.1.amount }.rounded(2)
            return Hit(detailKey: "\(key.code)@\(dayText(key.day))", amount: amount,
                       lines: c.evidence(c.serviceDays[key]!.lines) { _ in 0 } + c.evidence(componentLines),
                       values: ["package": package.name, "date": dayText(key.day),
                                "components": joined(parts.map { c.kb.services[$0.0]?.name ?? $0.0 })])
        }
    }

    /// P11: two or more items of one exclusive group on the same day; one finding per set of items,
    /// listing the days. At stake: all but the dearest item of each day.
    static func exclusive(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        let exempt = rule.exemptCodes
        var byGroupDay: [String: [Int: [String]]] = [:]
        for key in c.serviceDays.keys where !exempt.contains(key.code) {
            guard let group = c.kb.services[key.code]?.exclusiveGroup else { continue }
            byGroupDay[group, default: [:]][key.day, default: []].append(key.code)
        }
        var conflicts: [[String]: (group: String, days: [Int])] = [:]
        for (group, days) in byGroupDay {
            for (day, codes) in days where codes.count > 1 { conflicts[codes.sorted(), default: (group, [])].days.append(day) }
        }
        return conflicts.keys.sorted { $0.joined() < $1.joined() }.map { codes in
            let (group, days) = conflicts[codes]!
            var amount: Decimal = 0
            var lineIndexes: [Int] = []
            for day in days.sorted() {
                let uses = codes.map { c.serviceDays[DayKey(code: $0, day: day)]! }
                amount += uses.reduce(0) { $0 + $1.amount } - uses.map(\.amount).max()!
                lineIndexes += uses.flatMap(\.lines)
            }
            lineIndexes = Array(Set(lineIndexes)).sorted()
            return Hit(detailKey: "\(group):\(codes.joined(separator: "+"))", amount: amount.rounded(2),
                       lines: c.evidence(lineIndexes) { _ in 0 },
                       values: ["items": codes.map { c.kb.services[$0]?.name ?? $0 }.joined(separator: "与"),
                                "dates": days.sorted().map(dayText).joined(separator: "、"), "group": group])
        }
    }

    private static func dayKeyOrder(_ a: DayKey, _ b: DayKey) -> Bool { (a.day, a.code) < (b.day, b.code) }
}

import Foundation
import KnowledgeBase

/// P06 超量开药, P07 超限定适应症, P12 药品串换: drug-specific checks of one claim.
enum DrugPatterns {
    /// P06: outpatient or pharmacy supply of one drug above `max_days_outpatient`. Compared as
    /// quantity > maxDays × packsPerDay, so no division ever rounds (exactly the maximum passes).
    static func overQuantity(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard c.claim.kind.isOutpatientLike else { return [] }
        return drugGroups(c, rule).compactMap { drug, indexes in
            guard let maxDays = drug.maxDaysOutpatient, let perDay = drug.packsPerDay else { return nil }
            let quantity = indexes.reduce(Decimal(0)) { $0 + c.lines[$1].line.count }
            let allowed = Decimal(maxDays) * perDay
            guard quantity > allowed else { return nil }
            let amount = ((quantity - allowed) * c.lines[indexes[0]].line.price).rounded(2)
            return Hit(detailKey: "drug:\(drug.code)", amount: amount, lines: c.evidence(indexes),
                       values: ["item": drug.name, "quantity": "\(quantity)", "unit": drug.unit, "perDay": "\(perDay)",
                                "days": (quantity / perDay).rounded(1).description, "limit": "\(maxDays)"])
        }
    }

    /// P07: a drug restricted to indications with no diagnosis of the encounter starting with one.
    static func indication(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        drugGroups(c, rule).compactMap { drug, indexes in
            guard !drug.indications.isEmpty,
                  !c.diagnosisCodes.contains(where: { code in drug.indications.contains { code.hasPrefix($0) } }) else { return nil }
            return Hit(detailKey: "drug:\(drug.code)", amount: indexes.reduce(0) { $0 + c.lines[$1].line.amount },
                       lines: c.evidence(indexes),
                       values: ["item": drug.name, "indications": drug.indications.joined(separator: "、"),
                                "diagnoses": c.diagnosisCodes.isEmpty ? "无" : joined(c.diagnosisCodes)])
        }
    }

    /// P12: a dispensed traceability code whose product identifier is not the billed drug's.
    static func switched(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        let length = rule.int("tracePrefixLength", default: 7)
        let exempt = rule.exemptCodes
        var hits: [Hit] = []
        for (i, l) in c.lines.enumerated() where !exempt.contains(l.line.code) {
            guard let drug = l.drug else { continue }
            let expected = drug.tracePrefix.prefix(length)
            let wrong = l.line.traceCodes.filter { $0.prefix(length) != expected }
            guard !wrong.isEmpty else { continue }
            let amount = min(l.line.amount, l.line.price * Decimal(wrong.count)).rounded(2)
            hits.append(Hit(detailKey: "line:\(l.line.rxID)", amount: amount, lines: c.evidence([i]) { _ in amount },
                            values: ["item": drug.name, "codes": wrong.joined(separator: "、"), "prefix": String(expected)]))
        }
        return hits
    }

    /// Drug lines grouped by catalogue drug, in order of first appearance.
    static func drugGroups(_ c: ClaimContext, _ rule: Rule) -> [(Drug, [Int])] {
        let exempt = rule.exemptCodes
        var order: [String] = []
        var groups: [String: (Drug, [Int])] = [:]
        for (i, l) in c.lines.enumerated() {
            guard let drug = l.drug, !exempt.contains(drug.code) else { continue }
            if groups[drug.code] == nil { order.append(drug.code); groups[drug.code] = (drug, []) }
            groups[drug.code]!.1.append(i)
        }
        return order.map { groups[$0]! }
    }
}

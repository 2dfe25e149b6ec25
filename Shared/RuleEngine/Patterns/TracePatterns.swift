import Foundation
import HISContract
import KnowledgeBase

/// P13 追溯码重复使用 and P14 超量购药: drug resale (回流药) signals across claims and persons.
enum TracePatterns {
    /// P13: a traceability code already sold in another settlement (of any person). The claim
    /// evaluated later is the one flagged.
    static func reuse(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        let exempt = rule.exemptCodes
        var hits: [Hit] = []
        for (i, l) in c.lines.enumerated() where l.line.type == .drug && !exempt.contains(l.line.code) {
            var reused: [String] = [], earlier: [String] = []
            for code in l.line.traceCodes {
                let sold = h.claims(withTraceCode: code)
                guard !sold.isEmpty else { continue }
                reused.append(code)
                earlier += sold.map(\.claimID)
            }
            guard !reused.isEmpty else { continue }
            let amount = min(l.line.amount, l.line.price * Decimal(reused.count)).rounded(2)
            hits.append(Hit(detailKey: "line:\(l.line.rxID)", amount: amount, lines: c.evidence([i]) { _ in amount },
                            relatedClaimIDs: uniqued(earlier),
                            values: ["item": l.name, "codes": reused.joined(separator: "、"), "earlierClaims": joined(earlier)]))
        }
        return hits
    }

    /// P14: one person's outpatient and pharmacy purchases of one drug, at any institutions, within
    /// `windowDays` (elapsed, inclusive; at least `minPurchases`) add up to more than
    /// `supplyFactor` × max days of supply. Compared on quantities, so exactly the limit passes.
    static func excessPurchase(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        guard c.claim.kind.isOutpatientLike else { return [] }
        let window = rule.int("windowDays", default: 30) * secondsPerDay
        let factor = rule.decimal("supplyFactor", default: 2)
        let minPurchases = rule.int("minPurchases", default: 2)
        let t = c.claim.admission
        let nearby = h.personClaims(from: t.adding(seconds: -window), to: t.adding(seconds: window)).filter { $0.kind.isOutpatientLike }
        return DrugPatterns.drugGroups(c, rule).compactMap { drug, indexes in
            guard let maxDays = drug.maxDaysOutpatient, let perDay = drug.packsPerDay else { return nil }
            var purchases: [(time: Int, quantity: Decimal, claimID: String?)] =
                [(t.secondsSinceEpoch, indexes.reduce(0) { $0 + c.lines[$1].line.count }, nil)]
            for other in nearby {
                let quantity = other.lines.filter { $0.type == .drug && $0.code == drug.code }.reduce(Decimal(0)) { $0 + $1.count }
                if quantity > 0, abs(other.admission.secondsSinceEpoch - t.secondsSinceEpoch) <= window {
                    purchases.append((other.admission.secondsSinceEpoch, quantity, other.claimID))
                }
            }
            guard purchases.count >= minPurchases else { return nil }
            purchases.sort { ($0.time, $0.claimID ?? "") < ($1.time, $1.claimID ?? "") }
            let limit = factor * Decimal(maxDays) * perDay
            guard let run = heaviestWindow(purchases.map { ($0.time, $0.quantity, $0.claimID == nil) }, span: window,
                                           minCount: minPurchases), run.total > limit else { return nil }
            let members = purchases[run.range]
            let amount = indexes.reduce(Decimal(0)) { $0 + c.lines[$1].line.amount }
            return Hit(detailKey: "drug:\(drug.code)", amount: amount, lines: c.evidence(indexes),
                       relatedClaimIDs: members.compactMap(\.claimID),
                       values: ["item": drug.name, "from": dayText(members.first!.time / secondsPerDay),
                                "to": dayText(members.last!.time / secondsPerDay), "window": "\(window / secondsPerDay)",
                                "count": "\(members.count)", "days": (run.total / perDay).rounded(1).description,
                                "limit": "\(factor * Decimal(maxDays))", "factor": "\(factor)"])
        }
    }

    /// The window (consecutive purchases spanning at most `span`) that contains the evaluated purchase
    /// and has the largest total quantity, with at least `minCount` purchases.
    private static func heaviestWindow(_ items: [(time: Int, quantity: Decimal, isSelf: Bool)], span: Int,
                                       minCount: Int) -> (range: ClosedRange<Int>, total: Decimal)? {
        guard let me = items.firstIndex(where: \.isSelf) else { return nil }
        var best: (range: ClosedRange<Int>, total: Decimal)? = nil
        for start in 0...me where items[me].time - items[start].time <= span {
            var last = me
            while last + 1 < items.count, items[last + 1].time - items[start].time <= span { last += 1 }
            guard last - start + 1 >= minCount else { continue }
            let total = items[start...last].reduce(Decimal(0)) { $0 + $1.quantity }
            if best == nil || total > best!.total { best = (start...last, total) }
        }
        return best
    }

    private static func uniqued(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}

import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// Single-claim violations (P01-P12, P21): a clean claim with exactly one thing wrong.
extension Session {
    /// Injects `pattern` at `slot`; false when no fitting claim could be drafted.
    func injectSingle(_ pattern: String, at slot: CivilDateTime) -> Bool {
        guard var draft = draftFor(pattern, at: slot) else { return false }
        guard mutate(&draft, pattern) else { return false }
        draft.expected = [pattern]
        // A longer rest: an over-supply (P06) must not combine with the next purchase into a P14.
        commit(draft, gap: Session.sequenceGap)
        return true
    }

    private func draftFor(_ pattern: String, at slot: CivilDateTime) -> Draft? {
        switch pattern {
        // The over-supply must not add up with an earlier purchase into a P14: nothing in the 30 days before.
        case "P06": return cleanDraft(rng.chance(0.5) ? .outpatient : .pharmacy, at: slot,
                                      restedSince: slot.adding(seconds: Session.cleanGap - Session.sequenceGap))
        case "P09": return cleanDraft(.inpatient, at: slot)
        case "P10": return cleanDraft(.outpatient, at: slot)
        case "P08":
            switch rng.int(0...2) {
            case 0: return cleanDraft(.outpatient, at: slot, institution: rng.pick(hospitals.filter { $0.level == 1 }))
            case 1: return cleanDraft(.pharmacy, at: slot)
            default: return cleanDraft(.inpatient, at: slot, institution: rng.pick(inpatientHospitals.filter { $0.level == 2 }))
            }
        case "P11": return rng.chance(0.7) ? cleanDraft(.inpatient, at: slot)
            : cleanDraft(.outpatient, at: slot, institution: rng.pick(hospitals.filter { $0.level >= 2 }))
        default:
            let kinds: [EncounterKind] = ["P04", "P05"].contains(pattern) ? [.outpatient, .inpatient] : [.outpatient, .pharmacy, .inpatient]
            return cleanDraft(rng.pick(kinds)!, at: slot)
        }
    }

    private func mutate(_ d: inout Draft, _ pattern: String) -> Bool {
        let c = d
        switch pattern {
        case "P01": return addItem(&d, drug: { $0.sexLimit != nil && !self.pool.sexOK($0.sexLimit, c.person) && self.pool.yearsOK($0, c.person, c.serviceDates) },
                                   service: { !self.pool.sexOK($0.sexLimit, c.person) && self.pool.daysOK($0.minAgeDays, $0.maxAgeDays, c.person, c.serviceDates) },
                                   diagnosis: { !self.pool.sexOK($0.sexLimit, c.person) && self.pool.daysOK($0.minAgeDays, $0.maxAgeDays, c.person, [c.admission.date]) })
        case "P02": return addItem(&d, drug: { self.pool.sexOK($0.sexLimit, c.person) && !self.pool.yearsOK($0, c.person, c.serviceDates) },
                                   service: { self.pool.sexOK($0.sexLimit, c.person) && !self.pool.daysOK($0.minAgeDays, $0.maxAgeDays, c.person, c.serviceDates) },
                                   diagnosis: { self.pool.sexOK($0.sexLimit, c.person) && !self.pool.daysOK($0.minAgeDays, $0.maxAgeDays, c.person, [c.admission.date]) })
        case "P03": return overPrice(&d)
        case "P04": return duplicate(&d)
        case "P05": return unbundle(&d)
        case "P06": return overQuantity(&d)
        case "P07": return addItem(&d, drug: { !$0.indications.isEmpty && self.pool.drugPerson($0, c) && !self.pool.indicated($0, by: c.diagnoses) },
                                   service: { _ in false }, diagnosis: { _ in false }, indications: false)
        case "P08": return belowLevel(&d)
        case "P09": return outsideStay(&d)
        case "P10": return addItem(&d, drug: { $0.inpatientOnly && self.pool.drugPerson($0, c) }, service: { $0.inpatientOnly && self.pool.servicePerson($0, c) },
                                   diagnosis: { _ in false }, kind: .inpatient)
        case "P11": return exclusive(&d)
        case "P12": return switchTrace(&d)
        case "P21": return misidentify(&d)
        default: return false
        }
    }

    /// Adds one item chosen among drugs, services and diagnoses matching the predicates, otherwise
    /// fitting the claim (level, kind, quantity; indications backed unless `indications` is false).
    /// `kind` relaxes the kind rules as if the encounter were of that kind.
    private func addItem(_ d: inout Draft, drug: (Drug) -> Bool, service: (ServiceItem) -> Bool, diagnosis: (DiagnosisEntry) -> Bool,
                         indications: Bool = true, kind: EncounterKind? = nil) -> Bool {
        var probe = d
        if let kind { probe.kind = kind }
        let drugs = pool.drugs.filter { dr in
            drug(dr) && pool.drugPlace(dr, probe) && !d.lines.contains { $0.code == dr.code }
                && (d.kind == .inpatient || Eligibility.maxOutpatientPacks(dr) >= 1)
                && (!indications || pool.indicated(dr, by: d.diagnoses) || pool.indicationDiagnosis(for: dr, d) != nil)
        }
        let services = d.institution.type == .pharmacy ? [] : pool.services.filter { s in
            service(s) && pool.servicePlace(s, probe) && !conflicts(s, d) && (s.exclusiveGroup == nil || !sharesGroup(s, d))
                && (d.kind == .inpatient || !s.perStayDay || kind == .inpatient)
        }
        let diagnoses = pool.diagnoses.filter { diagnosis($0) && !d.diagnoses.contains($0.code) }
        var options: [Int] = []
        if !drugs.isEmpty { options.append(0) }
        if !services.isEmpty { options.append(1) }
        if !diagnoses.isEmpty { options.append(2) }
        guard let choice = rng.pick(options) else { return false }
        switch choice {
        case 0:
            let dr = rng.pick(drugs)!
            if indications, !pool.indicated(dr, by: d.diagnoses) { d.diagnoses.append(pool.indicationDiagnosis(for: dr, d)!) }
            let packs = d.kind == .inpatient ? rng.int(1...3) : rng.int(1...Eligibility.maxOutpatientPacks(dr))
            d.lines.append(drugLine(dr, count: packs, at: lineTime(d)))
        case 1:
            let s = rng.pick(services)!
            let level = Eligibility.level(d.institution)
            let cap = s.priceCap(level: level).flatMap { $0 > 0 ? $0 : nil } ?? s.priceCaps.first { $0 > 0 }!
            d.lines.append(DraftLine(code: s.code, name: s.name, isDrug: false, count: 1, price: price(cap), time: lineTime(d)))
        default:
            d.diagnoses.append(rng.pick(diagnoses)!.code)
        }
        return true
    }

    private func sharesGroup(_ s: ServiceItem, _ d: Draft) -> Bool {
        d.lines.contains { kb.services[$0.code]?.exclusiveGroup == s.exclusiveGroup }
    }

    /// P03: one line priced above its cap, by a fen or up to a fifth.
    private func overPrice(_ d: inout Draft) -> Bool {
        let level = Eligibility.level(d.institution)
        guard let i = rng.pick(Array(d.lines.indices)) else { return false }
        let cap = kb.drugs[d.lines[i].code]?.priceCap ?? kb.services[d.lines[i].code]!.priceCap(level: level)!
        var extra = rng.chance(0.3) ? Decimal(string: "0.01")! : cap * Decimal(rng.int(1...20)) / 100, rounded = Decimal()
        NSDecimalRound(&rounded, &extra, 2, .up)
        d.lines[i].price = cap + max(rounded, Decimal(string: "0.01")!)
        return true
    }

    /// P04: a service billed once more than its daily maximum, in one line or two.
    private func duplicate(_ d: inout Draft) -> Bool {
        let candidates = pool.services.filter {
            $0.maxPerDay != nil && !$0.perStayDay && $0.exclusiveGroup == nil && $0.packageOf.isEmpty
                && pool.servicePlace($0, d) && pool.servicePerson($0, d) && !conflicts($0, d)
        }
        guard let s = rng.pick(candidates), let max = s.maxPerDay else { return false }
        let level = Eligibility.level(d.institution), time = lineTime(d)
        let total = max + rng.int(1...2)
        if total >= 2, rng.chance(0.5) {
            let first = rng.int(1...(total - 1))
            d.lines.append(serviceLine(s, count: first, at: time, level: level))
            d.lines.append(serviceLine(s, count: total - first, at: CivilDateTime(date: time.date, secondOfDay: min(86_399, time.secondOfDay + 60)), level: level))
            if d.kind == .inpatient, d.lines.last!.time > d.discharge { d.lines[d.lines.count - 1].time = time }
        } else {
            d.lines.append(serviceLine(s, count: total, at: time, level: level))
        }
        return true
    }

    /// P05: a package and some of its components on the same day.
    private func unbundle(_ d: inout Draft) -> Bool {
        guard let package = rng.pick(pool.services.filter { !$0.packageOf.isEmpty && pool.servicePlace($0, d) && pool.servicePerson($0, d) })
        else { return false }
        let codes = Set([package.code] + package.packageOf)
        d.lines.removeAll { codes.contains($0.code) }
        let level = Eligibility.level(d.institution), time = lineTime(d)
        d.lines.append(serviceLine(package, count: 1, at: time, level: level))
        let parts = package.packageOf.shuffled(using: &rng).prefix(rng.int(1...package.packageOf.count))
        for code in parts { d.lines.append(serviceLine(kb.services[code]!, count: 1, at: time, level: level)) }
        return true
    }

    /// P06: an outpatient drug one to three packs above its maximum days of supply.
    private func overQuantity(_ d: inout Draft) -> Bool {
        let candidates = pool.drugs.filter {
            pool.drugPlace($0, d) && pool.drugPerson($0, d) && (pool.indicated($0, by: d.diagnoses) || pool.indicationDiagnosis(for: $0, d) != nil)
        }
        guard let drug = rng.pick(candidates) else { return false }
        if !pool.indicated(drug, by: d.diagnoses) { d.diagnoses.append(pool.indicationDiagnosis(for: drug, d)!) }
        d.lines.removeAll { $0.code == drug.code }
        d.lines.append(drugLine(drug, count: Eligibility.maxOutpatientPacks(drug) + rng.int(1...3), at: d.admission))
        return true
    }

    /// P08: an item above the institution's level (drug minimum level, or a service capped at 0 there).
    private func belowLevel(_ d: inout Draft) -> Bool {
        let level = Eligibility.level(d.institution), c = d
        var probe = d
        probe.institution.level = 3
        return addItem(&d, drug: { $0.minHospitalLevel > level && self.pool.drugPerson($0, c) && self.pool.drugPlace($0, probe) },
                       service: { ($0.minHospitalLevel > level || $0.priceCap(level: level) == 0) && self.pool.servicePerson($0, c)
                           && self.pool.servicePlace($0, probe) },
                       diagnosis: { _ in false }, kind: nil, levelProbe: probe)
    }

    private func addItem(_ d: inout Draft, drug: (Drug) -> Bool, service: (ServiceItem) -> Bool, diagnosis: (DiagnosisEntry) -> Bool,
                         kind: EncounterKind?, levelProbe: Draft) -> Bool {
        // Level checks were done against the probe (level 3); the other checks use the claim itself.
        let drugs = pool.drugs.filter { dr in
            drug(dr) && !d.lines.contains { $0.code == dr.code }
                && (pool.indicated(dr, by: d.diagnoses) || pool.indicationDiagnosis(for: dr, d) != nil)
        }
        let services = d.institution.type == .pharmacy ? [] : pool.services.filter { s in
            service(s) && !conflicts(s, d) && (s.exclusiveGroup == nil || !sharesGroup(s, d))
        }
        let useDrug = !drugs.isEmpty && (services.isEmpty || rng.chance(0.5))
        if useDrug {
            let dr = rng.pick(drugs)!
            if !pool.indicated(dr, by: d.diagnoses) { d.diagnoses.append(pool.indicationDiagnosis(for: dr, d)!) }
            let packs = d.kind == .inpatient ? rng.int(1...3) : rng.int(1...Eligibility.maxOutpatientPacks(dr))
            d.lines.append(drugLine(dr, count: packs, at: lineTime(d)))
            return true
        }
        guard let s = rng.pick(services) else { return false }
        let cap = s.priceCaps.first { $0 > 0 }!
        d.lines.append(DraftLine(code: s.code, name: s.name, isDrug: false, count: 1, price: price(cap), time: lineTime(d)))
        return true
    }

    /// P09: a per-stay-day item billed for more days than the stay, or a fee outside the stay.
    private func outsideStay(_ d: inout Draft) -> Bool {
        let perStay = d.lines.indices.filter { kb.services[d.lines[$0].code]?.perStayDay == true }
        if let i = rng.pick(perStay), rng.chance(0.5) {
            d.lines[i].count += Decimal(rng.int(1...2))
            return true
        }
        let ordinary = d.lines.indices.filter { kb.services[d.lines[$0].code]?.perStayDay != true }
        guard let i = rng.pick(ordinary) else { return false }
        let moved = rng.chance(0.5) ? d.discharge.adding(seconds: rng.int(1...(2 * 86_400)))
            : d.admission.adding(seconds: -rng.int(1...(86_400)))
        // Not onto a day the item is billed already (daily care repeats items): that would be P04 too.
        let line = d.lines[i]
        guard !d.lines.contains(where: { $0.code == line.code && $0.time.date == moved.date }) else { return false }
        d.lines[i].time = moved
        return true
    }

    /// P11: two nursing (or bed) levels overlapping on some days, or two outpatient consultation fees.
    private func exclusive(_ d: inout Draft) -> Bool {
        let level = Eligibility.level(d.institution)
        if d.kind == .outpatient {
            guard let i = d.lines.firstIndex(where: { kb.services[$0.code]?.exclusiveGroup == "CONSULT" }) else { return false }
            let other = d.lines[i].code == "110200001" ? "110200003" : "110200001"
            guard let s = kb.services[other], pool.servicePlace(s, d) else { return false }
            d.lines.append(serviceLine(s, count: 1, at: d.admission, level: level))
            return true
        }
        let grouped = d.lines.indices.filter { kb.services[d.lines[$0].code]?.exclusiveGroup != nil }
        guard let i = rng.pick(grouped), let group = kb.services[d.lines[i].code]?.exclusiveGroup else { return false }
        let others = pool.services.filter { $0.exclusiveGroup == group && $0.code != d.lines[i].code && pool.servicePlace($0, d) && pool.servicePerson($0, d) }
        guard let s = rng.pick(others) else { return false }
        let days = max(1, d.admission.date.days(to: d.discharge.date))
        let count = rng.int(1...days), offset = rng.int(0...(days - count))
        d.lines.append(serviceLine(s, count: count, at: d.admission.adding(seconds: offset * 86_400), level: level))
        return true
    }

    /// P12: one dispensed package carries the traceability code of another drug.
    private func switchTrace(_ d: inout Draft) -> Bool {
        if !d.lines.contains(where: \.isDrug) { addDrugs(&d, count: 3) }
        guard let i = rng.pick(d.lines.indices.filter { d.lines[$0].isDrug && !d.lines[$0].traceCodes.isEmpty }),
              let other = rng.pick(pool.drugs.filter { $0.code != d.lines[i].code }) else { return false }
        let j = rng.int(0...(d.lines[i].traceCodes.count - 1))
        d.lines[i].traceCodes[j] = traceCodes(for: other, count: 1)[0]
        return true
    }

    /// P21: the claim's sex or birth date differs from the registry.
    private func misidentify(_ d: inout Draft) -> Bool {
        switch rng.int(0...2) {
        case 0: d.claimedSex = d.person.sex == .male ? .female : .male
        case 1:
            // Later only while the claimed birth stays before the admission: an infant's later date
            // fell after it, in the future, and intake refused the claim instead of reviewing it.
            let later = rng.chance(0.5), days = rng.int(1...400)
            let claimed = d.person.birthDate.adding(days: days)
            d.claimedBirth = later && claimed < d.admission.date ? claimed : d.person.birthDate.adding(days: -days)
        default:
            d.claimedSex = d.person.sex == .male ? .female : .male
            d.claimedBirth = d.person.birthDate.adding(days: 1)
        }
        return true
    }
}

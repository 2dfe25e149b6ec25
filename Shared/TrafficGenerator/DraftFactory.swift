import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// Clean claims: valid codes for the level, prices at or below the cap, quantities within limits,
/// items fitting the person's registered sex and age, indications backed by a diagnosis.
extension Session {
    /// A price at the cap or a little below it, in fen.
    func price(_ cap: Decimal) -> Decimal {
        guard !rng.chance(0.6) else { return cap }
        var value = cap * Decimal(rng.int(85...99)) / 100, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .down)
        return max(rounded, Decimal(string: "0.01")!)
    }

    func drugLine(_ d: Drug, count: Int, at time: CivilDateTime) -> DraftLine {
        DraftLine(code: d.code, name: d.name, isDrug: true, count: Decimal(count), price: price(d.priceCap), time: time,
                  traceCodes: traceCodes(for: d, count: count))
    }

    func serviceLine(_ s: ServiceItem, count: Int, at time: CivilDateTime, level: Int) -> DraftLine {
        DraftLine(code: s.code, name: s.name, isDrug: false, count: Decimal(count), price: price(s.priceCap(level: level)!), time: time)
    }

    /// Adds up to `count` diagnoses that fit the person.
    func addDiagnoses(_ draft: inout Draft, count: Int) {
        let fitting = pool.diagnoses.filter { pool.diagnosisOK($0, draft.person, draft.admission.date) && !draft.diagnoses.contains($0.code) }
        for _ in 0..<count { if let e = rng.pick(fitting), !draft.diagnoses.contains(e.code) { draft.diagnoses.append(e.code) } }
    }

    /// Adds up to `count` distinct drugs fitting the claim, adding a diagnosis for an indication when needed.
    func addDrugs(_ draft: inout Draft, count: Int) {
        let fitting = pool.drugs.filter { pool.drugPlace($0, draft) && pool.drugPerson($0, draft) }
        for _ in 0..<count {
            guard let d = rng.pick(fitting), !draft.lines.contains(where: { $0.code == d.code }) else { continue }
            if !pool.indicated(d, by: draft.diagnoses) {
                guard let dx = pool.indicationDiagnosis(for: d, draft) else { continue }
                draft.diagnoses.append(dx)
            }
            let packs = draft.kind == .inpatient ? rng.int(1...6)
                : (rng.chance(0.3) ? Eligibility.maxOutpatientPacks(d) : rng.int(1...Eligibility.maxOutpatientPacks(d)))
            draft.lines.append(drugLine(d, count: packs, at: lineTime(draft)))
        }
    }

    /// Adds up to `count` distinct ordinary services (no exclusive groups, no package with its parts).
    func addServices(_ draft: inout Draft, count: Int) {
        let level = Eligibility.level(draft.institution)
        let fitting = pool.services.filter {
            $0.exclusiveGroup == nil && !$0.perStayDay && pool.servicePlace($0, draft) && pool.servicePerson($0, draft)
        }
        for _ in 0..<count {
            guard let s = rng.pick(fitting), !conflicts(s, draft) else { continue }
            let times = rng.chance(0.8) ? 1 : rng.int(1...(s.maxPerDay ?? 1))
            draft.lines.append(serviceLine(s, count: times, at: lineTime(draft), level: level))
        }
    }

    /// Same code already billed, or a package together with one of its components.
    func conflicts(_ s: ServiceItem, _ draft: Draft) -> Bool {
        draft.lines.contains { line in
            line.code == s.code || s.packageOf.contains(line.code) || (kb.services[line.code]?.packageOf.contains(s.code) ?? false)
        }
    }

    func lineTime(_ draft: Draft) -> CivilDateTime {
        guard draft.kind == .inpatient else { return draft.admission }
        return draft.admission.adding(seconds: rng.int(0...(draft.discharge.secondsSinceEpoch - draft.admission.secondsSinceEpoch)))
    }

    func outpatientDraft(_ person: Person, at institution: Institution, time: CivilDateTime, drugs: Bool = true,
                         doctor chosen: String? = nil) -> Draft? {
        guard let doctor = chosen ?? doctor(at: institution, on: time.date) else { return nil }
        var draft = Draft(person: person, institution: institution, kind: .outpatient, admission: time, discharge: time, doctor: doctor)
        addDiagnoses(&draft, count: 1)
        let level = Eligibility.level(institution)
        let consult = level >= 2 && rng.chance(0.3) ? "110200003" : "110200001"
        draft.lines.append(serviceLine(kb.services[consult]!, count: 1, at: time, level: level))
        addServices(&draft, count: rng.int(1...3))
        if drugs { addDrugs(&draft, count: rng.int(0...3)) }
        return draft
    }

    func pharmacyDraft(_ person: Person, at institution: Institution, time: CivilDateTime) -> Draft? {
        guard let dispenser = doctor(at: institution, on: time.date) else { return nil }
        var draft = Draft(person: person, institution: institution, kind: .pharmacy, admission: time, discharge: time, doctor: dispenser)
        addDiagnoses(&draft, count: 1)
        addDrugs(&draft, count: rng.int(1...3))
        return draft.lines.isEmpty ? nil : draft
    }

    /// A stay with one line per per-stay-day item (consultation, bed, one nursing level) covering its
    /// days, and care (drugs, tests, treatment) on its days: every day unless `idle` (full days left
    /// without care) says otherwise; by default now and then one or two idle full days, never three.
    func inpatientDraft(_ person: Person, at institution: Institution, admission: CivilDateTime, discharge: CivilDateTime,
                        idle: Set<Int>? = nil) -> Draft? {
        guard let doctor = rng.pick(doctorsByInstitution[institution.code] ?? [])?.code else { return nil }
        var draft = Draft(person: person, institution: institution, kind: .inpatient, admission: admission, discharge: discharge, doctor: doctor)
        addDiagnoses(&draft, count: rng.int(1...2))
        let level = Eligibility.level(institution)
        let days = max(1, admission.date.days(to: discharge.date))
        let nursing = ["120200002", "120200003", "120200004", "120200001"].compactMap { kb.services[$0] }.filter { pool.servicePlace($0, draft) }
        let bed = level >= 2 && rng.chance(0.1) ? "120100008" : "120100001"
        for s in [kb.services["110200005"], kb.services[bed], rng.pick(nursing)].compactMap({ $0 }) where pool.servicePlace(s, draft) {
            draft.lines.append(serviceLine(s, count: days, at: admission, level: level))
        }
        addServices(&draft, count: rng.int(0...3))
        addDrugs(&draft, count: rng.int(0...3))
        guard addDailyCare(&draft, idle: idle ?? casualIdleDays(draft)) else { return nil }
        return draft
    }

    /// A stay of 1-10 days settled at `settlement`.
    func stayTimes(settledAt settlement: CivilDateTime, days: Int? = nil) -> (CivilDateTime, CivilDateTime) {
        let n = days ?? rng.int(1...10)
        let discharge = CivilDateTime(date: settlement.date, secondOfDay: max(settlement.secondOfDay, 9 * 3600))
        let admission = time(discharge.date.adding(days: -n), fromHour: 8, toHour: 20)
        return (admission, discharge)
    }

    /// A clean claim of `kind` settled around `slot`, with a free person; nil if none could be placed.
    /// `restedSince`: the person must be free from then (default: the slot), e.g. a month without purchases.
    func cleanDraft(_ kind: EncounterKind, at slot: CivilDateTime, institution chosen: Institution? = nil,
                    restedSince: CivilDateTime? = nil) -> Draft? {
        switch kind {
        case .outpatient:
            guard let institution = chosen ?? rng.pick(hospitals), let p = person(free: restedSince ?? slot, until: slot) else { return nil }
            return outpatientDraft(p, at: institution, time: slot)
        case .pharmacy:
            guard let institution = chosen ?? rng.pick(pharmacies), let p = person(free: restedSince ?? slot, until: slot) else { return nil }
            return pharmacyDraft(p, at: institution, time: slot)
        case .inpatient:
            let (admission, discharge) = stayTimes(settledAt: slot)
            guard let institution = chosen ?? rng.pick(inpatientHospitals),
                  let p = person(free: admission, until: discharge, admitting: [admission]) else { return nil }
            return inpatientDraft(p, at: institution, admission: admission, discharge: discharge)
        }
    }
}

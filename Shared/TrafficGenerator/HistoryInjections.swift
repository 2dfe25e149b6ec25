import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// History violations (P13-P20) as sequences of settlements; the label sits on the one settled
/// last. Near misses (decoys) are the same sequences just past a threshold, labelled clean.
/// Each sequence is drafted in full before anything is committed, so a failed draft leaves no trace.
extension Session {
    func injectHistory(_ pattern: String, at slot: CivilDateTime) -> Bool {
        let decoy = rng.chance(config.decoyRate)
        switch pattern {
        case "P13": return reuseTrace(at: slot)
        case "P14": return excessPurchase(at: slot, decoy: decoy)
        case "P15": return concurrent(at: slot, decoy: decoy)
        case "P16": return afterDeath(decoy: decoy)
        case "P17": return frequentAdmission(at: slot, decoy: decoy)
        case "P18": return splitAdmission(at: slot, decoy: decoy)
        case "P19": return rng.chance(0.5) ? doctorOverload(at: slot, decoy: decoy) : bedOverload(at: slot, decoy: decoy)
        case "P20": return frequentVisits(at: slot, decoy: decoy)
        case "P23": return fakePrescription(at: slot, decoy: decoy)
        default: return false
        }
    }

    /// Commits drafts in settlement order as one incident, labelling the last one unless it is a decoy.
    /// A pharmacy sale in the sequence gets a prescribing visit only when `visitAllowed` (an extra visit
    /// would change what the sequence is about: visit counts, places, times); otherwise a sale of a
    /// prescription-only drug without a visit that stands is labelled P23 as well.
    private func commitSequence(_ drafts: [Draft], _ pattern: String, decoy: Bool, gap: Int = Session.sequenceGap,
                                visitAllowed: Bool = false) {
        var drafts = drafts
        if !decoy { drafts[drafts.count - 1].expected = [pattern] }
        let incident = nextIncident()
        for var d in drafts {
            d.incidents.insert(incident)
            commit(d, gap: gap, visitAllowed: visitAllowed)
        }
    }

    /// Seconds `at` plus a random share of `span`.
    private func after(_ t: CivilDateTime, within span: Int) -> CivilDateTime { t.adding(seconds: rng.int(0...max(0, span))) }

    /// P13: a package code already sold in an earlier settlement, dispensed again.
    private func reuseTrace(at slot: CivilDateTime) -> Bool {
        guard var d = cleanDraft(rng.pick([.outpatient, .pharmacy, .inpatient])!, at: slot) else { return false }
        if !d.lines.contains(where: \.isDrug) { addDrugs(&d, count: 3) }
        let before = d.discharge.secondsSinceEpoch - 3600
        for i in d.lines.indices.shuffled(using: &rng) where d.lines[i].isDrug {
            // Not from a sale settled again later: in settlement order its corrected version would come
            // after this one and be the settlement that completes the pattern.
            let earlier = (sold[d.lines[i].code] ?? []).filter {
                $0.at < before && correctionOf[$0.claim].map { output[$0].settlementTime.secondsSinceEpoch < before } ?? true
            }
            guard let source = rng.pick(earlier) else { continue }
            d.lines[i].traceCodes[rng.int(0...(d.lines[i].traceCodes.count - 1))] = source.code
            d.expected = ["P13"]
            // Out of order, the earlier sale (or its corrected version) may be the one flagged.
            let incident = nextIncident()
            d.incidents = [incident]
            for index in [source.claim] + (correctionOf[source.claim].map { [$0] } ?? []) { output[index].incidents.insert(incident) }
            commit(d)
            return true
        }
        return false
    }

    /// A minimal purchase: the drug alone (with a consultation at a hospital).
    private func purchase(_ p: Person, _ drug: Drug, packs: Int, at institution: Institution, time: CivilDateTime) -> Draft? {
        var d: Draft
        if institution.type == .pharmacy {
            guard let dispenser = doctor(at: institution, on: time.date) else { return nil }
            d = Draft(person: p, institution: institution, kind: .pharmacy, admission: time, discharge: time, doctor: dispenser)
            addDiagnoses(&d, count: 1)
        } else {
            guard let o = outpatientDraft(p, at: institution, time: time, drugs: false) else { return nil }
            d = o
        }
        if !pool.indicated(drug, by: d.diagnoses) {
            guard let dx = pool.indicationDiagnosis(for: drug, d) else { return nil }
            d.diagnoses.append(dx)
        }
        d.lines.append(drugLine(drug, count: packs, at: time))
        return d
    }

    /// P14: the fewest full purchases of one drug whose supply exceeds twice the maximum, all within
    /// 30 days (sometimes exactly 30); the decoy spreads them just over 30 days.
    private func excessPurchase(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let span = decoy ? 30 * 86_400 + rng.int(60...86_400) : (rng.chance(0.3) ? 30 * 86_400 : rng.int(3 * 86_400...30 * 86_400))
        let start = slot.adding(seconds: -span)
        guard let p = person(free: start.adding(seconds: -Session.sequenceGap), until: slot) else { return false }
        let region = rng.pick(Array(Set(hospitals.map(\.admdvs))).sorted())!
        let places = (hospitals + pharmacies).filter { $0.admdvs == region }
        var probe = Draft(person: p, institution: pharmacies[0], kind: .pharmacy, admission: start, discharge: slot, doctor: "")
        probe.diagnoses = []
        let drugs = pool.drugs.filter { pool.drugPlace($0, probe) && pool.drugPerson($0, probe) && (pool.indicated($0, by: []) || pool.indicationDiagnosis(for: $0, probe) != nil) }
        guard let drug = rng.pick(drugs), let maxDays = drug.maxDaysOutpatient, let perDay = drug.packsPerDay else { return false }
        let packs = Eligibility.maxOutpatientPacks(drug)
        let limit = 2 * Decimal(maxDays) * perDay
        var k = 1
        while Decimal(k * packs) <= limit { k += 1 }
        var times = [start, slot]
        for _ in 0..<(k - 2) { times.append(after(start, within: span)) }
        times.sort()
        var drafts: [Draft] = []
        for t in times {
            guard let place = rng.pick(places), let d = purchase(p, drug, packs: packs, at: place, time: t) else { return false }
            drafts.append(d)
        }
        commitSequence(drafts, "P14", decoy: decoy, visitAllowed: true)
        return true
    }

    /// P15: care in two prefectures within 6 hours (sometimes exactly 6; the decoy just over), or an
    /// outpatient or pharmacy visit elsewhere during a stay (the stay settles last).
    private func concurrent(at slot: CivilDateTime, decoy: Bool) -> Bool {
        if !decoy, rng.chance(0.4) { return visitDuringStay(at: slot) }
        let gap = decoy ? 6 * 3600 + rng.int(1...3600) : (rng.chance(0.3) ? 6 * 3600 : rng.int(0...(6 * 3600)))
        let first = slot.adding(seconds: -gap)
        guard let p = person(free: first.adding(seconds: -Session.sequenceGap), until: slot), let a = rng.pick(hospitals + pharmacies),
              let b = rng.pick((hospitals + pharmacies).filter { $0.admdvs != a.admdvs }),
              let da = visit(p, at: a, time: first), let db = visit(p, at: b, time: slot) else { return false }
        commitSequence([da, db], "P15", decoy: decoy)
        return true
    }

    private func visit(_ p: Person, at institution: Institution, time: CivilDateTime) -> Draft? {
        institution.type == .pharmacy ? pharmacyDraft(p, at: institution, time: time) : outpatientDraft(p, at: institution, time: time)
    }

    private func visitDuringStay(at slot: CivilDateTime) -> Bool {
        let (admission, discharge) = stayTimes(settledAt: slot, days: rng.int(2...8))
        guard let p = person(free: admission.adding(seconds: -Session.sequenceGap), until: discharge, admitting: [admission]),
              let h = rng.pick(inpatientHospitals),
              let stay = inpatientDraft(p, at: h, admission: admission, discharge: discharge),
              let other = rng.pick((hospitals + pharmacies).filter { $0.code != h.code }) else { return false }
        let length = discharge.secondsSinceEpoch - admission.secondsSinceEpoch
        guard let v = visit(p, at: other, time: admission.adding(seconds: rng.int(3600...(length - 3600)))) else { return false }
        commitSequence([v, stay], "P15", decoy: false)
        return true
    }

    /// P16: care after the registered death — a visit on or after the death day, or a stay with fees
    /// after it. The decoy is a stay ending on the day of an in-hospital death, fees that day.
    private func afterDeath(decoy: Bool) -> Bool {
        guard let p = rng.pick(dead), let death = p.deathDate else { return false }
        let variant = decoy ? 2 : rng.int(0...2) == 0 ? 1 : 0
        if variant == 0 {
            let t = time(death.adding(days: rng.chance(0.3) ? 0 : rng.int(1...20)), fromHour: 8, toHour: 20)
            guard (freeFrom[p.id] ?? .min) <= t.secondsSinceEpoch, p.birthDate < t.date,
                  let place = rng.pick(hospitals + pharmacies), var d = visit(p, at: place, time: t) else { return false }
            d.expected = ["P16"]
            commit(d, gap: Session.sequenceGap, visitAllowed: false)
            return true
        }
        let admission = time(death.adding(days: -rng.int(1...5)), fromHour: 8, toHour: 20)
        let discharge = variant == 1 ? time(death.adding(days: rng.int(1...3)), fromHour: 15, toHour: 18)
            : time(death, fromHour: max(18, admission.date == death ? 21 : 18), toHour: 23)
        guard (freeFrom[p.id] ?? .min) <= admission.secondsSinceEpoch, canAdmit(p, [admission]),
              let h = rng.pick(inpatientHospitals), var d = inpatientDraft(p, at: h, admission: admission, discharge: discharge) else { return false }
        if variant == 1 {
            let level = Eligibility.level(h)
            guard let s = rng.pick(pool.services.filter { !$0.perStayDay && $0.exclusiveGroup == nil && pool.servicePlace($0, d) && pool.servicePerson($0, d) && !conflicts($0, d) })
            else { return false }
            d.lines.append(serviceLine(s, count: 1, at: CivilDateTime(date: death.adding(days: 1), secondOfDay: 10 * 3600), level: level))
            d.expected = ["P16"]
        }
        commit(d, gap: Session.sequenceGap)
        return true
    }

    /// Three stays with admissions `span` apart first to last; consecutive stays at different hospitals.
    private func stays(_ p: Person, admissions: [CivilDateTime]) -> [Draft]? {
        var drafts: [Draft] = []
        var last: Institution? = nil
        for admission in admissions {
            let h = rng.pick(inpatientHospitals.filter { $0.code != last?.code })!
            let discharge = time(admission.date.adding(days: rng.int(1...3)), fromHour: 9, toHour: 17)
            guard let d = inpatientDraft(p, at: h, admission: admission, discharge: discharge) else { return nil }
            drafts.append(d)
            last = h
        }
        return drafts
    }

    /// P17: three admissions within 90 days (sometimes exactly 90); the decoy spans just over.
    private func frequentAdmission(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let span = decoy ? 90 * 86_400 + rng.int(60...(2 * 86_400)) : (rng.chance(0.3) ? 90 * 86_400 : rng.int(45 * 86_400...90 * 86_400))
        let third = time(slot.date.adding(days: -3), fromHour: 8, toHour: 20)
        let first = third.adding(seconds: -span)
        let second = first.adding(seconds: span / 2 + rng.int(-86_400...86_400))
        guard let p = person(free: first.adding(seconds: -92 * 86_400), until: slot),
              (admissions[p.id] ?? []).allSatisfy({ $0 < first.secondsSinceEpoch - 92 * 86_400 }),
              let drafts = stays(p, admissions: [first, second, third]) else { return false }
        commitSequence(drafts, "P17", decoy: decoy)
        return true
    }

    /// P18: readmission to the same hospital 0-15 calendar days after discharge (sometimes exactly 15)
    /// with the same principal diagnosis; the decoy comes back after 16-20 days.
    private func splitAdmission(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let days = decoy ? rng.int(16...20) : (rng.chance(0.3) ? 15 : rng.int(0...15))
        let readmission = time(slot.date.adding(days: -3), fromHour: 12, toHour: 20)
        let discharge = CivilDateTime(date: readmission.date.adding(days: -days), secondOfDay: rng.int(8 * 3600...(11 * 3600)))
        let admission = time(discharge.date.adding(days: -rng.int(1...5)), fromHour: 8, toHour: 20)
        guard let p = person(free: admission.adding(seconds: -92 * 86_400), until: slot),
              (admissions[p.id] ?? []).allSatisfy({ $0 < admission.secondsSinceEpoch - 92 * 86_400 }),
              let dx = rng.pick(pool.diagnoses.filter { pool.diagnosisOK($0, p, admission.date) }),
              let h = rng.pick(inpatientHospitals),
              var first = inpatientDraft(p, at: h, admission: admission, discharge: discharge),
              var second = inpatientDraft(p, at: h, admission: readmission, discharge: time(readmission.date.adding(days: rng.int(1...3)), fromHour: 9, toHour: 17))
        else { return false }
        for i in [0, 1] {
            var d = i == 0 ? first : second
            d.diagnoses.removeAll { $0 == dx.code }
            d.diagnoses.insert(dx.code, at: 0)
            if i == 0 { first = d } else { second = d }
        }
        commitSequence([first, second], "P18", decoy: decoy)
        return true
    }

    /// P19 (doctor): a doctor's day filled to capacity, then one more (the decoy stops at capacity).
    private func doctorOverload(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let day = slot.date
        let candidates = hospitals.flatMap { doctorsByInstitution[$0.code] ?? [] }.filter { !blockedDoctorDays.contains(doctorDayKey($0.code, day)) }
        guard let doctor = rng.pick(candidates), let capacity = doctor.dailyOutpatientCapacity,
              let institution = kb.institutions[doctor.institutionCode] else { return false }
        let key = doctorDayKey(doctor.code, day)
        let target = decoy ? capacity - 1 : capacity
        var attempts = 0
        while (doctorDays[key] ?? 0) < target, attempts < 3 * capacity {
            attempts += 1
            let t = time(day, fromHour: 7, toHour: 21)
            guard let p = person(free: t, until: t), let d = outpatientDraft(p, at: institution, time: t, doctor: doctor.code) else { continue }
            commit(d)
        }
        blockedDoctorDays.insert(key)
        let last = CivilDateTime(date: day, secondOfDay: 86_399)
        guard let p = person(free: last, until: last), var d = outpatientDraft(p, at: institution, time: last, doctor: doctor.code) else { return true }
        if (doctorDays[key] ?? 0) == capacity { d.expected = ["P19"] }
        // Out of order, whichever visit of the day arrives last completes the pattern.
        let incident = nextIncident()
        for index in doctorDayClaims[key] ?? [] { output[index].incidents.insert(incident) }
        d.incidents = [incident]
        commit(d)
        return true
    }

    /// P19 (beds): beds + 1 stays at a 40-bed centre all in hospital at one moment (decoy: exactly beds).
    private func bedOverload(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let moment = slot.adding(seconds: -86_400)
        guard let institution = rng.pick(bedInstitutions.filter { (bedsFreeFrom[$0.code] ?? .min) <= moment.secondsSinceEpoch - 4 * 86_400 })
        else { return false }
        var drafts: [Draft] = []
        for _ in 0..<(decoy ? institution.beds : institution.beds + 1) {
            let admission = moment.adding(seconds: -rng.int(3600...(40 * 3600)))
            let discharge = moment.adding(seconds: rng.int(3600...(60 * 3600)))
            guard let p = person(free: admission, until: discharge, admitting: [admission]),
                  !drafts.contains(where: { $0.person.id == p.id }),
                  let d = inpatientDraft(p, at: institution, admission: admission, discharge: discharge) else { continue }
            drafts.append(d)
        }
        drafts.sort { $0.discharge < $1.discharge }
        bedsFreeFrom[institution.code] = drafts.last.map { $0.discharge.secondsSinceEpoch + 86_400 } ?? moment.secondsSinceEpoch
        guard !drafts.isEmpty else { return false }
        commitSequence(drafts, "P19", decoy: decoy || drafts.count <= institution.beds)
        return true
    }

    /// P20: eight outpatient visits (no drugs) in one prefecture within 7 days (sometimes exactly 7);
    /// the decoy spans just over 7 days.
    private func frequentVisits(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let span = decoy ? 7 * 86_400 + rng.int(60...7200) : (rng.chance(0.3) ? 7 * 86_400 : rng.int(86_400...(7 * 86_400)))
        let start = slot.adding(seconds: -span)
        guard let p = person(free: start, until: slot) else { return false }
        let region = rng.pick(Array(Set(hospitals.map(\.admdvs))).sorted())!
        let places = hospitals.filter { $0.admdvs == region }
        var times = [start, slot]
        for _ in 0..<6 { times.append(after(start, within: span)) }
        times.sort()
        var drafts: [Draft] = []
        for t in times {
            guard let place = rng.pick(places), let d = outpatientDraft(p, at: place, time: t, drugs: false) else { return false }
            drafts.append(d)
        }
        commitSequence(drafts, "P20", decoy: decoy)
        return true
    }
}

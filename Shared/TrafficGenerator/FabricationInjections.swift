import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// P22 虚假住院 and P23 虚假处方 injections, each with near misses on the legal side of the threshold.
extension Session {
    /// P22: a stay whose full days include 3-5 consecutive days billed with bed, nursing and
    /// consultation only. The decoy leaves exactly two such days (allowed).
    func idleStay(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let run = decoy ? 2 : rng.int(3...5)
        let (admission, discharge) = stayTimes(settledAt: slot, days: run + 1 + rng.int(1...4))
        guard let h = rng.pick(inpatientHospitals), let p = person(free: admission, until: discharge, admitting: [admission]) else { return false }
        let full = fullDays(Draft(person: p, institution: h, kind: .inpatient, admission: admission, discharge: discharge, doctor: ""))
        let start = full[rng.int(0...(full.count - run))]
        guard var d = inpatientDraft(p, at: h, admission: admission, discharge: discharge, idle: Set(start..<(start + run))) else { return false }
        if !decoy { d.expected = ["P22"] }
        commit(d)
        return true
    }

    /// P23: a prescription-only drug sold at a pharmacy whose prescription does not stand: no
    /// prescriber, or a prescriber who saw the person 4 calendar days before, or the same day but after
    /// the sale. Decoys: the visit exactly 3 calendar days before (any hour), or the same day just before.
    func fakePrescription(at slot: CivilDateTime, decoy: Bool) -> Bool {
        let sale = time(slot.date, fromHour: 9, toHour: 18)
        guard let pharmacy = rng.pick(pharmacies), let p = person(free: sale.adding(seconds: -5 * 86_400), until: sale),
              var d = pharmacyDraft(p, at: pharmacy, time: sale), addPrescriptionDrug(&d) else { return false }
        let variant = rng.int(0...2)
        let visitTime: CivilDateTime? = switch (decoy, variant) {
        case (true, _) where rng.chance(0.5): CivilDateTime(date: sale.date.adding(days: -3), secondOfDay: rng.int(7 * 3600...(21 * 3600)))
        case (true, _): sale.adding(seconds: -rng.int(60...3600))
        case (false, 0): nil
        case (false, 1): CivilDateTime(date: sale.date.adding(days: -4), secondOfDay: rng.int(7 * 3600...(21 * 3600)))
        default: sale.adding(seconds: rng.int(1...(3 * 3600)))
        }
        var visit: Draft? = nil
        if let visitTime {
            guard let h = rng.pick(hospitals.filter { $0.admdvs == pharmacy.admdvs }),
                  let v = outpatientDraft(p, at: h, time: visitTime, drugs: false) else { return false }
            visit = v
        }
        let incident = nextIncident()
        for i in d.lines.indices where kb.drugs[d.lines[i].code]?.rxOnly == true { d.lines[i].prescriber = visit?.doctor }
        d.prescribed = true
        d.incidents = [incident]
        if !decoy { d.expected = ["P23"] }
        if var v = visit {
            v.incidents = [incident]
            commit(v, gap: 0)
        }
        commit(d)
        return true
    }

    /// Makes sure the sale has a prescription-only drug, adding one that fits the person if needed.
    private func addPrescriptionDrug(_ d: inout Draft) -> Bool {
        if d.lines.contains(where: { kb.drugs[$0.code]?.rxOnly == true }) { return true }
        let billed = Set(d.lines.map(\.code))
        let fitting = pool.drugs.filter {
            $0.rxOnly && pool.drugPlace($0, d) && pool.drugPerson($0, d) && !billed.contains($0.code)
                && (pool.indicated($0, by: d.diagnoses) || pool.indicationDiagnosis(for: $0, d) != nil)
        }
        guard let drug = rng.pick(fitting) else { return false }
        if !pool.indicated(drug, by: d.diagnoses), let dx = pool.indicationDiagnosis(for: drug, d) { d.diagnoses.append(dx) }
        d.lines.append(drugLine(drug, count: rng.int(1...Eligibility.maxOutpatientPacks(drug)), at: d.admission))
        return true
    }
}

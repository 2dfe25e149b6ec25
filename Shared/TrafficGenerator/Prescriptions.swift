import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// Pharmacy sales with prescriptions as hospitals send them: a prescription-only drug carries the
/// doctor who saw the person at a visit on the sale's day (before it) or up to 3 calendar days before
/// (外配处方); an over-the-counter drug carries none.
extension Session {
    /// Days before the sale a prescribing visit may be (P23's default window).
    static let prescriptionDays = 3

    /// Sets the prescriber of the sale's prescription-only lines: the doctor of a visit already
    /// committed that makes it stand, else of an outpatient visit drafted and committed now just before
    /// the sale (when `visitAllowed`). Otherwise the sale has no prescription that stands and is
    /// labelled P23.
    func prescribe(_ d: inout Draft, visitAllowed: Bool) {
        let rx = d.lines.indices.filter { d.lines[$0].isDrug && kb.drugs[d.lines[$0].code]?.rxOnly == true }
        guard !rx.isEmpty else { return }
        let doctor = standingVisit(d.person, sale: d.admission) ?? (visitAllowed ? prescribingVisit(d) : nil)
        for i in rx { d.lines[i].prescriber = doctor }
        if doctor == nil { d.expected.insert("P23") }
    }

    /// A doctor whose committed visit began at or before `sale` and ended on its day or up to 3 days before, or later.
    func standingVisit(_ p: Person, sale: CivilDateTime) -> String? {
        let earliest = sale.date.adding(days: -Self.prescriptionDays)
        return (visits[p.id] ?? []).first { $0.start <= sale && $0.end.date >= earliest && kb.practitioners[$0.doctor]?.kind == .doctor }?.doctor
    }

    /// Commits an outpatient visit (no drugs) of the sale's person at a hospital of the pharmacy's
    /// region (so no cross-region pattern), on the sale's day before it or up to 3 days before; its doctor.
    private func prescribingVisit(_ sale: Draft) -> String? {
        guard let time = visitTime(before: sale.admission),
              let hospital = rng.pick(hospitals.filter { $0.admdvs == sale.institution.admdvs }),
              var visit = outpatientDraft(sale.person, at: hospital, time: time, drugs: false) else { return nil }
        visit.incidents = sale.incidents
        commit(visit, gap: 0)
        return visit.doctor
    }

    /// A visit time 0-3 calendar days before `sale`, between 7:00 and 21:00, before the sale.
    func visitTime(before sale: CivilDateTime, daysBefore: Int? = nil) -> CivilDateTime? {
        let days = daysBefore ?? rng.int(0...Self.prescriptionDays)
        let day = sale.date.adding(days: -days)
        let latest = days == 0 ? min(sale.secondOfDay - 60, 21 * 3600) : 21 * 3600
        guard latest > 7 * 3600 else { return days == 0 && daysBefore == nil ? visitTime(before: sale, daysBefore: 1) : nil }
        return CivilDateTime(date: day, secondOfDay: rng.int(7 * 3600...latest))
    }
}

import Foundation
import HISContract
import KnowledgeBase

/// P22 虚假住院（挂床住院） and P23 虚假处方: care billed that nobody delivered or prescribed.
enum FabricationPatterns {
    /// P22 (inpatient only): a run of at least `minIdleDays` consecutive full days — calendar days
    /// strictly between the admission day and the discharge day — without care. A day has care when
    /// a drug, a consumable or a service that is not per-stay-day is billed on it (net of refund
    /// lines of the same item that day); bed, nursing and meals are no care. At stake: what the
    /// per-stay-day items charge over the idle days. One finding per idle run, naming its days.
    static func idleStay(_ c: ClaimContext, _ rule: Rule) -> [Hit] {
        guard c.claim.kind == .inpatient else { return [] }
        let minIdle = rule.int("minIdleDays", default: 3)
        let exempt = rule.exemptCodes
        let firstFull = c.claim.admission.date.dayNumber + 1, lastFull = c.claim.discharge.date.dayNumber - 1
        guard lastFull - firstFull + 1 >= minIdle else { return [] }
        var care: [DayKey: Decimal] = [:]
        for l in c.lines where !l.isPerStayDay && !exempt.contains(l.line.code) {
            care[DayKey(code: l.line.code, day: l.line.time.date.dayNumber), default: 0] += l.line.count
        }
        let caredDays = Set(care.filter { $0.value > 0 }.map(\.key.day))
        return idleRuns(firstFull...lastFull, caredDays: caredDays, minLength: minIdle).compactMap { run in
            let stayItems = c.lines.indices.filter {
                c.lines[$0].isPerStayDay && !exempt.contains(c.lines[$0].line.code) && c.lines[$0].days.overlaps(run)
            }
            let share = { (l: ResolvedLine) -> Decimal in
                Decimal(l.days.clamped(to: run).count) * l.amountPerDay
            }
            let amount = stayItems.reduce(Decimal(0)) { $0 + share(c.lines[$1]) }.rounded(2)
            guard amount > 0 else { return nil }
            return Hit(detailKey: "idle:\(dayText(run.lowerBound))", amount: amount, lines: c.evidence(stayItems) { share($0).rounded(2) },
                       values: ["from": dayText(run.lowerBound), "to": dayText(run.upperBound), "days": "\(run.count)",
                                "items": joined(stayItems.map { c.lines[$0].name }), "amount": amount.text,
                                "admission": c.claim.admission.description, "discharge": c.claim.discharge.description,
                                "minDays": "\(minIdle)"])
        }
    }

    /// Maximal runs of consecutive days without care of at least `minLength` days.
    static func idleRuns(_ days: ClosedRange<Int>, caredDays: Set<Int>, minLength: Int) -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        var start: Int? = nil
        for day in days.lowerBound...(days.upperBound + 1) {
            let idle = day <= days.upperBound && !caredDays.contains(day)
            if idle, start == nil { start = day }
            if !idle, let from = start {
                if day - from >= minLength { runs.append(from...(day - 1)) }
                start = nil
            }
        }
        return runs
    }

    /// P23 (pharmacy sales only): a prescription-only drug line whose prescription does not stand.
    /// It stands when `drord_dr_codg` is a registered doctor who was the attending doctor of an
    /// outpatient or inpatient encounter of the same person, at any institution, that began at or
    /// before the sale's moment and ended on the sale's calendar day or one of the `windowDays`
    /// days before it, or later. An outpatient visit ends when it begins.
    static func unsupportedPrescription(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        guard c.claim.kind == .pharmacy else { return [] }
        let window = rule.int("windowDays", default: 3)
        let exempt = rule.exemptCodes
        let sale = c.claim.admission
        let earliest = sale.date.adding(days: -window)
        let rxLines = c.lines.indices.filter {
            c.lines[$0].drug?.rxOnly == true && c.lines[$0].line.count > 0 && !exempt.contains(c.lines[$0].line.code)
        }
        guard !rxLines.isEmpty else { return [] }
        // Through the end of the sale's day, so a same-day visit after the sale can be named as not counting.
        let visits = h.personClaims(from: CivilDateTime(date: earliest), to: CivilDateTime(date: sale.date, secondOfDay: 86_399))
            .filter { $0.kind != .pharmacy }
        return rxLines.compactMap { i in
            let l = c.lines[i]
            guard let problem = prescriptionProblem(l.line.prescriber, c.kb, visits, sale: sale, earliest: earliest) else { return nil }
            return Hit(detailKey: "line:\(l.line.rxID)", amount: l.line.amount, lines: c.evidence([i]),
                       relatedClaimIDs: problem.related.map(\.claimID),
                       values: ["item": l.name, "time": sale.description,
                                "institution": c.institution?.name ?? c.claim.institutionID,
                                "quantity": "\(l.line.count)", "unit": l.drug?.unit ?? "", "amount": l.line.amount.text,
                                "detail": problem.detail, "window": "\(window)"])
        }
    }

    /// Why the prescription of a sale at `sale` does not stand, with the visits worth naming; nil when it stands.
    private static func prescriptionProblem(_ prescriber: String?, _ kb: KnowledgeBase, _ visits: [Claim],
                                            sale: CivilDateTime, earliest: CivilDate) -> (detail: String, related: [Claim])? {
        guard let code = prescriber else { return ("处方上没有开方医师（drord_dr_codg为空）", []) }
        guard let doctor = kb.practitioners[code], doctor.kind == .doctor else {
            return ("开方医师代码\(code)不是登记在册的医师", [])
        }
        let byDoctor = visits.filter { $0.doctor == code }
        let ends = { (v: Claim) -> CivilDate in (v.kind == .outpatient ? v.admission : v.discharge).date }
        guard !byDoctor.contains(where: { $0.admission <= sale && ends($0) >= earliest }) else { return nil }
        let after = chronological(byDoctor.filter { $0.admission > sale }, by: \.admission)
        let note = after.first.map { "；该医师\($0.admission)的接诊（结算\($0.claimID)）晚于购药时刻，不能作为处方依据" } ?? ""
        return ("开方医师\(doctor.name)（\(code)）在\(earliest)至购药时刻\(sale)之间没有接诊该参保人的门诊或住院记录" + note, after)
    }
}

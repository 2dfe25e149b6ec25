import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// The daily care of a stay: a regimen of drugs and treatments given on most days, two to four lines
/// a day, so a stay has dozens of lines and only a deliberate injection leaves three full days idle (P22).
extension Session {
    /// The full days of a stay (strictly between admission and discharge days), as day numbers.
    func fullDays(_ d: Draft) -> [Int] {
        let first = d.admission.date.dayNumber + 1, last = d.discharge.date.dayNumber - 1
        return first <= last ? Array(first...last) : []
    }

    /// Now and then a full day without care, never more than two in a row (P22 needs three).
    func casualIdleDays(_ d: Draft) -> Set<Int> {
        var idle = Set<Int>()
        for day in fullDays(d) where rng.chance(0.12) && !(idle.contains(day - 1) && idle.contains(day - 2)) { idle.insert(day) }
        return idle
    }

    /// Two to four lines on every day of the stay but the `idle` ones, from a regimen of fitting drugs
    /// (indication diagnoses added) and ordinary treatments: no package or package part, no exclusive
    /// group, nothing already billed, one line per item and day within its daily maximum. Two lines at
    /// least, so that moving one line (a P09 injection) never leaves a day idle.
    /// False when the stay has too few fitting items for care on every day.
    func addDailyCare(_ d: inout Draft, idle: Set<Int>) -> Bool {
        let level = Eligibility.level(d.institution)
        let billed = Set(d.lines.map(\.code))
        let parts = Set(pool.services.flatMap(\.packageOf))
        let treatments = pool.services.filter {
            !$0.perStayDay && $0.exclusiveGroup == nil && $0.packageOf.isEmpty && !parts.contains($0.code) && !billed.contains($0.code)
                && pool.servicePlace($0, d) && pool.servicePerson($0, d)
        }
        var regimen: [Drug] = []
        for drug in pool.drugs.filter({ pool.drugPlace($0, d) && pool.drugPerson($0, d) && !billed.contains($0.code) }).shuffled(using: &rng).prefix(3) {
            if !pool.indicated(drug, by: d.diagnoses) {
                guard let dx = pool.indicationDiagnosis(for: drug, d) else { continue }
                d.diagnoses.append(dx)
            }
            regimen.append(drug)
        }
        let chosen = Array(treatments.shuffled(using: &rng).prefix(3))
        guard regimen.count + chosen.count >= 2 else { return false }
        // Items drafted before at random times must not give an idle day care.
        for i in d.lines.indices where idle.contains(d.lines[i].time.date.dayNumber) && kb.services[d.lines[i].code]?.perStayDay != true {
            d.lines[i].time = careTime(on: d.admission.date.dayNumber, d)
        }
        for day in d.admission.date.dayNumber...d.discharge.date.dayNumber where !idle.contains(day) {
            let count = rng.int(2...min(5, regimen.count + chosen.count))
            let picks = (regimen.map { Either.drug($0) } + chosen.map { Either.service($0) }).shuffled(using: &rng).prefix(count)
            for pick in picks {
                let time = careTime(on: day, d)
                switch pick {
                case let .drug(drug): d.lines.append(self.drugLine(drug, count: rng.int(1...2), at: time))
                case let .service(s): d.lines.append(self.serviceLine(s, count: rng.int(1...min(2, s.maxPerDay ?? 1)), at: time, level: level))
                }
            }
        }
        return true
    }

    private enum Either { case drug(Drug), service(ServiceItem) }

    /// A time on `day` inside the stay.
    private func careTime(on day: Int, _ d: Draft) -> CivilDateTime {
        let date = CivilDate(dayNumber: day)
        let from = day == d.admission.date.dayNumber ? d.admission.secondOfDay : 0
        let to = day == d.discharge.date.dayNumber ? d.discharge.secondOfDay : 86_399
        return CivilDateTime(date: date, secondOfDay: rng.int(from...max(from, to)))
    }
}

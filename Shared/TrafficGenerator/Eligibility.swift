import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// Which catalogue items a clean claim may carry for a person, institution and encounter kind.
struct Eligibility {
    let kb: KnowledgeBase
    let drugs: [Drug]
    let services: [ServiceItem]
    let diagnoses: [DiagnosisEntry]

    init(kb: KnowledgeBase) {
        self.kb = kb
        drugs = kb.drugs.values.sorted { $0.code < $1.code }
        services = kb.services.values.sorted { $0.code < $1.code }
        diagnoses = kb.diagnoses.values.sorted { $0.code < $1.code }
    }

    static func level(_ institution: Institution) -> Int { max(1, institution.level) }

    /// Whole packs an outpatient may get without exceeding the maximum days (0: none).
    static func maxOutpatientPacks(_ drug: Drug) -> Int {
        guard let days = drug.maxDaysOutpatient, let perDay = drug.packsPerDay else { return 0 }
        var value = Decimal(days) * perDay, floor = Decimal()
        NSDecimalRound(&floor, &value, 0, .down)
        return NSDecimalNumber(decimal: floor).intValue
    }

    func sexOK(_ limit: Sex?, _ person: Person) -> Bool { limit == nil || limit == person.sex }

    func yearsOK(_ drug: Drug, _ person: Person, _ dates: [CivilDate]) -> Bool {
        dates.allSatisfy { date in
            let years = person.ageYears(on: date)
            return (drug.minAgeYears.map { years >= $0 } ?? true) && (drug.maxAgeYears.map { years <= $0 } ?? true)
        }
    }

    func daysOK(_ min: Int?, _ max: Int?, _ person: Person, _ dates: [CivilDate]) -> Bool {
        dates.allSatisfy { date in
            let days = person.ageDays(on: date)
            return days >= 0 && (min.map { days >= $0 } ?? true) && (max.map { days <= $0 } ?? true)
        }
    }

    /// Everything but sex, age and indications: level, kind and outpatient quantity.
    func drugPlace(_ d: Drug, _ draft: Draft) -> Bool {
        d.minHospitalLevel <= Self.level(draft.institution)
            && (draft.kind == .inpatient || (!d.inpatientOnly && Self.maxOutpatientPacks(d) >= 1))
    }

    func drugPerson(_ d: Drug, _ draft: Draft) -> Bool {
        sexOK(d.sexLimit, draft.person) && yearsOK(d, draft.person, draft.serviceDates)
    }

    func servicePlace(_ s: ServiceItem, _ draft: Draft) -> Bool {
        let level = Self.level(draft.institution)
        return draft.institution.type == .hospital && s.minHospitalLevel <= level && (s.priceCap(level: level) ?? 0) > 0
            && (draft.kind == .inpatient || (!s.inpatientOnly && !s.perStayDay))
    }

    func servicePerson(_ s: ServiceItem, _ draft: Draft) -> Bool {
        sexOK(s.sexLimit, draft.person) && daysOK(s.minAgeDays, s.maxAgeDays, draft.person, draft.serviceDates)
    }

    func diagnosisOK(_ e: DiagnosisEntry, _ person: Person, _ date: CivilDate) -> Bool {
        sexOK(e.sexLimit, person) && daysOK(e.minAgeDays, e.maxAgeDays, person, [date])
    }

    /// A catalogue diagnosis fitting the person that satisfies one of the drug's indications.
    func indicationDiagnosis(for drug: Drug, _ draft: Draft) -> String? {
        diagnoses.first { e in
            drug.indications.contains { e.code.hasPrefix($0) } && diagnosisOK(e, draft.person, draft.admission.date)
        }?.code
    }

    func indicated(_ drug: Drug, by diagnoses: [String]) -> Bool {
        drug.indications.isEmpty || diagnoses.contains { code in drug.indications.contains { code.hasPrefix($0) } }
    }
}

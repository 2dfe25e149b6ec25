import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// The mutable state of one generation run: the random stream, who is busy when, doctor-day
/// loads, sold traceability codes and id counters. Keeping this state is what makes clean
/// claims really clean (no accidental history pattern).
final class Session {
    let kb: KnowledgeBase
    let config: GeneratorConfiguration
    let pool: Eligibility
    var rng: SplitMix64
    var output: [LabeledSettlement] = []

    /// Persons usable for clean traffic (alive throughout) and the registered dead.
    let living: [Person]
    let dead: [Person]
    /// Earliest time (seconds) a person may start a new encounter.
    var freeFrom: [String: Int] = [:]
    /// Admission times (seconds) per person, for the 90-day admission count.
    var admissions: [String: [Int]] = [:]
    /// Outpatient encounters per doctor and day; a blocked doctor-day takes no more.
    var doctorDays: [String: Int] = [:]
    /// Output indexes of the outpatient settlements of each doctor-day.
    var doctorDayClaims: [String: [Int]] = [:]
    var blockedDoctorDays: Set<String> = []
    /// Level-1 hospitals reserved for bed-capacity injections, and when each is free again.
    let bedInstitutions: [Institution]
    var bedsFreeFrom: [String: Int] = [:]
    /// Traceability codes sold so far: drug code → (code, settlement seconds).
    var sold: [String: [(code: String, at: Int, claim: Int)]] = [:]
    /// Output index of an original settlement → output index of its corrected version.
    var correctionOf: [Int: Int] = [:]
    var serial = 0
    /// The last encounter number used. Each seed numbers from its own million, so that streams of
    /// different seeds pushed into one platform (a benchmark's curve, a second demo) are new claims,
    /// not retries of the first stream's settlements.
    var sequence = 0
    var incidentCount = 0
    /// Outpatient visits and stays committed per person (doctor, start, end), where prescriptions come from.
    var visits: [String: [(doctor: String, start: CivilDateTime, end: CivilDateTime)]] = [:]

    let hospitals: [Institution]
    let inpatientHospitals: [Institution]
    let pharmacies: [Institution]
    let doctorsByInstitution: [String: [Practitioner]]
    let dispensersByInstitution: [String: [Practitioner]]

    static let cleanGap = 17 * 86_400
    static let sequenceGap = 31 * 86_400

    init(kb: KnowledgeBase, config: GeneratorConfiguration) {
        self.kb = kb
        self.config = config
        sequence = Int(config.seed % 10_000) * 1_000_000
        pool = Eligibility(kb: kb)
        rng = SplitMix64(seed: config.seed)
        let persons = kb.persons.values.sorted { $0.id < $1.id }
        living = persons.filter { $0.deathDate == nil }
        dead = persons.filter { $0.deathDate != nil }
        let institutions = kb.institutions.values.sorted { $0.code < $1.code }
        hospitals = institutions.filter { $0.type == .hospital }
        inpatientHospitals = hospitals.filter { $0.level >= 2 }
        bedInstitutions = hospitals.filter { $0.level == 1 && $0.beds > 0 }
        pharmacies = institutions.filter { $0.type == .pharmacy }
        let practitioners = kb.practitioners.values.sorted { $0.code < $1.code }
        doctorsByInstitution = Dictionary(grouping: practitioners.filter { $0.kind == .doctor && $0.dailyOutpatientCapacity != nil },
                                          by: \.institutionCode)
        dispensersByInstitution = Dictionary(grouping: practitioners.filter { $0.kind == .pharmacist }, by: \.institutionCode)
    }

    // MARK: persons

    /// A random person free from `start`, born by then, alive until `end`; nil after many tries.
    func person(free start: CivilDateTime, until end: CivilDateTime, from candidates: [Person]? = nil,
                admitting: [CivilDateTime] = []) -> Person? {
        let candidates = candidates ?? living
        for _ in 0..<300 {
            guard let p = rng.pick(candidates) else { return nil }
            guard (freeFrom[p.id] ?? .min) <= start.secondsSinceEpoch, p.birthDate <= start.date.adding(days: -1),
                  p.deathDate.map({ $0 > end.date }) ?? true, canAdmit(p, admitting) else { continue }
            return p
        }
        return nil
    }

    /// At most 2 admissions in any 90-day window after adding `times` (P17 stays unlabelled).
    func canAdmit(_ p: Person, _ times: [CivilDateTime]) -> Bool {
        guard !times.isEmpty else { return true }
        let all = ((admissions[p.id] ?? []) + times.map(\.secondsSinceEpoch)).sorted()
        guard all.count >= 3 else { return true }
        for i in 0..<(all.count - 2) where all[i + 2] - all[i] <= 92 * 86_400 { return false }
        return true
    }

    func occupy(_ p: Person, until end: CivilDateTime, gap: Int, admitted: [CivilDateTime] = []) {
        freeFrom[p.id] = max(freeFrom[p.id] ?? .min, end.secondsSinceEpoch + gap)
        admissions[p.id, default: []] += admitted.map(\.secondsSinceEpoch)
    }

    // MARK: doctors

    func doctorDayKey(_ doctor: String, _ day: CivilDate) -> String { "\(doctor)@\(day.dayNumber)" }

    /// A doctor of the institution with spare capacity on `day`.
    func doctor(at institution: Institution, on day: CivilDate) -> String? {
        if institution.type == .pharmacy { return rng.pick(dispensersByInstitution[institution.code] ?? [])?.code }
        let free = (doctorsByInstitution[institution.code] ?? []).filter {
            let key = doctorDayKey($0.code, day)
            return !blockedDoctorDays.contains(key) && (doctorDays[key] ?? 0) < ($0.dailyOutpatientCapacity ?? 0)
        }
        return rng.pick(free)?.code
    }

    // MARK: codes and ids

    func traceCodes(for drug: Drug, count: Int) -> [String] {
        (0..<count).map { _ in
            serial += 1
            return drug.tracePrefix + String(format: "%013d", serial)
        }
    }

    /// A fresh incident id for the settlements of one injection.
    func nextIncident() -> String {
        incidentCount += 1
        return "I\(incidentCount)"
    }

    func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    // MARK: time helpers

    func time(_ day: CivilDate, fromHour: Int, toHour: Int) -> CivilDateTime {
        CivilDateTime(date: day, secondOfDay: rng.int(fromHour * 3600...(toHour * 3600 - 1)))
    }
}

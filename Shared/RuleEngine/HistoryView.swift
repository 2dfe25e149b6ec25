import HISContract

/// The history as seen from one claim: the claim itself (any copy of its settlement) is excluded,
/// and other settlements of the claim's own encounter never count as another encounter.
struct HistoryView {
    let history: any ClaimHistory
    let claim: Claim

    /// Leaves out the claim's own encounter, and with it every copy of its own settlement.
    private func others<Record: EncounterRecord>(_ records: [Record]) -> [Record] {
        let encounter = claim.encounterKey
        return records.filter { $0.encounterKey != encounter }
    }

    func personClaims(from: CivilDateTime, to: CivilDateTime) -> [Claim] {
        others(history.claims(ofPerson: claim.personID, from: from, to: to))
    }

    /// Another settlement of the same encounter (a correction, a mid-stay settlement) dispenses the
    /// same packages again on paper, not a second time in fact, so it is no resale.
    func claims(withTraceCode code: String) -> [Claim] {
        others(history.claims(withTraceCode: code))
    }

    func doctorDay(_ doctor: String, _ day: CivilDate) -> [Episode] {
        distinctEncounters(others(history.outpatientVisits(ofDoctor: doctor, on: day)))
    }

    func stays(from: CivilDateTime, to: CivilDateTime) -> [Episode] {
        distinctEncounters(others(history.inpatientStays(ofInstitution: claim.institutionID, from: from, to: to)))
    }
}

/// What the history's answers have in common: a settlement of an encounter.
protocol EncounterRecord {
    var claimID: String { get }
    var encounterKey: String { get }
}

extension Claim: EncounterRecord {}
extension Episode: EncounterRecord {}

/// One record per encounter (a mid-stay settlement is not a second stay); keeps the first seen.
func distinctEncounters<Record: EncounterRecord>(_ records: [Record]) -> [Record] {
    var seen = Set<String>()
    return records.filter { seen.insert($0.encounterKey).inserted }
}

/// Records in time order (ties by claim id, so results are deterministic).
func chronological<Record: EncounterRecord>(_ records: [Record], by time: (Record) -> CivilDateTime) -> [Record] {
    records.sorted { (time($0), $0.claimID) < (time($1), $1.claimID) }
}

/// Among `times` (ascending), a run of `count` consecutive entries containing index `anchor` whose
/// first and last are at most `span` apart (inclusive); the earliest such run, or nil.
func denseRun(_ times: [Int], anchor: Int, count: Int, span: Int) -> ClosedRange<Int>? {
    guard count >= 1, times.count >= count else { return nil }
    let low = max(0, anchor - count + 1), high = min(anchor, times.count - count)
    guard low <= high else { return nil }
    for start in low...high where times[start + count - 1] - times[start] <= span {
        return start...(start + count - 1)
    }
    return nil
}

let secondsPerDay = 86_400

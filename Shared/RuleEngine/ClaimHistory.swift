import HISContract

/// The earlier settlements the cross-claim patterns (P13-P20, P23) look at. Only settled claims are
/// history, a superseded version is not, and an implementation over a database needs to answer
/// just these four queries.
/// Results may include the claim under evaluation; the engine excludes it by `Claim.key`.
public protocol ClaimHistory {
    /// Claims of a person whose care interval [admission, discharge] meets [from, to] (inclusive).
    func claims(ofPerson personID: String, from: CivilDateTime, to: CivilDateTime) -> [Claim]
    /// Claims, of any person, with a fee line carrying this traceability code (P13).
    func claims(withTraceCode code: String) -> [Claim]
    /// Outpatient claims (med_mdtrt_type 1) of a doctor whose admission falls on `day` (P19).
    func outpatientClaims(ofDoctor doctor: String, on day: CivilDate) -> [Claim]
    /// Inpatient claims of an institution whose stay meets [from, to] (inclusive) (P19 beds).
    func inpatientStays(ofInstitution institutionID: String, from: CivilDateTime, to: CivilDateTime) -> [Claim]
}

/// Care interval overlap, inclusive at both ends.
func meets(_ claim: Claim, _ from: CivilDateTime, _ to: CivilDateTime) -> Bool {
    claim.admission <= to && claim.discharge >= from
}

/// An indexed in-memory history: by person, traceability code, doctor-day and institution-day,
/// so each query touches only the claims it may return.
public struct InMemoryHistory: ClaimHistory, Sendable {
    private struct DoctorDay: Hashable { var doctor: String; var day: Int }
    private struct InstitutionDay: Hashable { var institution: String; var day: Int }

    private var claims: [Claim] = []
    private var slots: [ClaimKey: Int] = [:]
    private var byClaimID: [String: Int] = [:]
    /// Slots currently answering queries: a superseded version is kept but no longer indexed.
    private var indexed: Set<Int> = []
    /// Claim ids some corrected settlement names as the version it replaces (whether or not that
    /// version has arrived yet, so an out-of-order original never becomes history).
    private var superseded: Set<String> = []
    private var byPerson: [String: [Int]] = [:]
    private var byTrace: [String: [Int]] = [:]
    private var byDoctorDay: [DoctorDay: [Int]] = [:]
    private var byInstitutionDay: [InstitutionDay: [Int]] = [:]

    public init() {}

    public init(_ claims: some Sequence<Claim>) {
        for claim in claims { add(claim) }
    }

    /// Number of distinct settlements held (superseded versions included).
    public var count: Int { claims.count }

    /// Records a settlement. A claim without a settlement id is ignored (a check is not history);
    /// a retried settlement (same institution, encounter and settlement id) replaces the earlier copy;
    /// a corrected settlement (`supersedes`) takes the place of the version it names, which stops
    /// being history whichever of the two arrives first.
    public mutating func add(_ claim: Claim) {
        guard claim.settlementID != nil else { return }
        let slot: Int
        if let existing = slots[claim.key] {
            slot = existing
            unindex(slot)
            byClaimID[claims[slot].claimID] = nil
            claims[slot] = claim
        } else {
            slot = claims.count
            slots[claim.key] = slot
            claims.append(claim)
        }
        byClaimID[claim.claimID] = slot
        if let old = claim.supersedes {
            superseded.insert(old)
            if let oldSlot = byClaimID[old] { unindex(oldSlot) }
        }
        if !superseded.contains(claim.claimID) { index(slot) }
    }

    /// A settlement held, by claim id (superseded versions included).
    public func claim(withID claimID: String) -> Claim? { byClaimID[claimID].map { claims[$0] } }

    /// Whether a corrected settlement has replaced this claim.
    public func isSuperseded(_ claimID: String) -> Bool { superseded.contains(claimID) }

    public func claims(ofPerson personID: String, from: CivilDateTime, to: CivilDateTime) -> [Claim] {
        (byPerson[personID] ?? []).lazy.map { claims[$0] }.filter { meets($0, from, to) }
    }

    public func claims(withTraceCode code: String) -> [Claim] {
        (byTrace[code] ?? []).map { claims[$0] }
    }

    public func outpatientClaims(ofDoctor doctor: String, on day: CivilDate) -> [Claim] {
        (byDoctorDay[DoctorDay(doctor: doctor, day: day.dayNumber)] ?? []).map { claims[$0] }
    }

    public func inpatientStays(ofInstitution institutionID: String, from: CivilDateTime, to: CivilDateTime) -> [Claim] {
        var seen = Set<Int>()
        var result: [Claim] = []
        for day in from.date.dayNumber...max(from.date.dayNumber, to.date.dayNumber) {
            for slot in byInstitutionDay[InstitutionDay(institution: institutionID, day: day)] ?? [] where seen.insert(slot).inserted {
                if meets(claims[slot], from, to) { result.append(claims[slot]) }
            }
        }
        return result
    }

    private mutating func index(_ slot: Int) {
        guard indexed.insert(slot).inserted else { return }
        let claim = claims[slot]
        byPerson[claim.personID, default: []].append(slot)
        for code in Set(claim.lines.flatMap(\.traceCodes)) { byTrace[code, default: []].append(slot) }
        if claim.kind == .outpatient, let doctor = claim.doctor {
            byDoctorDay[DoctorDay(doctor: doctor, day: claim.admission.date.dayNumber), default: []].append(slot)
        }
        if claim.kind == .inpatient {
            for day in stayDays(claim) { byInstitutionDay[InstitutionDay(institution: claim.institutionID, day: day), default: []].append(slot) }
        }
    }

    private mutating func unindex(_ slot: Int) {
        guard indexed.remove(slot) != nil else { return }
        let claim = claims[slot]
        byPerson[claim.personID]?.removeAll { $0 == slot }
        for code in Set(claim.lines.flatMap(\.traceCodes)) { byTrace[code]?.removeAll { $0 == slot } }
        if claim.kind == .outpatient, let doctor = claim.doctor {
            byDoctorDay[DoctorDay(doctor: doctor, day: claim.admission.date.dayNumber)]?.removeAll { $0 == slot }
        }
        if claim.kind == .inpatient {
            for day in stayDays(claim) { byInstitutionDay[InstitutionDay(institution: claim.institutionID, day: day)]?.removeAll { $0 == slot } }
        }
    }

    private func stayDays(_ claim: Claim) -> ClosedRange<Int> {
        claim.admission.date.dayNumber...max(claim.admission.date.dayNumber, claim.discharge.date.dayNumber)
    }
}

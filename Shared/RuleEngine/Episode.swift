import HISContract

/// An encounter as the capacity pattern (P19 超诊疗能力) counts it: where, who and when, without its
/// fee lines. A doctor's day and an institution's beds span every person, so the history of one
/// claim can hold thousands of other persons' encounters (a 2,000-bed hospital at full occupancy);
/// read as whole claims, each of them would be decoded and indexed for a count. An archive answers
/// these with the columns it indexes anyway (`ClaimArchive`), and a whole claim gives its own.
public struct Episode: Sendable, Hashable {
    public var claimID: String
    public var institutionID: String
    /// `mdtrt_id`: another settlement of the same encounter is not another stay or visit.
    public var encounterID: String
    public var doctor: String?
    public var kind: EncounterKind
    public var admission: CivilDateTime
    public var discharge: CivilDateTime
    /// The claim id of the version this settlement corrects, which then no longer counts.
    public var supersedes: String?

    public init(claimID: String, institutionID: String, encounterID: String, doctor: String?, kind: EncounterKind,
                admission: CivilDateTime, discharge: CivilDateTime, supersedes: String? = nil) {
        self.claimID = claimID
        self.institutionID = institutionID
        self.encounterID = encounterID
        self.doctor = doctor
        self.kind = kind
        self.admission = admission
        self.discharge = discharge
        self.supersedes = supersedes
    }

    public init(_ claim: Claim) {
        self.init(claimID: claim.claimID, institutionID: claim.institutionID, encounterID: claim.encounterID, doctor: claim.doctor,
                  kind: claim.kind, admission: claim.admission, discharge: claim.discharge, supersedes: claim.supersedes)
    }

    var encounterKey: String { institutionID + "\u{1F}" + encounterID }

    /// Care interval overlap, inclusive at both ends (as `meets` for claims).
    func meets(_ from: CivilDateTime, _ to: CivilDateTime) -> Bool { admission <= to && discharge >= from }
}

/// The episodes of the capacity pattern, by doctor-day (outpatient visits) and institution-day
/// (inpatient stays, under every calendar day they span), each held once by claim id: a retried
/// settlement replaces its earlier copy. Buckets keep arrival order, so results are deterministic.
struct EpisodeIndex: Sendable {
    private struct DoctorDay: Hashable { var doctor: String; var day: Int }
    private struct InstitutionDay: Hashable { var institution: String; var day: Int }

    private var held: [String: Episode] = [:]
    private var byDoctorDay: [DoctorDay: [String]] = [:]
    private var byInstitutionDay: [InstitutionDay: [String]] = [:]
    /// Stays by institution and admission day: a window's stays are those in on its first day and
    /// those admitted after it (`stays(ofInstitution:from:to:)`).
    private var byAdmissionDay: [InstitutionDay: [String]] = [:]

    func contains(_ claimID: String) -> Bool { held[claimID] != nil }

    /// Room for `count` episodes in the tables every episode enters or most do, so that a history
    /// built at once is not rehashed as it grows.
    mutating func reserveCapacity(_ count: Int) {
        held.reserveCapacity(count)
        byDoctorDay.reserveCapacity(count)
    }

    mutating func add(_ episode: Episode) {
        remove(episode.claimID)
        held[episode.claimID] = episode
        if let key = Self.doctorDay(episode) { byDoctorDay[key, default: []].append(episode.claimID) }
        for key in Self.institutionDays(episode) { byInstitutionDay[key, default: []].append(episode.claimID) }
        if let key = Self.admissionDay(episode) { byAdmissionDay[key, default: []].append(episode.claimID) }
    }

    mutating func remove(_ claimID: String) {
        guard let episode = held.removeValue(forKey: claimID) else { return }
        if let key = Self.doctorDay(episode) { byDoctorDay[key]?.removeAll { $0 == claimID } }
        for key in Self.institutionDays(episode) { byInstitutionDay[key]?.removeAll { $0 == claimID } }
        if let key = Self.admissionDay(episode) { byAdmissionDay[key]?.removeAll { $0 == claimID } }
    }

    func visits(ofDoctor doctor: String, on day: CivilDate) -> [Episode] {
        (byDoctorDay[DoctorDay(doctor: doctor, day: day.dayNumber)] ?? []).compactMap { held[$0] }
    }

    /// A stay overlapping the window is either in on its first day or admitted on a later day of it,
    /// and never both: each is read once, without gathering every day's occupants (a 10-day stay
    /// at a full 2,000-bed hospital read 20,000 of them into a set, P19's share of the engine).
    func stays(ofInstitution institutionID: String, from: CivilDateTime, to: CivilDateTime) -> [Episode] {
        let first = from.date.dayNumber, last = max(first, to.date.dayNumber)
        var ids = byInstitutionDay[InstitutionDay(institution: institutionID, day: first)] ?? []
        if last > first {
            for day in (first + 1)...last { ids += byAdmissionDay[InstitutionDay(institution: institutionID, day: day)] ?? [] }
        }
        return ids.compactMap { id in held[id].flatMap { $0.meets(from, to) ? $0 : nil } }
    }

    private static func doctorDay(_ episode: Episode) -> DoctorDay? {
        guard episode.kind == .outpatient, let doctor = episode.doctor else { return nil }
        return DoctorDay(doctor: doctor, day: episode.admission.date.dayNumber)
    }

    private static func admissionDay(_ episode: Episode) -> InstitutionDay? {
        episode.kind == .inpatient ? InstitutionDay(institution: episode.institutionID, day: episode.admission.date.dayNumber) : nil
    }

    private static func institutionDays(_ episode: Episode) -> [InstitutionDay] {
        guard episode.kind == .inpatient else { return [] }
        let first = episode.admission.date.dayNumber, last = max(first, episode.discharge.date.dayNumber)
        return (first...last).map { InstitutionDay(institution: episode.institutionID, day: $0) }
    }
}

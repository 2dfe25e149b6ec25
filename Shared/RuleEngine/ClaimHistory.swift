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
    /// Outpatient visits (med_mdtrt_type 1) of a doctor whose admission falls on `day` (P19).
    func outpatientVisits(ofDoctor doctor: String, on day: CivilDate) -> [Episode]
    /// Inpatient stays of an institution that meet [from, to] (inclusive) (P19 beds).
    func inpatientStays(ofInstitution institutionID: String, from: CivilDateTime, to: CivilDateTime) -> [Episode]
}

/// Care interval overlap, inclusive at both ends.
func meets(_ claim: Claim, _ from: CivilDateTime, _ to: CivilDateTime) -> Bool {
    claim.admission <= to && claim.discharge >= from
}

/// An indexed in-memory history: by person, traceability code, doctor-day and institution-day,
/// so each query touches only the claims it may return. Other persons' encounters that only the
/// capacity pattern counts may be held as episodes alone (`add(_: Episode)`), without their claims.
public struct InMemoryHistory: ClaimHistory, Sendable {

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
    private var episodes = EpisodeIndex()

    public init() {}

    /// `adding`: how many claims will be added after these (smart-review's run, reviewed one by one).
    public init(_ claims: some Sequence<Claim>, episodes: some Sequence<Episode> = [Episode](), adding: Int = 0) {
        // Sized once: a run's history is built anew for every run (smart-review), and growing
        // its tables rehashed every key several times over; the run's own claims, added as they
        // are reviewed, grew them past the history's size (a sixth of `add` in session 30's profile).
        let count = claims.underestimatedCount + adding
        self.claims.reserveCapacity(count)
        slots.reserveCapacity(count)
        byClaimID.reserveCapacity(count)
        indexed.reserveCapacity(count)
        byPerson.reserveCapacity(count)
        // A claim carries several traceability codes (7.4 on average under `bench.sh load`): grown
        // from empty, this table was rehashed over and over (a fifth of `add` in smart-review's profile).
        byTrace.reserveCapacity(count * 8)
        self.episodes.reserveCapacity(count + episodes.underestimatedCount)
        for claim in claims { add(claim) }
        for episode in episodes { add(episode) }
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
        if let old = claim.supersedes { supersede(old) }
        if !superseded.contains(claim.claimID) { index(slot) }
    }

    /// Records an encounter that only the capacity pattern counts, read without its claim; a claim
    /// of the same settlement already held (or added later) takes its place.
    public mutating func add(_ episode: Episode) {
        guard byClaimID[episode.claimID] == nil else { return }
        if let old = episode.supersedes { supersede(old) }
        if !superseded.contains(episode.claimID) { episodes.add(episode) }
    }

    private mutating func supersede(_ old: String) {
        superseded.insert(old)
        if let oldSlot = byClaimID[old] { unindex(oldSlot) }
        episodes.remove(old)
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

    public func outpatientVisits(ofDoctor doctor: String, on day: CivilDate) -> [Episode] {
        episodes.visits(ofDoctor: doctor, on: day)
    }

    public func inpatientStays(ofInstitution institutionID: String, from: CivilDateTime, to: CivilDateTime) -> [Episode] {
        episodes.stays(ofInstitution: institutionID, from: from, to: to)
    }

    private mutating func index(_ slot: Int) {
        guard indexed.insert(slot).inserted else { return }
        let claim = claims[slot]
        byPerson[claim.personID, default: []].append(slot)
        for code in Self.distinctTraceCodes(of: claim) { byTrace[code, default: []].append(slot) }
        episodes.add(Episode(claim))
    }

    private mutating func unindex(_ slot: Int) {
        guard indexed.remove(slot) != nil else { return }
        let claim = claims[slot]
        byPerson[claim.personID]?.removeAll { $0 == slot }
        for code in Self.distinctTraceCodes(of: claim) { byTrace[code]?.removeAll { $0 == slot } }
        episodes.remove(claim.claimID)
    }

    /// A claim's traceability codes, each once. Most claims carry a handful, for which a `Set`
    /// (hashing each code, allocating its table) cost more than comparing them.
    static func distinctTraceCodes(of claim: Claim) -> [String] {
        var codes: [String] = []
        for line in claim.lines { codes += line.traceCodes }
        guard codes.count > 1 else { return codes }
        guard codes.count <= 32 else { return Array(Set(codes)) }
        var distinct: [String] = []
        distinct.reserveCapacity(codes.count)
        for code in codes where !distinct.contains(code) { distinct.append(code) }
        return distinct
    }
}

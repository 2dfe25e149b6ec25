import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import RuleEngine

/// The claim history (既往就诊记录) of the patterns that need more than one claim, read from a
/// service's archive of accepted claims: intake's for the real-time answers, smart-review's for
/// the full review. One module, so both see the same history of a claim.
///
/// The archive is two tables of the service's schema: `claims`, one row per settlement with
/// `claim_id`, `patn_id`, `medins_id`, `dr_codg`, `kind`, `adm_date`, `dscg_date` and its patient
/// record as `payload`; and `claim_trace_codes` (`code`, `claim_id`). Each service writes its own
/// rows (they carry more columns); reading is here. Everything is set-based: the history of a run of a
/// thousand claims is two statements, and claims this process decoded before come from `cache`.
public struct ClaimArchive: Sendable {
    public let database: Database
    public let cache: ClaimCache
    var schema: String { database.schema }

    public init(database: Database, cache: ClaimCache = ClaimCache(capacity: 0)) {
        self.database = database
        self.cache = cache
    }

    /// Serialises the claims that could complete a cross-person pattern together (a doctor's day,
    /// an institution's beds): an advisory lock per key, for the rest of the transaction.
    public func lockCapacityKeys(of claims: [Claim], on connection: PostgresConnection) async throws {
        let keys = Set(claims.flatMap { claim -> [String] in
            if claim.kind == .inpatient { return ["beds:\(claim.institutionID)"] }
            if let doctor = claim.doctor { return ["doctor:\(doctor):\(claim.admission.date)"] }
            return []
        })
        guard !keys.isEmpty else { return }
        // In key order, so that two transactions taking the same keys cannot deadlock.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(\(keys.sorted())) AS t(k) ORDER BY k) AS ordered",
                                   logger: database.logger)
    }

    /// The stored claims the history patterns may need for these claims, the claims themselves
    /// left out: each person's encounters that overlap `windowDays` on either side
    /// (late claims complete patterns too; give the rule set's `historyWindowDays`), earlier sales
    /// of their traceability codes, their doctors' outpatient encounters that day, and their
    /// institutions' overlapping stays.
    public func history(around claims: [Claim], windowDays: Int, on connection: PostgresConnection) async throws -> InMemoryHistory {
        InMemoryHistory(try await historyClaims(around: claims, windowDays: windowDays, on: connection))
    }

    /// The same claims as a list, in claim-id order.
    public func historyClaims(around claims: [Claim], windowDays: Int, on connection: PostgresConnection) async throws -> [Claim] {
        let own = Set(claims.map(\.claimID))
        let ids = try await historyIDs(around: claims, windowDays: windowDays, on: connection).filter { !own.contains($0) }
        var (found, missing) = cache.lookup(ids)
        if !missing.isEmpty {
            let read = try await load(missing, on: connection)
            cache.insert(read)
            found += read
        }
        return found.sorted { $0.claimID < $1.claimID }
    }

    private func historyIDs(around claims: [Claim], windowDays: Int, on connection: PostgresConnection) async throws -> [String] {
        let windows = claims.map { window($0, days: windowDays) }
        let outpatient = claims.filter { $0.kind != .inpatient && $0.doctor != nil }
        let stays = claims.filter { $0.kind == .inpatient }
        let codes = Array(Set(claims.flatMap { $0.lines.flatMap(\.traceCodes) }))
        let rows = try await connection.query("""
            SELECT c.claim_id FROM \(unescaped: schema).claims c
              JOIN unnest(\(claims.map(\.personID)), \(windows.map(\.from)), \(windows.map(\.to))) AS p(patn, f, t)
                ON c.patn_id = p.patn AND c.adm_date <= p.t AND c.dscg_date >= p.f
            UNION SELECT claim_id FROM \(unescaped: schema).claim_trace_codes WHERE code = ANY(\(codes))
            UNION SELECT c.claim_id FROM \(unescaped: schema).claims c
              JOIN unnest(\(outpatient.map { $0.doctor ?? "" }), \(outpatient.map(\.admission.date.description))) AS d(dr, day)
                ON c.dr_codg = d.dr AND left(c.adm_date, 10) = d.day AND c.kind <> 'inpatient'
            UNION SELECT c.claim_id FROM \(unescaped: schema).claims c
              JOIN unnest(\(stays.map(\.institutionID)), \(stays.map(\.admission.description)), \(stays.map(\.discharge.description))) AS s(medins, adm, dscg)
                ON c.medins_id = s.medins AND c.kind = 'inpatient' AND c.adm_date <= s.dscg AND c.dscg_date >= s.adm
            """, logger: database.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    private func window(_ claim: Claim, days: Int) -> (from: String, to: String) {
        (CivilDateTime(date: claim.admission.date.adding(days: -days)).description,
         CivilDateTime(date: claim.discharge.date.adding(days: days + 1)).description)
    }

    /// Stored claims by id, decoded from their patient records.
    public func load(_ claimIDs: [String], on connection: PostgresConnection) async throws -> [Claim] {
        let rows = try await connection.query("""
            SELECT claim_id, supersedes, payload::text FROM \(unescaped: schema).claims WHERE claim_id = ANY(\(claimIDs))
            """, logger: database.logger)
        var claims: [Claim] = []
        for try await (claimID, supersedes, payload) in rows.decode((String, String?, String).self) {
            let patient = try Patient.read(json: Array(payload.utf8))
            // `supersedes` travels along, so a corrected settlement hides the version it replaces.
            claims.append(try Claim(patient: patient, encounter: patient.fsiEncounterDtos[0], claimID: claimID, supersedes: supersedes))
        }
        return claims
    }

    /// A stored claim, for the reconciler and replays.
    public func claim(_ claimID: String, on connection: PostgresConnection) async throws -> Claim? {
        try await load([claimID], on: connection).first
    }

    /// The history of one stored claim (replays): the query of a run of one.
    public func history(around claim: Claim, windowDays: Int, on connection: PostgresConnection) async throws -> InMemoryHistory {
        try await history(around: [claim], windowDays: windowDays, on: connection)
    }

    /// The traceability codes (追溯码) of claims new in this transaction, copied in one go (a code
    /// twice on one claim is one row: selling it twice is what P13 finds, not a storage error).
    public func storeTraceCodes(_ codes: [(code: String, claimID: String)], on connection: PostgresConnection) async throws {
        var seen = Set<TraceCodeRow>(), rows = CopyRows(capacity: codes.count * 64)
        for (code, claimID) in codes where seen.insert(TraceCodeRow(code: code, claimID: claimID)).inserted {
            rows.text(code)
            rows.text(claimID)
            rows.endRow()
        }
        try await connection.copy(rows, into: "claim_trace_codes", columns: ["code", "claim_id"], schema: schema, logger: database.logger)
    }
}

private struct TraceCodeRow: Hashable {
    var code: String
    var claimID: String
}

import Events
import Foundation
import HISContract
import Persistence
import PostgresNIO
import RuleEngine

/// smart-review's own copy of every accepted claim, and the history queries of the cross-claim
/// patterns over it. All partitions' consumers share these tables, so the institution- and
/// doctor-level patterns (P19) see every claim whatever its partition; an advisory lock per
/// doctor-day and per institution serialises the claims that could complete such a pattern
/// together, so two partitions cannot both miss each other's claim.
struct ClaimArchive: Sendable {
    let database: Database
    var schema: String { database.schema }
    /// The widest window of the default rules (P17: 90 days), with margin.
    var windowDays = 120

    func lockCapacityKeys(of claim: Claim, on connection: PostgresConnection) async throws {
        var keys: [String] = []
        if claim.kind == .inpatient { keys.append("beds:\(claim.institutionID)") }
        if claim.kind != .inpatient, let doctor = claim.doctor { keys.append("doctor:\(doctor):\(claim.admission.date)") }
        guard !keys.isEmpty else { return }
        // In key order, so that two transactions taking the same keys cannot deadlock.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(\(keys.sorted())) AS t(k) ORDER BY k) AS ordered",
                                   logger: database.logger)
    }

    func store(_ accepted: ClaimAccepted, _ claim: Claim, on connection: PostgresConnection) async throws {
        let payload = String(decoding: try HISJSON.encoder.encode(accepted.patient), as: UTF8.self)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).claims (claim_id, patn_id, medins_id, dr_codg, kind, adm_date, dscg_date, version, supersedes, payload)
            VALUES (\(claim.claimID), \(claim.personID), \(claim.institutionID), \(claim.doctor), \(claim.kind.rawValue),
                    \(claim.admission.description), \(claim.discharge.description), \(accepted.version), \(accepted.supersedes), \(payload)::jsonb)
            ON CONFLICT (claim_id) DO NOTHING
            """, logger: database.logger)
        let codes = claim.lines.flatMap(\.traceCodes)
        guard !codes.isEmpty else { return }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).claim_trace_codes (code, claim_id)
            SELECT code, \(claim.claimID) FROM unnest(\(codes)) AS t(code) ON CONFLICT DO NOTHING
            """, logger: database.logger)
    }

    /// The claims the history patterns may need for this claim: the person's within the window
    /// on both sides (late claims complete patterns too), earlier sales of its traceability
    /// codes, the doctor's outpatient encounters that day, and the institution's overlapping stays.
    func history(around claim: Claim, on connection: PostgresConnection) async throws -> InMemoryHistory {
        let from = CivilDateTime(date: claim.admission.date.adding(days: -windowDays)).description
        let to = CivilDateTime(date: claim.discharge.date.adding(days: windowDays)).description
        let day = claim.admission.date.description
        let codes = claim.lines.flatMap(\.traceCodes)
        let rows = try await connection.query("""
            SELECT claim_id, payload::text FROM \(unescaped: schema).claims
             WHERE patn_id = \(claim.personID) AND adm_date BETWEEN \(from) AND \(to)
            UNION SELECT c.claim_id, c.payload::text FROM \(unescaped: schema).claim_trace_codes t
             JOIN \(unescaped: schema).claims c USING (claim_id) WHERE t.code = ANY(\(codes))
            UNION SELECT claim_id, payload::text FROM \(unescaped: schema).claims
             WHERE \(claim.kind != .inpatient) AND dr_codg = \(claim.doctor ?? "") AND left(adm_date, 10) = \(day) AND kind <> 'inpatient'
            UNION SELECT claim_id, payload::text FROM \(unescaped: schema).claims
             WHERE \(claim.kind == .inpatient) AND medins_id = \(claim.institutionID) AND kind = 'inpatient'
               AND adm_date <= \(claim.discharge.description) AND dscg_date >= \(claim.admission.description)
            """, logger: database.logger)
        var history = InMemoryHistory()
        let decoder = HISJSON.decoder
        for try await (claimID, payload) in rows.decode((String, String).self) where claimID != claim.claimID {
            let patient = try decoder.decode(Patient.self, from: Data(payload.utf8))
            history.add(try Claim(patient: patient, encounter: patient.fsiEncounterDtos[0], claimID: claimID))
        }
        return history
    }

    /// A stored claim, for the reconciler and replays.
    func claim(_ claimID: String, on connection: PostgresConnection) async throws -> Claim? {
        let rows = try await connection.query("SELECT payload::text FROM \(unescaped: schema).claims WHERE claim_id = \(claimID)",
                                              logger: database.logger)
        for try await payload in rows.decode(String.self) {
            let patient = try HISJSON.decoder.decode(Patient.self, from: Data(payload.utf8))
            return try Claim(patient: patient, encounter: patient.fsiEncounterDtos[0], claimID: claimID)
        }
        return nil
    }
}

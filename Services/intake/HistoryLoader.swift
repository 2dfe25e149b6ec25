import Foundation
import HISContract
import Persistence
import PostgresNIO
import RuleEngine

/// What intake knows of the persons in a call, for the history patterns in the real-time answer:
/// their recent claims and the earlier sales of the traceability codes being dispensed. The
/// complete after-the-fact review (all windows, doctors' and institutions' capacity) is
/// smart-review's.
struct HistoryLoader: Sendable {
    let store: ClaimStore
    /// How far back the real-time answer looks (the longest default window is 90 days; see
    /// `RuleSet.historyWindowDays`).
    var lookbackDays = 120

    func history(for drafts: [ClaimDraft], on connection: PostgresConnection) async throws -> InMemoryHistory {
        let persons = Array(Set(drafts.map(\.patient.patnId)))
        let codes = Array(Set(drafts.flatMap { $0.encounter.fsiOrderDtos.flatMap { $0.drugTracCodg ?? [] } }))
        let earliest = drafts.compactMap { CivilDateTime($0.encounter.admDate) }.min() ?? .chinaNow()
        let since = CivilDateTime(date: earliest.date.adding(days: -lookbackDays)).description
        let schema = store.schema
        // A stay admitted before the look-back but discharged inside it still counts (P23: the visit that
        // makes a prescription stand may be a long stay ending within 3 days of the sale). `supersedes`
        // travels along so a corrected settlement hides the version it replaces (no double counting).
        let rows = try await connection.query("""
            SELECT claim_id, supersedes, payload::text FROM \(unescaped: schema).claims WHERE patn_id = ANY(\(persons))
              AND (adm_date >= \(since) OR payload->'fsi_encounter_dtos'->0->>'dscg_date' >= \(since))
            UNION
            SELECT c.claim_id, c.supersedes, c.payload::text FROM \(unescaped: schema).claim_trace_codes t
              JOIN \(unescaped: schema).claims c USING (claim_id) WHERE t.code = ANY(\(codes))
            """, logger: store.logger)
        var history = InMemoryHistory()
        let decoder = HISJSON.decoder
        for try await (claimID, supersedes, payload) in rows.decode((String, String?, String).self) {
            let patient = try decoder.decode(Patient.self, from: Data(payload.utf8))
            history.add(try Claim(patient: patient, encounter: patient.fsiEncounterDtos[0], claimID: claimID, supersedes: supersedes))
        }
        return history
    }
}

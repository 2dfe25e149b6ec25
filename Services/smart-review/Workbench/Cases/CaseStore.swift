import Foundation
import Hummingbird
import PostgresNIO
import ReviewWorkflow

/// Cases in `cases`/`case_items`: the facts, proposal and decision kept as JSON of their own types.
extension Workbench {
    func insert(_ record: CaseRecord, items: [Int64], by reviewer: Reviewer, on connection: PostgresConnection) async throws {
        let (violation, proposal, decision) = try (json(record.violation), json(record.proposal), json(record.decision))
        try await connection.query("""
            INSERT INTO \(unescaped: schema).cases (case_id, medins_id, admdvs, state, violation, proposal, decision, opened_by)
            VALUES (\(record.caseId), \(record.medinsId), \(record.admdvs), \(record.state.rawValue), \(violation)::jsonb,
                    \(proposal)::jsonb, \(decision)::jsonb, \(reviewer.user))
            """, logger: database.logger)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).case_items (case_id, item_id) SELECT \(record.caseId), unnest(\(items))
            """, logger: database.logger)
    }

    func loadCase(_ caseID: String, on connection: PostgresConnection) async throws -> CaseRecord {
        let rows = try await connection.query("""
            SELECT medins_id, admdvs, violation::text, proposal::text, decision::text FROM \(unescaped: schema).cases
            WHERE case_id = \(caseID) FOR UPDATE
            """, logger: database.logger)
        let decoder = JSONDecoder()
        for try await (medins, region, violation, proposal, decision) in rows.decode((String, String, String, String, String).self) {
            return CaseRecord(caseId: caseID, medinsId: medins, admdvs: region,
                              violation: try decoder.decode(ViolationCase.self, from: Data(violation.utf8)),
                              proposal: try decoder.decode(Proposal.self, from: Data(proposal.utf8)),
                              decision: try decoder.decode(CaseDecision.self, from: Data(decision.utf8)))
        }
        throw HTTPError(.notFound, message: "no case \(caseID)")
    }

    func save(_ record: CaseRecord, on connection: PostgresConnection) async throws {
        let (proposal, decision) = try (json(record.proposal), json(record.decision))
        try await connection.query("""
            UPDATE \(unescaped: schema).cases SET state = \(record.state.rawValue), proposal = \(proposal)::jsonb, decision = \(decision)::jsonb,
                   published_at = CASE WHEN \(record.state.rawValue) = 'published' THEN COALESCE(published_at, now()) END
            WHERE case_id = \(record.caseId)
            """, logger: database.logger)
    }

    private func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
}

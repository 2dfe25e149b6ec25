import ReviewWorkflow
import Foundation
import PostgresNIO

extension Workbench {
    /// An item with its claim as accepted, its findings with their evidence, and the decisions so far,
    /// as one JSON document built by PostgreSQL from the stored bodies. Viewing is recorded too.
    /// An institution sees its item without the names of the reviewers and their leases.
    func view(_ id: Int64, by reviewer: Reviewer) async throws -> String {
        try await perform(reviewer, "item.viewed", subject: "item:\(id)") { connection in
            let row = try await queue.item(id, on: connection)
            try reviewer.requireScope(row.admdvs)
            try reviewer.requireInstitution(row.medinsId)
            let hiddenItem = reviewer.role == .institution ? ["lease_holder", "lease_expires_at"] : []
            let hiddenDecision = reviewer.role == .institution ? ["reviewer"] : []
            let rows = try await connection.query("""
                SELECT json_build_object(
                  'item', to_jsonb(i) - 'lease_claimed_at' - \(hiddenItem)::text[],
                  'claim', (SELECT c.payload FROM \(unescaped: schema).claims c WHERE c.claim_id = i.claim_id),
                  'findings', COALESCE((SELECT json_agg(jsonb_strip_nulls(f.body || jsonb_build_object('withdrawn_reason', f.withdrawn_reason))
                                                 ORDER BY f.severity, f.finding_id) FROM \(unescaped: schema).findings f
                                        WHERE f.claim_id = i.claim_id), '[]'::json),
                  'decisions', COALESCE((SELECT json_agg(to_jsonb(d) - 'sample_id' - \(hiddenDecision)::text[] ORDER BY d.level) FROM \(unescaped: schema).review_decisions d
                                         WHERE d.item_id = i.item_id), '[]'::json),
                  'answers', COALESCE((SELECT json_agg(to_jsonb(a) ORDER BY a.answer_id) FROM \(unescaped: schema).institution_answers a
                                       WHERE a.item_id = i.item_id), '[]'::json))::text
                FROM \(unescaped: schema).review_items i WHERE i.item_id = \(id)
                """, logger: database.logger)
            for try await text in rows.decode(String.self) { return (text, [:]) }
            return ("{}", [:])
        }
    }
}

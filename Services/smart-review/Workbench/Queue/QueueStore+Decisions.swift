import Foundation
import PostgresNIO
import ReviewWorkflow

/// The queue store's decisions, samples and item documents.
extension QueueStore {
    /// Inserts the decision; at the second level returns whether it differs from the first.
    func record(_ request: DecisionRequest, on row: ItemRow, by reviewer: Reviewer, level: ReviewLevel,
                on connection: PostgresConnection) async throws -> Bool {
        let amount = request.amount.map { "\($0)" }
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).review_decisions (item_id, level, reviewer, decision, amount, reason, differs)
            SELECT \(row.itemId), \(level.rawValue), \(reviewer.user), \(request.decision.rawValue), \(amount)::numeric, \(request.reason),
                   \(level == .second) AND EXISTS (SELECT 1 FROM \(unescaped: schema).review_decisions f WHERE f.item_id = \(row.itemId)
                     AND f.level = 1 AND (f.decision <> \(request.decision.rawValue) OR f.amount IS DISTINCT FROM \(amount)::numeric))
            RETURNING differs
            """, logger: database.logger)
        for try await differs in rows.decode(Bool.self) { return differs }
        return false
    }

    /// Who decided each item at which level, as `ItemHistory` for the segregation checks.
    func history(of ids: [Int64], on connection: PostgresConnection) async throws -> [Int64: ItemHistory] {
        let rows = try await connection.query("""
            SELECT item_id, level, reviewer, decided_at FROM \(unescaped: schema).review_decisions WHERE item_id = ANY(\(ids)) ORDER BY decided_at
            """, logger: database.logger)
        var histories: [Int64: ItemHistory] = [:]
        for try await (id, level, reviewer, at) in rows.decode((Int64, Int, String, Date).self) {
            let role = ReviewLevel(rawValue: level)?.reviewRole ?? .firstLevel
            histories[id, default: ItemHistory(itemID: String(id))].acts.append(ReviewAct(reviewer: reviewer, role: role, at: at))
        }
        return histories
    }

    /// First-level decisions not yet part of a second-review draw, under the draw's lock.
    func undrawnFirstDecisions(on connection: PostgresConnection) async throws -> [FirstDecision] {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(schema + ".second_review_samples")))", logger: database.logger)
        let rows = try await connection.query("""
            SELECT d.item_id, d.reviewer, i.severity, i.amount::text FROM \(unescaped: schema).review_decisions d
            JOIN \(unescaped: schema).review_items i USING (item_id) WHERE d.level = 1 AND d.sample_id IS NULL
            """, logger: database.logger)
        var decisions: [FirstDecision] = []
        for try await (id, reviewer, severity, amount) in rows.decode((Int64, String, Int, String).self) {
            decisions.append(FirstDecision(itemID: String(id), reviewer: reviewer, severity: Severity(rawValue: severity) ?? .reminder,
                                           amount: Decimal(string: amount) ?? 0))
        }
        return decisions
    }

    /// Stores a draw with its seed and moves its population on: the selected to the second level, the rest decided.
    func store(_ selection: Selection, on connection: PostgresConnection) async throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(selection), as: UTF8.self)
        let population = selection.population.compactMap(Int64.init), selected = selection.selectedItemIDs.compactMap(Int64.init)
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).second_review_samples (seed, selection) VALUES (\(String(selection.seed))::numeric, \(json)::jsonb)
            RETURNING sample_id
            """, logger: database.logger)
        var sampleID: Int64 = 0
        for try await id in rows.decode(Int64.self) { sampleID = id }
        try await connection.query("""
            UPDATE \(unescaped: schema).review_decisions SET sample_id = \(sampleID) WHERE level = 1 AND item_id = ANY(\(population))
            """, logger: database.logger)
        try await connection.query("""
            UPDATE \(unescaped: schema).review_items
            SET state = CASE WHEN item_id = ANY(\(selected)) THEN \(ItemState.secondPending.rawValue) ELSE \(ItemState.decided.rawValue) END
            WHERE state = \(ItemState.sampling.rawValue) AND item_id = ANY(\(population))
            """, logger: database.logger)
        return sampleID
    }

    /// An item with its claim as accepted, its findings with their evidence, the decisions so far and the
    /// institution's answers, as one JSON document built by PostgreSQL. `forInstitution` leaves out the
    /// names of the reviewers and their leases.
    func document(of id: Int64, forInstitution: Bool, on connection: PostgresConnection) async throws -> String {
        let hiddenItem = forInstitution ? ["lease_holder", "lease_expires_at"] : []
        let hiddenDecision = forInstitution ? ["reviewer"] : []
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
        for try await text in rows.decode(String.self) { return text }
        return "{}"
    }
}

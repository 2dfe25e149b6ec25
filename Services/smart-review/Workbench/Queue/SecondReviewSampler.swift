import Foundation
import Logging
import Persistence
import PostgresNIO
import ReviewWorkflow

/// How first-level decisions reach the second level (复审).
///
/// The choice: a high-risk decision (`HighRiskCriteria`) goes to the second level at once; every other
/// waits in state `sampling`. Each time `batchSize` first-level decisions have gathered without a draw,
/// `secondReviewSelection` runs over all of them (high-risk ones included, so the random share is of the
/// whole population) with a fresh seed, and the seed and the whole `Selection` are stored in
/// `second_review_samples`, so anyone can replay the draw. Drawing per decision would not work: over a
/// population of one, ceil(5% × 1) selects everything.
struct SamplingPolicy: Sendable {
    var percentage: Decimal
    var batchSize: Int
    var criteria = HighRiskCriteria()
}

struct SecondReviewSampler: Sendable {
    let database: Database
    let policy: SamplingPolicy
    var schema: String { database.schema }

    /// The state a freshly decided first-level item moves to.
    func stateAfterFirstDecision(_ row: ItemRow, reviewer: String) -> String {
        let decision = FirstDecision(itemID: String(row.itemId), reviewer: reviewer, severity: row.queueItem.severity, amount: row.amount)
        return policy.criteria.isHighRisk(decision) ? ReviewLevel.second.pendingState : "sampling"
    }

    /// Draws the sample once a batch is complete; returns the sample id, nil when the batch is not full yet.
    @discardableResult
    func drawIfDue(on connection: PostgresConnection) async throws -> Int64? {
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
        guard decisions.count >= policy.batchSize else { return nil }
        let selection = secondReviewSelection(decisions: decisions, percentage: policy.percentage,
                                              seed: UInt64.random(in: 0...UInt64.max), criteria: policy.criteria)
        return try await store(selection, on: connection)
    }

    private func store(_ selection: Selection, on connection: PostgresConnection) async throws -> Int64 {
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
            SET state = CASE WHEN item_id = ANY(\(selected)) THEN 'second_pending' ELSE 'decided' END
            WHERE state = 'sampling' AND item_id = ANY(\(population))
            """, logger: database.logger)
        return sampleID
    }
}

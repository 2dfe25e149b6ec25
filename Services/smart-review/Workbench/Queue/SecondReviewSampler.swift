import Foundation
import ReviewWorkflow
import PostgresNIO

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
    let store: QueueStore
    let policy: SamplingPolicy

    /// The state a freshly decided first-level item moves to.
    func stateAfterFirstDecision(_ row: ItemRow, reviewer: String) -> ItemState {
        let decision = FirstDecision(itemID: String(row.itemId), reviewer: reviewer, severity: row.queueItem.severity, amount: row.amount)
        return policy.criteria.isHighRisk(decision) ? .secondPending : .sampling
    }

    /// Draws the sample once a batch is complete; returns the sample id, nil when the batch is not full yet.
    @discardableResult
    func drawIfDue(on connection: PostgresConnection) async throws -> Int64? {
        let decisions = try await store.undrawnFirstDecisions(on: connection)
        guard decisions.count >= policy.batchSize else { return nil }
        let selection = secondReviewSelection(decisions: decisions, percentage: policy.percentage,
                                              seed: UInt64.random(in: 0...UInt64.max), criteria: policy.criteria)
        return try await store.store(selection, on: connection)
    }
}

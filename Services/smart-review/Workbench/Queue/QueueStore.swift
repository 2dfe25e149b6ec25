import Foundation
import KnowledgeBase
import Logging
import Persistence
import PostgresNIO
import ReviewWorkflow
import RuleEngine

/// The two review levels and the item state each works on.
enum ReviewLevel: Int, Sendable {
    case first = 1, second = 2

    var pendingState: ItemState { self == .first ? .firstPending : .secondPending }
    var role: WorkbenchRole { self == .first ? .firstReviewer : .secondReviewer }
    var reviewRole: ReviewRole { self == .first ? .firstLevel : .secondLevel }
}

/// One flagged claim on the workbench, as stored in `review_items`.
struct ItemRow: Codable, Sendable {
    var itemId: Int64
    var claimId: String
    var medinsId: String
    var admdvs: String
    var severity: Severity
    var amount: Decimal
    var state: ItemState
    var leaseHolder: String?
    var leaseClaimedAt: Date?
    var leaseExpiresAt: Date?
    var enqueuedAt: Date

    var queueItem: QueueItem {
        QueueItem(id: String(itemId), severity: severity, amount: amount, enqueuedAt: enqueuedAt)
    }
}

/// `ClaimReviewer` (another engineer's file) still names the queue store by its former name.
typealias WorkbenchQueue = QueueStore

/// The queue's SQL (items, decisions, second-review samples); its rules (work order, leases that lapse
/// by themselves) are `ReviewQueue`'s, applied to the rows read in the transaction.
struct QueueStore: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Puts a reviewed claim with findings on the first-level queue (called by `ClaimReviewer.review` in its
    /// transaction): most severe finding, amount summed, region of the institution. A re-review updates an
    /// item still waiting for its first decision and leaves a decided one alone.
    func enqueue(_ reviewed: [(claim: Claim, findings: [Finding])], knowledgeBase: KnowledgeBase, on connection: PostgresConnection) async throws {
        let items = reviewed.compactMap { claim, findings -> (claim: Claim, severity: Severity, amount: Decimal)? in
            guard let severity = findings.map(\.severity).max() else { return nil }
            return (claim, severity, findings.reduce(Decimal(0)) { $0 + $1.amount })
        }
        guard !items.isEmpty else { return }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).review_items (claim_id, medins_id, admdvs, severity, amount)
            SELECT claim, medins, admdvs, severity, amount::numeric
            FROM unnest(\(items.map(\.claim.claimID)), \(items.map(\.claim.institutionID)),
                        \(items.map { knowledgeBase.institutions[$0.claim.institutionID]?.admdvs ?? "" }),
                        \(items.map(\.severity.rawValue)), \(items.map { "\($0.amount)" })) AS i(claim, medins, admdvs, severity, amount)
            ON CONFLICT (claim_id) DO UPDATE SET severity = excluded.severity, amount = excluded.amount
            WHERE review_items.state = \(ItemState.firstPending.rawValue)
            """, logger: database.logger)
    }

    /// After findings were withdrawn: an item none of whose findings stands any more is closed
    /// with the reason if no one has decided it yet; a decided item keeps its decision with a note.
    func withdraw(_ withdrawals: [FindingWithdrawal], on connection: PostgresConnection) async throws {
        let reasons = Dictionary(withdrawals.map { ($0.claimID, $0.reasonZh) }) { first, _ in first }
        guard !reasons.isEmpty else { return }
        let pending = ItemState.firstPending.rawValue
        try await connection.query("""
            UPDATE \(unescaped: schema).review_items i
               SET state = CASE WHEN i.state = \(pending) THEN \(ItemState.withdrawn.rawValue) ELSE i.state END,
                   withdrawal_note = w.reason,
                   lease_holder = CASE WHEN i.state = \(pending) THEN NULL ELSE i.lease_holder END,
                   lease_expires_at = CASE WHEN i.state = \(pending) THEN NULL ELSE i.lease_expires_at END
            FROM unnest(\(Array(reasons.keys)), \(Array(reasons.values))) AS w(claim, reason)
            WHERE i.claim_id = w.claim
              AND NOT EXISTS (SELECT 1 FROM \(unescaped: schema).findings f WHERE f.claim_id = i.claim_id AND f.withdrawn_at IS NULL)
            """, logger: database.logger)
    }

    /// Items of `level` in the reviewer's region that no one holds, in work order.
    func available(_ level: ReviewLevel, for reviewer: Reviewer, limit: Int = 100) async throws -> [ItemRow] {
        try await database.transaction { connection in
            let rows = try await items(where: "state = '\(level.pendingState.rawValue)' AND admdvs LIKE '\(reviewer.scopePattern.replacingOccurrences(of: "'", with: ""))'"
                                       + " ORDER BY severity, amount DESC, enqueued_at, item_id LIMIT \(limit * 4)", on: connection)
            let byID = Dictionary(uniqueKeysWithValues: rows.map { (String($0.itemId), $0) })
            return queue(of: rows).available(at: Date()).prefix(limit).compactMap { byID[$0.id] }
        }
    }

    /// The item, locked for the rest of the transaction.
    func item(_ id: Int64, on connection: PostgresConnection) async throws -> ItemRow {
        guard let row = try await items(where: "item_id = \(id) FOR UPDATE", on: connection).first else {
            throw WorkbenchError.notFound("no workbench item \(id)")
        }
        return row
    }

    /// Takes (or renews) the lease on an item for the reviewer.
    func claim(_ row: ItemRow, by reviewer: Reviewer, for duration: TimeInterval, on connection: PostgresConnection) async throws -> Lease {
        var queue = queue(of: [row])
        let lease: Lease
        do {
            lease = try queue.claim(String(row.itemId), by: reviewer.user, at: Date(), for: duration)
        } catch QueueError.leasedByOther(let holder, let until) {
            throw WorkbenchError.conflict("item \(row.itemId) is held by \(holder) until \(until)")
        }
        try await connection.query("""
            UPDATE \(unescaped: schema).review_items SET lease_holder = \(lease.holder), lease_claimed_at = \(lease.claimedAt),
                   lease_expires_at = \(lease.expiresAt) WHERE item_id = \(row.itemId)
            """, logger: database.logger)
        return lease
    }

    /// Ends the reviewer's lease as the item is decided; a lapsed or foreign lease is refused.
    func complete(_ row: ItemRow, by reviewer: Reviewer, movingTo state: ItemState, on connection: PostgresConnection) async throws {
        var queue = queue(of: [row])
        do {
            try queue.complete(String(row.itemId), by: reviewer.user, at: Date())
        } catch {
            throw WorkbenchError.conflict("\(reviewer.user) holds no live lease on item \(row.itemId): claim it first")
        }
        try await connection.query("""
            UPDATE \(unescaped: schema).review_items SET state = \(state.rawValue), lease_holder = NULL, lease_claimed_at = NULL,
                   lease_expires_at = NULL WHERE item_id = \(row.itemId)
            """, logger: database.logger)
    }

    /// The rows as a `ReviewQueue`, each stored lease re-taken at the time it was first claimed.
    private func queue(of rows: [ItemRow]) -> ReviewQueue {
        var queue = ReviewQueue()
        for row in rows {
            queue.enqueue(row.queueItem)
            if let holder = row.leaseHolder, let claimed = row.leaseClaimedAt, let expires = row.leaseExpiresAt, expires > claimed {
                _ = try? queue.claim(String(row.itemId), by: holder, at: claimed, for: expires.timeIntervalSince(claimed))
            }
        }
        return queue
    }

    private func items(where condition: String, on connection: PostgresConnection) async throws -> [ItemRow] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT item_id, claim_id, medins_id, admdvs, severity, amount::text, state, lease_holder, lease_claimed_at,
                   lease_expires_at, enqueued_at FROM \(schema).review_items WHERE \(condition)
            """), logger: database.logger)
        var result: [ItemRow] = []
        for try await (id, claim, medins, admdvs, severity, amount, state, holder, claimed, expires, enqueued)
            in rows.decode((Int64, String, String, String, Int, String, String, String?, Date?, Date?, Date).self) {
            guard let state = ItemState(rawValue: state) else { throw WorkbenchError.conflict("item \(id) has an unknown state \(state)") }
            result.append(ItemRow(itemId: id, claimId: claim, medinsId: medins, admdvs: admdvs, severity: Severity(rawValue: severity) ?? .reminder,
                                  amount: Decimal(string: amount) ?? 0, state: state, leaseHolder: holder, leaseClaimedAt: claimed,
                                  leaseExpiresAt: expires, enqueuedAt: enqueued))
        }
        return result
    }
}

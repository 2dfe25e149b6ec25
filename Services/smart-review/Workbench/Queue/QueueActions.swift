import Foundation
import Hummingbird
import PostgresNIO
import ReviewWorkflow

/// A reviewer's conclusion on an item (初审/复审结论).
struct DecisionRequest: Decodable, Sendable {
    enum Verdict: String, Decodable, Sendable {
        /// 确认违规: `amount` is the sum to recover.
        case confirmed
        /// 不属于违规: a `reason` is required.
        case notViolation = "not_violation"
        /// 数据差错 (the institution's data, not a violation)
        case dataError = "data_error"
        /// 需现场核查
        case onSiteCheck = "on_site_check"
    }

    var decision: Verdict
    var amount: Decimal?
    var reason: String?

    func validated() throws -> Self {
        if decision == .confirmed, (amount ?? -1) < 0 { throw HTTPError(.badRequest, message: "a confirmed violation needs the amount to recover") }
        if decision == .notViolation, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw HTTPError(.badRequest, message: "not_violation needs a written reason")
        }
        return self
    }
}

/// First- and second-level decisions on items.
extension Workbench {
    var queue: WorkbenchQueue { WorkbenchQueue(database: database) }

    /// Claims an item at the reviewer's level; the first-level decider cannot take it at the second level.
    func claim(_ id: Int64, by reviewer: Reviewer, level: ReviewLevel) async throws -> Lease {
        try await perform(reviewer, "item.claimed", subject: "item:\(id)") { connection in
            let row = try await checkedItem(id, level: level, reviewer: reviewer, on: connection)
            let lease = try await queue.claim(row, by: reviewer, for: leaseDuration, on: connection)
            return (lease, ["level": "\(level.rawValue)", "expires_at": "\(lease.expiresAt)"])
        }
    }

    /// Records the decision of the reviewer's level and moves the item on: after the first level to the
    /// second level or the sampling pool, after the second level to `decided`.
    func decide(_ id: Int64, _ request: DecisionRequest, by reviewer: Reviewer, level: ReviewLevel) async throws -> [String: String] {
        let request = try request.validated()
        return try await perform(reviewer, "item.decided", subject: "item:\(id)") { connection in
            let row = try await checkedItem(id, level: level, reviewer: reviewer, on: connection)
            let sampler = SecondReviewSampler(database: database, policy: sampling)
            let next = level == .first ? sampler.stateAfterFirstDecision(row, reviewer: reviewer.user) : "decided"
            try await queue.complete(row, by: reviewer, movingTo: next, on: connection)
            let differs = try await record(request, on: row, by: reviewer, level: level, on: connection)
            if level == .first { try await sampler.drawIfDue(on: connection) }
            var details = ["level": "\(level.rawValue)", "decision": request.decision.rawValue, "state": next,
                           "amount": request.amount.map { "\($0)" } ?? "", "reason": request.reason ?? ""]
            if level == .second { details["differs_from_first"] = "\(differs)" }
            return (details, details)
        }
    }

    /// The item, locked, at the expected level and in the reviewer's region; at the second level the
    /// first-level decider is refused (初审复审岗位不相容).
    private func checkedItem(_ id: Int64, level: ReviewLevel, reviewer: Reviewer, on connection: PostgresConnection) async throws -> ItemRow {
        let row = try await queue.item(id, on: connection)
        try reviewer.requireScope(row.admdvs)
        guard row.state == level.pendingState else {
            throw HTTPError(.conflict, message: "item \(id) is \(row.state), not waiting for a level-\(level.rawValue) decision")
        }
        if level == .second {
            let history = try await history(of: [id], on: connection)[id] ?? ItemHistory(itemID: String(id))
            guard mayDecideSecondLevel(reviewer: reviewer.user, history: history) else {
                throw Refusal(reason: "\(reviewer.user) decided item \(id) at the first level and may not review it again (初审复审岗位不相容)")
            }
        }
        return row
    }

    /// Inserts the decision; at the second level returns whether it differs from the first.
    private func record(_ request: DecisionRequest, on row: ItemRow, by reviewer: Reviewer, level: ReviewLevel,
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
}

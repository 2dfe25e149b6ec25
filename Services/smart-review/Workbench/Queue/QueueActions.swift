import Foundation
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

        var chineseName: String {
            switch self {
            case .confirmed: "确认违规"
            case .notViolation: "不属于违规"
            case .dataError: "数据差错"
            case .onSiteCheck: "需现场核查"
            }
        }
    }

    var decision: Verdict
    var amount: Decimal?
    var reason: String?

    func validated() throws -> Self {
        if decision == .confirmed, (amount ?? -1) < 0 { throw WorkbenchError.malformed("a confirmed violation needs the amount to recover") }
        if decision == .notViolation, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw WorkbenchError.malformed("not_violation needs a written reason")
        }
        return self
    }
}

/// The queue's actions: viewing, claiming and deciding items at the two levels.
extension Workbench {
    /// An item with its claim, findings, decisions and answers. Viewing is recorded too; an institution
    /// sees its own items without the names of the reviewers and their leases.
    func view(_ id: Int64, by reviewer: Reviewer) async throws -> String {
        try await perform(reviewer, "item.viewed", subject: "item:\(id)") { connection in
            let row = try await queue.item(id, on: connection)
            try reviewer.requireScope(row.admdvs)
            try reviewer.requireInstitution(row.medinsId)
            return (try await queue.document(of: id, forInstitution: reviewer.role == .institution, on: connection), [:])
        }
    }

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
            let sampler = self.sampler
            let next: ItemState = level == .first ? sampler.stateAfterFirstDecision(row, reviewer: reviewer.user) : .decided
            try await queue.complete(row, by: reviewer, movingTo: next, on: connection)
            let differs = try await queue.record(request, on: row, by: reviewer, level: level, on: connection)
            if level == .first { try await sampler.drawIfDue(on: connection) }
            var details = ["level": "\(level.rawValue)", "decision": request.decision.rawValue, "state": next.rawValue,
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
            throw WorkbenchError.conflict("item \(id) is \(row.state.rawValue), not waiting for a level-\(level.rawValue) decision")
        }
        if level == .second {
            let history = try await queue.history(of: [id], on: connection)[id] ?? ItemHistory(itemID: String(id))
            guard mayDecideSecondLevel(reviewer: reviewer.user, history: history) else {
                throw WorkbenchError.refused("\(reviewer.user) decided item \(id) at the first level and may not review it again (初审复审岗位不相容)")
            }
        }
        return row
    }
}

import Foundation
import Persistence
import PostgresNIO
import ReferenceData
import ReviewWorkflow

/// The reviewers' workbench: one folder per aggregate — Queue (items and the two review levels), Cases
/// (case, proposal, legal gate, publication), Reports (whistle-blower reports and rewards), Ledgers
/// (answers, problem lists, clear-to-zero, institution file) and RuleBase. In each, the routes speak
/// HTTP, the actions (methods here) run one transaction with its audit entry, and the store holds the SQL.
/// A refusal (`WorkbenchError.isRefusal`) rolls the action back and is recorded apart.
struct Workbench: Sendable {
    let database: Database
    let reference: ReferenceData
    let secret: String
    /// How long a claimed item stays with its reviewer before it returns to the queue.
    let leaseDuration: TimeInterval
    let sampling: SamplingPolicy
    /// The whistle-blower reward schedule (举报奖励), `REVIEW_REWARD_SCHEDULE`.
    var rewards: RewardSchedule = .standard
    /// Days an institution has to rectify a confirmed problem (整改期限), unless the supervisor sets others.
    var rectificationDays = 30
    /// The penalty policy in force (裁量基准, legal-review thresholds), replaced by `PenaltyPolicyBase`.
    var penaltyPolicy = CurrentPenaltyPolicy()
    var audit: WorkbenchAudit { WorkbenchAudit(database: database) }
    var schema: String { database.schema }
    var queue: QueueStore { QueueStore(database: database) }
    var cases: CaseStore { CaseStore(database: database) }
    var reports: ReportStore { ReportStore(database: database) }
    var ledgers: LedgerStore { LedgerStore(database: database) }

    /// Runs `body` and appends its audit entry in one transaction; a refusal is recorded and rethrown.
    func perform<T: Sendable>(_ reviewer: Reviewer, _ action: String, subject: String,
                              _ body: @escaping @Sendable (PostgresConnection) async throws -> (value: T, details: [String: String])) async throws -> T {
        do {
            return try await database.transaction { connection in
                let outcome = try await body(connection)
                try await audit.append(actor: reviewer.user, action: action, subject: subject,
                                       details: outcome.details.merging(["role": reviewer.role.rawValue]) { new, _ in new },
                                       on: connection)
                return outcome.value
            }
        } catch let error as WorkbenchError where error.isRefusal {
            try await audit.recordRefusal(of: action, by: reviewer, subject: subject, reason: error.description)
            throw error
        }
    }
}

extension Reviewer {
    /// Refuses (and so records) an action on a region outside the reviewer's scope.
    func requireScope(_ region: String) throws {
        guard covers(region) else { throw WorkbenchError.refused("region \(region) is outside \(user)'s scope \(admdvs)") }
    }

    /// The LIKE pattern of the regions the reviewer covers.
    var scopePattern: String { scope.isEmpty ? "-" : scope + "%" }
}

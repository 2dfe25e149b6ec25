import Foundation
import Hummingbird
import Persistence
import PostgresNIO
import ReferenceData
import ReviewWorkflow

/// A refusal the full-process record keeps: wrong post or region, segregation of duties (403), or an
/// action the case's state forbids, such as publishing before legal approval (409).
struct Refusal: Error {
    var status: HTTPResponse.Status = .forbidden
    let reason: String
}

/// The reviewers' workbench: the two-level review queue, cases and the legal gate. Every action runs
/// in one transaction with its audit entry; a refusal rolls the action back and is recorded apart.
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
    var audit: WorkbenchAudit { WorkbenchAudit(database: database) }
    var schema: String { database.schema }

    /// The reviewer behind the bearer token, who must hold one of `roles`; a wrong post is refused and recorded.
    func authenticate(_ request: Request, roles: Set<WorkbenchRole>, action: String, subject: String) async throws -> Reviewer {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer ") else { throw HTTPError(.unauthorized, message: "a workbench bearer token is required") }
        let reviewer: Reviewer
        do {
            reviewer = try await WorkbenchToken.verify(String(header.dropFirst(7)), secret: secret)
        } catch let invalid as WorkbenchToken.Invalid {
            throw HTTPError(.unauthorized, message: invalid.description)
        }
        guard roles.contains(reviewer.role) else {
            let reason = "\(action) needs the post of \(roles.map(\.rawValue).sorted().joined(separator: " or "))"
            try await audit.recordRefusal(of: action, by: reviewer, subject: subject, reason: reason)
            throw HTTPError(.forbidden, message: reason)
        }
        return reviewer
    }

    /// Runs `body` and appends its audit entry in one transaction; a `Refusal` is recorded and answered.
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
        } catch {
            guard let refusal = error as? Refusal else { throw error }
            try await audit.recordRefusal(of: action, by: reviewer, subject: subject, reason: refusal.reason)
            throw HTTPError(refusal.status, message: refusal.reason)
        }
    }
}

extension Reviewer {
    /// Refuses (and so records) an action on a region outside the reviewer's scope.
    func requireScope(_ region: String) throws {
        guard covers(region) else { throw Refusal(reason: "region \(region) is outside \(user)'s scope \(admdvs)") }
    }

    /// The LIKE pattern of the regions the reviewer covers.
    var scopePattern: String { scope.isEmpty ? "-" : scope + "%" }
}

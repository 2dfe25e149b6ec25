import AuditTrail
import Foundation
import OperatorAccess
import Persistence
import PostgresNIO
import ReviewWorkflow

/// The penalty policy in force, read by every case action; replaced whole when a new version is published.
final class CurrentPenaltyPolicy: @unchecked Sendable {
    private let lock = NSLock()
    private var policy = PenaltyPolicy.defaults

    var value: PenaltyPolicy { lock.withLock { policy } }

    func install(_ new: PenaltyPolicy) { lock.withLock { policy = new } }
}

/// The penalty policy (`PenaltyPolicy`: 裁量基准 and legal-review thresholds) as versioned data in
/// `penalty_policies`: the newest version is installed at start-up (the defaults stored on first start),
/// and an operator publishes the next one without a release.
struct PenaltyPolicyBase: Sendable {
    let database: Database
    let current: CurrentPenaltyPolicy
    var schema: String { database.schema }

    func load() async throws {
        if let latest = try await newest() {
            current.install(latest)
        } else {
            try await store(.defaults, by: "defaults")
        }
    }

    /// Stores and installs `policy` with its audit entry; refused, naming the fields, when it is not
    /// usable or not newer.
    func publish(_ policy: PenaltyPolicy, by person: OperatorIdentity) async throws {
        let audit = AuditStore(database: database)
        try await store(policy, by: person.user) { connection in
            try await audit.append(by: person, "penalty_policy.published", subject: "penalty-policy:\(policy.version)", on: connection)
        }
    }

    private func store(_ policy: PenaltyPolicy, by publisher: String,
                       audited: @escaping @Sendable (PostgresConnection) async throws -> Void = { _ in }) async throws {
        if let problem = policy.problems.first { throw WorkbenchError.invalid("penalty policy refused: \(problem)") }
        try await database.transaction { connection in
            try await connection.query("LOCK TABLE \(unescaped: schema).penalty_policies IN EXCLUSIVE MODE", logger: database.logger)
            let rows = try await connection.query("SELECT COALESCE(max(version), 0) FROM \(unescaped: schema).penalty_policies",
                                                  logger: database.logger)
            var latest = 0
            for try await version in rows.decode(Int.self) { latest = version }
            guard policy.version > latest else {
                throw WorkbenchError.conflict("penalty policy version \(policy.version) must be greater than the current \(latest)")
            }
            try await connection.query("""
                INSERT INTO \(unescaped: schema).penalty_policies (version, body, published_by)
                VALUES (\(policy.version), \(try jsonText(policy))::jsonb, \(publisher))
                """, logger: database.logger)
            try await audited(connection)
        }
        current.install(policy)
        database.logger.notice("penalty policy published", metadata: ["version": "\(policy.version)", "by": "\(publisher)"])
    }

    private func newest() async throws -> PenaltyPolicy? {
        let rows = try await database.query("""
            SELECT body::text FROM \(unescaped: schema).penalty_policies ORDER BY version DESC LIMIT 1
            """, logger: database.logger)
        for try await body in rows.decode(String.self) { return try JSONDecoder().decode(PenaltyPolicy.self, from: Data(body.utf8)) }
        return nil
    }
}

import AuditTrail
import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// The full-process record (执法全过程记录) of the workbench: the service's shared `AuditStore`
/// (`audit_log`), which also holds the operators' actions, with the workbench's refusal record.
struct WorkbenchAudit: Sendable {
    let database: Database
    var store: AuditStore { AuditStore(database: database) }

    /// Appends one entry inside the caller's transaction, so the record and the change commit together.
    @discardableResult
    func append(actor: String, action: String, subject: String, details: [String: String],
                on connection: PostgresConnection) async throws -> AuditEntry {
        try await store.append(actor: actor, action: action, subject: subject, details: details, on: connection)
    }

    /// Records a refusal in a transaction of its own: the refused action rolled back, its refusal must not.
    func recordRefusal(of action: String, by reviewer: Reviewer, subject: String, reason: String) async throws {
        _ = try await database.transaction { connection in
            try await append(actor: reviewer.user, action: "refused", subject: subject,
                             details: ["action": action, "role": reviewer.role.rawValue, "admdvs": reviewer.admdvs, "reason": reason],
                             on: connection)
        }
    }

    /// Runs `AuditLog.verify` over every stored row, in sequence order.
    func verify() async throws -> VerificationResult { AuditLog.verify(try await store.allEntries()) }

    func entries(where condition: String, on connection: PostgresConnection) async throws -> [AuditEntry] {
        try await store.entries(where: condition, on: connection)
    }
}

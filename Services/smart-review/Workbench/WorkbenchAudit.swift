import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// The full-process record (执法全过程记录) in `audit_log`: each row is an `AuditEntry` chained to the
/// one before. Appends take a table lock so two transactions never chain onto the same predecessor.
struct WorkbenchAudit: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Appends one entry inside the caller's transaction, so the record and the change commit together.
    @discardableResult
    func append(actor: String, action: String, subject: String, details: [String: String],
                on connection: PostgresConnection) async throws -> AuditEntry {
        try await connection.query("LOCK TABLE \(unescaped: schema).audit_log IN EXCLUSIVE MODE", logger: database.logger)
        let last = try await entries(where: "sequence = (SELECT max(sequence) FROM \(schema).audit_log)", on: connection).last
        let entry = AuditEntry.next(after: last, time: Date(), actor: actor, action: action, subject: subject, details: details)
        let json = String(decoding: try JSONEncoder().encode(entry.details), as: UTF8.self)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).audit_log (sequence, at, actor, action, subject, details, previous_hash, hash)
            VALUES (\(Int64(entry.sequence)), \(entry.time), \(entry.actor), \(entry.action), \(entry.subject), \(json)::jsonb,
                    \(entry.previousHash), \(entry.hash))
            """, logger: database.logger)
        return entry
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
    func verify() async throws -> VerificationResult {
        try await database.transaction { connection in
            AuditLog.verify(try await entries(where: "true", on: connection))
        }
    }

    func entries(where condition: String, on connection: PostgresConnection) async throws -> [AuditEntry] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT sequence, at, actor, action, subject, details::text, previous_hash, hash
            FROM \(schema).audit_log WHERE \(condition) ORDER BY sequence
            """), logger: database.logger)
        var entries: [AuditEntry] = []
        for try await (sequence, at, actor, action, subject, details, previous, hash)
            in rows.decode((Int64, Date, String, String, String, String, String, String).self) {
            let map = (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? ["unreadable": details]
            entries.append(try StoredEntry(sequence: UInt64(sequence), time: at, actor: actor, action: action, subject: subject,
                                           details: map, previousHash: previous, hash: hash).entry)
        }
        return entries
    }
}

/// A stored row as `AuditEntry` reads it: the type offers no public memberwise initialiser, so the
/// row goes through its `Codable` form, which keeps every field as stored (a tampered row stays tampered).
private struct StoredEntry: Encodable {
    var sequence: UInt64
    var time: Date
    var actor: String
    var action: String
    var subject: String
    var details: [String: String]
    var previousHash: String
    var hash: String

    var entry: AuditEntry {
        get throws { try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(self)) }
    }
}

import AuditChain
import Foundation
import OperatorAccess
import Persistence
import PostgresNIO

/// A service's tamper-evident record of who did what (`audit_log` in its own schema): each row an
/// `AuditEntry` chained to the one before. The one implementation every service uses; appends
/// take a table lock so two transactions never chain onto the same predecessor.
public struct AuditStore: Sendable {
    public let database: Database
    var schema: String { database.schema }

    public init(database: Database) { self.database = database }

    /// The table, append-only by trigger (a migration of each service; smart-review's workbench
    /// created the same table in its migration 2).
    public static let tableSQL = """
        CREATE TABLE {schema}.audit_log (
          sequence bigint PRIMARY KEY,
          at timestamptz NOT NULL,
          actor text NOT NULL,
          action text NOT NULL,
          subject text NOT NULL,
          details jsonb NOT NULL,
          previous_hash text NOT NULL,
          hash text NOT NULL);
        CREATE FUNCTION {schema}.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {schema}.audit_log
          FOR EACH ROW EXECUTE FUNCTION {schema}.audit_log_append_only();
        """

    /// Appends one entry inside the caller's transaction, so the record and the change commit together.
    @discardableResult
    public func append(actor: String, action: String, subject: String, details: [String: String],
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

    /// An operator's action, named by the person and the roles their token carried.
    @discardableResult
    public func append(by person: OperatorIdentity, _ action: String, subject: String, details: [String: String] = [:],
                       on connection: PostgresConnection) async throws -> AuditEntry {
        var details = details
        details["roles"] = person.roles.map(\.rawValue).sorted().joined(separator: ",")
        return try await append(actor: person.user, action: action, subject: subject, details: details, on: connection)
    }

    /// An operator's action recorded in a transaction of its own (for actions whose own transaction
    /// lies in a module that takes no connection; the entry follows their commit).
    @discardableResult
    public func record(by person: OperatorIdentity, _ action: String, subject: String, details: [String: String] = [:]) async throws -> AuditEntry {
        try await database.transaction { connection in
            try await append(by: person, action, subject: subject, details: details, on: connection)
        }
    }

    /// Every stored row in sequence order, as stored.
    public func allEntries() async throws -> [AuditEntry] {
        try await database.transaction { connection in try await entries(where: "true", on: connection) }
    }

    /// The last entry's sequence and hash: what the head publisher announces.
    public func head() async throws -> AuditHead? {
        try await database.transaction { connection in
            try await entries(where: "sequence = (SELECT max(sequence) FROM \(schema).audit_log)", on: connection).last
                .map { AuditHead(sequence: $0.sequence, hash: $0.hash) }
        }
    }

    public func entries(where condition: String, on connection: PostgresConnection) async throws -> [AuditEntry] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT sequence, at, actor, action, subject, details::text, previous_hash, hash
            FROM \(schema).audit_log WHERE \(condition) ORDER BY sequence
            """), logger: database.logger)
        var entries: [AuditEntry] = []
        for try await (sequence, at, actor, action, subject, details, previous, hash)
            in rows.decode((Int64, Date, String, String, String, String, String, String).self) {
            let map = (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? ["unreadable": details]
            entries.append(AuditEntry(sequence: UInt64(sequence), time: at, actor: actor, action: action, subject: subject,
                                      details: map, previousHash: previous, hash: hash))
        }
        return entries
    }
}

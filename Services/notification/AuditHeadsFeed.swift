import Events
import Foundation
import Persistence
import PostgresNIO
import ServiceKit

/// Every service's audit chain heads as announced on `audit.<service>`, kept as received and shown
/// on the public feed (`/public/audit-heads`): the outside anchor `medsup verify-audit` checks
/// the chains against. A head, once here, is never changed.
struct AuditHeadsFeed: Sendable {
    let database: Database
    var schema: String { database.schema }

    static let migration = Migration(10, "audit chain heads of every service, as announced", """
        CREATE TABLE {schema}.audit_heads (
          service text NOT NULL,
          chain text NOT NULL,
          sequence bigint NOT NULL,
          hash text NOT NULL,
          head_time timestamptz NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (service, chain, sequence));
        """)

    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    func apply(_ event: CloudEvent, on connection: PostgresConnection) async throws {
        let head: AuditHeadAnnouncement
        do {
            head = try event.decode(AuditHeadAnnouncement.self)
        } catch {
            throw Malformed(description: "audit head event \(event.id) cannot be read: \(error)")
        }
        // The first announcement of a sequence stands: a later one with another hash is itself evidence, kept in the log.
        try await connection.query("""
            INSERT INTO \(unescaped: schema).audit_heads (service, chain, sequence, hash, head_time)
            VALUES (\(head.service), \(head.chain), \(Int64(head.sequence)), \(head.hash), \(head.time)) ON CONFLICT DO NOTHING
            """, logger: database.logger)
    }

    /// The heads of one service or all, oldest first.
    func heads(service: String?) async throws -> [AuditHeadAnnouncement] {
        let rows = try await database.query("""
            SELECT service, chain, sequence, hash, head_time FROM \(unescaped: schema).audit_heads
            WHERE \(service)::text IS NULL OR service = \(service) ORDER BY service, chain, sequence
            """, logger: database.logger)
        var heads: [AuditHeadAnnouncement] = []
        for try await (service, chain, sequence, hash, time) in rows.decode((String, String, Int64, String, Date).self) {
            heads.append(AuditHeadAnnouncement(service: service, chain: chain, sequence: UInt64(sequence), hash: hash, time: time))
        }
        return heads
    }
}

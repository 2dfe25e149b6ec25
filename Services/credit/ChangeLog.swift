import Events
import Logging
import Persistence
import PostgresNIO

/// Every grade, points, list or suspension change: kept in `changes` (the history the charts and
/// files read) and published on `credit.changes` through the outbox, in the caller's transaction.
struct ChangeLog: Sendable {
    let schema: String

    func publish(_ changes: [CreditChanged], traceparent: String? = nil, on connection: PostgresConnection, logger: Logger) async throws {
        guard !changes.isEmpty else { return }
        for change in changes {
            try await connection.query("""
                INSERT INTO \(unescaped: schema).changes (change_id, subject_kind, subject_id, change, effective_from, payload)
                VALUES (\(change.changeId), \(change.subjectKind), \(change.subjectId), \(change.change), \(change.effectiveFrom),
                        \(try Stored.json(change))::jsonb)
                ON CONFLICT (change_id) DO NOTHING
                """, logger: logger)
        }
        let entries = try changes.map { change in
            Outbox.Entry(try CloudEvent(id: change.eventID, source: "/credit", type: EventType.creditChange,
                                        traceparent: traceparent, encoding: change),
                         topic: Topic.creditChanges, key: change.subjectId)
        }
        try await Outbox.enqueue(entries, schema: schema, on: connection, logger: logger)
    }

    /// A subject's changes, oldest first.
    func history(kind: String, id: String, change: String? = nil, on connection: PostgresConnection, logger: Logger) async throws -> [CreditChanged] {
        let rows = try await connection.query("""
            SELECT payload::text FROM \(unescaped: schema).changes
            WHERE subject_kind = \(kind) AND subject_id = \(id) AND (\(change)::text IS NULL OR change = \(change)) ORDER BY seq
            """, logger: logger)
        var result: [CreditChanged] = []
        for try await text in rows.decode(String.self) { result.append(try Stored.decode(CreditChanged.self, text)) }
        return result
    }
}

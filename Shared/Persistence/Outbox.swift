import Events
import Foundation
import Kafka
import NIOCore
import PostgresNIO

/// The transactional outbox: a service writes its state change and the events it must publish in
/// one transaction; `OutboxRelay` publishes them afterwards. An event is never published for a
/// change that rolled back, and never lost for one that committed.
public enum Outbox {
    /// Adds an event to publish, inside the caller's transaction. The same event id twice is one row.
    public static func enqueue(_ event: CloudEvent, topic: String, key: String?, schema: String,
                               on connection: PostgresConnection, logger: Logger) async throws {
        let headers = try String(decoding: JSONEncoder().encode(Dictionary(uniqueKeysWithValues: event.kafkaHeaders.map { ($0.key, $0.stringValue) })),
                                 as: UTF8.self)
        let keyBytes = key.map { ByteBuffer(string: $0) }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox (event_id, topic, key, headers, payload)
            VALUES (\(event.id), \(topic), \(keyBytes), \(headers)::jsonb, \(ByteBuffer(bytes: event.data)))
            ON CONFLICT (event_id) DO NOTHING
            """, logger: logger)
    }
}

/// The idempotent consumer's memory: which events a consumer has applied, written in the same
/// transaction as their effects, so a redelivered event changes nothing.
public enum Inbox {
    /// Records the event for this consumer; false when it was already applied.
    public static func firstDelivery(of eventID: String, consumer: String, schema: String,
                                     on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).inbox (consumer, event_id) VALUES (\(consumer), \(eventID))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }
}

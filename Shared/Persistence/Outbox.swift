import Events
import Foundation
import Kafka
import NIOCore
import PostgresNIO

/// The transactional outbox: a service writes its state change and the events it must publish in
/// one transaction; `OutboxRelay` publishes them afterwards. An event is never published for a
/// change that rolled back, and never lost for one that committed.
public enum Outbox {
    /// An event to publish, with its topic and partitioning key.
    public struct Entry: Sendable {
        public var event: CloudEvent
        public var topic: String
        public var key: String?

        public init(_ event: CloudEvent, topic: String, key: String?) {
            self.event = event
            self.topic = topic
            self.key = key
        }
    }

    /// Adds an event to publish, inside the caller's transaction. The same event id twice is one row.
    public static func enqueue(_ event: CloudEvent, topic: String, key: String?, schema: String,
                               on connection: PostgresConnection, logger: Logger) async throws {
        try await enqueue([Entry(event, topic: topic, key: key)], schema: schema, on: connection, logger: logger)
    }

    /// Adds many events in one statement (the batch paths write thousands per transaction).
    public static func enqueue(_ entries: [Entry], schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let headers = try entries.map { entry in
            String(decoding: try encoder.encode(Dictionary(uniqueKeysWithValues: entry.event.kafkaHeaders.map { ($0.key, $0.stringValue) })), as: UTF8.self)
        }
        // Rows keep the order given: the relay publishes by `seq`.
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox (event_id, topic, key, headers, payload)
            SELECT id, topic, convert_to(NULLIF(key, ''), 'UTF8'), headers::jsonb, convert_to(payload, 'UTF8')
            FROM unnest(\(entries.map(\.event.id)), \(entries.map(\.topic)), \(entries.map { $0.key ?? "" }), \(headers),
                        \(entries.map { String(decoding: $0.event.data, as: UTF8.self) })) WITH ORDINALITY AS e(id, topic, key, headers, payload, n)
            ORDER BY n
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

    /// Records a run of events for this consumer in one statement; returns the ids not applied before.
    public static func firstDeliveries(of eventIDs: [String], consumer: String, schema: String,
                                       on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).inbox (consumer, event_id) SELECT \(consumer), id FROM unnest(\(eventIDs)) AS t(id)
            ON CONFLICT DO NOTHING RETURNING event_id
            """, logger: logger)
        var fresh = Set<String>()
        for try await id in rows.decode(String.self) { fresh.insert(id) }
        return fresh
    }
}

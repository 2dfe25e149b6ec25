import Events
import Foundation
import HISContract
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
        /// Set when the event's payload is a record the service keeps anyway: the row names it
        /// (`payload_ref`) instead of holding a copy, and the relay's `OutboxPayloadSource` reads it
        /// back when publishing. The event's `data` is then not stored.
        public var payloadReference: String?
        /// Set when the row stands for several events of one topic, each by reference (`Member`):
        /// a round of intake's accepted claims is one row instead of one per claim. The relay
        /// publishes each member with `event`'s headers, its own `ce_id`, key and trace, and leaves the
        /// row once every member is published or parked; `event`'s own id only names the row.
        public var members: [Member] = []

        public init(_ event: CloudEvent, topic: String, key: String?) {
            self.event = event
            self.topic = topic
            self.key = key
        }

        public init(_ event: CloudEvent, topic: String, key: String?, payloadReference: String) {
            self.init(event, topic: topic, key: key)
            self.payloadReference = payloadReference
        }

        public init(_ event: CloudEvent, topic: String, members: [Member]) {
            self.init(event, topic: topic, key: nil)
            self.members = members
        }
    }

    /// One event of a row that stands for several (`Entry.members`).
    public struct Member: Sendable, Equatable {
        public var eventID: String
        public var key: String?
        public var payloadReference: String
        public var traceparent: String?

        public init(eventID: String, key: String?, payloadReference: String, traceparent: String?) {
            self.eventID = eventID
            self.key = key
            self.payloadReference = payloadReference
            self.traceparent = traceparent
        }

        /// The members as the row's `members` column holds them: a JSON array of
        /// `[event id, key, reference, traceparent]`, empty strings for none.
        static func json(_ members: [Member]) -> [UInt8] {
            var json = JSONWriter(capacity: members.count * 160)
            json.array(members) { json, member in
                json.array([member.eventID, member.key ?? "", member.payloadReference, member.traceparent ?? ""]) { $0.string($1) }
            }
            return json.bytes
        }

        static func read(_ json: [UInt8]) throws -> [Member] {
            var members: [Member] = []
            try JSONScanner.read(json) { scanner in
                try scanner.array { scanner in
                    let fields = try scanner.stringArray()
                    guard fields.count == 4 else { throw scanner.mismatch() }
                    members.append(Member(eventID: fields[0], key: fields[1].isEmpty ? nil : fields[1], payloadReference: fields[2],
                                          traceparent: fields[3].isEmpty ? nil : fields[3]))
                }
            }
            return members
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
        precondition(entries.allSatisfy { $0.payloadReference == nil && $0.members.isEmpty }, "payloads by reference are written with `copy`")
        OutboxWrites.marker?.mark()
        // Rows keep the order given: the relay publishes by `seq`.
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox (event_id, topic, key, headers, payload)
            SELECT id, topic, convert_to(NULLIF(key, ''), 'UTF8'), headers::json, convert_to(payload, 'UTF8')
            FROM unnest(\(entries.map(\.event.id)), \(entries.map(\.topic)), \(entries.map { $0.key ?? "" }),
                        \(entries.map { String(decoding: headers($0.event), as: UTF8.self) }),
                        \(entries.map { String(decoding: $0.event.data, as: UTF8.self) })) WITH ORDINALITY AS e(id, topic, key, headers, payload, n)
            ORDER BY n
            ON CONFLICT (event_id) DO NOTHING
            """, logger: logger)
    }

    /// Adds the events of rows new in this transaction (whose ids cannot be in the outbox yet)
    /// through COPY, in the order given: the hot path's way, a fraction of `enqueue`'s cost.
    public static func copy(_ entries: [Entry], schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        OutboxWrites.marker?.mark()
        if entries.count == 1 { return try await insert(entries[0], schema: schema, on: connection, logger: logger) }
        var rows = CopyRows(capacity: entries.reduce(0) { $0 + ($1.payloadReference == nil ? 2 * $1.event.data.count : 0) + 512 })
        for entry in entries {
            rows.text(entry.event.id)
            rows.text(entry.topic)
            if let key = entry.key, !key.isEmpty { rows.bytea(key.utf8) } else { rows.text(nil) }
            rows.bytes(headers(entry.event))
            if !entry.members.isEmpty {
                rows.text(nil)
                rows.text(nil)
                rows.bytes(Member.json(entry.members))
            } else if let reference = entry.payloadReference {
                rows.text(nil)
                rows.text(reference)
                rows.text(nil)
            } else {
                rows.bytea(entry.event.data)
                rows.text(nil)
                rows.text(nil)
            }
            rows.endRow()
        }
        try await connection.copy(rows, into: "outbox", columns: ["event_id", "topic", "key", "headers", "payload", "payload_ref", "members"],
                                  schema: schema, logger: logger)
    }

    /// One row (a group commit's row of members, most often) in one round trip: a COPY takes two,
    /// the server's answer to it awaited before the data goes.
    private static func insert(_ entry: Entry, schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        let key = entry.key.flatMap { $0.isEmpty ? nil : ByteBuffer(string: $0) }
        let members = entry.members.isEmpty ? nil : String(decoding: Member.json(entry.members), as: UTF8.self)
        let reference = members == nil ? entry.payloadReference : nil
        let payload = members == nil && reference == nil ? ByteBuffer(bytes: entry.event.data) : nil
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox (event_id, topic, key, headers, payload, payload_ref, members)
            VALUES (\(entry.event.id), \(entry.topic), \(key), \(String(decoding: headers(entry.event), as: UTF8.self))::json, \(payload),
                    \(reference), \(members))
            """, logger: logger)
    }

    /// Rows of members (a group commit's round of accepted claims, each event by reference) as a
    /// write that travels with the round's others in one statement (`CombinedWrites`); none is a
    /// write that does nothing. Entries without members go through `copy`.
    public struct MemberRows: WriteFragment {
        public static let sql = """
            INSERT INTO outbox (event_id, topic, headers, members)
            SELECT id, topic, headers::json, members FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(id, topic, headers, members)
            """
        private var ids: [String] = [], topics: [String] = [], headers: [String] = [], members: [String] = []

        public init(_ entries: [Entry]) {
            for entry in entries {
                precondition(!entry.members.isEmpty && entry.key == nil, "an outbox row of members has no key of its own")
                ids.append(entry.event.id)
                topics.append(entry.topic)
                headers.append(String(decoding: Outbox.headers(entry.event), as: UTF8.self))
                members.append(String(decoding: Member.json(entry.members), as: UTF8.self))
            }
            if !entries.isEmpty { OutboxWrites.marker?.mark() }
        }

        public func bind(into bindings: inout PostgresBindings) {
            bindings.append(ids)
            bindings.append(topics)
            bindings.append(headers)
            bindings.append(members)
        }
    }

    /// The event's Kafka headers as a JSON object, as the relay reads them back.
    static func headers(_ event: CloudEvent) -> [UInt8] { headers(event.kafkaHeaders) }

    /// Headers as a JSON object, in key order (outbox rows, and the dead letters the relay parks).
    static func headers(_ headers: [KafkaHeader]) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.object { json in
            for header in headers.sorted(by: { $0.key < $1.key }) { json.member(header.key, header.stringValue) }
        }
        return json.bytes
    }
}

/// Reads back the payloads of outbox rows written by reference (`Outbox.Entry.payloadReference`),
/// in the relay's transaction, a batch at a time. A reference it does not return is an event the
/// relay cannot publish: it goes to the dead letters, naming the reference.
public protocol OutboxPayloadSource: Sendable {
    func payloads(_ references: [String], on connection: PostgresConnection) async throws -> [String: [UInt8]]
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

import Kafka
import Logging
import NIOCore
import PostgresNIO

/// The relay's writes to the outbox table: marking rows published and moving refused rows to the
/// dead letters, both in the relay's transaction.
struct OutboxRows {
    let schema: String
    let logger: Logger

    /// Marks rows by ranges of consecutive sequence numbers (a batch is one or a few ranges), so
    /// the statement does not grow with the batch. Only runs of seqs the relay read are marked: a
    /// row of a transaction that committed late with a lower seq sits in a gap and stays unpublished.
    ///
    /// A row by reference, or of several events by reference, is deleted instead: what it published is the row it refers to, which its
    /// service keeps (intake's claims), so the outbox row holds nothing to audit or replay, and
    /// marking it cost every claim a second row version with two more index entries (the update
    /// changes the partial index's predicate, so it is never a HOT update).
    func markPublished(_ seqs: [Int64], on connection: PostgresConnection) async throws {
        let runs = Self.runs(seqs)
        guard !runs.isEmpty else { return }
        try await connection.query("""
            WITH r AS (SELECT * FROM unnest(\(runs.map(\.lowerBound)), \(runs.map(\.upperBound))) AS r(lo, hi)),
                 by_reference AS (DELETE FROM \(unescaped: schema).outbox o USING r
                                  WHERE o.seq BETWEEN r.lo AND r.hi AND o.published_at IS NULL
                                    AND (o.payload_ref IS NOT NULL OR o.members IS NOT NULL))
            UPDATE \(unescaped: schema).outbox o SET published_at = now() FROM r
            WHERE o.seq BETWEEN r.lo AND r.hi AND o.published_at IS NULL AND o.payload_ref IS NULL AND o.members IS NULL
            """, logger: logger)
    }

    /// Moves refused rows to `dead_letters` (source `outbox`, the broker's error), in one statement.
    /// A row written by reference parks the payload read for it (`payload`), or, unread, its reference.
    func moveToDeadLetters(_ refused: [(seq: Int64, error: String, payload: [UInt8]?)], on connection: PostgresConnection) async throws {
        guard !refused.isEmpty else { return }
        let payloads = refused.map { ByteBuffer(bytes: $0.payload ?? []) }, read = refused.map { $0.payload != nil }
        try await connection.query("""
            WITH refused AS (SELECT * FROM unnest(\(refused.map(\.seq)), \(refused.map(\.error)), \(payloads), \(read)) AS r(seq, error, payload, read)),
                 moved AS (DELETE FROM \(unescaped: schema).outbox o USING refused r WHERE o.seq = r.seq
                           RETURNING o.seq, o.event_id, o.topic, o.key, o.headers,
                                     COALESCE(o.payload, CASE WHEN r.read THEN r.payload ELSE convert_to(o.payload_ref, 'UTF8') END) AS payload, r.error)
            INSERT INTO \(unescaped: schema).dead_letters (source, consumer, topic, event_id, error, headers, payload, outbox_seq, event_key)
            SELECT 'outbox', 'outbox-relay', topic, event_id, error, headers::jsonb, payload, seq, key FROM moved ORDER BY seq
            """, logger: logger)
    }

    /// A member of a row of several events as the relay publishes it (`Outbox.Member`).
    struct MemberMessage {
        var eventID: String
        var topic: String
        var key: [UInt8]?
        var headers: [KafkaHeader]
        var reference: String

        init(_ member: Outbox.Member, topic: String, headers: [KafkaHeader]) {
            self.eventID = member.eventID
            self.reference = member.payloadReference
            self.topic = topic
            self.key = member.key.map { Array($0.utf8) }
            self.headers = headers
        }

        func message(_ value: [UInt8]) -> KafkaProducerMessage {
            KafkaProducerMessage(topic: topic, key: key, value: value, headers: headers)
        }
    }

    struct RefusedMember {
        var seq: Int64
        var message: MemberMessage
        var error: String
        /// The payload read for it; unread, its reference is parked instead.
        var payload: [UInt8]?
    }

    /// Parks refused members of rows of several events in `dead_letters` (source `outbox`, the
    /// row's seq), each as the event it would have been; the row itself leaves as published.
    func park(_ refused: [RefusedMember], on connection: PostgresConnection) async throws {
        guard !refused.isEmpty else { return }
        let headers = refused.map { String(decoding: Outbox.headers($0.message.headers), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).dead_letters (source, consumer, topic, event_id, error, headers, payload, outbox_seq, event_key)
            SELECT 'outbox', 'outbox-relay', topic, event_id, error, headers::jsonb, payload, seq, NULLIF(key, ''::bytea)
            FROM unnest(\(refused.map(\.message.topic)), \(refused.map(\.message.eventID)), \(refused.map(\.error)), \(headers),
                        \(refused.map { ByteBuffer(bytes: $0.payload ?? Array($0.message.reference.utf8)) }), \(refused.map(\.seq)), \(refused.map { ByteBuffer(bytes: $0.message.key ?? []) }))
                 WITH ORDINALITY AS r(topic, event_id, error, headers, payload, seq, key, n)
            ORDER BY n
            """, logger: logger)
    }

    /// Sorted sequence numbers as closed ranges of consecutive values.
    static func runs(_ seqs: [Int64]) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for seq in seqs.sorted() {
            if let last = runs.last, seq == last.upperBound + 1 {
                runs[runs.count - 1] = last.lowerBound...seq
            } else if runs.last?.contains(seq) != true {
                runs.append(seq...seq)
            }
        }
        return runs
    }
}

import Events
import Foundation
import Logging
import NotificationRules
import Persistence
import PostgresNIO
import Timing

/// A delivery the dispatcher leased for one attempt.
struct ClaimedDelivery: Sendable {
    var id: String
    var subscriberID: String
    var channel: String
    var url: String?
    var body: String
    var eventType: String
    var caseID: String
    var attempts: Int
    var firstAttemptAt: Date?
    var secrets: [String]
}

/// What one attempt came to; every attempt is kept with it.
struct AttemptOutcome: Sendable {
    var delivered: Bool
    var httpStatus: Int?
    var error: String?
    var response: String?
}

/// The delivery queue in PostgreSQL: leases, attempts, retries and the dead-letter list.
struct DeliveryStore: Sendable {
    let database: Database
    let retry: RetryPolicy
    let ackWindowSeconds: Int
    let sealer: SecretSealer
    var schema: String { database.schema }

    /// Leases due deliveries, never more per subscriber than its `max_in_flight` minus those in
    /// flight, and only the oldest pending one of a subscriber that asked for ordering. Claims are
    /// serialised across replicas by an advisory lock; a lease outlives the request timeout, so a
    /// crashed replica's deliveries are tried again (at least once).
    func claim(limit: Int, lease: Duration) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let seconds = lease.inSeconds
        return try await database.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("notify-claim:" + schema)))", logger: database.logger)
            let rows = try await connection.query(claimQuery(limit: limit, leaseSeconds: seconds), logger: database.logger)
            var claimed: [ClaimedDelivery] = []
            for try await (id, subscriber, channel, url, body, type, caseID, attempts, first, secrets)
                in rows.decode((String, String, String, String?, String, String, String, Int, Date?, [String]).self) {
                claimed.append(ClaimedDelivery(id: id, subscriberID: subscriber, channel: channel, url: url, body: body, eventType: type,
                                               caseID: caseID, attempts: attempts, firstAttemptAt: first,
                                               // A secret that does not open signs nothing; none left answers "no active signing secret".
                                               secrets: secrets.compactMap { try? sealer.open($0) }))
            }
            return claimed
        }
    }

    private func claimQuery(limit: Int, leaseSeconds: Double) -> PostgresQuery {
        """
        WITH busy AS (
          SELECT subscriber_id, count(*) AS n FROM \(unescaped: schema).deliveries
          WHERE status = 'pending' AND lease_until > now() GROUP BY subscriber_id),
        heads AS (
          SELECT subscriber_id, min(seq) AS seq FROM \(unescaped: schema).deliveries WHERE status = 'pending' GROUP BY subscriber_id),
        candidates AS (
          SELECT d.id, d.seq, row_number() OVER (PARTITION BY d.subscriber_id ORDER BY d.seq) AS n, s.max_in_flight - coalesce(b.n, 0) AS free
          FROM \(unescaped: schema).deliveries d
          JOIN \(unescaped: schema).subscribers s ON s.id = d.subscriber_id
          LEFT JOIN busy b ON b.subscriber_id = d.subscriber_id
          LEFT JOIN heads h ON h.subscriber_id = d.subscriber_id
          WHERE d.status = 'pending' AND s.active AND d.next_attempt_at <= now()
            AND (d.lease_until IS NULL OR d.lease_until <= now()) AND (NOT s.ordered OR d.seq = h.seq))
        UPDATE \(unescaped: schema).deliveries d SET lease_until = now() + make_interval(secs => \(leaseSeconds))
        FROM (SELECT id FROM candidates WHERE n <= free ORDER BY seq LIMIT \(limit)) picked, \(unescaped: schema).subscribers s
        WHERE d.id = picked.id AND s.id = d.subscriber_id
        RETURNING d.id, d.subscriber_id, s.channel, s.url, d.body, d.event_type, d.case_id, d.attempts, d.first_attempt_at,
          coalesce((SELECT array_agg(w.secret ORDER BY w.id) FROM \(unescaped: schema).webhook_secrets w
                    WHERE w.subscriber_id = s.id AND (w.expires_at IS NULL OR w.expires_at > now())), '{}')
        """
    }

    /// Records the attempt and its answer, and moves the delivery on: delivered (with the
    /// acknowledgement due date when feedback is expected), retried later, or dead-lettered.
    func record(_ delivery: ClaimedDelivery, started: Date, outcome: AttemptOutcome, on connection: PostgresConnection) async throws {
        let attempt = delivery.attempts + 1
        let firstAttempt = delivery.firstAttemptAt ?? started
        try await connection.query("""
            INSERT INTO \(unescaped: schema).attempts (delivery_id, attempt, channel, started_at, http_status, outcome, error, response)
            VALUES (\(delivery.id), \(attempt), \(delivery.channel), \(started), \(outcome.httpStatus),
                    \(outcome.delivered ? "delivered" : "failed"), \(outcome.error), \(outcome.response))
            """, logger: database.logger)
        if outcome.delivered {
            try await connection.query("""
                UPDATE \(unescaped: schema).deliveries SET status = 'delivered', attempts = \(attempt), first_attempt_at = \(firstAttempt),
                  delivered_at = now(), lease_until = NULL, last_error = NULL,
                  ack_due_at = CASE WHEN expects_feedback THEN now() + make_interval(secs => \(ackWindowSeconds)) END
                WHERE id = \(delivery.id)
                """, logger: database.logger)
            return
        }
        var random = SystemRandomNumberGenerator()
        let next = retry.nextAttempt(after: attempt, at: Date(), firstAttemptAt: firstAttempt, random: &random)
        try await connection.query("""
            UPDATE \(unescaped: schema).deliveries SET attempts = \(attempt), first_attempt_at = \(firstAttempt), lease_until = NULL,
              last_error = \(outcome.error ?? "HTTP \(outcome.httpStatus ?? 0)"),
              status = CASE WHEN \(next == nil) THEN 'dead' ELSE 'pending' END, next_attempt_at = \(next ?? Date()),
              dead_at = CASE WHEN \(next == nil) THEN now() END
            WHERE id = \(delivery.id)
            """, logger: database.logger)
    }

    /// A Kafka subscriber's delivery is its CloudEvent on `notify.<subscriber>`, put in the outbox
    /// in the same transaction that marks it delivered (the relay then publishes it).
    func deliverToTopic(_ delivery: ClaimedDelivery) async throws {
        let started = Date()
        let event = CloudEvent(id: delivery.id, source: "/notification", type: delivery.eventType, data: Array(delivery.body.utf8))
        try await database.transaction { connection in
            try await Outbox.enqueue(event, topic: Topic.notify(delivery.subscriberID), key: delivery.caseID, schema: schema,
                                     on: connection, logger: database.logger)
            try await record(delivery, started: started, outcome: AttemptOutcome(delivered: true, response: "enqueued on \(Topic.notify(delivery.subscriberID))"),
                             on: connection)
        }
    }

    func record(_ delivery: ClaimedDelivery, started: Date, outcome: AttemptOutcome) async throws {
        try await database.transaction { connection in try await record(delivery, started: started, outcome: outcome, on: connection) }
    }

    /// Puts a dead letter back in the queue with a fresh retry budget; its attempts stay on record.
    /// Nil `id` replays every dead letter of `subscriberID`. Returns the ids replayed.
    func replay(id: String?, subscriberID: String?) async throws -> [String] {
        // A transaction: a replay given up must not count on its own later (`Database.read`).
        try await database.transaction { [schema, logger = database.logger] connection in
            let rows = try await connection.query("""
                UPDATE \(unescaped: schema).deliveries SET status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = now(),
                  dead_at = NULL, replays = replays + 1
                WHERE status = 'dead' AND (\(id)::text IS NULL OR id = \(id)) AND (\(subscriberID)::text IS NULL OR subscriber_id = \(subscriberID))
                RETURNING id
                """, logger: logger)
            return try await rows.decode(String.self).reduce(into: []) { $0.append($1) }
        }
    }
}

import Foundation
import HISContract
import Kafka
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Publishes outbox rows to Kafka in order, and marks them sent only after the broker acknowledged
/// them. One relay per schema publishes at a time (an advisory lock), which keeps per-key order.
/// Killed between publish and mark, the relay publishes those rows again on restart with the same
/// `ce_id`; the consumers' inbox turns that into exactly one effect.
///
/// A row the broker refuses for good (too large, invalid or unknown topic, no right to write it:
/// `KafkaError.isPermanent`) is moved to the schema's `dead_letters` (source `outbox`) with the
/// broker's error, and the rows after it go on: one poison event must not stall the schema. A
/// transient failure stops the round at that row, so the rows after it wait and keep their order.
public final class OutboxRelay: Service, Sendable {
    public struct Options: Sendable {
        public var batchSize = 1_000
        /// The pause after a round that found less than a batch (so that more gathers).
        public var idleInterval: Duration = .milliseconds(20)
        /// The pause after a round that found nothing: a commit in this process that wrote to the
        /// outbox ends it at once (`OutboxBell`); a write of another process waits at most this long.
        public var emptyInterval: Duration = .seconds(1)
        /// Published rows are deleted after this long (they stay for audit and replay until then);
        /// rows by reference are deleted as they are published (`OutboxRows.markPublished` says why).
        public var retention: Duration = .seconds(24 * 3600)
        /// How often the relay vacuums the outbox itself (zero: never; autovacuum's own pace
        /// then). A published row leaves a dead entry in the index of unpublished rows until a
        /// vacuum, and every round's scan steps over all of them: autovacuum, at most once a minute,
        /// let 60,000 gather at 1,000 claims/s, and the scan cost 3-4 ms instead of 0.5 (EXPLAIN on a
        /// copy; 37 µs of PostgreSQL's time per claim under scripts/profile.sh).
        public var vacuumInterval: Duration = .seconds(2)
        public init() {}
    }

    private let database: Database
    private let producer: KafkaProducer
    private let options: Options
    private let payloads: (any OutboxPayloadSource)?
    /// Test hook: called with the rows acknowledged, after the broker acknowledged and before they are marked.
    private let afterPublish: (@Sendable ([Int64]) async throws -> Void)?
    private let published: Counter
    private let parked: Counter

    public init(database: Database, producer: KafkaProducer, options: Options = Options(), payloads: (any OutboxPayloadSource)? = nil,
                afterPublish: (@Sendable ([Int64]) async throws -> Void)? = nil) {
        self.database = database
        self.producer = producer
        self.options = options
        self.payloads = payloads
        self.afterPublish = afterPublish
        self.published = Counter(label: "outbox_published_total", dimensions: [("schema", database.schema)])
        self.parked = Counter(label: "outbox_dead_lettered_total", dimensions: [("schema", database.schema)])
    }

    public func run() async throws {
        let state = RelayState()
        try await repeatUntilShutdown(pause: { state.pause }, bell: OutboxBell.of(database.schema)) { [self] in
            let (count, more) = try await publishBatch()
            // A full batch means more is waiting: go on at once. Less lets more gather first, and a
            // commit's bell does not cut that pause short (it only ends the long wait after an empty
            // round): woken by every commit, the relay ran a round of five statements for each of
            // intake's group commits.
            if count > 0, !more { try await LoopSleep.sleep(for: options.idleInterval) }
            state.pause = count == 0 ? options.emptyInterval : .zero
            if ContinuousClock.now - state.lastCleanup > .seconds(60) {
                try await deletePublished()
                state.lastCleanup = .now
            }
            if options.vacuumInterval > .zero, ContinuousClock.now - state.lastVacuum > options.vacuumInterval {
                await vacuum()
                state.lastVacuum = .now
            }
        }
    }

    /// Publishes until nothing is left; returns how many rows left the outbox (published or dead-lettered).
    @discardableResult
    public func drain() async throws -> Int {
        var total = 0
        while case let (count, _) = try await publishBatch(), count > 0 { total += count }
        return total
    }

    /// One batch in one transaction, under a transaction-scoped advisory lock: a second relay of
    /// the same schema (another replica) skips instead of publishing the same rows concurrently.
    /// Returns how many events were settled (published or dead-lettered) and whether a full batch
    /// was waiting; throws the transient error of the first row when no row could be settled.
    private func publishBatch() async throws -> (settled: Int, more: Bool) {
        let schema = database.schema
        return try await database.transaction { [self] connection in
            let (rows, more) = try await pending(on: connection)
            guard !rows.isEmpty else { return (0, false) }
            let round = try await settle(rows, outcomes: try await producer.deliver(rows.flatMap { $0.events.compactMap(\.message) }))
            try await afterPublish?(round.published)
            let store = OutboxRows(schema: schema, logger: database.logger)
            try await store.markPublished(round.published, on: connection)
            try await store.moveToDeadLetters(round.refused, on: connection)
            try await store.park(round.refusedMembers, on: connection)
            for refusal in round.refused {
                database.logger.error("event refused by the broker for good; moved to dead letters",
                                      metadata: ["seq": "\(refusal.seq)", "error": "\(refusal.error)"])
            }
            for refusal in round.refusedMembers {
                database.logger.error("event refused by the broker for good; moved to dead letters",
                                      metadata: ["seq": "\(refusal.seq)", "event": "\(refusal.message.eventID)", "error": "\(refusal.error)"])
            }
            published.increment(by: round.publishedEvents)
            let parkedCount = round.refused.count + round.refusedMembers.count
            if parkedCount > 0 { parked.increment(by: parkedCount) }
            let settled = round.publishedEvents + parkedCount
            if settled == 0, let transient = round.stoppedBy { throw transient }
            return (settled, more && round.stoppedBy == nil)
        }
    }

    /// What became of a round's rows, in order up to the first transient failure.
    struct Round {
        /// Rows whose events all left: published, or (members) parked one by one.
        var published: [Int64] = []
        var publishedEvents = 0
        /// Whole rows refused, with the payload read by reference, which the row itself does not hold.
        var refused: [(seq: Int64, error: String, payload: [UInt8]?)] = []
        /// Members refused, each parked alone; only of rows that settled whole.
        var refusedMembers: [OutboxRows.RefusedMember] = []
        var stoppedBy: KafkaError?
    }

    /// `outcomes` are those of the events with a message, in order; an event without one (its
    /// payload reference unresolved) is refused as it stands.
    private func settle(_ rows: [PendingRow], outcomes: [Result<KafkaDeliveryReport, KafkaError>]) async throws -> Round {
        var round = Round(), outcomes = outcomes[...]
        let several = rows.reduce(0) { $0 + $1.events.count } > 1
        for row in rows {
            // A row of members counts once all of them are out: stopped inside it, it is sent again.
            var refusedMembers: [OutboxRows.RefusedMember] = [], publishedMembers = 0
            for event in row.events {
                guard let message = event.message else {
                    if let member = event.member {
                        refusedMembers.append(.init(seq: row.seq, message: member, error: event.problem ?? "no payload", payload: nil))
                    } else {
                        round.refused.append((row.seq, event.problem ?? "no payload", nil))
                    }
                    continue
                }
                var result = outcomes.removeFirst()
                // A broker may refuse a whole produce request for one record in it: sent alone, a
                // record shows whether it is the one refused.
                if case let .failure(error) = result, error.isPermanent, several {
                    result = try await producer.deliver([message])[0]
                }
                switch result {
                case .success where event.member == nil:
                    round.published.append(row.seq)
                    round.publishedEvents += 1
                case .success:
                    publishedMembers += 1
                case let .failure(error) where error.isPermanent:
                    if let member = event.member {
                        refusedMembers.append(.init(seq: row.seq, message: member, error: error.description, payload: message.value))
                    } else {
                        round.refused.append((row.seq, error.description, row.byReference ? message.value : nil))
                    }
                case let .failure(error):
                    round.stoppedBy = error
                    return round
                }
            }
            if row.hasMembers {
                round.published.append(row.seq)
                round.publishedEvents += publishedMembers
                round.refusedMembers += refusedMembers
            }
        }
        return round
    }

    struct PendingRow {
        var seq: Int64
        /// One for a row of one event; one per member for a row of several.
        var events: [PendingEvent]
        var byReference = false
        /// A row of several events (`Outbox.Entry.members`).
        var hasMembers: Bool { events.contains { $0.member != nil } }
    }

    struct PendingEvent {
        /// Nil when the payload reference could not be read (`problem` says why).
        var message: KafkaProducerMessage?
        /// The member this event is, in a row of several.
        var member: OutboxRows.MemberMessage?
        var problem: String?
    }

    private struct ReadRow {
        var seq: Int64
        var topic: String
        var key: [UInt8]?
        var headers: [KafkaHeader]
        var payload: [UInt8]?
        var reference: String?
        var members: [Outbox.Member]
    }

    /// The next unpublished rows in order, as many as make up to `batchSize` events (a row of
    /// several is never split; one is always taken). None while another relay of the schema holds
    /// its lock: taken in the same statement (an init plan, evaluated once), a round trip fewer.
    private func pending(on connection: PostgresConnection) async throws -> (rows: [PendingRow], more: Bool) {
        let rows = try await connection.query("""
            SELECT seq, topic, key, headers::text, payload, payload_ref, members FROM \(unescaped: database.schema).outbox
            WHERE published_at IS NULL AND (SELECT pg_try_advisory_xact_lock(hashtext(\("outbox:" + database.schema))))
            ORDER BY seq LIMIT \(options.batchSize)
            """, logger: database.logger)
        var read: [ReadRow] = [], events = 0, full = false, taken = 0
        for try await (seq, topic, key, headers, payload, reference, members)
            in rows.decode((Int64, String, ByteBuffer?, String, ByteBuffer?, String?, String?).self) {
            // Once a row does not fit, none after it is taken: the rows keep their order.
            taken += 1
            if full { continue }
            let listed = try members.map { try Outbox.Member.read(Array($0.utf8)) } ?? []
            events += max(listed.count, 1)
            if events > options.batchSize, !read.isEmpty {
                full = true
                continue
            }
            read.append(ReadRow(seq: seq, topic: topic, key: key.map { Array($0.readableBytesView) }, headers: try decodeHeaders(headers),
                                payload: payload.map { Array($0.readableBytesView) }, reference: reference, members: listed))
        }
        let references = read.flatMap { row in row.payload == nil ? (row.reference.map { [$0] } ?? []) + row.members.map(\.payloadReference) : [] }
        let resolved = references.isEmpty ? [:] : try await payloads?.payloads(references, on: connection) ?? [:]
        let unresolved = payloads == nil ? " (no payload source)" : ""
        let more = full || taken == options.batchSize
        return (read.map { row in
            if !row.members.isEmpty {
                return PendingRow(seq: row.seq, events: row.members.map { member in
                    let described = OutboxRows.MemberMessage(member, topic: row.topic, headers: Self.headers(row.headers, of: member))
                    guard let value = resolved[member.payloadReference] else {
                        return PendingEvent(member: described, problem: "payload reference '\(member.payloadReference)' not found" + unresolved)
                    }
                    return PendingEvent(message: described.message(value), member: described)
                }, byReference: true)
            }
            guard let value = row.payload ?? row.reference.flatMap({ resolved[$0] }) else {
                return PendingRow(seq: row.seq, events: [PendingEvent(problem: "payload reference '\(row.reference ?? "")' not found" + unresolved)],
                                  byReference: true)
            }
            return PendingRow(seq: row.seq, events: [PendingEvent(message: KafkaProducerMessage(topic: row.topic, key: row.key, value: value, headers: row.headers))],
                              byReference: row.payload == nil)
        }, more)
    }

    /// A member's headers: the row's, with the member's own `ce_id` and trace.
    static func headers(_ row: [KafkaHeader], of member: Outbox.Member) -> [KafkaHeader] {
        var headers = row.filter { $0.key != "ce_id" && $0.key != "traceparent" }
        headers.append(KafkaHeader(key: "ce_id", string: member.eventID))
        if let traceparent = member.traceparent { headers.append(KafkaHeader(key: "traceparent", string: traceparent)) }
        return headers.sorted { $0.key < $1.key }
    }

    /// The headers object (string members only, as `Outbox.headers` writes it), read where it lies:
    /// a `JSONDecoder` per row was a visible part of the relay's CPU at a thousand rows a round.
    private func decodeHeaders(_ json: String) throws -> [KafkaHeader] {
        var headers: [KafkaHeader] = []
        try JSONScanner.read(Array(json.utf8)) { scanner in
            try scanner.object { scanner, key in headers.append(KafkaHeader(key: key, string: try scanner.string())) }
        }
        return headers.sorted { $0.key < $1.key }
    }

    /// Vacuums the outbox (`run` does every `vacuumInterval`): outside any transaction, as VACUUM
    /// must be; skipped while another relay of the schema (a replica) vacuums it. A failure only
    /// costs the scans their speed until the next one.
    public func vacuum() async {
        do {
            try await database.query("VACUUM (SKIP_LOCKED) \(unescaped: database.schema).outbox", logger: database.logger)
        } catch {
            database.logger.warning("vacuuming the outbox failed", metadata: ["error": "\(error)"])
        }
    }

    private func deletePublished() async throws {
        let seconds = Int(options.retention.components.seconds)
        try await database.query("""
            DELETE FROM \(unescaped: database.schema).outbox
            WHERE published_at < now() - make_interval(secs => \(seconds))
            """, logger: database.logger)
    }
}

/// The relay loop's small mutable state.
private final class RelayState: @unchecked Sendable {
    var pause: Duration = .zero
    var lastCleanup = ContinuousClock.now
    var lastVacuum = ContinuousClock.now
}

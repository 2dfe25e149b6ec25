import Foundation
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
public final class OutboxRelay: Service, Sendable {
    public struct Options: Sendable {
        public var batchSize = 1_000
        public var idleInterval: Duration = .milliseconds(20)
        /// Published rows are deleted after this long (they stay for audit and replay until then).
        public var retention: Duration = .seconds(24 * 3600)
        public init() {}
    }

    private let database: Database
    private let producer: KafkaProducer
    private let options: Options
    /// Test hook: called after a batch is acknowledged and before it is marked.
    private let afterPublish: (@Sendable ([Int64]) async throws -> Void)?
    private let published: Counter

    public init(database: Database, producer: KafkaProducer, options: Options = Options(),
                afterPublish: (@Sendable ([Int64]) async throws -> Void)? = nil) {
        self.database = database
        self.producer = producer
        self.options = options
        self.afterPublish = afterPublish
        self.published = Counter(label: "outbox_published_total", dimensions: [("schema", database.schema)])
    }

    public func run() async throws {
        let state = RelayState()
        try await repeatUntilShutdown(pause: { state.pause }) { [self] in
            let count = try await publishBatch()
            // A full batch means more is waiting: go on at once.
            state.pause = count < options.batchSize ? options.idleInterval : .zero
            if ContinuousClock.now - state.lastCleanup > .seconds(60) {
                try await deletePublished()
                state.lastCleanup = .now
            }
        }
    }

    /// Publishes until nothing is left; returns how many rows were published.
    @discardableResult
    public func drain() async throws -> Int {
        var total = 0
        while case let count = try await publishBatch(), count > 0 { total += count }
        return total
    }

    /// One batch in one transaction, under a transaction-scoped advisory lock: a second relay of
    /// the same schema (another replica) skips instead of publishing the same rows concurrently.
    private func publishBatch() async throws -> Int {
        let schema = database.schema
        return try await database.transaction { [self] connection in
            let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext(\("outbox:" + schema)))",
                                                    logger: database.logger)
            for try await acquired in locked.decode(Bool.self) where !acquired { return 0 }
            let (seqs, messages) = try await pending(on: connection)
            guard !messages.isEmpty else { return 0 }
            _ = try await producer.send(messages)
            try await afterPublish?(seqs)
            try await connection.query("UPDATE \(unescaped: schema).outbox SET published_at = now() WHERE seq = ANY(\(seqs))",
                                       logger: database.logger)
            published.increment(by: messages.count)
            return messages.count
        }
    }

    private func pending(on connection: PostgresConnection) async throws -> ([Int64], [KafkaProducerMessage]) {
        let rows = try await connection.query("""
            SELECT seq, topic, key, headers::text, payload FROM \(unescaped: database.schema).outbox
            WHERE published_at IS NULL ORDER BY seq LIMIT \(options.batchSize)
            """, logger: database.logger)
        var seqs: [Int64] = []
        var messages: [KafkaProducerMessage] = []
        for try await (seq, topic, key, headers, payload) in rows.decode((Int64, String, ByteBuffer?, String, ByteBuffer).self) {
            seqs.append(seq)
            messages.append(KafkaProducerMessage(topic: topic, key: key.map { Array($0.readableBytesView) },
                                                 value: Array(payload.readableBytesView), headers: try decodeHeaders(headers)))
        }
        return (seqs, messages)
    }

    private func decodeHeaders(_ json: String) throws -> [KafkaHeader] {
        try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
            .sorted { $0.key < $1.key }
            .map { KafkaHeader(key: $0.key, string: $0.value) }
    }

    private func deletePublished() async throws {
        let seconds = Int(options.retention.components.seconds)
        try await database.client.query("""
            DELETE FROM \(unescaped: database.schema).outbox
            WHERE published_at < now() - make_interval(secs => \(seconds))
            """, logger: database.logger)
    }
}

/// The relay loop's small mutable state.
private final class RelayState: @unchecked Sendable {
    var pause: Duration = .zero
    var lastCleanup = ContinuousClock.now
}

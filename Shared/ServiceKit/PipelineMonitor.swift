import Foundation
import Kafka
import Logging
import Metrics
import Persistence
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Watches whether the service's events flow: the outbox lag (age of the oldest unpublished
/// event) and each consumer's lag per partition, every `interval`, as gauges for `/metrics` and
/// as a readiness verdict for `/ready` (degraded once a lag passes its bound), so that an
/// orchestrator and an alert see a stalled pipeline. Also refreshes the process figures.
public final class PipelineMonitor: Service, Sendable {
    public struct Bounds: Sendable {
        /// `READY_MAX_OUTBOX_LAG_SECONDS`; 0 never degrades.
        public var outboxLagSeconds: Int
        /// `READY_MAX_CONSUMER_LAG` (events behind on one partition); 0 never degrades.
        public var consumerLag: Int
        public init(outboxLagSeconds: Int, consumerLag: Int) {
            self.outboxLagSeconds = outboxLagSeconds
            self.consumerLag = consumerLag
        }
    }

    private let database: Database
    private let bounds: Bounds
    private let interval: Duration
    private let consumers = Mutex<[(name: String, consumer: KafkaConsumer)]>([])
    private let verdict = Mutex<[String: String]>([:])
    private let outboxLag: Gauge
    private let process = ProcessMetrics()

    public init(database: Database, bounds: Bounds, interval: Duration = .seconds(5)) {
        self.database = database
        self.bounds = bounds
        self.interval = interval
        self.outboxLag = Gauge(label: "outbox_lag_seconds", dimensions: [("schema", database.schema)])
    }

    /// A consumer whose lag is watched (the runtime registers each one it makes).
    public func watch(_ consumer: KafkaConsumer, name: String) { consumers.withLock { $0.append((name, consumer)) } }

    /// What is degraded, by check name (`outbox lag`, `consumer lag`); empty when everything flows.
    public var problems: [String: String] { verdict.withLock { $0 } }

    public func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { [self] in await measure() }
    }

    /// One measurement of every lag; public so that a test need not wait for the interval.
    public func measure() async {
        process.update()
        if let lag = await oldestUnpublishedAge() {
            outboxLag.record(lag)
            let problem = bounds.outboxLagSeconds > 0 && lag > Double(bounds.outboxLagSeconds)
                ? "oldest unpublished event is \(Int(lag)) s old (bound READY_MAX_OUTBOX_LAG_SECONDS \(bounds.outboxLagSeconds))" : nil
            // Published at once: the consumers' figures below may take a while when the broker is away.
            verdict.withLock { $0["outbox lag"] = problem }
        }
        var behind: String?
        for (name, consumer) in consumers.withLock({ $0 }) {
            for partition in await consumer.lag() {
                Gauge(label: "kafka_consumer_lag", dimensions: [("consumer", name), ("topic", partition.topic),
                                                               ("partition", "\(partition.partition)")]).record(partition.lag)
                if bounds.consumerLag > 0, partition.lag > Int64(bounds.consumerLag) {
                    behind = "\(name) is \(partition.lag) events behind on \(partition.topic)[\(partition.partition)] "
                        + "(bound READY_MAX_CONSUMER_LAG \(bounds.consumerLag))"
                }
            }
        }
        verdict.withLock { $0["consumer lag"] = behind }
    }

    /// Seconds since the oldest unpublished event was written (0 when none waits); nil when the
    /// database does not answer within 2 s (readiness names the database then). The query is left
    /// behind, not awaited, past 2 s (`giveUp`): on a hung PostgreSQL it ignores cancellation.
    private func oldestUnpublishedAge() async -> Double? {
        let database = self.database
        return (try? await giveUp(after: .seconds(2)) { () -> Double? in
            let rows = try await database.query("""
                SELECT COALESCE((SELECT extract(epoch FROM now() - created_at)::float8 FROM \(unescaped: database.schema).outbox
                                 WHERE published_at IS NULL ORDER BY seq LIMIT 1), 0)
                """, logger: database.logger)
            for try await age in rows.decode(Double.self) { return age }
            return nil
        }) ?? nil
    }
}

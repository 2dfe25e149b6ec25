import Events
import Kafka
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// An error that retrying cannot fix (a malformed event): the message goes to the dead letters.
public protocol PermanentEventError: Error {}

/// The idempotent consumer: each event's effects and its id are written in one transaction, and
/// the offset is marked only after that commit. A redelivered event finds its id in the inbox and
/// changes nothing; a transient failure (database down) is retried with back-off, so nothing is
/// skipped; a permanent one is kept in `dead_letters` with the error, and consumption goes on.
///
/// Events already buffered are applied in runs of up to `batchSize` in one transaction, so a busy
/// consumer pays one commit per run, not per event; if a run fails as a whole, its events are
/// applied again one by one, so one bad event never holds back the others. A consumer on the hot
/// path gives a `BatchHandler`, which receives the whole run at once and writes its effects with
/// one statement per table; the inbox of the run is one statement too.
public final class EventProcessor: Service, Sendable {
    public typealias Handler = @Sendable (CloudEvent, PostgresConnection, Logger) async throws -> Void
    /// Applies the events of a run (never empty, each id once, in the order consumed) in the caller's transaction.
    public typealias BatchHandler = @Sendable ([CloudEvent], PostgresConnection, Logger) async throws -> Void

    /// How a redelivered event is recognised. By the consumer's inbox, a row per event written
    /// with its effects; or by the handler itself, when its effects name each event so that it can
    /// leave out those already applied (smart-review's claims: a claim stored is a claim
    /// reviewed, in one transaction): a row and an index entry fewer for every event, where the
    /// inbox would hold every claim of the bureau a second time.
    public enum Idempotence: Sendable {
        case inbox
        case handler
    }

    private let consumer: KafkaConsumer
    private let database: Database
    private let name: String
    private let logger: Logger
    private let handler: BatchHandler
    private let batchSize: Int
    private let idempotence: Idempotence
    private let processed: Counter
    private let deadLettered: Counter

    /// `name` identifies this consumer in the inbox (one service may have several).
    public convenience init(name: String, consumer: KafkaConsumer, database: Database, logger: Logger, batchSize: Int = 100,
                            handler: @escaping Handler) {
        self.init(name: name, consumer: consumer, database: database, logger: logger, batchSize: batchSize) { events, connection, logger in
            for event in events { try await handler(event, connection, Self.logger(logger, for: event)) }
        }
    }

    public init(name: String, consumer: KafkaConsumer, database: Database, logger: Logger, batchSize: Int = 100,
                idempotence: Idempotence = .inbox, batchHandler handler: @escaping BatchHandler) {
        self.batchSize = batchSize
        self.idempotence = idempotence
        self.consumer = consumer
        self.database = database
        self.name = name
        self.logger = logger
        self.handler = handler
        self.processed = Counter(label: "events_processed_total", dimensions: [("consumer", name)])
        self.deadLettered = Counter(label: "events_dead_lettered_total", dimensions: [("consumer", name)])
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await run in consumer.messages.batches(max: batchSize) {
                guard await process(run) else { break }
            }
        } onGracefulShutdown: { [consumer] in
            consumer.stopDelivering()
        }
        await consumer.shutdown()
    }

    /// Leaves the consumer group without consuming: for a processor stopped before it ran.
    public func leave() async { await consumer.shutdown() }

    /// Applies a run; false when the processor is stopping with an event of it not applied.
    func process(_ run: [KafkaConsumerMessage]) async -> Bool {
        if run.count > 1 {
            do {
                try await database.transaction { connection in try await self.apply(run, on: connection) }
                for message in run { consumer.markProcessed(message) }
                processed.increment(by: Int64(run.count))
                return true
            } catch {
                logger.debug("run of events not applied together; applying them one by one", metadata: ["error": "\(error)"])
            }
        }
        for message in run {
            guard await process(message) else { return false }
        }
        return true
    }

    /// Applies one event, retrying a transient failure with back-off; false when the processor
    /// is stopping (cancelled or shut down) before it could. Such an event is left unmarked and
    /// nothing after it is applied — its offset must not be passed — so whichever consumer takes
    /// the partition next applies it. A cancelled retry loop used to spin on here, holding the
    /// partitions: they never moved to the other members of the group.
    func process(_ message: KafkaConsumerMessage) async -> Bool {
        var backoff: Duration = .milliseconds(100)
        while true {
            do {
                try await apply(message)
                consumer.markProcessed(message)
                processed.increment()
                return true
            } catch let error where error is PermanentEventError || error is EventError {
                // Parked, or (the dead letter not written) tried again like a transient failure.
                if await deadLetter(message, error: error) { return true }
            } catch where Task.isCancelled {
                return false // the service stops: not marked, so the event comes again
            } catch {
                logger.warning("event not applied, retrying", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)", "error": "\(String(reflecting: error))"])
            }
            if Task.isCancelled || Task.isShuttingDownGracefully { return false }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    private func apply(_ message: KafkaConsumerMessage) async throws {
        try await database.transaction { connection in try await self.apply([message], on: connection) }
    }

    /// The run's events not applied before (the inbox says which, unless the handler does), each
    /// id once, handed over together.
    private func apply(_ messages: [KafkaConsumerMessage], on connection: PostgresConnection) async throws {
        let events = try messages.map(CloudEvent.init(message:))
        let fresh = idempotence == .handler ? nil
            : try await Inbox.firstDeliveries(of: events.map(\.id), consumer: name, schema: database.schema, on: connection, logger: logger)
        var handed = Set<String>()
        let todo = events.filter { (fresh?.contains($0.id) ?? true) && handed.insert($0.id).inserted }
        if todo.count < events.count { logger.debug("duplicate deliveries ignored", metadata: ["count": "\(events.count - todo.count)"]) }
        guard !todo.isEmpty else { return }
        try await handler(todo, connection, todo.count == 1 ? Self.logger(logger, for: todo[0]) : logger)
    }

    /// The logger of one event: its trace and id on every line.
    static func logger(_ base: Logger, for event: CloudEvent) -> Logger {
        var logger = base
        if let trace = event.traceparent.flatMap(TraceContext.init(traceparent:)) { logger[metadataKey: "trace_id"] = "\(trace.traceID)" }
        logger[metadataKey: "event_id"] = "\(event.id)"
        return logger
    }

    /// Parks the event in the dead letters and marks it; false when that could not be written
    /// (the event must then stay unmarked: marking a later one would pass its offset).
    private func deadLetter(_ message: KafkaConsumerMessage, error: Error) async -> Bool {
        logger.error("event dead-lettered", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)", "error": "\(error)"])
        let headers = Dictionary(message.headers.map { ($0.key, $0.stringValue) }, uniquingKeysWith: { a, _ in a })
        let headerJSON = (try? String(decoding: EventJSON.encoder.encode(headers), as: UTF8.self)) ?? "{}"
        do {
            // A transaction: a dead letter given up (the database hung) must not be written later
            // on its own, after the retry wrote it again.
            let query: PostgresQuery = """
                INSERT INTO \(unescaped: database.schema).dead_letters (consumer, topic, kafka_partition, kafka_offset, event_id, error, headers, payload)
                VALUES (\(name), \(message.topic), \(Int(message.partition)), \(message.offset), \(message.header("ce_id")), \("\(error)"),
                        \(headerJSON)::jsonb, \(ByteBuffer(bytes: message.value)))
                """
            try await database.transaction { [logger] in _ = try await $0.query(query, logger: logger) }
            consumer.markProcessed(message)
            deadLettered.increment()
            return true
        } catch {
            logger.error("dead letter not recorded; trying the event again", metadata: ["error": "\(error)"])
            return false
        }
    }
}

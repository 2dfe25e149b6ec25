import Events
import Foundation
import Hummingbird
import Kafka
import Logging
import OperatorAccess
import Persistence
import ServiceLifecycle

/// What every service is made of: configuration, logger, its database schema, an idempotent
/// producer, an outbox relay and a start-up gate. A service adds its migrations, routes and
/// consumers and calls `run`; tests build the same runtime against the test broker and database.
public final class PlatformRuntime: Sendable {
    public let configuration: PlatformConfiguration
    public let logger: Logger
    public let database: Database
    public let producer: KafkaProducer
    public let gate = StartupGate()
    /// Probed every second while running; the HTTP edge answers 503 at once while it is down.
    public let health: DatabaseHealth
    /// The outbox and consumer lags, for `/metrics` and `/ready`.
    public let monitor: PipelineMonitor
    /// Verifies operator tokens and their roles on every operator route.
    public let operators: OperatorGate

    public init(configuration: PlatformConfiguration) throws {
        Observability.bootstrap(service: configuration.service, level: configuration.logLevel)
        var logger = Logger(label: configuration.service)
        logger.logLevel = configuration.logLevel
        try requireSupportedLibrdkafka()
        self.configuration = configuration
        self.logger = logger
        self.database = try Database(configuration: configuration.database, schema: configuration.schema, logger: logger)
        self.health = DatabaseHealth(database: database)
        self.monitor = PipelineMonitor(database: database, bounds: configuration.readinessBounds)
        self.operators = OperatorGate(tokens: OperatorTokens(secret: configuration.operatorSecret,
                                                             lifetime: TimeInterval(configuration.operatorTokenSeconds)))
        var producerConfiguration = KafkaProducerConfiguration(kafka: configuration.kafka)
        producerConfiguration.flushTimeoutMilliseconds = configuration.flushTimeoutMilliseconds
        self.producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
    }

    /// Migrates the service's schema and opens the start-up gate (the ServiceGroup does this
    /// itself, retrying while the database is down).
    public func prepareDatabase(migrations: [Migration]) async throws {
        try await Migrator(database).migrate(migrations)
        gate.open()
    }

    /// A router with tracing and the operational routes (`/health`, `/ready`, `/metrics`).
    /// The service's router with the operational routes and the operators' dead-letter listing.
    public func makeRouter(extraChecks: [ReadinessCheck] = []) -> Router<PlatformRequestContext> {
        let router = Router(context: PlatformRequestContext.self)
        // Outermost, so that every answer is counted by route and status, refusals included.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: TraceMiddleware())
        router.add(middleware: OversizedBodyMiddleware())
        router.add(middleware: DatabaseErrorMiddleware(health: health))
        let gate = self.gate, database = self.database, producer = self.producer, monitor = self.monitor
        router.addOperationalRoutes(checks: [
            ReadinessCheck("database") { gate.opened ? await database.isReachable(within: .seconds(2)) : false },
            ReadinessCheck("kafka") { await producer.brokersReachable() },
            ReadinessCheck(degraded: "outbox lag") { monitor.problems["outbox lag"] },
            ReadinessCheck(degraded: "consumer lag") { monitor.problems["consumer lag"] },
        ] + extraChecks)
        router.addDeadLetterRoutes(database: database, operators: operators)
        return router
    }

    /// A consumer-group member whose events are applied once each (see `EventProcessor`).
    public func makeProcessor(name: String, topics: [String], handler: @escaping EventProcessor.Handler) throws -> EventProcessor {
        EventProcessor(name: name, consumer: try makeConsumer(name: name, topics: topics), database: database, logger: logger,
                       batchSize: configuration.consumerBatch, handler: handler)
    }

    /// A consumer on the hot path: its handler takes each run of events at once (see `EventProcessor.BatchHandler`).
    public func makeBatchProcessor(name: String, topics: [String], idempotence: EventProcessor.Idempotence = .inbox,
                                   handler: @escaping EventProcessor.BatchHandler) throws -> EventProcessor {
        EventProcessor(name: name, consumer: try makeConsumer(name: name, topics: topics), database: database, logger: logger,
                       batchSize: configuration.consumerBatch, idempotence: idempotence, batchHandler: handler)
    }

    private func makeConsumer(name: String, topics: [String]) throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(
            kafka: configuration.kafka, groupID: "\(configuration.consumerGroupPrefix)\(configuration.service).\(name)", topics: topics), logger: logger)
        monitor.watch(consumer, name: name)
        return consumer
    }

    public func makeApplication(router: Router<PlatformRequestContext>) -> some ApplicationProtocol {
        // A connection left open and silent is closed after 75 s, beyond the 60 s a client's pool
        // keeps an idle one (AsyncHTTPClient, nginx's upstreams): the client closes first, and a
        // stop never waits on a connection a client forgot (the HTTP server returns once its last
        // connection is closed).
        Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(75))),
                    configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: configuration.service),
                    logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops in reverse order: HTTP first, then the workers
    /// (each finishing the event in hand), the relay, the producer (flushing) and the pool last.
    /// `outboxPayloads` reads back the payloads the service's outbox holds by reference.
    public func run(migrations: [Migration], router: Router<PlatformRequestContext>, workers: [any Service] = [],
                    outboxPayloads: (any OutboxPayloadSource)? = nil) async throws {
        logger.info("starting", metadata: ["librdkafka": "\(librdkafkaVersion)", "port": "\(configuration.httpPort)"])
        let relay = OutboxRelay(database: database, producer: producer, payloads: outboxPayloads)
        let watch = StopWatch(logger: logger)
        func watched(_ service: any Service, _ name: String) -> ServiceGroupConfiguration.ServiceConfiguration {
            .init(service: watch.watched(service, name: name))
        }
        let gated = ([relay, monitor] + workers).enumerated().map { index, worker in
            watched(GatedService(gate: gate, inner: worker), "\(type(of: worker)) #\(index)")
        }
        var group = ServiceGroupConfiguration(
            services: [watched(database.client, "PostgreSQL pool"), watched(health, "database health"), watched(producer, "Kafka producer"),
                       .init(service: MigrationService(database: database, migrations: migrations, gate: gate), successTerminationBehavior: .ignore)]
                + gated + [watched(makeApplication(router: router), "HTTP"), .init(service: watch.reporter), watched(EventLoopLag(), "event loop lag")],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A stop must end within 10 s whatever is down (issue 15). With PostgreSQL hung, a
        // consumer's transaction or a request in hand would hold the graceful stop until its
        // deadline (PG_TRANSACTION_TIMEOUT) or without end; after 5 s the stop becomes
        // cancellation, which a transaction answers at once (`giveUp`), its effect uncommitted
        // and its event not marked, so it comes again after the restart.
        group.maximumGracefulShutdownDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
        logger.notice("stopped")
    }
}

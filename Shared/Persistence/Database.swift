import Logging
import PostgresNIO
import ServiceLifecycle

public struct DatabaseConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Require TLS (a managed PostgreSQL); off for the local database.
    public var requireTLS: Bool
    public var maxConnections: Int
    public var transactionTimeout: Duration

    public init(host: String, port: Int, user: String, password: String?, database: String,
                requireTLS: Bool = false, maxConnections: Int = 10, transactionTimeout: Duration = .seconds(60)) {
        self.transactionTimeout = transactionTimeout
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
        self.maxConnections = maxConnections
    }
}

/// One service's view of PostgreSQL: a connection pool (PostgresNIO, non-blocking) and the
/// schema it owns. The pool must run, as a service of the ServiceGroup or under `withRunning`.
public struct Database: Sendable {
    public let client: PostgresClient
    /// The schema this service owns (e.g. `intake`); no service reads another's.
    public let schema: String
    public let logger: Logger
    /// How long a transaction may take before it is given up (`PG_TRANSACTION_TIMEOUT`).
    public let transactionTimeout: Duration
    let metrics: DatabaseMetrics

    public init(configuration: DatabaseConfiguration, schema: String, logger: Logger) throws {
        var config = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database,
            tls: configuration.requireTLS ? .require(.makeClientConfiguration()) : .disable)
        config.options.maximumConnections = configuration.maxConnections
        self.client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.schema = schema
        self.logger = logger
        self.transactionTimeout = configuration.transactionTimeout
        self.metrics = DatabaseMetrics(schema: schema, poolSize: configuration.maxConnections)
    }

    /// Runs `body` in a transaction. When `body` throws and the rollback succeeds, its own error
    /// comes out as thrown (PostgresNIO wraps it), so callers see a refusal, a 404 or a permanent
    /// event error as what it is; a failed rollback or commit stays a `PostgresTransactionError`.
    ///
    /// A transaction that has not ended after `transactionTimeout` is given up (`TransactionTimeout`).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            let marker = OutboxWrites.Marker()
            let result = try await OutboxWrites.$marker.withValue(marker) {
                try await metrics.measure {
                    try await giveUp(after: transactionTimeout) { [client, logger] in
                        try await client.withTransaction(logger: logger) { try await body($0) }
                    }
                }
            }
            if marker.wrote { OutboxBell.of(schema).ring() }
            return result
        } catch let error as PostgresTransactionError {
            if let own = error.closureError, error.rollbackError == nil, error.commitError == nil { throw own }
            throw error
        }
    }

    /// Runs the pool for the duration of `body`: for tests and commands outside a ServiceGroup.
    public func withRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    public func isReachable() async -> Bool {
        (try? await client.query("SELECT 1", logger: logger)) != nil
    }

    /// Like `isReachable`, but false once `limit` has passed: while PostgreSQL is away the pool
    /// waits for a connection without end, and the lease is cancelled instead. While PostgreSQL
    /// hangs (its processes stopped, connections open) a query on an open connection ignores
    /// cancellation, so the probe is left behind (`giveUp`) rather than awaited: a task group
    /// awaited it, and the health check stalled for as long as the database hung (scripts/faults.sh).
    public func isReachable(within limit: Duration) async -> Bool {
        (try? await giveUp(after: limit) { [client, logger] in
            _ = try await client.query("SELECT 1", logger: logger)
            return true
        }) ?? false
    }
}


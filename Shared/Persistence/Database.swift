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
    /// The bound of each read or transaction made while serving an HTTP request (`PG_REQUEST_TIMEOUT`).
    public var requestTimeout: Duration

    public init(host: String, port: Int, user: String, password: String?, database: String,
                requireTLS: Bool = false, maxConnections: Int = 10, transactionTimeout: Duration = .seconds(60),
                requestTimeout: Duration = .seconds(10)) {
        self.transactionTimeout = transactionTimeout
        self.requestTimeout = requestTimeout
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
///
/// All database work goes through `read`, `query` or `transaction`, never the pool directly: each
/// is bounded by a deadline and given up at once when `DatabaseHealth` finds the database down
/// (`bounded`). PostgresNIO does not give up a query on an open connection when cancelled, so
/// a query on a hung PostgreSQL would otherwise wait as long as the hang (28–30 s measured).
public struct Database: Sendable {
    /// The pool; only this file and `DatabaseHealth` use it (work through it is unbounded).
    public let client: PostgresClient
    /// The schema this service owns (e.g. `intake`); no service reads another's.
    public let schema: String
    public let logger: Logger
    /// How long a transaction may take before it is given up (`PG_TRANSACTION_TIMEOUT`).
    public let transactionTimeout: Duration
    /// How long one read or transaction may take while serving an HTTP request (`PG_REQUEST_TIMEOUT`).
    public let requestTimeout: Duration
    /// The health's finding, which gives up the work waiting on a database found down.
    public let availability = DatabaseAvailability()
    /// For the health probe's own connection, outside the pool.
    let connectionConfiguration: PostgresConnection.Configuration
    let metrics: DatabaseMetrics

    /// Set by the HTTP edge (`DatabaseErrorMiddleware`) around a request: its database work is
    /// bounded by `requestTimeout`, shorter than a consumer's `transactionTimeout`, because a client
    /// waits on it (and retries the same request); a consumer's large run may rightly take longer.
    @TaskLocal public static var servingRequest = false

    public init(configuration: DatabaseConfiguration, schema: String, logger: Logger) throws {
        var config = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database,
            tls: configuration.requireTLS ? .require(.makeClientConfiguration()) : .disable)
        config.options.maximumConnections = configuration.maxConnections
        // Every connection opened at start and kept, with no keep-alive query: PostgresNIO arms a
        // timer for each of the two each time a connection goes back to the pool (a task group of
        // two tasks and a libdispatch timer, which stays in libdispatch's heap when the next lease
        // cancels it, and wakes its threads when due), i.e. at every transaction (intake's context
        // switches a claim 1.82-2.00 → 1.43-1.61, session 31). An idle link through a firewall is
        // kept by PostgreSQL's own TCP keep-alives (`tcp_keepalives_idle`, deploy/README.md).
        config.options.minimumConnections = configuration.maxConnections
        config.options.keepAliveBehavior = nil
        config.options.additionalStartupParameters = Self.sessionSettings(schema: schema)
        self.client = PostgresClient(configuration: config, eventLoopGroup: SpreadEventLoops(), backgroundLogger: logger)
        self.schema = schema
        self.logger = logger
        self.transactionTimeout = configuration.transactionTimeout
        self.requestTimeout = configuration.requestTimeout
        self.connectionConfiguration = try Self.connectionConfiguration(configuration, schema: schema)
        self.metrics = DatabaseMetrics(schema: schema, poolSize: configuration.maxConnections)
    }

    /// Runs `body` in a transaction. When `body` throws and the rollback succeeds, its own error
    /// comes out as thrown (PostgresNIO wraps it), so callers see a refusal, a 404 or a permanent
    /// event error as what it is; a failed rollback or commit stays a `PostgresTransactionError`.
    ///
    /// Given up (`TransactionTimeout`, `DatabaseUnresponsive`) at its deadline or when the database
    /// is found down. A transaction given up is never half-applied: PostgreSQL applies a transaction
    /// whole at COMMIT or not at all, and a given-up body is cancelled, so when its stuck query comes
    /// back the check after `body` throws and PostgresNIO rolls back instead of committing. Only a
    /// deadline falling while COMMIT itself is in flight leaves the outcome unknown to the caller, as
    /// a connection lost during COMMIT does; the retry is then safe because every write is
    /// idempotent (a request's `msgid`, a consumer's inbox), so it is applied once either way.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            let marker = OutboxWrites.Marker()
            let result = try await OutboxWrites.$marker.withValue(marker) {
                try await metrics.measure {
                    try await bounded { [client, logger] in
                        try await client.withTransaction(logger: logger) {
                            let result = try await body($0)
                            try Task.checkCancellation() // given up meanwhile: roll back, never commit
                            return result
                        }
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

    /// Runs `body` on a pooled connection outside a transaction, bounded like `transaction`. The
    /// rows must be collected inside `body`: the connection goes back to the pool when it returns.
    /// A write here commits on its own whenever its statement ends, even after it was given up,
    /// so only an idempotent one belongs here (a msgid's first answer, a cleanup); others go in
    /// `transaction`, where a given-up statement is rolled back.
    public func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await bounded { [client] in try await client.withConnection { try await body($0) } }
    }

    /// One query outside a transaction, its rows collected (`read`).
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger? = nil) async throws -> CollectedRows {
        let logger = logger ?? self.logger
        return try await read { CollectedRows(rows: try await $0.query(query, logger: logger).collect()) }
    }

    /// The one place that bounds database work: given up at the deadline (`requestTimeout` while
    /// serving a request, `transactionTimeout` otherwise) or as soon as the health finds the
    /// database down, whichever comes first; the stuck work is left behind (`giveUp`).
    private func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = Self.servingRequest ? min(requestTimeout, transactionTimeout) : transactionTimeout
        return try await giveUp(when: [.after(limit), .down(availability)], work)
    }

    /// Runs the pool for the duration of `body`: for tests and commands outside a ServiceGroup.
    public func withRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    private static func connectionConfiguration(_ configuration: DatabaseConfiguration, schema: String) throws -> PostgresConnection.Configuration {
        var connection = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database,
            tls: configuration.requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        connection.options.additionalStartupParameters = sessionSettings(schema: schema)
        return connection
    }

    /// Settings of every session the platform opens, whatever the server's configuration says.
    /// `jit = off`: the statements here are short set-based reads and writes, and a run's lookups
    /// of thousands of keys, costed from statistics that lag a growing table, crossed
    /// `jit_above_cost` — PostgreSQL then spent ~60 ms compiling a statement that runs in a few
    /// (scripts/profile.sh; it was the "unexplained" cost of the 3102 history read).
    /// `search_path`: the service's schema first, so that prepared statements (fixed text, see
    /// `PreparedStatements.swift`) name its tables unqualified; other statements qualify them.
    /// `plan_cache_mode = force_custom_plan`: a prepared statement is parsed once but planned for
    /// its values every time. A generic plan is made once, from the tables as they are then: made
    /// in a fresh deployment's first seconds, it read `claims` by sequential scans (549 of them,
    /// 7 million rows in a 30-second profile) until an analyze happened to invalidate it.
    /// `application_name`: the service's schema, so that `pg_stat_activity` (and an operator, or
    /// `scripts/lib.sh` lowering the priority of the sessions behind the door) tells whose a session is.
    static func sessionSettings(schema: String) -> [(String, String)] {
        [("jit", "off"), ("search_path", "\(schema), public"), ("plan_cache_mode", "force_custom_plan"), ("application_name", schema)]
    }

    /// Whether the pool answers `SELECT 1` within `limit` (`/ready`): while PostgreSQL is away the pool
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

/// The rows of a query, read to the end while the connection was held (`Database.query`); read
/// them as PostgresNIO's rows (`for try await … in rows.decode(…)`).
public struct CollectedRows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow
    public let rows: [PostgresRow]

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        public mutating func next() async throws -> PostgresRow? { base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }
}

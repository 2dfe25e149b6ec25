import Metrics
import Timing

/// How a service uses its PostgreSQL pool: transactions in flight against the pool's size, and how
/// long each takes by outcome. (PostgresNIO keeps its own pool figures internal; a transaction holds
/// one connection from start to end, so the transactions in flight are the pool's use by them.)
struct DatabaseMetrics: Sendable {
    let inFlight: Meter
    let committed: Timer
    let failed: Timer

    init(schema: String, poolSize: Int) {
        inFlight = Meter(label: "db_transactions_in_flight", dimensions: [("schema", schema)])
        committed = Timer(label: "db_transaction_duration_seconds", dimensions: [("schema", schema), ("outcome", "committed")])
        failed = Timer(label: "db_transaction_duration_seconds", dimensions: [("schema", schema), ("outcome", "failed")])
        Gauge(label: "db_pool_size", dimensions: [("schema", schema)]).record(poolSize)
    }

    /// Runs a transaction, counting it in flight and timing it.
    func measure<T>(_ body: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        inFlight.increment()
        defer { inFlight.decrement() }
        do {
            let value = try await body()
            committed.record(since: started)
            return value
        } catch {
            failed.record(since: started)
            throw error
        }
    }
}

extension Timer {
    /// Records the time elapsed since `start`.
    public func record(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.inNanoseconds)
    }
}

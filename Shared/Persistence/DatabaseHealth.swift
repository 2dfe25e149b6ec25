import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Whether PostgreSQL answers, probed every second with a one-second limit. While the database is
/// away the pool waits for a connection without end, so a request would hang; the HTTP edge reads
/// this instead and answers 503 at once (`DatabaseErrorMiddleware`), and work already waiting on
/// the database is given up when the probe finds it down (`Database.read`, `Database.transaction`).
/// Until the first probe the database counts as up, so tests that never run this service are unaffected.
///
/// The probe has a connection of its own, outside the pool: a pool busy under load (every
/// connection leased, requests queued) must never make the database look down, which would
/// give up work that was only waiting its turn.
public final class DatabaseHealth: Service, Sendable {
    private let database: Database
    private let probe: ProbeConnection

    public init(database: Database) {
        self.database = database
        self.probe = ProbeConnection(configuration: database.connectionConfiguration, logger: database.logger)
    }

    public var isUp: Bool { database.availability.isUp }

    public func run() async throws {
        defer { probe.drop() }
        try await repeatUntilShutdown(pause: { .seconds(1) }) { [self] in
            let up = await probe.answers(within: .seconds(1))
            if database.availability.record(up: up) {
                database.logger.notice(up ? "database reachable again" : "database unreachable; answering 503, giving up work waiting on it")
            }
        }
    }
}

/// The health probe's own connection: opened when missing, dropped after a failed probe (a
/// connection to a hung server is no use once it came back), reopened on the next one.
private final class ProbeConnection: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether `SELECT 1` answered within `limit`. On a hung PostgreSQL neither the connect nor the
    /// query heeds cancellation, so they are left behind (`giveUp`), and the connection dropped.
    func answers(within limit: Duration) async -> Bool {
        do {
            _ = try await giveUp(after: limit) { [self] in
                try await open().query("SELECT 1", logger: logger)
                return true
            }
            return true
        } catch {
            drop()
            return false
        }
    }

    private func open() async throws -> PostgresConnection {
        if let connection = lock.withLock({ connection }) { return connection }
        let opened = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        lock.withLock { connection = opened }
        return opened
    }

    /// Closes the connection without waiting for the server (a hung one would not answer). It is
    /// kept until closed: PostgresNIO asserts that a connection released is closed.
    func drop() {
        let dropped = lock.withLock { () -> PostgresConnection? in defer { connection = nil }; return connection }
        guard let dropped else { return }
        let closing: EventLoopFuture<Void> = dropped.close()
        closing.whenComplete { _ in withExtendedLifetime(dropped) {} }
    }
}

/// The health's finding, shared with the database work it bounds: up or down, and a watch called
/// when it is found down.
public final class DatabaseAvailability: @unchecked Sendable {
    private let lock = NSLock()
    private var up = true
    private var watchers: [Int: @Sendable () -> Void] = [:]
    private var nextWatcher = 0

    public init() {}

    public var isUp: Bool { lock.withLock { up } }

    /// Records a probe's finding; true when it changed. Found down, every watcher is called, once.
    @discardableResult
    public func record(up found: Bool) -> Bool {
        let (changed, called) = lock.withLock { () -> (Bool, [@Sendable () -> Void]) in
            defer { up = found }
            guard !found else { return (!up, []) }
            defer { watchers.removeAll() }
            return (up, Array(watchers.values))
        }
        called.forEach { $0() }
        return changed
    }

    /// Calls `action` once the database is found down (at once, here, if it is down now), unless the
    /// returned function is called first: a transaction's watch (`GiveUpTrigger.down`) without a
    /// task of its own waiting for it.
    public func onDown(_ action: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let id: Int? = lock.withLock {
            guard up else { return nil }
            nextWatcher += 1
            watchers[nextWatcher] = action
            return nextWatcher
        }
        guard let id else {
            action()
            return {}
        }
        return { [self] in _ = lock.withLock { watchers.removeValue(forKey: id) } }
    }
}

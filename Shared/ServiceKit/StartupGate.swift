import Foundation
import Logging
import Persistence
import ServiceLifecycle

/// Opens once the database is reachable and migrated. Workers (relay, consumers) wait on it,
/// so a service started while PostgreSQL is down comes up, answers `/health`, reports not
/// ready, and starts working as soon as the database appears.
public final class StartupGate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var closing = false
    private var waiters: [CheckedContinuation<Bool, Never>] = []

    public init() {}

    public var opened: Bool { lock.withLock { isOpen } }

    public func open() { release(opened: true) }

    /// The service is stopping before the gate opened: waiters return false and start nothing.
    public func close() { release(opened: false) }

    /// True once the gate opened; false if the service stopped first.
    public func wait() async -> Bool {
        await withCheckedContinuation { continuation in
            let decided = lock.withLock { () -> Bool? in
                if isOpen || closing { return isOpen }
                waiters.append(continuation)
                return nil
            }
            if let decided { continuation.resume(returning: decided) }
        }
    }

    private func release(opened: Bool) {
        let pending = lock.withLock { () -> [CheckedContinuation<Bool, Never>] in
            if opened { isOpen = true } else { closing = true }
            defer { waiters = [] }
            return waiters
        }
        pending.forEach { $0.resume(returning: opened) }
    }
}

/// Migrates the schema, retrying while the database is unreachable, then opens the gate.
struct MigrationService: Service {
    let database: Database
    let migrations: [Migration]
    let gate: StartupGate

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await migrateUntilReachable() }
        } catch is CancellationError {
            gate.close()
        } catch {
            gate.close() // the group stops: the workers waiting at the gate return instead of waiting on
            throw error
        }
    }

    private func migrateUntilReachable() async throws {
        var delay: Duration = .milliseconds(200)
        while true {
            do {
                try await Migrator(database).migrate(migrations)
                gate.open()
                database.logger.info("database ready", metadata: ["schema": "\(database.schema)"])
                return
            } catch let error as MigrationError {
                database.logger.critical("migrations cannot be applied", metadata: ["error": "\(error)"])
                throw error // a defect of the build, not of the database: retrying cannot help
            } catch {
                database.logger.warning("database not ready, retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}

/// Runs a worker only once the gate is open.
struct GatedService: Service {
    let gate: StartupGate
    let inner: any Service

    func run() async throws {
        // Cancelled as well as stopped gracefully: a group cancelled before the gate opened (a service
        // failed, or the stop's grace ran out) would otherwise leave this worker waiting for ever.
        let opened = await withTaskCancellationOrGracefulShutdownHandler { await gate.wait() } onCancelOrGracefulShutdown: { gate.close() }
        if opened { try await inner.run() }
    }
}

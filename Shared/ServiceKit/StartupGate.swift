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
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public var opened: Bool { lock.withLock { isOpen } }

    public func open() {
        let pending = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            isOpen = true
            defer { waiters = [] }
            return waiters
        }
        pending.forEach { $0.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { continuation in
            let ready = lock.withLock { () -> Bool in
                if !isOpen { waiters.append(continuation) }
                return isOpen
            }
            if ready { continuation.resume() }
        }
    }
}

/// Migrates the schema, retrying while the database is unreachable, then opens the gate.
struct MigrationService: Service {
    let database: Database
    let migrations: [Migration]
    let gate: StartupGate

    func run() async throws {
        var delay: Duration = .milliseconds(200)
        while !Task.isCancelled {
            do {
                try await Migrator(database).migrate(migrations)
                gate.open()
                database.logger.info("database ready", metadata: ["schema": "\(database.schema)"])
                return
            } catch {
                database.logger.warning("database not ready, retrying", metadata: ["error": "\(String(reflecting: error))"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}

/// Runs a worker only once the gate is open.
struct GatedService: Service {
    let gate: StartupGate
    let inner: any Service

    func run() async throws {
        await gate.wait()
        try await inner.run()
    }
}

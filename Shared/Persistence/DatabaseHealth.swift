import Foundation
import ServiceLifecycle

/// Whether PostgreSQL answers, probed every second with a one-second limit. While the database is
/// away the pool waits for a connection without end, so a request would hang; the HTTP edge reads
/// this instead and answers 503 at once (`DatabaseErrorMiddleware`). Until the first probe the
/// database counts as up, so tests that never run this service are unaffected.
public final class DatabaseHealth: Service, @unchecked Sendable {
    private let lock = NSLock()
    private var reachable = true
    private let database: Database

    public init(database: Database) { self.database = database }

    public var isUp: Bool { lock.withLock { reachable } }

    public func run() async throws {
        try await repeatUntilShutdown(pause: { .seconds(1) }) { [self] in
            let up = await database.isReachable(within: .seconds(1))
            if up != isUp { database.logger.notice(up ? "database reachable again" : "database unreachable; answering 503") }
            lock.withLock { reachable = up }
        }
    }
}

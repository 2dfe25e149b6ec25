import Logging
import PostgresNIO

/// Runs `body` while another connection holds `table` (schema-qualified) in ACCESS EXCLUSIVE mode
/// in an open transaction: every read of it waits, as a query waits on a hung PostgreSQL. The
/// lock is released (rolled back) after `body`, whatever it throws, so reads left behind end.
public func withTableLocked<T: Sendable>(_ table: String, _ body: () async throws -> T) async throws -> T {
    let logger = TestEnvironment.logger
    let holder = try await PostgresConnection.connect(
        configuration: .init(host: "127.0.0.1", port: TestEnvironment.pgPort, username: "medsup", password: "medsup",
                             database: "medsup", tls: .disable),
        id: 1, logger: logger)
    do {
        try await holder.query("BEGIN", logger: logger)
        try await holder.query(PostgresQuery(unsafeSQL: "LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE"), logger: logger)
        let result = try await body()
        try await release(holder, logger: logger)
        return result
    } catch {
        try? await release(holder, logger: logger)
        throw error
    }
}

private func release(_ holder: PostgresConnection, logger: Logger) async throws {
    try await holder.query("ROLLBACK", logger: logger)
    try await holder.close()
}

import Persistence
import PostgresNIO
import TestSupport
import XCTest

/// The pool opens all its connections at start and keeps them (`Database.init`): no connection is
/// opened on demand and closed when idle, so none re-arms the pool's idle and keep-alive timers at
/// every transaction. Counted on the real PostgreSQL, by the sessions named after the schema.
final class DatabasePoolTests: XCTestCase {
    func testThePoolOpensEveryConnectionAtStartAndKeepsThem() async throws {
        var configuration = TestEnvironment.databaseConfiguration
        configuration.maxConnections = 4
        let database = try Database(configuration: configuration, schema: TestEnvironment.unique("pool"), logger: TestEnvironment.logger)
        let observer = try TestEnvironment.database()
        try await observer.withRunning {
            try await database.withRunning {
                // Nothing asked of `database` yet: its sessions are opened by the pool itself.
                try await waitForSessions(of: database.schema, toBe: 4, seen: observer)
                // Used by one transaction at a time, then idle: still four, none closed or added.
                for _ in 0..<20 { _ = try await database.transaction { try await $0.query("SELECT 1", logger: TestEnvironment.logger) } }
                try await Task.sleep(for: .milliseconds(300))
                let sessions = try await self.sessions(of: database.schema, seen: observer)
                XCTAssertEqual(sessions, 4)
            }
        }
    }

    private func waitForSessions(of schema: String, toBe expected: Int, seen observer: Database) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var last = -1
        while ContinuousClock.now < deadline {
            last = try await sessions(of: schema, seen: observer)
            if last == expected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTFail("\(last) sessions of \(schema) open, expected \(expected)")
    }

    private func sessions(of schema: String, seen observer: Database) async throws -> Int {
        let rows = try await observer.query("SELECT count(*)::int8 FROM pg_stat_activity WHERE application_name = \(schema)")
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import PostgresNIO
import ServiceKit
import TestSupport
import XCTest

/// Database work waiting on PostgreSQL is given up at its deadline, or at once when the health
/// finds the database down, against the real PostgreSQL: a table locked by another connection
/// holds a read as a hung server holds it (PostgresNIO does not give up a query on an open
/// connection when cancelled). scripts/faults.sh measured requests held 28–30 s by a 30 s hang.
final class DatabaseGiveUpTests: XCTestCase {
    /// A database on a fresh schema with the table `held` (locked in the tests) and `written`.
    private func database(transactionTimeout: Duration) async throws -> Database {
        var configuration = TestEnvironment.databaseConfiguration
        configuration.transactionTimeout = transactionTimeout
        return try Database(configuration: configuration, schema: TestEnvironment.unique("giveup"), logger: TestEnvironment.logger)
    }

    private func createTables(_ database: Database) async throws {
        try await database.transaction { [schema = database.schema] connection in
            try await connection.query("CREATE SCHEMA \(unescaped: schema)", logger: TestEnvironment.logger)
            try await connection.query("CREATE TABLE \(unescaped: schema).held (id int)", logger: TestEnvironment.logger)
            try await connection.query("CREATE TABLE \(unescaped: schema).written (id int)", logger: TestEnvironment.logger)
        }
    }

    private func count(_ table: String, in database: Database) async throws -> Int {
        for try await count in try await database.query("SELECT count(*) FROM \(unescaped: database.schema).\(unescaped: table)").decode(Int.self) {
            return count
        }
        return -1
    }

    func testABlockedReadIsGivenUpAtItsDeadline() async throws {
        let database = try await database(transactionTimeout: .seconds(1))
        try await database.withRunning {
            try await createTables(database)
            let start = ContinuousClock.now
            try await withTableLocked("\(database.schema).held") {
                do {
                    _ = try await database.query("SELECT count(*) FROM \(unescaped: database.schema).held")
                    XCTFail("a read behind the lock returned")
                } catch {
                    XCTAssertTrue(error is TransactionTimeout, "\(error)")
                    XCTAssertTrue(DatabaseErrors.isUnavailable(error), "answered 503 at the edge")
                }
            }
            let waited = ContinuousClock.now - start
            XCTAssertGreaterThanOrEqual(waited, .milliseconds(900))
            XCTAssertLessThan(waited, .seconds(3), "given up at its deadline, not when the lock went")
        }
    }

    /// The health finding the database down gives up the work waiting on it at once, long before
    /// its deadline; a transaction so given up is not committed when its query comes back.
    func testBlockedWorkIsGivenUpWhenTheDatabaseIsFoundDown() async throws {
        let database = try await database(transactionTimeout: .seconds(30))
        try await database.withRunning {
            try await createTables(database)
            let schema = database.schema
            try await withTableLocked("\(schema).held") {
                let read = Task { try await database.query("SELECT count(*) FROM \(unescaped: schema).held") }
                let transaction = Task {
                    try await database.transaction { connection in
                        try await connection.query("INSERT INTO \(unescaped: schema).written VALUES (1)", logger: TestEnvironment.logger)
                        _ = try await connection.query("SELECT count(*) FROM \(unescaped: schema).held", logger: TestEnvironment.logger).collect()
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                let start = ContinuousClock.now
                database.availability.record(up: false) // what DatabaseHealth records when its probe fails
                for (name, outcome) in [("read", await read.result.map { _ in () }), ("transaction", await transaction.result.map { _ in () })] {
                    guard case .failure(let error) = outcome else { XCTFail("the \(name) behind the lock returned"); continue }
                    XCTAssertTrue(error is DatabaseUnresponsive, "\(name): \(error)")
                    XCTAssertTrue(DatabaseErrors.isUnavailable(error), "\(name) answered 503 at the edge")
                }
                XCTAssertLessThan(ContinuousClock.now - start, .seconds(1), "given up at once, not at the deadline")
                database.availability.record(up: true)
            }
            // The lock released, the transaction's stuck query ends, and it is rolled back, not committed.
            try await Task.sleep(for: .seconds(1))
            let written = try await count("written", in: database)
            XCTAssertEqual(written, 0, "a transaction given up is never committed")
        }
    }

    /// Found down, new work is given up at once too (it would queue for the pool).
    func testWorkStartedWhileDownIsGivenUpAtOnce() async throws {
        let database = try await database(transactionTimeout: .seconds(30))
        try await database.withRunning {
            database.availability.record(up: false)
            let start = ContinuousClock.now
            do {
                _ = try await database.query("SELECT 1")
                XCTFail("work went on while the database was down")
            } catch {
                XCTAssertTrue(error is DatabaseUnresponsive, "\(error)")
            }
            XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
            database.availability.record(up: true)
            let rows = try await database.query("SELECT 1")
            XCTAssertEqual(rows.rows.count, 1, "up again, work goes on")
        }
    }

    /// Through a router with the platform's middleware: a request whose read is blocked answers
    /// 503 with Retry-After within `PG_REQUEST_TIMEOUT`, far below `PG_TRANSACTION_TIMEOUT`.
    func testABlockedRequestAnswers503WithinItsDeadline() async throws {
        let runtime = try PlatformRuntime(configuration: PlatformConfiguration(
            service: "giveup-test", defaultHTTPPort: 0,
            environment: TestEnvironment.platformEnvironment(extra: ["PG_REQUEST_TIMEOUT": "1", "PG_TRANSACTION_TIMEOUT": "60"])))
        let database = runtime.database
        let router = runtime.makeRouter()
        router.get("/api/held") { _, _ in
            for try await count in try await database.query("SELECT count(*) FROM \(unescaped: database.schema).held").decode(Int.self) {
                return "\(count)"
            }
            return "none"
        }
        try await database.withRunning {
            try await createTables(database)
            try await withTableLocked("\(database.schema).held") {
                try await runtime.makeApplication(router: router).test(.router) { client in
                    let start = ContinuousClock.now
                    try await client.execute(uri: "/api/held", method: .get) { response in
                        XCTAssertEqual(response.status, .serviceUnavailable)
                        XCTAssertEqual(response.headers[.retryAfter], "1")
                        let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                        XCTAssertEqual(body?["infcode"] as? Int, -1)
                    }
                    XCTAssertLessThan(ContinuousClock.now - start, .seconds(3), "within PG_REQUEST_TIMEOUT (1 s)")
                }
            }
        }
    }
}

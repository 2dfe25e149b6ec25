import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import PostgresNIO
import ServiceKit
import TestSupport
import XCTest

/// PostgreSQL away or refusing a value, seen from the HTTP edge of every service
/// (`DatabaseErrorMiddleware` in `PlatformRuntime.makeRouter`). Found by scripts/faults.sh and
/// scripts/fuzz.sh: requests hung while the database was down (the pool waits for a connection
/// without end), and a NUL byte or an oversized key in a request was a 500.
final class DatabaseOutageTests: XCTestCase {
    /// A runtime whose database is a closed port, as during a restart.
    private func unreachableRuntime() throws -> PlatformRuntime {
        try PlatformRuntime(configuration: PlatformConfiguration(
            service: "outage-test", defaultHTTPPort: 0, environment: TestEnvironment.platformEnvironment(extra: ["PGPORT": "1"])))
    }

    func testReachabilityGivesUpWithinItsLimit() async throws {
        let runtime = try unreachableRuntime()
        try await runtime.database.withRunning {
            let start = ContinuousClock.now
            let reachable = await runtime.database.isReachable(within: .milliseconds(500))
            XCTAssertFalse(reachable)
            XCTAssertLessThan(ContinuousClock.now - start, .seconds(3), "no hang while the database is away")
        }
    }

    func testRequestsGet503AtOnceWhileTheDatabaseIsAway() async throws {
        let runtime = try unreachableRuntime()
        let router = runtime.makeRouter()
        router.get("/api/thing") { _, _ in
            try await runtime.database.client.query("SELECT 1")
            return "ok"
        }
        try await runtime.database.withRunning {
            let probe = Task { try await runtime.health.run() }
            defer { probe.cancel() }
            for _ in 0..<50 where runtime.health.isUp { try await Task.sleep(for: .milliseconds(100)) }
            XCTAssertFalse(runtime.health.isUp, "the probe notices the database is away")
            try await runtime.makeApplication(router: router).test(.router) { client in
                let start = ContinuousClock.now
                try await client.execute(uri: "/api/thing", method: .get) { response in
                    XCTAssertEqual(response.status, .serviceUnavailable)
                    XCTAssertEqual(response.headers[.retryAfter], "1")
                    let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    XCTAssertEqual(body?["infcode"] as? Int, -1, "a HIS reads it as a refusal to retry")
                }
                XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
                try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.status, .ok) }
            }
        }
    }

    func testAValueThatCannotBeStoredIsA400NotA500() async throws {
        let runtime = try PlatformRuntime(configuration: PlatformConfiguration(
            service: "outage-test", defaultHTTPPort: 0, environment: TestEnvironment.platformEnvironment()))
        let router = runtime.makeRouter()
        router.post("/api/echo") { request, _ in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            try await runtime.database.client.query("SELECT \(text)::text")
            return "stored"
        }
        try await runtime.database.withRunning {
            try await runtime.makeApplication(router: router).test(.router) { client in
                try await client.execute(uri: "/api/echo", method: .post, body: ByteBuffer(string: "nul\u{0}byte")) { response in
                    XCTAssertEqual(response.status, .badRequest)
                    XCTAssertTrue(String(buffer: response.body).contains("cannot be stored"), String(buffer: response.body))
                }
                try await client.execute(uri: "/api/echo", method: .post, body: ByteBuffer(string: "fine")) {
                    XCTAssertEqual($0.status, .ok)
                }
            }
        }
    }
}

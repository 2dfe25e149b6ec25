import Events
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import Persistence
import PostgresNIO
import ServiceKit
import TestSupport
import XCTest
@testable import notification

/// notification as the service runs it (same assembly, real PostgreSQL and broker) on a schema
/// and topic of its own, with short retry delays, driven through its router.
struct NotificationHarness {
    static let operatorToken = TestEnvironment.operatorToken
    let runtime: PlatformRuntime
    let assembly: NotificationAssembly
    let topic = TestEnvironment.unique("notify_in")
    var schema: String { runtime.database.schema }
    var database: Database { runtime.database }

    init(maxAttempts: Int = 8, timeoutMS: Int = 3_000) throws {
        let env = TestEnvironment.platformEnvironment(extra: [
            "NOTIFY_SECRET_KEY": Data(repeating: 9, count: 32).base64EncodedString(), "NOTIFY_RETRY_BASE_MS": "40", "NOTIFY_RETRY_MAX_MS": "150",
            "NOTIFY_RETRY_MAX_ATTEMPTS": "\(maxAttempts)", "NOTIFY_HTTP_TIMEOUT_MS": "\(timeoutMS)", "NOTIFY_POLL_MS": "20",
            "NOTIFY_ACK_WINDOW_S": "1",
        ])
        let platform = try PlatformConfiguration(service: TestEnvironment.unique("notification"), defaultHTTPPort: 0, environment: env)
        runtime = try PlatformRuntime(configuration: platform)
        assembly = NotificationAssembly(runtime: runtime, configuration: try NotificationConfiguration(env))
    }

    /// Runs `body` with a client of the API while the dispatcher and the consumer of this
    /// harness's topic run.
    func run(_ body: @escaping @Sendable (TestClientProtocol) async throws -> Void) async throws {
        try await database.withRunning {
            try await runtime.prepareDatabase(migrations: NotificationMigrations.all)
            let processor = try assembly.processor(topics: [topic])
            let dispatcher = assembly.dispatcher()
            let workers = Task {
                await withDiscardingTaskGroup { group in
                    group.addTask { try? await processor.run() }
                    group.addTask { try? await dispatcher.run() }
                }
            }
            defer { workers.cancel() }
            try await runtime.makeApplication(router: assembly.router()).test(.router) { client in try await body(client) }
            workers.cancel()
            _ = await workers.result
        }
    }

    /// Publishes source events on the harness's topic (the consumer applies them).
    func publish(_ events: [CloudEvent]) async throws {
        let producer = try TestEnvironment.producer()
        _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: Array("k".utf8), value: $0.data, headers: $0.kafkaHeaders) })
        await producer.shutdown()
    }

    /// Applies a source event directly, as the consumer does (same transaction shape).
    func apply(_ event: CloudEvent) async throws {
        try await database.transaction { connection in
            try await assembly.planner.apply(event, on: connection, logger: runtime.logger)
        }
    }

    func count(_ table: String, where condition: String = "true") async throws -> Int {
        try await scalar("SELECT count(*)::int FROM \(schema).\(table) WHERE \(condition)") ?? 0
    }

    func scalar<T: PostgresDecodable & Sendable>(_ sql: String, as: T.Type = Int.self) async throws -> T? {
        for try await value in try await database.client.query(PostgresQuery(unsafeSQL: sql)).decode(T.self) { return value }
        return nil
    }

    /// Polls until `condition` holds; fails the test after `timeout`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTFail("timed out waiting until \(what)")
    }
}

/// A JSON answer of the API.
struct APIAnswer: Sendable {
    let status: HTTPResponse.Status
    let text: String
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    func call(_ uri: String, _ method: HTTPRequest.Method = .get, json: Any? = nil,
              token: String? = NotificationHarness.operatorToken) async throws -> APIAnswer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body = try json.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            APIAnswer(status: response.status, text: String(buffer: response.body))
        }
    }

    /// Registers a subscriber; returns its feedback token and first secret (webhook).
    func register(_ id: String, type: String, jurisdiction: String, url: String? = nil, institution: String? = nil,
                  maxInFlight: Int = 4, ordered: Bool = false) async throws -> (token: String, secret: String?) {
        var body: [String: Any] = ["id": id, "type": type, "name": id, "jurisdiction": jurisdiction, "channel": url == nil ? "kafka" : "webhook",
                                   "max_in_flight": maxInFlight, "ordered": ordered]
        if let url { body["url"] = url }
        if let institution { body["institution_code"] = institution }
        let answer = try await call("/api/subscribers", .post, json: body)
        XCTAssertEqual(answer.status, .created, answer.text)
        return (answer.object["token"] as? String ?? "", (answer.object["secret"] as? [String: Any])?["secret"] as? String)
    }
}

/// XCTest's assertions take synchronous autoclosures; these await the value first.
func expectEqual<T: Equatable>(_ value: @autoclosure () async throws -> T, _ expected: T, _ message: String = "",
                               file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, message, file: file, line: line)
}

func expectFalse(_ value: @autoclosure () async throws -> Bool, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertFalse(actual, message, file: file, line: line)
}

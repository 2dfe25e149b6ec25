import Events
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import Persistence
import ServiceKit
import TestSupport
import XCTest

/// The lags an operator and an orchestrator watch: the outbox's oldest unpublished event and each
/// consumer's distance to the end of its partitions, on `/metrics` and in `/ready`.
final class PipelineMonitorTests: XCTestCase {
    func testAnOutboxPastItsBoundMakesReadyDegradedUntilItDrains() async throws {
        let configuration = try PlatformConfiguration(service: "lag-test", defaultHTTPPort: 0, environment: TestEnvironment.platformEnvironment(
            extra: ["READY_MAX_OUTBOX_LAG_SECONDS": "60"]))
        let runtime = try PlatformRuntime(configuration: configuration)
        let database = runtime.database, run = TestEnvironment.unique("r"), topic = TestEnvironment.unique("t.lag")
        let app = runtime.makeApplication(router: runtime.makeRouter())
        try await database.withRunning {
            try await runtime.prepareDatabase(migrations: [])
            try await database.transaction { connection in
                try await Outbox.enqueue(try testEvent(1, run: run), topic: topic, key: nil, schema: database.schema, on: connection, logger: database.logger)
            }
            // As if the relay had been stuck for ten minutes.
            try await database.client.query("UPDATE \(unescaped: database.schema).outbox SET created_at = now() - interval '10 minutes'")
            await runtime.monitor.measure()
            try await app.test(.router) { client in
                try await client.execute(uri: "/ready", method: .get) { response in
                    XCTAssertEqual(response.status, .serviceUnavailable)
                    let body = String(buffer: response.body)
                    XCTAssertTrue(body.contains("\"ready\":\"degraded\""), body)
                    XCTAssertTrue(body.contains("READY_MAX_OUTBOX_LAG_SECONDS 60"), body)
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let line = String(buffer: response.body).split(separator: "\n")
                        .first { $0.hasPrefix("outbox_lag_seconds{schema=\"\(database.schema)\"}") }
                    let value = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
                    XCTAssertGreaterThan(value, 590, String(line ?? "no outbox_lag_seconds line"))
                    // The process figures, read from /proc/self by the same measurement.
                    let resident = String(buffer: response.body).split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
                    XCTAssertGreaterThan(resident.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0, 1_000_000)
                    // The transaction that wrote the event, timed, and the pool's size.
                    let text = String(buffer: response.body)
                    XCTAssertTrue(text.contains("db_transaction_duration_seconds_count{schema=\"\(database.schema)\",outcome=\"committed\"}"), "no transaction timing")
                    XCTAssertTrue(text.contains("db_pool_size{schema=\"\(database.schema)\"} 10"), "no pool size")
                }
                let producer = try TestEnvironment.producer()
                let published = try await OutboxRelay(database: database, producer: producer).drain()
                XCTAssertEqual(published, 1)
                await producer.shutdown()
                await runtime.monitor.measure()
                try await client.execute(uri: "/ready", method: .get) { response in
                    XCTAssertTrue(String(buffer: response.body).contains("\"outbox lag\":\"up\""), String(buffer: response.body))
                }
            }
            await runtime.producer.shutdown()
        }
    }

    func testConsumerLagCountsWhatIsNotMarkedProcessed() async throws {
        let topic = TestEnvironment.unique("t.clag"), run = TestEnvironment.unique("r")
        let producer = try TestEnvironment.producer()
        _ = try await producer.send(try (0..<50).map { n in
            let event = try testEvent(n, run: run)
            return KafkaProducerMessage(topic: topic, key: nil, value: event.data, headers: event.kafkaHeaders)
        })
        await producer.shutdown()
        let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("g"), topics: [topic])
        let received = try await collect(from: consumer, distinct: 50)
        XCTAssertEqual(received.count, 50)
        for message in received.prefix(10) { consumer.markProcessed(message) }
        let lags = await consumer.lag()
        await consumer.shutdown()
        // Per partition: the messages after the last one marked (or all, where none was marked).
        let expected = Dictionary(grouping: received, by: \.partition).map { partition, messages -> PartitionLag in
            let marked = received.prefix(10).filter { $0.partition == partition }.map(\.offset).max()
            return PartitionLag(topic: topic, partition: partition, lag: Int64(messages.filter { $0.offset > (marked ?? -1) }.count))
        }
        XCTAssertEqual(lags.filter { $0.lag > 0 || expected.contains($0) }.sorted { $0.partition < $1.partition },
                       expected.sorted { $0.partition < $1.partition })
        XCTAssertEqual(lags.reduce(0) { $0 + $1.lag }, 40)
    }
}

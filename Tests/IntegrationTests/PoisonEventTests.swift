import Events
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
@testable import Persistence
import PostgresNIO
import ServiceKit
import TestSupport
import XCTest

/// An event the broker refuses for good must not stall the outbox: it is parked in the dead
/// letters with the broker's error and the events after it flow, in order.
final class PoisonEventTests: XCTestCase {
    func testOversizedEventIsParkedAndTheNextThousandFlow() async throws {
        let topic = TestEnvironment.unique("t.poison"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([])
            // 10 events, one larger than the producer's (lowered) message.max.bytes, then 1,000 more.
            let limit = 20_000
            let events = try (0..<10).map { try testEvent($0, run: run) }
                + [try CloudEvent(id: "\(run)-poison", source: "/tests", type: "cn.hsa.test",
                                  encoding: ["name": String(repeating: "张", count: limit)])]
                + (10..<1_010).map { try testEvent($0, run: run) }
            try await database.transaction { connection in
                try await Outbox.enqueue(events.map { Outbox.Entry($0, topic: topic, key: "k\($0.id.count % 3)") },
                                         schema: database.schema, on: connection, logger: database.logger)
            }
            let producer = try TestEnvironment.producer(properties: ["message.max.bytes": "\(limit)"])
            XCTAssertEqual(producer.maxMessageBytes, limit)
            let settled = try await OutboxRelay(database: database, producer: producer).drain()
            await producer.shutdown()
            XCTAssertEqual(settled, 1_011, "every row left the outbox: 1,010 published, one parked")

            let parked = try await deadLetters(database)
            XCTAssertEqual(parked.count, 1)
            XCTAssertEqual(parked.first?.eventID, "\(run)-poison")
            XCTAssertEqual(parked.first?.source, "outbox")
            XCTAssertTrue(parked.first?.error.contains("MSG_SIZE_TOO_LARGE") == true, parked.first?.error ?? "")
            let waiting = try await unpublished(database)
            XCTAssertEqual(waiting, 0)
            XCTAssertTrue(String(decoding: Observability.registry.emitToBuffer(), as: UTF8.self).contains("outbox_dead_lettered_total{schema=\"\(database.schema)\"} 1"))

            let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("g"), topics: [topic])
            let received = try await collect(from: consumer, distinct: 1_010, timeout: .seconds(60))
            await consumer.shutdown()
            let ids = received.compactMap { $0.header("ce_id") }
            XCTAssertEqual(Set(ids).count, 1_010, "the events after the poison were published")
            XCTAssertFalse(ids.contains("\(run)-poison"))
            // Per key, the order of the outbox is kept around the parked event.
            for key in ["k0", "k1", "k2"] {
                let numbers = received.filter { $0.key == Array(key.utf8) }.compactMap { $0.header("ce_id")?.split(separator: "-").last.flatMap { Int($0) } }
                XCTAssertEqual(numbers, numbers.sorted())
            }
        }
    }

    /// With the broker away, nothing is parked: the rows wait (transient), and go once it is back.
    func testBrokerAwayParksNothing() async throws {
        let topic = TestEnvironment.unique("t.away"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([])
            try await database.transaction { connection in
                try await Outbox.enqueue(try (0..<5).map { Outbox.Entry(try testEvent($0, run: run), topic: topic, key: nil) },
                                         schema: database.schema, on: connection, logger: database.logger)
            }
            // No broker listens there; message.timeout.ms short so that the delivery fails soon.
            let away = try TestEnvironment.producer(brokers: "127.0.0.1:1", properties: ["message.timeout.ms": "1500"])
            do {
                try await OutboxRelay(database: database, producer: away).drain()
                XCTFail("a round with the broker away must fail")
            } catch let error as KafkaError {
                XCTAssertFalse(error.isPermanent, error.description)
            }
            await away.shutdown()
            let parked = try await deadLetters(database)
            let waiting = try await unpublished(database)
            XCTAssertEqual(parked.count, 0)
            XCTAssertEqual(waiting, 5)
            let producer = try TestEnvironment.producer()
            let published = try await OutboxRelay(database: database, producer: producer).drain()
            XCTAssertEqual(published, 5)
            await producer.shutdown()
        }
    }

    /// The service's own producer takes `message.max.bytes` from `KAFKA_PROP_MESSAGE_MAX_BYTES`, and
    /// the operators' listing shows the parked event as an outbox dead letter, apart from the consumers'.
    func testAParkedEventIsListedAsAnOutboxDeadLetter() async throws {
        let configuration = try PlatformConfiguration(service: "poison-test", defaultHTTPPort: 0, environment: TestEnvironment.platformEnvironment(
            extra: ["KAFKA_PROP_MESSAGE_MAX_BYTES": "5000"]))
        let runtime = try PlatformRuntime(configuration: configuration)
        let database = runtime.database, topic = TestEnvironment.unique("t.listed"), run = TestEnvironment.unique("r")
        let app = runtime.makeApplication(router: runtime.makeRouter())
        try await database.withRunning {
            try await runtime.prepareDatabase(migrations: [])
            let poison = try CloudEvent(id: "\(run)-poison", source: "/tests", type: "cn.hsa.test", encoding: ["text": String(repeating: "x", count: 6_000)])
            try await database.transaction { connection in
                try await Outbox.enqueue([Outbox.Entry(poison, topic: topic, key: nil), Outbox.Entry(try testEvent(1, run: run), topic: topic, key: nil)],
                                         schema: database.schema, on: connection, logger: database.logger)
            }
            let settled = try await OutboxRelay(database: database, producer: runtime.producer).drain()
            XCTAssertEqual(settled, 2)
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/events/dead-letters?source=outbox", method: .get,
                                         headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"]) { response in
                    let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                    XCTAssertEqual(rows.count, 1)
                    XCTAssertEqual(rows.first?["source"] as? String, "outbox")
                    XCTAssertEqual(rows.first?["event_id"] as? String, "\(run)-poison")
                    XCTAssertNotNil(rows.first?["outbox_seq"] as? Int)
                    XCTAssertTrue((rows.first?["error"] as? String)?.contains("MSG_SIZE_TOO_LARGE") == true)
                }
                try await client.execute(uri: "/api/events/dead-letters?source=consumer", method: .get,
                                         headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"]) { response in
                    XCTAssertEqual(String(buffer: response.body), "[]")
                }
            }
            await runtime.producer.shutdown()
        }
    }

    func testConsecutiveSequenceNumbersAreMarkedAsRanges() {
        XCTAssertEqual(OutboxRows.runs([5, 1, 2, 3, 7, 8, 10]), [1...3, 5...5, 7...8, 10...10])
        XCTAssertEqual(OutboxRows.runs([]), [])
    }

    private func deadLetters(_ database: Database) async throws -> [(source: String, eventID: String?, error: String)] {
        let rows = try await database.client.query("SELECT source, event_id, error FROM \(unescaped: database.schema).dead_letters ORDER BY id")
        var result: [(source: String, eventID: String?, error: String)] = []
        for try await (source, eventID, error) in rows.decode((String, String?, String).self) { result.append((source, eventID, error)) }
        return result
    }

    private func unpublished(_ database: Database) async throws -> Int {
        let rows = try await database.client.query("SELECT count(*) FROM \(unescaped: database.schema).outbox WHERE published_at IS NULL")
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }
}

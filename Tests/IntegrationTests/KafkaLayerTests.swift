import Events
import Foundation
import Kafka
import Persistence
import PostgresNIO
import TestSupport
import XCTest

/// The Kafka layer against the real (Tansu) broker.
final class KafkaLayerTests: XCTestCase {
    func testProduceAndConsumeKeepsKeysHeadersAndOrderPerKey() async throws {
        let topic = TestEnvironment.unique("t.keys"), run = TestEnvironment.unique("r")
        let producer = try TestEnvironment.producer()
        let messages = try (0..<200).map { n in
            let event = try testEvent(n, run: run)
            return KafkaProducerMessage(topic: topic, key: Array("person-\(n % 5)".utf8), value: event.data, headers: event.kafkaHeaders)
        }
        let reports = try await producer.send(messages)
        XCTAssertEqual(reports.count, 200)
        await producer.shutdown()

        let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("g"), topics: [topic])
        let received = try await collect(from: consumer, distinct: 200)
        await consumer.shutdown()
        XCTAssertEqual(Set(received.compactMap { $0.header("ce_id") }).count, 200)
        let first = try XCTUnwrap(received.first { $0.header("ce_id") == "\(run)-0" })
        XCTAssertEqual(first.key, Array("person-0".utf8))
        XCTAssertEqual(try CloudEvent(message: first).type, "cn.hsa.test")
        XCTAssertEqual(first.header("content-type"), "application/json")
        // One key stays on one partition, in the order sent.
        for person in 0..<5 {
            let sequence = received.filter { $0.key == Array("person-\(person)".utf8) }
            XCTAssertEqual(Set(sequence.map(\.partition)).count, 1)
            let numbers = sequence.compactMap { $0.header("ce_id")?.split(separator: "-").last.flatMap { Int($0) } }
            XCTAssertEqual(numbers, numbers.sorted())
        }
    }

    /// A consumer that leaves while librdkafka still holds messages it fetched and never handed over
    /// (its reader stopped, its buffer full): the leave completes, and the messages are not lost —
    /// the group's next member reads every one not marked processed. The close served that queue by
    /// callbacks once, and librdkafka aborted the process on the first fetched message.
    func testAConsumerLeavingWithMessagesStillFetchedStopsCleanlyAndTheNextMemberReadsThem() async throws {
        let topic = TestEnvironment.unique("t.leave"), group = TestEnvironment.unique("g"), run = TestEnvironment.unique("r")
        let producer = try TestEnvironment.producer()
        let events = try (0..<5_000).map { try testEvent($0, run: run) }
        _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: nil, value: $0.data, headers: $0.kafkaHeaders) })
        await producer.shutdown()

        var configuration = KafkaConsumerConfiguration(kafka: TestEnvironment.kafka(), groupID: group, topics: [topic])
        configuration.bufferCapacity = 1
        let first = try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
        // One message handed over and marked; the poller's next runs wait behind the full buffer,
        // and what librdkafka fetched meanwhile stays in its queue.
        let handed = try await collect(from: first, distinct: 1, onMessage: { first.markProcessed($0) })
        let marked = try XCTUnwrap(handed.first)
        try await Task.sleep(for: .seconds(1))
        await first.shutdown()

        let second = try TestEnvironment.consumer(group: group, topics: [topic])
        let again = try await collect(from: second, distinct: 4_999, timeout: .seconds(45))
        await second.shutdown()
        XCTAssertFalse(again.contains { $0.header("ce_id") == marked.header("ce_id") }, "the message marked processed came again")
        XCTAssertEqual(Set(again.compactMap { $0.header("ce_id") }).count, 4_999, "a message fetched and not handed over was lost")
    }

    func testCrashBeforeCommitRedeliversAndTheInboxAppliesOnce() async throws {
        let topic = TestEnvironment.unique("t.crash"), group = TestEnvironment.unique("g"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([Migration(1, "effects", "CREATE TABLE {schema}.effects (event_id text NOT NULL)")])
            let producer = try TestEnvironment.producer()
            let events = try (0..<20).map { try testEvent($0, run: run) }
            _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: nil, value: $0.data, headers: $0.kafkaHeaders) })
            await producer.shutdown()

            // First member applies every event but dies before its offsets are committed.
            let first = try TestEnvironment.consumer(group: group, topics: [topic])
            _ = try await collect(from: first, distinct: 20, onMessage: { message in try await applyOnce(message, database) })
            await first.abandon()

            // The group hands the partitions to a new member, which receives the events again.
            let second = try TestEnvironment.consumer(group: group, topics: [topic])
            let again = try await collect(from: second, distinct: 20, timeout: .seconds(45), onMessage: { message in
                try await applyOnce(message, database)
                second.markProcessed(message)
            })
            await second.shutdown()
            XCTAssertEqual(Set(again.compactMap { $0.header("ce_id") }).count, 20, "every event is redelivered")
            let rows = try await database.client.query("SELECT count(*), count(DISTINCT event_id) FROM \(unescaped: database.schema).effects")
            for try await (total, distinct) in rows.decode((Int, Int).self) {
                XCTAssertEqual(total, 20)
                XCTAssertEqual(distinct, 20)
            }
        }
    }

    func testRebalanceBetweenTwoMembersLosesNothing() async throws {
        let topic = TestEnvironment.unique("t.rebalance"), group = TestEnvironment.unique("g"), run = TestEnvironment.unique("r")
        try TestEnvironment.createTopic(topic, partitions: 4)
        let producer = try TestEnvironment.producer()
        // Several keys so that the records spread over the topic's partitions.
        let total = 2_000
        let events = try (0..<total).map { try testEvent($0, run: run) }
        _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: Array("k\($0.id.hashValue % 16)".utf8), value: $0.data, headers: $0.kafkaHeaders) })

        let seen = Collected()
        let done: @Sendable () -> Bool = { Set(seen.messages.compactMap { $0.header("ce_id") }).count >= total }
        let one = try TestEnvironment.consumer(group: group, topics: [topic])
        async let firstHalf: [KafkaConsumerMessage] = collect(from: one, distinct: total, timeout: .seconds(30), stopWhen: done, onMessage: { message in
            seen.append(message)
            one.markProcessed(message)
            try await Task.sleep(for: .microseconds(500)) // slow enough for the second member to join mid-stream
        })
        try await Task.sleep(for: .seconds(1))
        let two = try TestEnvironment.consumer(group: group, topics: [topic])
        async let secondHalf: [KafkaConsumerMessage] = collect(from: two, distinct: total, timeout: .seconds(30), stopWhen: done, onMessage: { message in
            seen.append(message)
            two.markProcessed(message)
        })
        let (fromOne, fromTwo) = try await (firstHalf, secondHalf)
        await one.shutdown()
        await two.shutdown()
        await producer.shutdown()
        let ids = Set(seen.messages.compactMap { $0.header("ce_id") })
        XCTAssertEqual(ids.count, total, "no event lost across the rebalance")
        XCTAssertFalse(fromOne.isEmpty)
        XCTAssertFalse(fromTwo.isEmpty, "the second member took over partitions")
    }
}

/// Applies a test event's effect once: the inbox and the effect in one transaction.
func applyOnce(_ message: KafkaConsumerMessage, _ database: Database) async throws {
    let event = try CloudEvent(message: message)
    try await database.transaction { connection in
        guard try await Inbox.firstDelivery(of: event.id, consumer: "test", schema: database.schema, on: connection, logger: database.logger) else { return }
        try await connection.query("INSERT INTO \(unescaped: database.schema).effects VALUES (\(event.id))", logger: database.logger)
    }
}

import Events
import Foundation
import Kafka
import Persistence
import PostgresNIO
import TestSupport
import XCTest

final class OutboxRelayTests: XCTestCase {
    struct Killed: Error {}

    /// The relay dies after the broker acknowledged a batch and before it marked the rows; the
    /// next relay publishes those rows again with the same ids, and the idempotent consumer
    /// applies every event exactly once.
    func testRelayKilledBetweenPublishAndMarkStillGivesExactlyOneEffectPerRow() async throws {
        let topic = TestEnvironment.unique("t.outbox"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([Migration(1, "effects", "CREATE TABLE {schema}.effects (event_id text NOT NULL)")])
            let rows = 500
            for chunk in stride(from: 0, to: rows, by: 50) {
                try await database.transaction { connection in
                    for n in chunk..<(chunk + 50) {
                        try await Outbox.enqueue(try testEvent(n, run: run), topic: topic, key: "k\(n % 7)",
                                                 schema: database.schema, on: connection, logger: database.logger)
                    }
                }
            }
            let producer = try TestEnvironment.producer()
            var options = OutboxRelay.Options()
            options.batchSize = 200
            let dying = OutboxRelay(database: database, producer: producer, options: options) { _ in throw Killed() }
            do {
                try await dying.drain()
                XCTFail("the relay should have died")
            } catch is Killed {}
            let restarted = OutboxRelay(database: database, producer: producer, options: options)
            let published = try await restarted.drain()
            XCTAssertEqual(published, rows, "every row is published after the restart")
            await producer.shutdown()

            let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("g"), topics: [topic])
            let received = try await collect(from: consumer, distinct: rows, onMessage: { try await applyOnce($0, database) })
            let extra = try await collect(from: consumer, distinct: rows + 1, timeout: .seconds(2), onMessage: { try await applyOnce($0, database) })
            await consumer.shutdown()
            let all = received + extra
            XCTAssertEqual(all.count, rows + 200, "the first batch went out twice on the wire")
            XCTAssertEqual(Set(all.compactMap { $0.header("ce_id") }).count, rows)
            try await assertCounts(database, total: rows, unpublished: 0)
        }
    }

    func testRolledBackTransactionPublishesNothing() async throws {
        let topic = TestEnvironment.unique("t.rollback"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([Migration(1, "effects", "CREATE TABLE {schema}.effects (event_id text NOT NULL)")])
            _ = try? await database.transaction { connection in
                try await Outbox.enqueue(try testEvent(1, run: run), topic: topic, key: nil, schema: database.schema,
                                         on: connection, logger: database.logger)
                throw Killed()
            }
            let producer = try TestEnvironment.producer()
            let published = try await OutboxRelay(database: database, producer: producer).drain()
            await producer.shutdown()
            XCTAssertEqual(published, 0)
        }
    }

    private func assertCounts(_ database: Database, total: Int, unpublished: Int) async throws {
        let schema = database.schema
        let rows = try await database.client.query("""
            SELECT (SELECT count(*) FROM \(unescaped: schema).effects), (SELECT count(DISTINCT event_id) FROM \(unescaped: schema).effects),
                   (SELECT count(*) FROM \(unescaped: schema).outbox WHERE published_at IS NULL)
            """)
        for try await (effects, distinct, pending) in rows.decode((Int, Int, Int).self) {
            XCTAssertEqual(effects, total, "one effect per row")
            XCTAssertEqual(distinct, total)
            XCTAssertEqual(pending, unpublished)
        }
    }
}

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

    /// The relay's own vacuum clears what publishing left dead (marked rows' old versions,
    /// deleted rows by reference), so that the scan for unpublished rows does not step over them.
    func testTheRelaysVacuumClearsWhatPublishingLeftDead() async throws {
        let topic = TestEnvironment.unique("t.vacuum"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([])
            try await database.transaction { connection in
                let entries = try (0..<40).map { n in
                    n % 2 == 0 ? Outbox.Entry(try testEvent(n, run: run), topic: topic, key: "k", payloadReference: "record-\(n)")
                               : Outbox.Entry(try testEvent(n, run: run), topic: topic, key: "k")
                }
                try await Outbox.copy(entries, schema: database.schema, on: connection, logger: database.logger)
            }
            let producer = try TestEnvironment.producer()
            let relay = OutboxRelay(database: database, producer: producer, payloads: Records())
            let settled = try await relay.drain()
            await producer.shutdown()
            XCTAssertEqual(settled, 40)
            let stats = """
                SELECT n_dead_tup, vacuum_count FROM pg_stat_user_tables WHERE schemaname = '\(database.schema)' AND relname = 'outbox'
                """
            let before = try await database.query(PostgresQuery(unsafeSQL: stats)).rows.map { try $0.decode((Int, Int).self) }
            XCTAssertEqual(before.first?.0, 40, "20 rows deleted, 20 old versions of rows marked")
            await relay.vacuum()
            let after = try await database.query(PostgresQuery(unsafeSQL: stats)).rows.map { try $0.decode((Int, Int).self) }
            XCTAssertEqual(after.first?.0, 0)
            XCTAssertEqual(after.first?.1, 1)
            let left = try await database.query("SELECT count(*) FROM \(unescaped: database.schema).outbox WHERE published_at IS NOT NULL")
            XCTAssertEqual(try left.rows.map { try $0.decode(Int.self) }, [20], "the rows with their payload stay for their retention")
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

    /// Rows written by reference carry no payload; the relay reads it from the service's source
    /// when publishing, in order with the rows that hold theirs, and a reference the source does
    /// not know is parked in the dead letters naming it, without holding up the rows after it.
    func testPayloadsByReferenceArePublishedAsTheSourceReadsThemAndAnUnknownOneIsParked() async throws {
        let topic = TestEnvironment.unique("t.byref"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([])
            try await database.transaction { connection in
                let entries = try (0..<6).map { n in
                    let event = try testEvent(n, run: run)
                    return n % 2 == 0 ? Outbox.Entry(event, topic: topic, key: "k", payloadReference: n == 4 ? "missing" : "record-\(n)")
                                      : Outbox.Entry(event, topic: topic, key: "k")
                }
                try await Outbox.copy(entries, schema: database.schema, on: connection, logger: database.logger)
            }
            let stored = try await database.query("SELECT count(*) FROM \(unescaped: database.schema).outbox WHERE payload IS NULL")
            XCTAssertEqual(try stored.rows.map { try $0.decode(Int.self) }, [3], "no payload is stored for a row by reference")
            let producer = try TestEnvironment.producer()
            let settled = try await OutboxRelay(database: database, producer: producer, payloads: Records()).drain()
            await producer.shutdown()
            XCTAssertEqual(settled, 6)
            let left = try await database.query("""
                SELECT count(*) FILTER (WHERE payload_ref IS NOT NULL), count(*) FILTER (WHERE published_at IS NOT NULL)
                FROM \(unescaped: database.schema).outbox
                """)
            let counts: [(Int, Int)] = try left.rows.map { try $0.decode((Int, Int).self) }
            XCTAssertEqual(counts.map { [$0.0, $0.1] }, [[0, 3]], "rows by reference leave once published (or parked); rows with their payload stay, marked")

            let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("g"), topics: [topic])
            let received = try await collect(from: consumer, distinct: 5, timeout: .seconds(20))
            await consumer.shutdown()
            XCTAssertEqual(received.map { String(decoding: $0.value, as: UTF8.self) },
                           ["the record record-0", #"{"n":1}"#, "the record record-2", #"{"n":3}"#, #"{"n":5}"#], "in order, each payload as read")
            let parked = try await database.query("SELECT error, convert_from(payload, 'UTF8') FROM \(unescaped: database.schema).dead_letters")
            let rows = try parked.rows.map { try $0.decode((String, String).self) }
            XCTAssertEqual(rows.count, 1)
            XCTAssertTrue(rows.first?.0.contains("'missing' not found") == true, "\(rows)")
            XCTAssertEqual(rows.first?.1, "missing", "the unread reference is what is parked")
        }
    }

    /// A row that stands for several events (a round of intake's claims): each member goes out
    /// with the row's headers, its own id, key and trace; the row is never split across two relay
    /// rounds (a batch of two events still takes its three); a member whose reference is unknown is
    /// parked alone, as the event it would have been, and its row still leaves.
    func testARowOfMembersPublishesEachMemberWithItsOwnIdKeyAndTrace() async throws {
        let topic = TestEnvironment.unique("t.members"), run = TestEnvironment.unique("r")
        let database = try TestEnvironment.database()
        let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        try await database.withRunning {
            try await Migrator(database).migrate([])
            try await database.transaction { connection in
                let members = [Outbox.Member(eventID: "\(run)-m0", key: "k0", payloadReference: "record-0", traceparent: trace),
                               Outbox.Member(eventID: "\(run)-m1", key: "k1", payloadReference: "missing", traceparent: nil),
                               Outbox.Member(eventID: "\(run)-m2", key: "k2", payloadReference: "record-2", traceparent: nil)]
                let round = CloudEvent(id: "\(run)-round", source: "/tests", type: "cn.hsa.round", time: Date(), traceparent: "00-ff-ff-01", data: [])
                try await Outbox.copy([Outbox.Entry(try testEvent(0, run: run), topic: topic, key: "a"),
                                       Outbox.Entry(round, topic: topic, members: members),
                                       Outbox.Entry(try testEvent(1, run: run), topic: topic, key: "b")],
                                      schema: database.schema, on: connection, logger: database.logger)
            }
            var options = OutboxRelay.Options()
            options.batchSize = 2
            let producer = try TestEnvironment.producer()
            let settled = try await OutboxRelay(database: database, producer: producer, options: options, payloads: Records()).drain()
            await producer.shutdown()
            XCTAssertEqual(settled, 5, "three events of the row, one each of the others")
            let left = try await database.query("SELECT count(*) FROM \(unescaped: database.schema).outbox WHERE members IS NOT NULL")
            XCTAssertEqual(try left.rows.map { try $0.decode(Int.self) }, [0], "the row of members leaves once its events are out")

            let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("g"), topics: [topic])
            let received = try await collect(from: consumer, distinct: 4, timeout: .seconds(20))
            await consumer.shutdown()
            // Keyed apart, they may lie on different partitions: each is checked by its id.
            let byID = Dictionary(received.map { ($0.header("ce_id") ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            XCTAssertEqual(Set(byID.keys), ["\(run)-0", "\(run)-m0", "\(run)-m2", "\(run)-1"], "each member with its own id")
            let m0 = try XCTUnwrap(byID["\(run)-m0"]), m2 = try XCTUnwrap(byID["\(run)-m2"])
            XCTAssertEqual([m0, m2].map { $0.key.map { String(decoding: $0, as: UTF8.self) } }, ["k0", "k2"])
            XCTAssertEqual([m0, m2].map { String(decoding: $0.value, as: UTF8.self) }, ["the record record-0", "the record record-2"])
            XCTAssertEqual(m0.header("traceparent"), trace, "a member carries its own trace")
            XCTAssertNil(m2.header("traceparent"), "not the row's")
            XCTAssertEqual([m0, m2].map { $0.header("ce_type") }, ["cn.hsa.round", "cn.hsa.round"])
            let parked = try await database.query("""
                SELECT event_id, convert_from(event_key, 'UTF8'), error, convert_from(payload, 'UTF8'), headers->>'ce_id'
                FROM \(unescaped: database.schema).dead_letters
                """)
            let rows = try parked.rows.map { try $0.decode((String, String, String, String, String).self) }
            XCTAssertEqual(rows.count, 1)
            XCTAssertEqual(rows.first?.0, "\(run)-m1")
            XCTAssertEqual(rows.first?.1, "k1")
            XCTAssertTrue(rows.first?.2.contains("'missing' not found") == true, "\(rows)")
            XCTAssertEqual(rows.first?.3, "missing", "the unread reference is what is parked")
            XCTAssertEqual(rows.first?.4, "\(run)-m1", "parked as the event it would have been")
        }
    }

    /// A source of payloads that knows every reference but "missing".
    struct Records: OutboxPayloadSource {
        func payloads(_ references: [String], on connection: PostgresConnection) async throws -> [String: [UInt8]] {
            Dictionary(uniqueKeysWithValues: references.filter { $0 != "missing" }.map { ($0, Array("the record \($0)".utf8)) })
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

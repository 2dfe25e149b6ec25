import Events
import Foundation
import Persistence
import PostgresNIO
import TestSupport
import XCTest

/// COPY's text format escapes what it must and nothing else: every value read back is the value
/// written, and an event copied into the outbox is the row `enqueue` writes for it.
final class CopyRowsTests: XCTestCase {
    func testValuesWithEscapesNullsAndBytesReadBackAsWritten() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([Migration(1, "copied", "CREATE TABLE {schema}.copied (n int, t text, j json, b bytea)")])
            let texts: [String?] = ["plain", "back\\slash", "tab\there", "new\nline", "carriage\rreturn", "\\N", nil, "中文 名称", ""]
            let bytes = Array(0...255).map(UInt8.init)
            var rows = CopyRows()
            for (n, text) in texts.enumerated() {
                rows.int(n)
                rows.text(text)
                rows.bytes(Array(#"{"name":"a\"b\\c\/d","n":\#(n)}"#.utf8))
                rows.bytea(bytes)
                rows.endRow()
            }
            let written = rows
            try await database.transaction { connection in
                try await connection.copy(written, into: "copied", columns: ["n", "t", "j", "b"], schema: database.schema, logger: database.logger)
            }
            let read = try await database.client.query("SELECT n, t, j::text, b FROM \(unescaped: database.schema).copied ORDER BY n")
            var count = 0
            for try await (n, text, json, blob) in read.decode((Int, String?, String, ByteBuffer).self) {
                XCTAssertEqual(text, texts[n], "value \(n)")
                XCTAssertEqual(json, #"{"name":"a\"b\\c\/d","n":\#(n)}"#)
                XCTAssertEqual(Array(blob.readableBytesView), bytes)
                count += 1
            }
            XCTAssertEqual(count, texts.count)
        }
    }

    func testAnEventCopiedIntoTheOutboxIsTheRowEnqueueWrites() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([])
            let run = TestEnvironment.unique("r")
            let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
            let copied = try testEvent(1, run: run, traceparent: trace), enqueued = try testEvent(2, run: run, traceparent: trace)
            try await database.transaction { connection in
                try await Outbox.copy([Outbox.Entry(copied, topic: "t", key: "k\\\t1")], schema: database.schema, on: connection, logger: database.logger)
                try await Outbox.enqueue([Outbox.Entry(enqueued, topic: "t", key: "k\\\t1")], schema: database.schema, on: connection, logger: database.logger)
            }
            let rows = try await database.client.query("""
                SELECT event_id, topic, key, headers::jsonb - 'ce_id' - 'ce_time', payload FROM \(unescaped: database.schema).outbox ORDER BY seq
                """)
            var read: [(String, String, ByteBuffer?, String, ByteBuffer)] = []
            for try await row in rows.decode((String, String, ByteBuffer?, String, ByteBuffer).self) { read.append(row) }
            XCTAssertEqual(read.map(\.0), [copied.id, enqueued.id])
            XCTAssertEqual(read[0].2.map { Array($0.readableBytesView) }, Array("k\\\t1".utf8))
            XCTAssertEqual(read[0].2, read[1].2)
            XCTAssertEqual(read[0].3, read[1].3, "the same headers but id and time")
            XCTAssertEqual(Array(read[0].4.readableBytesView), Array(copied.data))
        }
    }
}

private func testEvent(_ n: Int, run: String, traceparent: String) throws -> CloudEvent {
    var event = try testEvent(n, run: run)
    event.traceparent = traceparent
    return event
}

import Persistence
import PostgresNIO
import TestSupport
import XCTest

/// A `text[]` written by `TextArray` is the one PostgresNIO's own encoding writes: PostgreSQL reads
/// back the same strings, in order, empty, non-ASCII and long ones included.
final class TextArrayTests: XCTestCase {
    func testStringsReadBackAsWrittenAndAsPostgresNIOWritesThem() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            let long = String(repeating: "追溯码0123456789", count: 300)
            for values in [["a", "", "中文 名称", "back\\slash", "quote\"d", "{braces}", "NULL", long], ["one"], []] {
                var bindings = PostgresBindings()
                bindings.append(texts: values)
                bindings.append(values)
                let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT $1::text[], $1::text[] = $2::text[], cardinality($1::text[])",
                                                                         binds: bindings))
                var read = 0
                for try await (strings, same, count) in rows.decode(([String], Bool, Int).self) {
                    XCTAssertEqual(strings, values)
                    XCTAssertTrue(same, "the same array as PostgresNIO's: \(values.prefix(3))")
                    XCTAssertEqual(count, values.count)
                    read += 1
                }
                XCTAssertEqual(read, 1)
            }
        }
    }
}

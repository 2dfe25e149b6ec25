import Persistence
import PostgresNIO
import TestSupport
import XCTest

/// A transaction's independent writes sent as one statement: each write's parameters renumbered
/// after those before it, a write with no rows doing nothing, and all or none written.
final class CombinedWritesTests: XCTestCase {
    private struct People: WriteFragment {
        static let sql = "INSERT INTO people (name, age) SELECT * FROM unnest($1::text[], $2::int8[])"
        var names: [String] = [], ages: [Int] = []
        func bind(into bindings: inout PostgresBindings) {
            bindings.append(names)
            bindings.append(ages)
        }
    }

    private struct Notes: WriteFragment {
        static let sql = "INSERT INTO notes (note, marker) SELECT n, '$1 stays' FROM unnest($1::text[]) AS t(n)"
        var notes: [String] = []
        func bind(into bindings: inout PostgresBindings) { bindings.append(notes) }
    }

    /// New ages of people already written, bound as `People` is.
    private struct Ages: WriteFragment {
        static let sql = "UPDATE people p SET age = a.age FROM unnest($1::text[], $2::int8[]) AS a(name, age) WHERE p.name = a.name"
        var people = People()
        func bind(into bindings: inout PostgresBindings) { people.bind(into: &bindings) }
    }

    func testEachWritesParametersFollowThoseOfTheWritesBeforeIt() {
        let sql = CombinedWrites<People, Notes, Ages>.sql
        XCTAssertTrue(sql.contains("unnest($1::text[], $2::int8[])"), sql)
        XCTAssertTrue(sql.contains("FROM unnest($3::text[])"), sql)
        XCTAssertTrue(sql.contains("'$1 stays'"), "quoted text is not a parameter: \(sql)")
        XCTAssertTrue(sql.contains("unnest($4::text[], $5::int8[])"), sql)
        XCTAssertTrue(sql.hasPrefix("WITH w1 AS (INSERT INTO people"), sql)
    }

    func testTheWritesOfOneStatementLandTogetherAndAnEmptyOneDoesNothing() async throws {
        try await assertLandTogether(migrations: 1) { first, then, connection, database in
            try await CombinedWrites(first.0, first.1, first.2).run(on: connection, logger: database.logger)
            try await CombinedWrites(then.0, then.1, then.2).run(on: connection, logger: database.logger)
        }
    }

    func testPlannedWritesCallAProcedureNamedAfterThemWithTheirParametersTypes() {
        let function = PlannedWrites<People, Notes, Ages>.function
        XCTAssertEqual(function.function, "writes_people_notes_ages")
        XCTAssertEqual(function.arguments, ["text[]", "int8[]", "text[]", "text[]", "int8[]"], "quoted '$1 stays' is not a parameter")
        XCTAssertEqual(PlannedWrites<People, Notes, Ages>.sql,
                       "CALL writes_people_notes_ages($1::text[], $2::int8[], $3::text[], $4::text[], $5::int8[])")
        XCTAssertEqual(function.body, CombinedWrites<People, Notes, Ages>.sql)
    }

    /// Through the procedure (made again at each start-up: the second migration run replaces it),
    /// the writes land as they do in one statement.
    func testPlannedWritesLandAsTheStatementDoes() async throws {
        try await assertLandTogether(migrations: 2) { first, then, connection, database in
            try await PlannedWrites(first.0, first.1, first.2).run(on: connection, logger: database.logger)
            try await PlannedWrites(then.0, then.1, then.2).run(on: connection, logger: database.logger)
        }
    }

    /// Two rounds of writes in one transaction: two people and a note, then an empty round but for
    /// one person's new age. The update sees the rows of the statement before it, not those of its own.
    private func assertLandTogether(migrations: Int, _ write: @escaping @Sendable ((People, Notes, Ages), (People, Notes, Ages), PostgresConnection, Database)
                                        async throws -> Void) async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            for _ in 0..<migrations { try await migrate(database) }
            try await database.transaction { connection in
                try await write((People(names: ["a", "b"], ages: [1, 2]), Notes(notes: ["x"]), Ages()),
                                (People(), Notes(), Ages(people: People(names: ["b"], ages: [20]))), connection, database)
            }
            let (people, notes) = (try await people(database), try await notes(database))
            XCTAssertEqual(people, ["a:1", "b:20"])
            XCTAssertEqual(notes, ["x:$1 stays"])
        }
    }

    func testAFailingWriteLeavesNothingOfTheOthers() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await migrate(database)
            do {
                try await database.transaction { connection in
                    try await CombinedWrites(Notes(notes: ["kept?"]), People(names: ["dup", "dup"], ages: [1, 2])).run(on: connection, logger: database.logger)
                }
                XCTFail("a duplicate name must fail the statement")
            } catch {
                XCTAssertTrue(String(reflecting: error).contains("23505"), "unique violation: \(String(reflecting: error))")
            }
            let (people, notes) = (try await people(database), try await notes(database))
            XCTAssertEqual(people, [])
            XCTAssertEqual(notes, [])
        }
    }

    private func migrate(_ database: Database) async throws {
        try await Migrator(database).migrate([Migration(1, "combined", """
            CREATE TABLE {schema}.people (name text PRIMARY KEY, age int8);
            CREATE TABLE {schema}.notes (note text, marker text)
            """), PlannedWrites<People, Notes, Ages>.function.migration(2, "the writes planned once")])
    }

    private func people(_ database: Database) async throws -> [String] {
        var read: [String] = []
        for try await (name, age) in try await database.client.query("SELECT name, age FROM \(unescaped: database.schema).people ORDER BY name")
            .decode((String, Int).self) { read.append("\(name):\(age)") }
        return read
    }

    private func notes(_ database: Database) async throws -> [String] {
        var read: [String] = []
        for try await (note, marker) in try await database.client.query("SELECT note, marker FROM \(unescaped: database.schema).notes ORDER BY note")
            .decode((String, String).self) { read.append("\(note):\(marker)") }
        return read
    }
}

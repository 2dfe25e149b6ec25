import Events
import Foundation
import Logging
import Persistence
import PostgresNIO
import ReviewWorkflow

/// The credit grade of each institution as the credit service last published it on `credit.changes`,
/// so that the discretion calculator weighs a case by the institution's record (CreditFactor). A grade
/// change older than the one held never replaces it, so redelivery or reordering changes nothing.
struct CreditStanding: Sendable {
    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    let database: Database
    var schema: String { database.schema }

    static let sql = """
        CREATE TABLE {schema}.institution_grades (
          medins_id text PRIMARY KEY,
          grade text NOT NULL,
          effective_from text NOT NULL,
          change_id text NOT NULL)
        """

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let change: CreditChanged
        do { change = try event.decode(CreditChanged.self) } catch {
            throw Malformed(description: "credit.changes event \(event.id) cannot be read: \(error)")
        }
        guard change.subjectKind == "institution", change.change == "grade" else { return }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).institution_grades (medins_id, grade, effective_from, change_id)
            VALUES (\(change.subjectId), \(change.after), \(change.effectiveFrom), \(change.changeId))
            ON CONFLICT (medins_id) DO UPDATE SET grade = excluded.grade, effective_from = excluded.effective_from,
              change_id = excluded.change_id
            WHERE institution_grades.effective_from <= excluded.effective_from
            """, logger: logger)
    }

    func grade(of institution: String, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("SELECT grade FROM \(unescaped: schema).institution_grades WHERE medins_id = \(institution)",
                                              logger: database.logger)
        for try await grade in rows.decode(String.self) { return grade }
        return nil
    }
}

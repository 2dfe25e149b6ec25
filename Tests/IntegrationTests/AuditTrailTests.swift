import AuditChain
import AuditTrail
import Events
import Foundation
import OperatorAccess
import Persistence
import PostgresNIO
import TestSupport
import XCTest

/// The shared audit chain in PostgreSQL: appends chain, the table refuses changes, heads are
/// announced through the outbox, and a chain cut and rewritten behind the trigger's back is caught
/// against the announced heads, both at once.
final class AuditTrailTests: XCTestCase {
    let person = OperatorIdentity(user: "王发布", roles: [.rulePublisher])

    func testACutEndAndARewrittenEntryAreBothNamedAgainstThePublishedHeads() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([Migration(1, "audit chain", AuditStore.tableSQL)])
            let store = AuditStore(database: database)
            let publisher = AuditHeadPublisher(store: store, service: "credit", interval: .seconds(60))
            let none = try await publisher.publish()
            XCTAssertNil(none, "an empty chain announces nothing")
            var heads: [AuditHead] = []
            for round in 0..<2 {
                for i in 1...4 { try await store.record(by: person, "rules.published", subject: "rule-set:\(round * 4 + i)") }
                let announced = try await publisher.publish()
                let head = try XCTUnwrap(announced)
                heads.append(AuditHead(sequence: head.sequence, hash: head.hash))
            }
            _ = try await publisher.publish()
            let announced = try await count(database, "outbox", where: "topic = 'audit.credit'")
            XCTAssertEqual(announced, 2, "one announcement per head, the unchanged head not twice")
            let intact = ChainCheck.findings(try await store.allEntries(), publishedHeads: heads)
            XCTAssertEqual(intact, [])

            try await execute(database, "ALTER TABLE {schema}.audit_log DISABLE TRIGGER USER")
            try await execute(database, "DELETE FROM {schema}.audit_log WHERE sequence > 6")
            try await execute(database, "UPDATE {schema}.audit_log SET actor = 'nobody' WHERE sequence = 3")
            let findings = ChainCheck.findings(try await store.allEntries(), publishedHeads: heads)
            XCTAssertEqual(findings, [.altered(sequence: 3), .truncated(publishedHead: 8, chainEnds: 6)])
        }
    }

    func testTheTableRefusesChangesAndEntriesNameThePerson() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            try await Migrator(database).migrate([Migration(1, "audit chain", AuditStore.tableSQL)])
            let entry = try await AuditStore(database: database).record(by: person, "replay.run", subject: "replay:2026-09")
            XCTAssertEqual(entry.actor, "王发布")
            XCTAssertEqual(entry.details["roles"], "rule_publisher")
            do {
                try await execute(database, "UPDATE {schema}.audit_log SET actor = 'nobody'")
                XCTFail("the audit log took an UPDATE")
            } catch {
                XCTAssertTrue(String(reflecting: error).contains("append-only"), "\(String(reflecting: error))")
            }
        }
    }

    private func execute(_ database: Database, _ sql: String) async throws {
        try await database.client.query(PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "{schema}", with: database.schema)), logger: database.logger)
    }

    private func count(_ database: Database, _ table: String, where condition: String) async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(database.schema).\(table) WHERE \(condition)"),
                                                   logger: database.logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }
}

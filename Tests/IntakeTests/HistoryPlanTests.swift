import ClaimArchive
import Foundation
import HISContract
import Persistence
import PostgresNIO
import RuleEngine
import TestSupport
import XCTest
@testable import intake

/// The history lookup is planned once a session (`ClaimArchive.historyPlannedOnce`), and so is the
/// lookup of an encounter's claims (`EncounterClaims`), so each plan
/// may be made while `claims` is small and its statistics say so, as in a fresh deployment's first
/// minutes; it must still read every key through its index once the table has grown.
final class HistoryPlanTests: XCTestCase {
    func testALookupPlannedOnASmallArchiveStillReadsThroughTheIndexesOnceItHasGrown() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let database = harness.runtime.database, schema = harness.schema
            let encounter = Fixture.encounter("MD-PLAN")
            let claim = try Claim(patient: Fixture.patient([encounter]), encounter: encounter, claimID: "H/MD-PLAN/S")
            let archive = ClaimArchive(database: database)
            @Sendable func store(_ range: ClosedRange<Int>, on connection: PostgresConnection) async throws {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO \(schema).claims (claim_id, medins_id, mdtrt_id, setl_id, version, patn_id, msgid, trig_scen, adm_date,
                                                  dscg_date, dr_codg, kind, payload)
                    SELECT 'C' || g, 'H' || (g % 50), 'M' || g, 'S', 1, 'P' || g, 'bulk', 0, '2026-01-01 08:00:00', '2026-01-03 08:00:00',
                           'D' || (g % 500), CASE WHEN g % 3 = 0 THEN 'inpatient' ELSE 'outpatient' END, '{}'
                    FROM generate_series(\(range.lowerBound), \(range.upperBound)) g;
                    """), logger: database.logger)
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO \(schema).claim_trace_codes (code, claim_id)
                    SELECT lpad(g::text, 20, '0'), 'C' || g FROM generate_series(\(range.lowerBound), \(range.upperBound)) g
                    """), logger: database.logger)
            }
            @Sendable func sequentialScans(on connection: PostgresConnection) async throws -> Int {
                // This session's counts not yet flushed to the statistics: what it did, migrations included.
                let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT coalesce(sum(seq_scan), 0)::int FROM pg_stat_xact_user_tables
                    WHERE schemaname = '\(schema)' AND relname IN ('claims', 'claim_trace_codes')
                    """), logger: database.logger)
                for try await count in rows.decode(Int.self) { return count }
                return 0
            }
            try await database.read { connection in
                try await store(1...40, on: connection)
                try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \(schema).claims, \(schema).claim_trace_codes"), logger: database.logger)
                _ = try await archive.history(around: [claim], windowDays: 30, on: connection)
                let encounters = EncounterClaims(institutions: ["H7", "H9"], encounters: ["M7", "M9"])
                _ = try await connection.rows(encounters, logger: database.logger)
                try await store(41...20_000, on: connection)
                let before = try await sequentialScans(on: connection)
                _ = try await archive.history(around: [claim], windowDays: 30, on: connection)
                let found = try await connection.rows(encounters, logger: database.logger).map(\.0)
                let after = try await sequentialScans(on: connection)
                XCTAssertEqual(after - before, 0, "the lookups read the archive by sequential scans")
                XCTAssertEqual(found.sorted(), ["C7", "C9"])
            }
        }
    }
}

/// A person's window is read from the earliest admission that can meet it (`ClaimArchive.personWindowIndexes`):
/// the claims found are those whose stay meets the window, within a month or across a month's end.
final class PersonWindowTests: XCTestCase {
    func testAPersonsWindowFindsTheStaysThatMeetItAndNoOthers() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let database = harness.runtime.database, schema = harness.schema
            // (claim id, admission, discharge, found?) around a visit on 2026-04-10 with a 30-day window:
            // from 2026-03-11 00:00, to 2026-05-11 00:00.
            let stays: [(String, String, String, Bool)] = [
                ("within-month-long-before", "2025-11-01 08:00:00", "2025-11-03 08:00:00", false),
                ("across-months-ending-inside", "2026-01-20 08:00:00", "2026-03-15 08:00:00", true),
                ("within-month-admitted-before", "2026-03-02 08:00:00", "2026-03-12 08:00:00", true),
                ("within-month-discharged-before", "2026-03-01 08:00:00", "2026-03-10 23:59:59", false),
                ("across-months-admitted-after", "2026-05-30 08:00:00", "2026-06-02 08:00:00", false),
                ("within-month-last-day", "2026-05-10 23:00:00", "2026-05-10 23:30:00", true),
                ("across-years-ending-before", "2025-10-01 08:00:00", "2026-01-05 08:00:00", false),
                ("across-months-spanning-it", "2026-02-25 08:00:00", "2026-06-25 08:00:00", true),
            ]
            var visit = Fixture.encounter("MD-VISIT")
            (visit.admDate, visit.dscgDate) = ("2026-04-10 09:00:00", "2026-04-10 09:30:00")
            let claim = try Claim(patient: Fixture.patient([visit]), encounter: visit, claimID: "H/MD-VISIT/S")
            try await database.read { connection in
                for (id, admission, discharge, _) in stays {
                    var encounter = Fixture.encounter(id)
                    (encounter.admDate, encounter.dscgDate, encounter.medMdtrtType) = (admission, discharge, "2")
                    let record = String(decoding: try HISJSON.encoder.encode(Fixture.patient([encounter])), as: UTF8.self)
                    try await connection.query("""
                        INSERT INTO \(unescaped: schema).claims (claim_id, medins_id, mdtrt_id, setl_id, version, patn_id, msgid, trig_scen,
                                                                 adm_date, dscg_date, kind, payload)
                        VALUES (\(id), \(Fixture.institution), \(id), 'S1', 1, \(Fixture.person), 'bulk', 0, \(admission), \(discharge),
                                'inpatient', \(record))
                        """, logger: database.logger)
                }
                let history = try await ClaimArchive(database: database).history(around: [claim], windowDays: 30, on: connection)
                for (id, _, _, expected) in stays {
                    XCTAssertEqual(history.claim(withID: id) != nil, expected, id)
                }
            }
        }
    }
}

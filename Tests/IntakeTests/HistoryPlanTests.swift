import ClaimArchive
import Foundation
import HISContract
import Persistence
import PostgresNIO
import RuleEngine
import TestSupport
import XCTest
@testable import intake

/// The history lookup is planned once a session (`ClaimArchive.historyPlannedOnce`, with its records
/// `historyWithRecordsPlannedOnce`), and so is the
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
            let archive = ClaimArchive(database: database), withRecords = ClaimArchive(database: database, recordsWithHistory: true)
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
                _ = try await withRecords.history(around: [claim], windowDays: 30, on: connection)
                let encounters = EncounterClaims(institutions: ["H7", "H9"], encounters: ["M7", "M9"])
                _ = try await connection.rows(encounters, logger: database.logger)
                try await store(41...20_000, on: connection)
                let before = try await sequentialScans(on: connection)
                _ = try await archive.history(around: [claim], windowDays: 30, on: connection)
                _ = try await withRecords.history(around: [claim], windowDays: 30, on: connection)
                let found = try await connection.rows(encounters, logger: database.logger).map(\.0)
                let after = try await sequentialScans(on: connection)
                XCTAssertEqual(after - before, 0, "the lookups read the archive by sequential scans")
                XCTAssertEqual(found.sorted(), ["C7", "C9"])
            }
        }
    }
}

/// A person's window and an institution's stays are read within bounds (`ClaimArchive.boundedWindowIndexes`):
/// what is found is what meets the window or the stay, within a month or across a month's end.
final class BoundedWindowTests: XCTestCase {
    /// Stores inpatient stays (claim id, person, admission, discharge) at the fixture's institution.
    private static func store(_ stays: [(String, String, String, String)], harness: IntakeHarness, on connection: PostgresConnection) async throws {
        for (id, person, admission, discharge) in stays {
            var encounter = Fixture.encounter(id)
            (encounter.admDate, encounter.dscgDate, encounter.medMdtrtType) = (admission, discharge, "2")
            let record = String(decoding: try HISJSON.encoder.encode(Fixture.patient([encounter], id: person)), as: UTF8.self)
            try await connection.query("""
                INSERT INTO \(unescaped: harness.schema).claims (claim_id, medins_id, mdtrt_id, setl_id, version, patn_id, msgid, trig_scen,
                                                                 adm_date, dscg_date, kind, payload)
                VALUES (\(id), \(Fixture.institution), \(id), 'S1', 1, \(person), 'bulk', 0, \(admission), \(discharge), 'inpatient', \(record))
                """, logger: harness.runtime.database.logger)
        }
    }

    func testAPersonsWindowFindsTheStaysThatMeetItAndNoOthers() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let database = harness.runtime.database
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
                try await Self.store(stays.map { ($0.0, Fixture.person, $0.1, $0.2) }, harness: harness, on: connection)
                // Records read after the lookup (smart-review's way) or with it (intake's): the same claims.
                for recordsWithHistory in [false, true] {
                    let archive = ClaimArchive(database: database, recordsWithHistory: recordsWithHistory)
                    let history = try await archive.history(around: [claim], windowDays: 30, on: connection)
                    for (id, _, _, expected) in stays {
                        XCTAssertEqual(history.claim(withID: id) != nil, expected, "\(id), records with the history: \(recordsWithHistory)")
                        XCTAssertEqual(history.claim(withID: id)?.personID, expected ? Fixture.person : nil, id)
                    }
                }
            }
        }
    }

    /// The stays of other persons at the institution that meet a stay from 2026-03-25 08:00 to
    /// 2026-04-01 08:00 (P19's beds): one admitted at its very discharge and kept to the month's end
    /// is found (the bound on discharges is the stay's discharge plus 31 days), and no stay that
    /// ends before it or starts after it.
    func testAStaysOverlappingStaysAreFoundWithinBoundsAndAcrossMonths() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let database = harness.runtime.database
            let others: [(String, String, String, Bool)] = [
                ("within-month-ending-before", "2026-03-10 08:00:00", "2026-03-25 07:59:59", false),
                ("within-month-overlapping-start", "2026-03-20 08:00:00", "2026-03-26 08:00:00", true),
                ("within-month-from-its-discharge", "2026-04-01 08:00:00", "2026-04-30 23:00:00", true),
                ("within-month-admitted-after", "2026-04-01 09:00:00", "2026-04-03 08:00:00", false),
                ("across-months-spanning-it", "2026-02-20 08:00:00", "2026-04-10 08:00:00", true),
                ("across-months-ending-before", "2026-01-20 08:00:00", "2026-02-05 08:00:00", false),
                ("across-months-admitted-after", "2026-04-25 08:00:00", "2026-05-05 08:00:00", false),
                ("across-months-admitted-inside", "2026-03-28 08:00:00", "2026-05-15 08:00:00", true),
            ]
            var stay = Fixture.encounter("MD-STAY")
            (stay.admDate, stay.dscgDate, stay.medMdtrtType) = ("2026-03-25 08:00:00", "2026-04-01 08:00:00", "2")
            let claim = try Claim(patient: Fixture.patient([stay]), encounter: stay, claimID: "H/MD-STAY/S")
            try await database.read { connection in
                try await Self.store(others.enumerated().map { ($1.0, "4301000000000000009\($0)", $1.1, $1.2) }, harness: harness, on: connection)
                let history = try await ClaimArchive(database: database).history(around: [claim], windowDays: 30, on: connection)
                let found = Set(history.inpatientStays(ofInstitution: Fixture.institution, from: claim.admission, to: claim.discharge).map(\.claimID))
                XCTAssertEqual(found, Set(others.filter(\.3).map(\.0)))
            }
        }
    }
}

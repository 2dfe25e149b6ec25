import Foundation
import Persistence
import PostgresNIO
import Synchronization
import TestSupport
import XCTest
@testable import intake

/// `EncounterClaims` takes the encounters' locks and reads their claims in one round trip: a round
/// that looks up an encounter another round is recording waits for it, then sees what it wrote,
/// so the two never number a version twice.
final class EncounterLockTests: XCTestCase {
    func testALookupWaitsForTheRoundHoldingItsEncounterAndSeesWhatThatRoundCommitted() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let database = harness.runtime.database, schema = harness.schema
            let lookup = EncounterClaims(institutions: ["H-LOCK"], encounters: ["M-LOCK"])
            let holding = Mutex(false)
            async let first: Void = database.transaction { connection in
                let before = try await connection.rows(lookup, logger: database.logger)
                XCTAssertTrue(before.isEmpty)
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO \(schema).claims (claim_id, medins_id, mdtrt_id, setl_id, version, patn_id, msgid, trig_scen, adm_date,
                                                  dscg_date, kind, payload)
                    VALUES ('H-LOCK/M-LOCK/S1', 'H-LOCK', 'M-LOCK', 'S1', 1, 'P-LOCK', 'lock-1', 6, '2026-01-01 08:00:00',
                            '2026-01-01 09:00:00', 'outpatient', '{}')
                    """), logger: database.logger)
                holding.withLock { $0 = true }
                // Held while the second round asks: it must wait for this commit.
                try await Task.sleep(for: .milliseconds(500))
            }
            while !holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            let asked = ContinuousClock.now
            let second = try await database.transaction { connection in
                try await connection.rows(lookup, logger: database.logger)
            }
            let waited = ContinuousClock.now - asked
            try await first
            XCTAssertEqual(second.map(\.0), ["H-LOCK/M-LOCK/S1"], "the lookup read before the holder committed")
            XCTAssertEqual(second.first?.3, 1)
            XCTAssertGreaterThan(waited, .milliseconds(300), "the lookup did not wait for the encounter's lock")
        }
    }
}

import Events
import Foundation
import HISContract
import PostgresNIO
import RuleEngine
import TestSupport
import XCTest
@testable import credit

/// 暂停医保协议: a case on `review.outcomes` that suspends the institution's services makes credit publish
/// `agreement` `active` → `suspended` with its period, and `suspended` → `active` when the expiry round finds
/// the period over — changes intake and smart-review read as full review (逐单审核) and its lift.
final class AgreementSuspensionTests: XCTestCase {
    func testASuspensionCaseSuspendsTheAgreementAndTheExpiryRoundLiftsItOnce() async throws {
        let harness = try CreditHarness(today: "2025-01-10")
        try await harness.run { client in
            let suspending = try Cases.decided("AG-1", on: "2025-01-10", handling: ["recover", "fine", "suspension"], suspensionMonths: 6)
            let ordinary = try Cases.decided("AG-2", on: "2025-01-11", institution: "H43010000002")
            try await harness.consume([suspending, suspending, ordinary]) {
                try await harness.count("entries", where: "entry_id = 'case:AG-2'") == 1
            }
            let suspended = try await harness.agreementChanges(Cases.institution)
            XCTAssertEqual(suspended.count, 1, "published once, redelivery or not")
            let change = try XCTUnwrap(suspended.first)
            XCTAssertEqual([change.before, change.after], ["active", "suspended"])
            XCTAssertEqual(change.effectiveFrom, "2025-01-10")
            XCTAssertEqual(change.effectiveUntil, "2025-07-10")
            XCTAssertEqual(change.caseId, "AG-1")
            let other = try await harness.agreementChanges("H43010000002")
            XCTAssertEqual(other.count, 0, "a case without suspension leaves the agreement alone")
            let read = try XCTUnwrap(SanctionChange.reading(change))
            XCTAssertEqual(read.imposes, [.fullReview], "the followers read it as full review")
            XCTAssertEqual(read.until, CivilDate("2025-07-10"))
            let (changes, outbox) = try await harness.changesMatchOutbox()
            XCTAssertEqual(changes, outbox)

            harness.clock.today = CivilDate("2025-07-09")!
            let early = try await harness.assembly.expiry.round()
            XCTAssertEqual(early, 0, "the last day of the period is still suspended")
            harness.clock.today = CivilDate("2025-07-12")!
            let due = try await harness.assembly.expiry.round()
            XCTAssertEqual(due, 1)
            let again = try await harness.assembly.expiry.round()
            XCTAssertEqual(again, 0, "ended once")
            let all = try await harness.agreementChanges(Cases.institution)
            let lift = try XCTUnwrap(all.last)
            XCTAssertEqual([lift.before, lift.after], ["suspended", "active"])
            XCTAssertEqual(lift.effectiveFrom, "2025-07-10", "from the first day after the period, whenever the round ran")
            XCTAssertEqual(try XCTUnwrap(SanctionChange.reading(lift)).lifts, .all)
            XCTAssertEqual(try XCTUnwrap(SanctionChange.reading(lift)).imposes, [])
            let after = try await harness.changesMatchOutbox()
            XCTAssertEqual(after.changes, after.outbox)

            let file = try await client.call("/api/files/institution/\(Cases.institution)")
            let rows = field(file.json, "agreement_suspensions") as? [[String: Any]]
            XCTAssertEqual(rows?.first?["until"] as? String, "2025-07-10")
            XCTAssertEqual(rows?.first?["lifted_on"] as? String, "2025-07-10")
        }
    }

    func testAnOverlappingSuspensionKeepsTheAgreementSuspendedUntilTheLastPeriodEnds() async throws {
        let harness = try CreditHarness(today: "2025-01-10")
        try await harness.run { _ in
            try await harness.deliver(try Cases.decided("AG-3", on: "2025-01-10", handling: ["fine", "suspension"], suspensionMonths: 6))
            try await harness.deliver(try Cases.decided("AG-4", on: "2025-03-01", handling: ["fine", "suspension"], suspensionMonths: 6))
            // An insured person's fraud (art. 41) suspends their direct settlement, not the institution's agreement.
            let person = CaseDecided.Party(id: "43010000000000000009", kind: "insured_person", role: "insured", insuredRegion: "430100")
            try await harness.deliver(try Cases.decided("AG-5", on: "2025-03-02", parties: [person], article: 41, fine: 0,
                                                         handling: ["recover", "suspension"], suspensionMonths: 3))
            let imposed = try await harness.agreementChanges(Cases.institution)
            XCTAssertEqual(imposed.map(\.before), ["active", "suspended"])
            XCTAssertEqual(imposed.map(\.effectiveUntil), ["2025-07-10", "2025-09-01"])
            harness.clock.today = CivilDate("2025-07-10")!
            let first = try await harness.assembly.expiry.round()
            XCTAssertEqual(first, 0, "the second case's period still runs")
            harness.clock.today = CivilDate("2025-09-01")!
            let second = try await harness.assembly.expiry.round()
            XCTAssertEqual(second, 1)
            let last = try await harness.agreementChanges(Cases.institution).last
            XCTAssertEqual(last?.after, "active")
            XCTAssertEqual(last?.effectiveFrom, "2025-09-01")
        }
    }
}

extension CreditHarness {
    /// The institution's `agreement` changes as published, oldest first.
    func agreementChanges(_ institution: String) async throws -> [CreditChanged] {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: """
            SELECT payload::text FROM \(schema).changes
            WHERE subject_kind = 'institution' AND subject_id = '\(institution)' AND change = 'agreement' ORDER BY seq
            """))
        var result: [CreditChanged] = []
        for try await text in rows.decode(String.self) { result.append(try Stored.decode(CreditChanged.self, text)) }
        return result
    }
}

extension SanctionChange {
    /// A published change as intake's and smart-review's followers read it.
    static func reading(_ change: CreditChanged) -> SanctionChange? {
        reading(changeId: change.changeId, subjectKind: change.subjectKind, subjectId: change.subjectId, change: change.change,
                after: change.after, caseId: change.caseId, effectiveFrom: change.effectiveFrom, effectiveUntil: change.effectiveUntil,
                measures: change.measures)
    }
}

import Events
import Foundation
import ReviewWorkflow
import RuleEngine
import TestSupport
import XCTest
@testable import smart_review

/// Credit's sanctions followed from `credit.changes` (real broker and database) take effect in the review
/// and end when credit lifts them.
final class SanctionFollowTests: XCTestCase {
    static func creditEvent(_ id: String, kind: String, subject: String, change: String, after: String, from: String,
                     until: String? = nil, measures: [String]? = nil) throws -> CloudEvent {
        try CloudEvent(id: "credit-change:\(id)", source: "/credit", type: EventType.creditChange, encoding: CreditChanged(
            changeId: id, subjectKind: kind, subjectId: subject, change: change, before: nil, after: after, reasons: ["test"],
            caseId: "CASE-\(id)", region: "430100", effectiveFrom: from, effectiveUntil: until, measures: measures))
    }

    static func follow(_ events: [CloudEvent], _ harness: ReviewHarness, total: Int) async throws {
        let topic = TestEnvironment.unique("credit.changes")
        try TestEnvironment.createTopic(topic, partitions: 1)
        try await TestEnvironment.deliver(events, to: topic, through: try harness.assembly.creditProcessor(topics: [topic])) {
            try await harness.count("credit_sanctions") == total
        }
    }

    func testASuspendedDoctorsClaimIsAFindingUntilTheSuspensionIsLifted() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            try await Self.follow([try Self.creditEvent("s1", kind: "practitioner", subject: Fixture.doctor, change: "suspension",
                                                        after: "suspended", from: "2026-11-01", until: "2027-05-01")], harness, total: 1)
            try await harness.consume([try accepted(Fixture.encounter(lines: [Fixture.consultLine()]))]) {
                try await harness.count("reviews") == 1
            }
            let flagged = try await harness.count("findings", where: "pattern = 'SUSPENDED_PRACTITIONER' AND rule_id = 'R-SANCTION-PRACTITIONER'")
            XCTAssertEqual(flagged, 1, "the doctor's line after the start is a finding")

            // Objection upheld: credit lifts the suspension from 2026-11-15; the next claim (2026-11-20) is clean.
            try await Self.follow([try Self.creditEvent("s2", kind: "practitioner", subject: Fixture.doctor, change: "suspension",
                                                        after: "active", from: "2026-11-15")], harness, total: 2)
            try await harness.consume([try accepted(Fixture.encounter(lines: [Fixture.consultLine()]))]) {
                try await harness.count("reviews") == 2
            }
            let after = try await harness.count("findings", where: "pattern = 'SUSPENDED_PRACTITIONER'")
            XCTAssertEqual(after, 1, "lifted: no new finding")
            XCTAssertTrue(try harness.assembly.reference.engine.sanctions.inForce(.paymentQualificationSuspended,
                                                                                  on: .init(.practitioner, Fixture.doctor),
                                                                                  date: .init("2026-11-20")!) == nil)
        }
    }

    func testEveryFirstDecisionOnAGradeDInstitutionGoesToSecondReview() async throws {
        let harness = try ReviewHarness(extra: ["REVIEW_SAMPLE_BATCH": "1000"])
        try await harness.run { client in
            // Reminder-level findings of a small amount: a first decision on them waits for the sample.
            try await harness.flagClaims(2, prefix: "MD-SANCTION")
            try await harness.sql("UPDATE {schema}.review_items SET severity = 3, amount = 1")
            let items = try await harness.itemIDs()
            let first = Desk(client: client, user: "li", role: .firstReviewer)
            func decide(_ item: Int) async throws -> Int {
                try await first.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
                try await first.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": 1])
                return try await harness.count("review_items", where: "item_id = \(item) AND state = 'second_pending'")
            }
            let before = try await decide(items[0])
            XCTAssertEqual(before, 0, "grade B: the decision waits for the draw")
            try await Self.follow([try Self.creditEvent("g1", kind: "institution", subject: Fixture.institution, change: "grade",
                                                        after: "D", from: "2026-01-01",
                                                        measures: ["fullReview", "suspendAdvancePayment", "withholdQualityDeposit"])],
                                  harness, total: 1)
            let under = try await decide(items[1])
            XCTAssertEqual(under, 1, "grade D (逐单审核): the decision goes to the second level at once")
        }
    }

    func testEveryMachinePassedClaimOfAGradeDInstitutionIsRecheckedAndTheDrawStillReplays() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await Self.follow([try Self.creditEvent("g2", kind: "institution", subject: Fixture.institution, change: "grade",
                                                        after: "D", from: "2026-01-01", measures: ["fullReview"])], harness, total: 1)
            let visits = try (0..<3).map { _ in try accepted(Fixture.encounter(lines: [Fixture.consultLine()])) }
            try await harness.consume(visits) { try await harness.count("claims") == 3 }
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let drawn = try await zhao.expect(.created, .post, "/api/workbench/samples/machine-passed",
                                              ["day": SecondReviewSampler.day(of: Date())]) as? [String: Any]
            let population = (drawn?["selection"] as? [String: Any])?["population"] as? [String]
            XCTAssertEqual(population, [], "the institution's claims are not left to the random share")
            let rechecks = try await harness.count("review_items", where: "state = 'second_pending'")
            XCTAssertEqual(rechecks, 3, "逐单审核: every claim the machine passed goes to the second level")
            let sample = try XCTUnwrap(drawn?["sample_id"] as? Int)
            let replay = try await Desk(client: client, user: "sun", role: .auditor).expect(.ok, .get, "/api/workbench/samples/\(sample)/replay") as? [String: Any]
            XCTAssertEqual(replay?["same"] as? Bool, true)
        }
    }

    /// Grade C (提高审核比例): a batch of the institution's first decisions is drawn at
    /// `REVIEW_INCREASED_SAMPLE_PERCENT` instead of 5%; the draw replays the same after the grade is lifted,
    /// and once lifted the next batch is drawn at 5% again.
    func testAGradeCInstitutionHasMoreFirstDecisionsDrawnUntilItsGradeIsLifted() async throws {
        let harness = try ReviewHarness(extra: ["REVIEW_SAMPLE_BATCH": "10", "REVIEW_INCREASED_SAMPLE_PERCENT": "30"])
        try await harness.run { client in
            try await harness.flagClaims(30, prefix: "MD-INCREASED")
            try await harness.sql("UPDATE {schema}.review_items SET severity = 3, amount = 1")
            let items = try await harness.itemIDs()
            let first = Desk(client: client, user: "li", role: .firstReviewer)
            /// Decides ten items; the tenth fills the batch, which the sampling round draws.
            func decideBatch(_ batch: ArraySlice<Int>) async throws -> Int {
                let before = try await harness.count("review_items", where: "state = 'second_pending'")
                for item in batch {
                    try await first.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
                    try await first.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": 1])
                }
                try await harness.assembly.workbench.samplingRound(now: Date())
                let waiting = try await harness.count("review_items", where: "state = 'sampling'")
                XCTAssertEqual(waiting, 0, "the full batch is drawn")
                return try await harness.count("review_items", where: "state = 'second_pending'") - before
            }
            let underB = try await decideBatch(items[0..<10])
            XCTAssertEqual(underB, 1, "grade B: ceil(5% of 10)")

            try await Self.follow([try Self.creditEvent("c1", kind: "institution", subject: Fixture.institution, change: "grade",
                                                        after: "C", from: "2026-01-01", measures: ["increasedReview"])], harness, total: 1)
            let underC = try await decideBatch(items[10..<20])
            XCTAssertEqual(underC, 3, "grade C: ceil(30% of 10)")
            let samples = try await harness.sampleIDs(kind: "decisions")
            XCTAssertEqual(samples.count, 2)

            // Repaired: credit publishes grade B from today; the grade C draw still replays the same.
            try await Self.follow([try Self.creditEvent("c2", kind: "institution", subject: Fixture.institution, change: "grade",
                                                        after: "B", from: SecondReviewSampler.day(of: Date()), measures: [])],
                                  harness, total: 2)
            let auditor = Desk(client: client, user: "sun", role: .auditor)
            let replay = try await auditor.expect(.ok, .get, "/api/workbench/samples/\(samples[1])/replay") as? [String: Any]
            XCTAssertEqual(replay?["same"] as? Bool, true)
            XCTAssertEqual((replay?["rerun"] as? [String])?.count, 3)
            let lifted = try await decideBatch(items[20..<30])
            XCTAssertEqual(lifted, 1, "lifted: back to ceil(5% of 10)")
        }
    }

    /// Grade C: the day's machine-passed claims of the institution are drawn at the higher share too, and the
    /// draw replays the same once the grade is lifted.
    func testAGradeCInstitutionsMachinePassedClaimsAreDrawnAtTheHigherShare() async throws {
        let harness = try ReviewHarness(extra: ["REVIEW_INCREASED_SAMPLE_PERCENT": "40"])
        try await harness.run { client in
            try await Self.follow([try Self.creditEvent("c3", kind: "institution", subject: Fixture.institution, change: "grade",
                                                        after: "C", from: "2026-01-01", measures: ["increasedReview"])], harness, total: 1)
            let visits = try (0..<20).map { _ in try accepted(Fixture.encounter(lines: [Fixture.consultLine()])) }
            try await harness.consume(visits) { try await harness.count("claims") == 20 }
            let passed = try await harness.count("claims", where: "NOT EXISTS (SELECT 1 FROM \(harness.schema).findings f WHERE f.claim_id = claims.claim_id)")
            XCTAssertGreaterThan(passed, 0)
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let drawn = try await zhao.expect(.created, .post, "/api/workbench/samples/machine-passed",
                                              ["day": SecondReviewSampler.day(of: Date())]) as? [String: Any]
            let selection = drawn?["selection"] as? [String: Any]
            XCTAssertEqual((selection?["selected_item_i_ds"] as? [String])?.count, (passed * 2 + 4) / 5, "ceil(40% of the passed), not 5%")
            try await Self.follow([try Self.creditEvent("c4", kind: "institution", subject: Fixture.institution, change: "grade",
                                                        after: "B", from: SecondReviewSampler.day(of: Date()), measures: [])],
                                  harness, total: 2)
            let sample = try XCTUnwrap(drawn?["sample_id"] as? Int)
            let replay = try await Desk(client: client, user: "sun", role: .auditor).expect(.ok, .get, "/api/workbench/samples/\(sample)/replay") as? [String: Any]
            XCTAssertEqual(replay?["same"] as? Bool, true)
        }
    }
}

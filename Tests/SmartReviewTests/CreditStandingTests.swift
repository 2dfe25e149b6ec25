import Events
import Foundation
import ReviewWorkflow
import TestSupport
import XCTest
@testable import smart_review

final class CreditStandingTests: XCTestCase {
    /// The institution's grade from `credit.changes` weighs on the proposed fine: D raises the general
    /// art. 38 multiple from 1.5 to 1.8; an older grade change arriving later does not undo it.
    func testTheLatestPublishedGradeWeighsOnTheProposedFine() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let topic = TestEnvironment.unique("credit.changes")
            try TestEnvironment.createTopic(topic, partitions: 1)
            let events = try [("2026-11-20", "D"), ("2026-10-01", "A")].map { day, grade in
                try CloudEvent(id: "credit:grade:\(day)", source: "/credit", type: EventType.creditChange, encoding: CreditChanged(
                    changeId: "grade-\(day)", subjectKind: "institution", subjectId: "H43010000001", change: "grade", before: "B",
                    after: grade, reasons: ["test"], caseId: nil, region: "430100", effectiveFrom: day, effectiveUntil: nil))
            }
            try await TestEnvironment.deliver(events, to: topic, through: try harness.assembly.creditProcessor(topics: [topic])) {
                try await harness.count("inbox", where: "consumer = 'credit'") == 2
            }
            let graded = try await harness.count("institution_grades", where: "grade = 'D'")
            XCTAssertEqual(graded, 1)

            try await harness.flagClaims(1, prefix: "MD-CR")
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer), amount: 1_000)
            let opened = try await Desk(client: client, user: "zhao", role: .supervisor)
                .expect(.created, .post, "/api/workbench/cases", ["item_ids": [item], "kind": "duplicateCharging"]) as? [String: Any]
            let violation = opened?["violation"] as? [String: Any], proposal = opened?["proposal"] as? [String: Any]
            XCTAssertEqual(violation?["credit_factor"] as? Double, 1.2)
            XCTAssertEqual(proposal?["fine_multiple"] as? Double, 1.8)
        }
    }
}

import Events
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import smart_review

/// The loops with other authorities: officials involved go to discipline inspection, the chosen institution
/// notice and the typical mark travel with the case, and the agencies' answers come back onto it.
final class WorkbenchLoopsTests: XCTestCase {
    func testOfficialsInterviewAndTypicalAreRecordedAndPublished() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let items = try await confirmedItems(harness, client, doctors: [Fixture.doctor])
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": items, "kind": "duplicateCharging",
                                                                                       "public_officials_involved": true,
                                                                                       "institution_notice": "interview"]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            try await zhao.expect(.badRequest, .post, "/api/workbench/cases/\(caseID)/circumstances", ["institution_notice": "lunch"])
            let marked = try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/circumstances", ["typical": true]) as? [String: Any]
            let circumstances = marked?["circumstances"] as? [String: Any]
            XCTAssertEqual(circumstances?["public_officials_involved"] as? Bool, true, "a partial change keeps the rest")
            XCTAssertEqual(circumstances?["typical"] as? Bool, true)
            try await publish(caseID, client: client)
            let outcome = try await harness.outcome(caseID)
            XCTAssertEqual(outcome["public_officials_involved"] as? Bool, true)
            XCTAssertEqual(outcome["typical"] as? Bool, true)
            XCTAssertTrue((outcome["handling"] as? [String] ?? []).contains("interview"))
            try await zhao.expect(.conflict, .post, "/api/workbench/cases/\(caseID)/circumstances", ["typical": false])
        }
    }

    func testTheAgenciesAnswersShowOnTheCaseWithOverdueAcknowledgementsFlagged() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let (zhao, caseID) = try await openedCase(harness, client)
            func feedback(_ id: String, _ delivery: String, _ type: String, _ kind: String, _ decision: String? = nil) throws -> CloudEvent {
                let answer = DeliveryFeedback(feedbackId: id, deliveryId: delivery, caseId: caseID, subscriberId: "\(type)-hn", subscriberType: type,
                                              kind: kind, decision: decision, note: nil, receivedAt: Date())
                return try CloudEvent(id: answer.eventID, source: "/notification", type: EventType.feedback, encoding: answer)
            }
            let events = try [feedback("f1", "d-police", "police", "overdue"), feedback("f2", "d-police", "police", "acknowledged"),
                              feedback("f3", "d-police", "police", "decision", "case_opened"),
                              feedback("f4", "d-discipline", "disciplineInspection", "overdue")]
            let topic = TestEnvironment.unique("notification.feedback")
            try TestEnvironment.createTopic(topic, partitions: 1)
            try await TestEnvironment.deliver(events + [events[2]], to: topic, through: try harness.assembly.feedbackProcessor(topics: [topic])) {
                try await harness.count("inbox", where: "consumer = 'feedback'") == 4
            }
            let shown = try await zhao.expect(.ok, .get, "/api/workbench/cases/\(caseID)") as? [String: Any]
            let agencies = try XCTUnwrap(shown?["agencies"] as? [[String: Any]])
            XCTAssertEqual(agencies.count, 2)
            let police = try XCTUnwrap(agencies.first { $0["subscriber_type"] as? String == "police" })
            XCTAssertEqual(police["decision"] as? String, "case_opened")
            XCTAssertNotNil(police["acknowledged_at"])
            XCTAssertEqual(police["overdue"] as? Bool, false, "acknowledged after the escalation: no longer overdue")
            let discipline = try XCTUnwrap(agencies.first { $0["subscriber_type"] as? String == "disciplineInspection" })
            XCTAssertEqual(discipline["overdue"] as? Bool, true)
            XCTAssertNil(discipline["acknowledged_at"])
        }
    }
}

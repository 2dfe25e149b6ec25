import Events
import Foundation
import HummingbirdTesting
import TestSupport
import XCTest
@testable import notification

final class FeedbackTests: XCTestCase {
    /// The police do not acknowledge in time: escalated, and the escalation goes out as `overdue`. Then they
    /// acknowledge and report the case opened: both stored, all three on the outbox for notification.feedback, keyed by case.
    func testOverdueAcknowledgementIsEscalatedAndFeedbackFlowsOntoTheOutbox() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            let police = try await client.register("police-hn", type: "police", jurisdiction: "430000")
            let other = try await client.register("market-hn", type: "marketRegulation", jurisdiction: "430000")
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-FB", patterns: ["P15"], police: true)))
            let id = DeliveryEnvelope.deliveryID(eventID: "case-decided:CASE-FB", subscriberID: "police-hn")
            try await harness.waitUntil("delivered") { try await harness.count("deliveries", where: "id = '\(id)' AND status = 'delivered'") == 1 }
            try await Task.sleep(for: .milliseconds(1_200))
            try await expectEqual(try await harness.assembly.escalation().escalate(), [id])
            try await expectEqual(try await client.call("/api/escalations").array.map { $0["delivery_id"] as? String }, [id])

            let uri = "/api/deliveries/\(id)/feedback"
            try await expectEqual(try await client.call(uri, .post, json: ["kind": "acknowledged"], token: "nope").status, .unauthorized)
            try await expectEqual(try await client.call(uri, .post, json: ["kind": "acknowledged"], token: other.token).status, .notFound,
                           "a receiver answers for its own deliveries only")
            try await expectEqual(try await client.call(uri, .post, json: ["kind": "decision"], token: police.token).status, .badRequest)
            try await expectEqual(try await client.call(uri, .post, json: ["kind": "acknowledged"], token: police.token).status, .created)
            try await expectEqual(try await client.call(uri, .post, json: ["kind": "acknowledged"], token: police.token).status, .created)
            let decision = try await client.call(uri, .post, json: ["kind": "decision", "decision": "case_opened", "note": "长公立〔2025〕12号"],
                                                 token: police.token)
            XCTAssertEqual(decision.status, .created)

            try await expectEqual(try await client.call("/api/escalations").array.count, 0)
            try await expectEqual(try await client.call("/api/feedback?case_id=CASE-FB").array.count, 2)
            try await expectEqual(try await harness.count("outbox", where: "topic = 'notification.feedback' AND convert_from(key, 'UTF8') = 'CASE-FB'"), 3,
                                  "the escalation, the acknowledgement and the decision")
            try await expectEqual(try await harness.count("outbox", where: "topic = 'notification.feedback' AND convert_from(payload, 'UTF8') LIKE '%\"overdue\"%'"), 1)
            let payload = try await harness.scalar("""
                SELECT convert_from(payload, 'UTF8') FROM \(harness.schema).outbox
                WHERE topic = 'notification.feedback' AND convert_from(payload, 'UTF8') LIKE '%case_opened%'
                """, as: String.self)
            let feedback = try EventJSON.decoder.decode(DeliveryFeedback.self, from: Data(try XCTUnwrap(payload).utf8))
            XCTAssertEqual(feedback.deliveryId, id)
            XCTAssertEqual(feedback.subscriberType, "police")
            XCTAssertEqual(feedback.decision, "case_opened")
        }
    }
}

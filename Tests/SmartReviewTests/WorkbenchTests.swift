import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import smart_review

final class WorkbenchTests: XCTestCase {
    func testTwoLevelsCaseLegalApprovalAndPublicationOnce() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1)
            let li = Desk(client: client, user: "li", role: .firstReviewer), wang = Desk(client: client, user: "wang", role: .secondReviewer)
            let queue = try await li.call(.get, "/api/workbench/queue").json as? [[String: Any]]
            let item = try XCTUnwrap(queue?.first?["item_id"] as? Int)
            XCTAssertEqual(queue?.first?["severity"] as? Int, 1)
            try await li.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
            try await li.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": 12])
            let liAsSecond = Desk(client: client, user: "li", role: .secondReviewer)
            try await liAsSecond.expect(.forbidden, .post, "/api/workbench/items/\(item)/claim")
            try await wang.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
            let second = try await wang.call(.post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": 10])
            XCTAssertEqual((second.json as? [String: String])?["differs_from_first"], "true", "a differing second decision is recorded as such")

            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let opened = try await zhao.call(.post, "/api/workbench/cases", ["item_ids": [item], "kind": "fabricatedServices"])
            XCTAssertEqual(opened.status, .created)
            let caseID = try XCTUnwrap((opened.json as? [String: Any])?["case_id"] as? String)
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit")
            try await zhao.expect(.conflict, .post, "/api/workbench/cases/\(caseID)/publish")
            let handler = Desk(client: client, user: "wang", role: .legalReviewer)
            try await handler.expect(.forbidden, .post, "/api/workbench/cases/\(caseID)/legal-review", ["approved": true])
            let qian = Desk(client: client, user: "qian", role: .legalReviewer)
            try await qian.expect(.ok, .post, "/api/workbench/cases/\(caseID)/legal-review", ["approved": true, "opinion": "同意"])
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/publish")
            try await zhao.expect(.conflict, .post, "/api/workbench/cases/\(caseID)/publish")

            let published = try await harness.count("outbox", where: "topic = 'review.outcomes' AND key = convert_to('\(caseID)', 'UTF8')")
            XCTAssertEqual(published, 1)
            let payload = try await harness.count("outbox", where: """
                topic = 'review.outcomes' AND convert_from(payload, 'UTF8')::jsonb @> '{"legal_reviewer": "qian", "amount": 10, "article": 40}'
                """)
            XCTAssertEqual(payload, 1, "the outcome names the legal reviewer and the confirmed amount")
            let refused = try await harness.count("audit_log", where: "action = 'refused'")
            XCTAssertEqual(refused, 4, "both segregation refusals and both refused publications are recorded")
            let auditor = Desk(client: client, user: "sun", role: .auditor)
            let verified = try await auditor.call(.get, "/api/audit/verify").json as? [String: Any]
            XCTAssertEqual(verified?["valid"] as? Bool, true)
        }
    }

    func testAMajorDecisionRefusedAtLegalReviewIsNeverPublished() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1)
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer))
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let opened = try await zhao.call(.post, "/api/workbench/cases", ["item_ids": [item], "kind": "duplicateCharging"])
            let caseID = try XCTUnwrap((opened.json as? [String: Any])?["case_id"] as? String)
            try await zhao.expect(.badRequest, .post, "/api/workbench/cases/\(caseID)/departure", ["fine_multiple": 2, "reason": ""])
            let departed = try await zhao.call(.post, "/api/workbench/cases/\(caseID)/departure",
                                               ["fine_multiple": 2, "suspension_months": 0, "refer_to_police": true, "reason": "涉嫌诈骗，移送公安"])
            XCTAssertEqual(departed.status, .ok)
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit")
            let qian = Desk(client: client, user: "qian", role: .legalReviewer)
            try await qian.expect(.ok, .post, "/api/workbench/cases/\(caseID)/legal-review", ["approved": false, "opinion": "证据不足"])
            try await zhao.expect(.conflict, .post, "/api/workbench/cases/\(caseID)/publish")
            let published = try await harness.count("outbox", where: "topic = 'review.outcomes'")
            XCTAssertEqual(published, 0)
        }
    }

    func testAnAbandonedLeaseReturnsTheItemToTheQueue() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(2)
            let li = Desk(client: client, user: "li", role: .firstReviewer), zhou = Desk(client: client, user: "zhou", role: .firstReviewer)
            let item = try await harness.firstItem()
            try await li.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
            try await zhou.expect(.conflict, .post, "/api/workbench/items/\(item)/claim")
            let held = try await zhou.call(.get, "/api/workbench/queue").json as? [Any]
            XCTAssertEqual(held?.count, 1, "a held item is not offered")
            try await harness.sql("UPDATE {schema}.review_items SET lease_claimed_at = now() - interval '16 minutes', lease_expires_at = now() - interval '1 minute'")
            let lapsed = try await zhou.call(.get, "/api/workbench/queue").json as? [Any]
            XCTAssertEqual(lapsed?.count, 2, "the lapsed lease returned the item")
            try await zhou.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
            try await li.expect(.conflict, .post, "/api/workbench/items/\(item)/decision", ["decision": "data_error"])
            try await zhou.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "not_violation", "reason": "合理复诊"])
        }
    }

    func testWrongPostOrRegionIsRefusedAndRecorded() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1)
            let item = try await harness.firstItem()
            try await Desk(client: client, user: "sun", role: .auditor).expect(.forbidden, .get, "/api/workbench/queue")
            let elsewhere = Desk(client: client, user: "he", role: .firstReviewer, admdvs: "440100")
            let foreign = try await elsewhere.call(.get, "/api/workbench/queue").json as? [Any]
            XCTAssertEqual(foreign?.count, 0)
            try await elsewhere.expect(.forbidden, .post, "/api/workbench/items/\(item)/claim")
            let province = Desk(client: client, user: "xu", role: .firstReviewer, admdvs: "430000")
            try await province.expect(.ok, .get, "/api/workbench/items/\(item)")
            try await client.execute(uri: "/api/workbench/queue", method: .get, headers: [.authorization: "Bearer forged.token.here"]) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            let refused = try await harness.count("audit_log", where: "action = 'refused' AND actor IN ('sun', 'he')")
            XCTAssertEqual(refused, 2)
        }
    }

    func testTamperingWithTheAuditLogIsDetected() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1)
            let item = try await harness.firstItem()
            let li = Desk(client: client, user: "li", role: .firstReviewer), auditor = Desk(client: client, user: "sun", role: .auditor)
            try await li.call(.post, "/api/workbench/items/\(item)/claim")
            try await li.call(.post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": 12])
            try await li.call(.get, "/api/workbench/items/\(item)")
            let audited = try await auditor.call(.get, "/api/audit/verify").json as? [String: Any]
            XCTAssertEqual(audited?["count"] as? Int, 3)
            do {
                try await harness.sql("UPDATE {schema}.audit_log SET actor = 'nobody' WHERE sequence = 2")
                XCTFail("the trigger keeps the log append-only")
            } catch {}
            try await harness.sql("ALTER TABLE {schema}.audit_log DISABLE TRIGGER USER")
            try await harness.sql("UPDATE {schema}.audit_log SET details = details || '{\"amount\": \"1\"}' WHERE sequence = 2")
            let report = try await auditor.call(.get, "/api/audit/verify").json as? [String: Any]
            XCTAssertEqual(report?["valid"] as? Bool, false)
            XCTAssertEqual(report?["broken_sequence"] as? Int, 2)
        }
    }
}

import Foundation
import ReviewWorkflow
import TestSupport
import XCTest
@testable import smart_review

/// A report confirmed by a case: the amount recovered is the published case's, not a figure typed again.
final class WorkbenchReportCaseTests: XCTestCase {
    func testTheRecoveredAmountComesFromTheLinkedPublishedCase() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1, prefix: "MD-RPT")
            let li = Desk(client: client, user: "li", role: .firstReviewer), wang = Desk(client: client, user: "wang", role: .secondReviewer)
            let zhao = Desk(client: client, user: "zhao", role: .supervisor), qian = Desk(client: client, user: "qian", role: .legalReviewer)
            try await decideBothLevels(try await harness.firstItem(), first: li, second: wang, amount: 12_345)
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [try await harness.firstItem()], "kind": "fabricatedServices"])
            let caseID = try XCTUnwrap((opened as? [String: Any])?["case_id"] as? String)
            let recover = try XCTUnwrap(((opened as? [String: Any])?["proposal"] as? [String: Any])?["recover_amount"] as? Double)

            let id = try await harness.receive(reportReceived("R-\(UUID())", subject: ("institution", "H43010000001")))
            let uri = "/api/workbench/reports/\(id)"
            try await zhao.expect(.ok, .post, "\(uri)/assign", ["assignee": "li"])
            try await li.expect(.unprocessableContent, .post, "\(uri)/links", ["case_ids": ["CASE-none"]])
            try await li.expect(.ok, .post, "\(uri)/links", ["case_ids": [caseID]])
            try await zhao.expect(.unprocessableContent, .post, "\(uri)/decision", ["outcome": "confirmed", "grade": 2])

            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit")
            try await qian.expect(.ok, .post, "/api/workbench/cases/\(caseID)/legal-review", ["approved": true, "opinion": "同意"])
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/publish")
            let decided = try await zhao.expect(.ok, .post, "\(uri)/decision", ["outcome": "confirmed", "grade": 2]) as? [String: Any]
            let workflow = try XCTUnwrap(decided?["workflow"] as? [String: Any])
            XCTAssertEqual(workflow["recovered_amount"] as? Double, recover, "the published case's amount to recover")
            let expected = try XCTUnwrap(RewardSchedule.standard.reward(grade: 2, recoveredAmount: Decimal(recover), verified: true))
            XCTAssertEqual((workflow["award"] as? [String: Any])?["amount"] as? Double, NSDecimalNumber(decimal: expected.amount).doubleValue)
            XCTAssertEqual((workflow["links"] as? [String: Any])?["cases"] as? [String], [caseID])
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReviewWorkflow
import XCTest
@testable import smart_review

/// Today and this month in China Standard Time, the ledgers' calendar.
func ledgerToday(_ format: String = "yyyy-MM-dd") -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = format
    formatter.timeZone = LedgerCalendar.zone
    formatter.locale = Locale(identifier: "en_US_POSIX")
    return formatter.string(from: Date())
}

final class WorkbenchLedgerTests: XCTestCase {
    func testAnswersStayWithTheirInstitutionAndAWholeRefundMitigatesTheCase() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(2, prefix: "MD-LG")
            let items = try await harness.itemIDs()
            let (li, wang) = (Desk(client: client, user: "li", role: .firstReviewer), Desk(client: client, user: "wang", role: .secondReviewer))
            for item in items { try await decideBothLevels(item, first: li, second: wang, amount: 12) }
            let xiangya = Desk.clerk(client, "xy-clerk", medins: "H43010000001")
            let other = Desk.clerk(client, "cs1-clerk", medins: "H43010000002")
            let (full, partial) = (items[0], items[1])
            try await other.expect(.forbidden, .get, "/api/workbench/items/\(full)")
            try await other.expect(.forbidden, .post, "/api/workbench/items/\(full)/answers", ["text": "不是我们的"])
            try await xiangya.expect(.unprocessableContent, .post, "/api/workbench/items/\(full)/answers", ["text": " "])
            try await xiangya.expect(.unprocessableContent, .post, "/api/workbench/items/\(full)/answers",
                                     ["refund": ["amount": 12, "refunded_on": "2999-01-01"]])
            try await xiangya.expect(.created, .post, "/api/workbench/items/\(full)/answers", ["text": "已整改", "evidence": ["退款凭证-1"],
                                                                                               "refund": ["amount": 12, "refunded_on": ledgerToday()]])
            try await xiangya.expect(.created, .post, "/api/workbench/items/\(partial)/answers", ["text": "部分退回", "evidence": ["病历-7"],
                                                                                                  "refund": ["amount": 5, "refunded_on": ledgerToday()]])
            // Sent again under the same Idempotency-Key (the first answer was not seen): the first answer comes back.
            let once = try await xiangya.expect(.created, .post, "/api/workbench/items/\(partial)/answers", ["text": "补充材料"],
                                                idempotencyKey: "his-7f3a") as? [String: Any]
            let again = try await xiangya.expect(.created, .post, "/api/workbench/items/\(partial)/answers", ["text": "补充材料"],
                                                 idempotencyKey: "his-7f3a") as? [String: Any]
            XCTAssertEqual(once?["answer_id"] as? Int, again?["answer_id"] as? Int)
            try await xiangya.expect(.unprocessableContent, .post, "/api/workbench/items/\(partial)/answers", ["text": "另一份"], idempotencyKey: "his-7f3a")
            let stored = try await harness.count("institution_answers", where: "idempotency_key = 'his-7f3a'")
            XCTAssertEqual(stored, 1)
            let view = try await xiangya.expect(.ok, .get, "/api/workbench/items/\(full)") as? [String: Any]
            XCTAssertEqual((view?["answers"] as? [Any])?.count, 1)
            let decisions = view?["decisions"] as? [[String: Any]] ?? []
            XCTAssertFalse(decisions.isEmpty)
            XCTAssertTrue(decisions.allSatisfy { $0["reviewer"] == nil && $0["decision"] != nil }, "an institution never learns who reviewed it")
            XCTAssertNil((view?["item"] as? [String: Any])?["lease_holder"])

            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let covered = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [full], "kind": "duplicateCharging"]) as? [String: Any]
            XCTAssertEqual((covered?["violation"] as? [String: Any])?["voluntary_refund"] as? Bool, true, "12 refunded of 12 is 主动退回")
            XCTAssertEqual((covered?["answers"] as? [Any])?.count, 1)
            let uncovered = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [partial], "kind": "duplicateCharging"]) as? [String: Any]
            XCTAssertEqual((uncovered?["violation"] as? [String: Any])?["voluntary_refund"] as? Bool, false, "5 of 12 is not")

            let caseID = try XCTUnwrap(covered?["case_id"] as? String)
            try await other.expect(.forbidden, .post, "/api/workbench/cases/\(caseID)/answers", ["text": "x"])
            try await xiangya.expect(.created, .post, "/api/workbench/cases/\(caseID)/answers", ["text": "申请从轻", "evidence": ["说明-1"]])
            let shown = try await zhao.expect(.ok, .get, "/api/workbench/cases/\(caseID)") as? [String: Any]
            XCTAssertEqual((shown?["answers"] as? [Any])?.count, 2, "the item's answer and the case's answer")

            let file = try await xiangya.expect(.ok, .get, "/api/workbench/institutions/H43010000001/file") as? [String: Any]
            XCTAssertEqual((file?["items"] as? [Any])?.count, 2)
            XCTAssertEqual((file?["cases"] as? [Any])?.count, 2)
            XCTAssertEqual((file?["answers"] as? [Any])?.count, 4, "three answers and the one sent twice under one key")
            XCTAssertEqual((file?["refunds"] as? [Any])?.count, 2)
            try await other.expect(.forbidden, .get, "/api/workbench/institutions/H43010000001/file")
            try await Desk(client: client, user: "he", role: .supervisor, admdvs: "440100")
                .expect(.forbidden, .get, "/api/workbench/institutions/H43010000001/file")
            try await Desk(client: client, user: "sun", role: .auditor).expect(.ok, .get, "/api/workbench/institutions/H43010000001/file")
            try await li.expect(.forbidden, .get, "/api/workbench/institutions/H43010000001/file")

            let refused = try await harness.count("audit_log", where: "action = 'refused' AND actor IN ('cs1-clerk', 'he', 'li')")
            XCTAssertEqual(refused, 6, "every refusal of another's record or a wrong post or region is recorded")
            let answered = try await harness.count("audit_log", where: "action IN ('item.answered', 'case.answered') AND actor = 'xy-clerk'")
            XCTAssertEqual(answered, 5, "every request is recorded, the repeated one too")
        }
    }

    func testProblemListAndClearToZeroLedgerWithOverdueItems() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1, prefix: "MD-RC")
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer))
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [item], "kind": "duplicateCharging"]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)

            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/problem-lists", ["period": "2026-13"])
            let list = try await zhao.expect(.created, .post, "/api/workbench/problem-lists", ["period": ledgerToday("yyyy-MM")]) as? [String: Any]
            let problems = try XCTUnwrap(list?["problems"] as? [[String: Any]])
            XCTAssertFalse(problems.isEmpty, "the confirmed duplicate consultation is on this month's list")
            for problem in problems {
                XCTAssertEqual(problem["institutions"] as? Int, 1)
                XCTAssertEqual(problem["claims"] as? Int, 1)
            }
            let again = try await zhao.expect(.created, .post, "/api/workbench/problem-lists", ["period": ledgerToday("yyyy-MM")]) as? [String: Any]
            XCTAssertEqual(again?["version"] as? Int, 2)
            let xiangya = Desk.clerk(client, "xy-clerk", medins: "H43010000001")
            let read = try await xiangya.expect(.ok, .get, "/api/workbench/problem-lists?period=\(ledgerToday("yyyy-MM"))") as? [Any]
            XCTAssertEqual(read?.count, 2)
            let guangzhou = Desk.clerk(client, "gz-clerk", medins: "H44010000001", admdvs: "440100")
            let foreign = try await guangzhou.expect(.ok, .get, "/api/workbench/problem-lists") as? [Any]
            XCTAssertEqual(foreign?.count, 0, "another province's institutions do not get this region's list")

            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases/\(caseID)/rectifications", ["responsible": " "])
            let ordered = try await zhao.expect(.created, .post, "/api/workbench/cases/\(caseID)/rectifications", ["responsible": "张副院长"]) as? [[String: Any]]
            let rectification = try XCTUnwrap(ordered?.first?["rectification_id"] as? Int)
            XCTAssertEqual(ordered?.first?["state"] as? String, "open")
            XCTAssertEqual(ordered?.count, problems.count, "one rectification per confirmed problem")
            try await zhao.expect(.conflict, .post, "/api/workbench/cases/\(caseID)/rectifications", ["responsible": "张副院长"])
            let inTime = try await zhao.expect(.ok, .get, "/api/workbench/rectifications?overdue=true") as? [Any]
            XCTAssertEqual(inTime?.count, 0)

            try await harness.sql("UPDATE {schema}.rectifications SET deadline = now() - interval '1 second' WHERE rectification_id = \(rectification)")
            let overdue = try await xiangya.expect(.ok, .get, "/api/workbench/rectifications?overdue=true") as? [[String: Any]]
            XCTAssertEqual(overdue?.first?["rectification_id"] as? Int, rectification)
            XCTAssertEqual(overdue?.first?["responsible"] as? String, "张副院长")
            try await Desk.clerk(client, "cs1-clerk", medins: "H43010000002")
                .expect(.forbidden, .post, "/api/workbench/rectifications/\(rectification)/report", ["text": "x"])
            try await xiangya.expect(.ok, .post, "/api/workbench/rectifications/\(rectification)/report", ["text": "已停止重复收费", "evidence": ["制度-3"]])
            try await xiangya.expect(.conflict, .post, "/api/workbench/rectifications/\(rectification)/report", ["text": "again"])
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/rectifications/\(rectification)/review", ["accepted": false])
            let reopened = try await zhao.expect(.ok, .post, "/api/workbench/rectifications/\(rectification)/review",
                                                 ["accepted": false, "opinion": "缺少退费记录"]) as? [String: Any]
            XCTAssertEqual(reopened?["state"] as? String, "open")
            XCTAssertEqual(reopened?["overdue"] as? Bool, true)
            try await xiangya.expect(.ok, .post, "/api/workbench/rectifications/\(rectification)/report", ["text": "补充退费记录", "evidence": ["退费-1"]])
            try await zhao.expect(.ok, .post, "/api/workbench/rectifications/\(rectification)/review", ["accepted": true])
            let cleared = try await zhao.expect(.ok, .get, "/api/workbench/rectifications?overdue=true") as? [Any]
            XCTAssertEqual(cleared?.count, 0, "a closed item is cleared (清零), late or not")
            let file = try await zhao.expect(.ok, .get, "/api/workbench/institutions/H43010000001/file") as? [String: Any]
            XCTAssertEqual(((file?["rectifications"] as? [[String: Any]])?.first)?["state"] as? String, "closed")
            let verified = try await Desk(client: client, user: "sun", role: .auditor).expect(.ok, .get, "/api/audit/verify") as? [String: Any]
            XCTAssertEqual(verified?["valid"] as? Bool, true)
        }
    }
}

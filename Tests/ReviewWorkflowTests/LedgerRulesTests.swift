import Foundation
import ReviewWorkflow
import XCTest

/// The pure rules of the ledgers: answers and refunds, the problem list, the rectification deadline and overdue rule.
final class LedgerRulesTests: XCTestCase {
    /// A CST wall-clock time as an instant.
    func cst(_ day: String, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) throws -> Date {
        try XCTUnwrap(LedgerCalendar.day(day)).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60 + second))
    }

    func testARefundIsPositiveOnARealDayNotInTheFuture() throws {
        let today = try cst("2026-11-27", 10)
        XCTAssertNoThrow(try VoluntaryRefund(amount: 12, refundedOn: "2026-11-27", today: today))
        XCTAssertThrowsError(try VoluntaryRefund(amount: 0, refundedOn: "2026-11-20", today: today)) {
            XCTAssertEqual(($0 as? LedgerInputError)?.field, "refund.amount")
        }
        XCTAssertThrowsError(try VoluntaryRefund(amount: 5, refundedOn: "2026-11-28", today: today)) {
            XCTAssertEqual(($0 as? LedgerInputError)?.problem, "lies in the future")
        }
        for bad in ["2026-02-30", "2026-1-05", "yesterday", "2026-11-2x"] {
            XCTAssertThrowsError(try VoluntaryRefund(amount: 5, refundedOn: bad, today: today), bad)
        }
    }

    func testAnAnswerSaysSomethingOrRefunds() throws {
        XCTAssertThrowsError(try InstitutionAnswer(text: "  ", evidence: ["病历-1"], refund: nil))
        XCTAssertThrowsError(try InstitutionAnswer(text: "属合理复诊", evidence: ["病历-1", " "], refund: nil)) {
            XCTAssertEqual(($0 as? LedgerInputError)?.field, "evidence")
        }
        let refund = try VoluntaryRefund(amount: 10, refundedOn: "2026-11-01", today: try cst("2026-11-02"))
        let refundOnly = try InstitutionAnswer(text: nil, evidence: nil, refund: refund)
        XCTAssertEqual(refundOnly.evidence, [])
        XCTAssertEqual(try InstitutionAnswer(text: " 属合理复诊 ", evidence: ["病历-1"], refund: nil).text, "属合理复诊")
    }

    func testOnlyAWholeRefundMadeBeforeTheCaseCounts() throws {
        let today = try cst("2026-11-27", 12)
        let part = try VoluntaryRefund(amount: 7, refundedOn: "2026-11-20", today: today)
        let rest = try VoluntaryRefund(amount: 5, refundedOn: "2026-11-27", today: today)
        XCTAssertFalse(RefundCoverage.covers(12, with: [part], before: today), "a partial refund is not 主动退回")
        XCTAssertTrue(RefundCoverage.covers(12, with: [part, rest], before: today))
        XCTAssertFalse(RefundCoverage.covers(12, with: [part, rest], before: try cst("2026-11-26", 23, 59)), "a refund after the day does not count")
        XCTAssertFalse(RefundCoverage.covers(0, with: [], before: today), "nothing refunded is no refund, even for nothing owed")
    }

    func testTheProblemListRanksByInstitutionsThenClaimsThenAmount() {
        let problems = [
            ConfirmedProblem(ruleID: "R-A", title: "重复收费", institutionID: "H1", claimID: "c1", amount: 10),
            ConfirmedProblem(ruleID: "R-A", title: "重复收费", institutionID: "H1", claimID: "c1", amount: 5),
            ConfirmedProblem(ruleID: "R-A", title: "重复收费", institutionID: "H2", claimID: "c2", amount: 1),
            ConfirmedProblem(ruleID: "R-B", title: "超量开药", institutionID: "H3", claimID: "c3", amount: 900),
            ConfirmedProblem(ruleID: "R-C", title: "分解住院", institutionID: "H1", claimID: "c4", amount: 900),
            ConfirmedProblem(ruleID: "R-C", title: "分解住院", institutionID: "H1", claimID: "c5", amount: 1),
        ]
        let list = ProblemList.compile(problems)
        XCTAssertEqual(list.map(\.ruleId), ["R-A", "R-C", "R-B"])
        XCTAssertEqual(list.first, TypicalProblem(ruleId: "R-A", title: "重复收费", institutions: 2, claims: 2, amount: 16))
        XCTAssertEqual(ProblemList.compile(problems, minimumInstitutions: 2).map(\.ruleId), ["R-A"])
        XCTAssertEqual(ProblemList.compile([]), [])
    }

    func testTheDeadlineIsTheEndOfTheLastDayInChinaStandardTime() throws {
        let ordered = try cst("2026-11-01", 23, 30)
        XCTAssertEqual(Rectification.deadline(orderedAt: ordered, days: 30), try cst("2026-12-01", 23, 59, 59))
        let lateUTCButNextDayInChina = try cst("2026-11-02", 0, 30)
        XCTAssertEqual(Rectification.deadline(orderedAt: lateUTCButNextDayInChina, days: 1), try cst("2026-11-03", 23, 59, 59))
    }

    func testOverdueStartsTheSecondAfterTheDeadline() throws {
        let deadline = try cst("2026-12-01", 23, 59, 59)
        let open = Rectification(state: .open, deadline: deadline)
        XCTAssertFalse(open.isOverdue(at: deadline), "the deadline itself is still in time")
        XCTAssertTrue(open.isOverdue(at: deadline.addingTimeInterval(1)))
        let reportedInTime = Rectification(state: .reported, deadline: deadline, reportedAt: deadline)
        XCTAssertFalse(reportedInTime.isOverdue(at: deadline.addingTimeInterval(86_400)), "the bureau's pending check is not the institution's delay")
        let reportedLate = Rectification(state: .reported, deadline: deadline, reportedAt: deadline.addingTimeInterval(1))
        XCTAssertTrue(reportedLate.isOverdue(at: deadline.addingTimeInterval(2)))
        XCTAssertFalse(Rectification(state: .closed, deadline: deadline).isOverdue(at: deadline.addingTimeInterval(1e6)))
    }

    func testReportThenRejectReopensAndAcceptCloses() throws {
        let deadline = try cst("2026-12-01", 23, 59, 59)
        var item = Rectification(state: .open, deadline: deadline)
        XCTAssertThrowsError(try item.review(accepted: true)) {
            XCTAssertEqual($0 as? RectificationError, .invalidTransition(from: .open, action: "review"))
        }
        try item.report(at: deadline.addingTimeInterval(-10))
        XCTAssertThrowsError(try item.report(at: deadline))
        try item.review(accepted: false)
        XCTAssertEqual(item.state, .open)
        XCTAssertTrue(item.isOverdue(at: deadline.addingTimeInterval(1)), "a rejected report no longer keeps the item in time")
        try item.report(at: deadline)
        try item.review(accepted: true)
        XCTAssertEqual(item.state, .closed)
        XCTAssertThrowsError(try item.report(at: deadline))
    }

    func testAnInstitutionTokenMustNameItsInstitution() async throws {
        let secret = "a-workbench-secret-of-32-bytes-or-more"
        let token = try await WorkbenchToken.mint(user: "h1-clerk", role: .institution, admdvs: "430100", medins: "H43010000001", secret: secret)
        let clerk = try await WorkbenchToken.verify(token, secret: secret)
        XCTAssertEqual(clerk.medinsID, "H43010000001")
        let anonymous = try await WorkbenchToken.mint(user: "h1-clerk", role: .institution, admdvs: "430100", secret: secret)
        do {
            _ = try await WorkbenchToken.verify(anonymous, secret: secret)
            XCTFail("an institution token without its institution passed")
        } catch is WorkbenchToken.Invalid {}
        let bureau = try await WorkbenchToken.mint(user: "zhao", role: .supervisor, admdvs: "430100", secret: secret)
        let supervisor = try await WorkbenchToken.verify(bureau, secret: secret)
        XCTAssertNil(supervisor.medinsID)
    }

    func testATokenSignedWithAnotherSecretOrExpiredIsRefused() async throws {
        let token = try await WorkbenchToken.mint(user: "zhao", role: .supervisor, admdvs: "430100", secret: "the-right-secret-of-32-bytes-or-more", lifetime: 60)
        for (secret, now) in [("a-wrong-secret-of-32-bytes-or-more", Date()), ("the-right-secret-of-32-bytes-or-more", Date().addingTimeInterval(120))] {
            do {
                _ = try await WorkbenchToken.verify(token, secret: secret, now: now)
                XCTFail("a token passed with secret \(secret) at \(now)")
            } catch is WorkbenchToken.Invalid {}
        }
        let tampered = token.dropLast(2) + (token.hasSuffix("AA") ? "BB" : "AA")
        do {
            _ = try await WorkbenchToken.verify(String(tampered), secret: "the-right-secret-of-32-bytes-or-more")
            XCTFail("a token with a changed signature passed")
        } catch is WorkbenchToken.Invalid {}
    }
}

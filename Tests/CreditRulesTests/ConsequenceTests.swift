import CreditRules
import HISContract
import XCTest

final class ConsequenceTests: XCTestCase {
    private let lists = ListPolicy.default

    private func evaluate(_ previous: ListMembership, _ entries: [CreditEntry], on date: String) -> ListDecision {
        let view = CreditFileView(entries: entries, on: day(date))
        return lists.evaluate(previous: previous, view: view, grade: GradeModel.default.grade(view))
    }

    func testGradeConsequencesRiseWithWorseGrades() {
        let policy = ConsequencePolicy.default
        XCTAssertEqual(CreditGrade.allCases.map { policy[$0].inspectionFrequency.perYear }, [1, 2, 4, 12])
        XCTAssertEqual(CreditGrade.allCases.map { policy[$0].penaltyDiscretionFactor }, [0.9, 1.0, 1.1, 1.2])
        XCTAssertTrue(policy[.D].settlementMeasures.contains(.fullReview))
        XCTAssertEqual(policy[.A].settlementMeasures, [.priorityPayment])
    }

    func testFraudBlackListsForThreeYearsAndExitNeedsRepair() throws {
        var file = CreditFile(subject: CreditSubject(kind: .institution, id: "H1"))
        try file.record(violation("F", .fraud, 10_000, on: "2025-01-10"))
        let listed = evaluate(ListMembership(), file.entries, on: "2025-01-10")
        XCTAssertEqual(listed.changes, [.enteredBlackList])
        XCTAssertEqual(listed.membership.black, BlackListing(since: day("2025-01-10"), earliestExit: day("2028-01-10"), trigger: .fraud(entryId: "F")))

        // After the period but unrepaired: stays.
        XCTAssertEqual(evaluate(listed.membership, file.entries, on: "2028-02-01").changes, [])
        try file.record(entry("RV", .rectificationVerified(of: "F"), on: "2025-03-01"))
        try file.record(entry("RF", .refundReceived(of: "F", amount: 10_000), on: "2025-03-01"))
        try file.requestRepair(id: "R", of: "F", on: day("2028-01-10"), by: "H1")
        try file.decideRepair(id: "RD", of: "F", on: day("2028-01-12"), by: "s", approved: true, reason: "修复")
        let exit = evaluate(listed.membership, file.entries, on: "2028-01-12")
        XCTAssertEqual(exit.changes, [.leftBlackList, .enteredRedList])
        XCTAssertNil(exit.membership.black)
    }

    func testBlackListingOnAFraudLaterReversedEndsAtOnce() throws {
        var file = CreditFile(subject: CreditSubject(kind: .institution, id: "H1"))
        try file.record(violation("F", .fraud, 10_000, on: "2025-01-10"))
        let listed = evaluate(ListMembership(), file.entries, on: "2025-01-10")
        try file.fileObjection(id: "O", against: "F", on: day("2025-01-15"), by: "H1", grounds: "")
        try file.decideObjection(id: "OD", against: "F", on: day("2025-02-15"), by: "legal", upheld: true, reason: "事实不清")
        let decision = evaluate(listed.membership, file.entries, on: "2025-02-15")
        XCTAssertTrue(decision.changes.contains(.leftBlackList))
        XCTAssertNil(decision.membership.black)
    }

    func testGradeDBlackListsForAYear() {
        let entries = [violation("V1", .serious, 200_000, on: "2025-01-10"), violation("V2", .serious, 200_000, on: "2025-01-11")]
        let decision = evaluate(ListMembership(), entries, on: "2025-01-11")
        XCTAssertEqual(decision.membership.black?.trigger, .gradeD)
        XCTAssertEqual(decision.membership.black?.earliestExit, day("2026-01-11"))
    }

    func testRedListEntryAndExit() {
        let clean = evaluate(ListMembership(), [], on: "2025-01-01")
        XCTAssertEqual(clean.membership.redSince, day("2025-01-01"))
        let slipped = evaluate(clean.membership, [violation("V", .minor, 0, on: "2025-03-01")], on: "2025-03-01")
        XCTAssertEqual(slipped.changes, [.leftRedList])
        XCTAssertNil(slipped.membership.redSince)
    }

    func testDirectSettlementSuspensionPeriod() throws {
        let s = try DirectSettlementSuspension(psnNo: "43010019800101", caseId: "C1", from: day("2025-01-31"), months: 3)
        XCTAssertEqual(s.until, day("2025-04-30"))
        XCTAssertTrue(s.isSuspended(on: day("2025-04-29")))
        XCTAssertFalse(s.isSuspended(on: day("2025-04-30")))
        XCTAssertEqual(try DirectSettlementSuspension.periodEnd(from: day("2025-03-15"), months: 12), day("2026-03-15"))
        for months in [2, 13] {
            XCTAssertThrowsError(try DirectSettlementSuspension.periodEnd(from: day("2025-03-15"), months: months)) {
                XCTAssertEqual($0 as? DirectSettlementSuspensionError, .monthsOutOfRange(months: months, allowed: 3...12))
            }
        }
    }
}

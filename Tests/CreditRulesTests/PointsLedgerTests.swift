import CreditRules
import HISContract
import XCTest

final class PointsLedgerTests: XCTestCase {
    private func deduction(_ id: String, _ points: Int, on date: String) -> PointDeduction {
        PointDeduction(id: id, decidedOn: day(date), points: points, caseId: "CASE-\(id)")
    }

    private func ledger(_ deductions: [PointDeduction]) throws -> PointsLedger {
        var ledger = PointsLedger(practitionerCode: "D430100000001")
        for d in deductions { try ledger.apply(d) }
        return ledger
    }

    func testEightPointsStayActiveNinthSuspendsForOneMonth() throws {
        var ledger = try ledger([deduction("a", 5, on: "2025-02-10"), deduction("b", 3, on: "2025-04-01")])
        XCTAssertEqual(ledger.state(on: day("2025-04-01")).pointsThisYear, 8)
        XCTAssertEqual(ledger.state(on: day("2025-04-01")).status, .active)

        try ledger.apply(deduction("c", 1, on: "2025-05-15"))
        let state = ledger.state(on: day("2025-05-15"))
        XCTAssertEqual(state.pointsThisYear, 9)
        XCTAssertEqual(state.status, .suspended(from: day("2025-05-15"), until: day("2025-06-15")))
        XCTAssertEqual(ledger.state(on: day("2025-06-14")).status, .suspended(from: day("2025-05-15"), until: day("2025-06-15")))
        XCTAssertEqual(ledger.state(on: day("2025-06-15")).status, .active)
    }

    func testSuspensionLengthGrowsWithPointsOverThreshold() {
        let policy = PointsPolicy.default
        XCTAssertNil(policy.suspensionMonths(forYearlyPoints: 8))
        XCTAssertEqual(policy.suspensionMonths(forYearlyPoints: 9), 1)
        XCTAssertEqual(policy.suspensionMonths(forYearlyPoints: 10), 3)
        XCTAssertEqual(policy.suspensionMonths(forYearlyPoints: 11), 6)
        XCTAssertNil(policy.suspensionMonths(forYearlyPoints: 12))
    }

    func testFurtherPointsDuringSuspensionExtendItNeverShorten() throws {
        let ledger = try ledger([deduction("a", 10, on: "2025-01-31"), deduction("b", 1, on: "2025-02-10")])
        // 10 points → 3 months from 01-31 (→ 04-30, clamped); 11 points → 6 months from 02-10 (→ 08-10).
        XCTAssertEqual(ledger.state(on: day("2025-02-01")).status, .suspended(from: day("2025-01-31"), until: day("2025-04-30")))
        XCTAssertEqual(ledger.state(on: day("2025-02-10")).status, .suspended(from: day("2025-01-31"), until: day("2025-08-10")))
    }

    func testElevenToTwelveTerminatesWithOneYearBar() throws {
        var ledger = try ledger([deduction("a", 6, on: "2025-03-01"), deduction("b", 5, on: "2025-06-01")])
        XCTAssertEqual(ledger.state(on: day("2025-06-01")).status, .suspended(from: day("2025-06-01"), until: day("2025-12-01")))
        try ledger.apply(deduction("c", 1, on: "2025-07-01"))
        let state = ledger.state(on: day("2025-07-01"))
        XCTAssertEqual(state.pointsThisYear, 12)
        XCTAssertEqual(state.status, .terminated(from: day("2025-07-01"), until: day("2026-07-01"), atOnce: false))
        // Points reset on 1 January, the termination does not.
        XCTAssertEqual(ledger.state(on: day("2026-01-01")).pointsThisYear, 0)
        XCTAssertEqual(ledger.state(on: day("2026-06-30")).status, .terminated(from: day("2025-07-01"), until: day("2026-07-01"), atOnce: false))
        XCTAssertEqual(ledger.state(on: day("2026-07-01")).status, .active)
    }

    func testTwelveAtOnceBarsThreeYears() throws {
        let ledger = try ledger([deduction("fraud", 12, on: "2025-09-09")])
        XCTAssertEqual(ledger.state(on: day("2025-09-08")).status, .active)
        XCTAssertEqual(ledger.state(on: day("2025-09-09")).status, .terminated(from: day("2025-09-09"), until: day("2028-09-09"), atOnce: true))
        XCTAssertEqual(ledger.state(on: day("2028-09-08")).status, .terminated(from: day("2025-09-09"), until: day("2028-09-09"), atOnce: true))
    }

    func testTwelveReachedThroughALargeLastDeductionIsNotAtOnce() throws {
        let ledger = try ledger([deduction("a", 2, on: "2025-01-05"), deduction("b", 10, on: "2025-02-05")])
        XCTAssertEqual(ledger.state(on: day("2025-02-05")).status, .terminated(from: day("2025-02-05"), until: day("2026-02-05"), atOnce: false))
    }

    func testYearBoundaryDecemberThirtyFirstAndJanuaryFirst() throws {
        // 8 points in 2025 plus 1 on 31 December: the ninth point counts in 2025 and suspends.
        let late = try ledger([deduction("a", 8, on: "2025-06-01"), deduction("b", 1, on: "2025-12-31")])
        XCTAssertEqual(late.state(on: day("2025-12-31")).pointsThisYear, 9)
        XCTAssertEqual(late.state(on: day("2025-12-31")).status, .suspended(from: day("2025-12-31"), until: day("2026-01-31")))
        // The suspension runs into the new year although the points are back to zero.
        XCTAssertEqual(late.state(on: day("2026-01-01")).pointsThisYear, 0)
        XCTAssertEqual(late.state(on: day("2026-01-01")).status, .suspended(from: day("2025-12-31"), until: day("2026-01-31")))

        // The same point a day later starts the new year's count: no suspension.
        let early = try ledger([deduction("a", 8, on: "2025-06-01"), deduction("b", 1, on: "2026-01-01")])
        XCTAssertEqual(early.state(on: day("2025-12-31")).pointsThisYear, 8)
        XCTAssertEqual(early.state(on: day("2026-01-01")).pointsThisYear, 1)
        XCTAssertEqual(early.state(on: day("2026-01-01")).status, .active)
    }

    func testApplyingTheSameIdTwiceChangesNothing() throws {
        var ledger = try ledger([deduction("a", 5, on: "2025-03-01")])
        let before = ledger
        XCTAssertEqual(try ledger.apply(deduction("a", 5, on: "2025-03-01")), .unchanged)
        XCTAssertEqual(ledger, before)
        XCTAssertEqual(ledger.state(on: day("2025-12-31")).pointsThisYear, 5)
    }

    func testSameIdWithDifferentContentIsRefused() throws {
        var ledger = try ledger([deduction("a", 5, on: "2025-03-01")])
        XCTAssertThrowsError(try ledger.apply(deduction("a", 6, on: "2025-03-01"))) {
            XCTAssertEqual($0 as? PointsLedgerError, .conflictingDeduction(id: "a"))
        }
        XCTAssertThrowsError(try ledger.apply(deduction("z", 13, on: "2025-03-01"))) {
            XCTAssertEqual($0 as? PointsLedgerError, .pointsOutOfRange(id: "z", points: 13))
        }
    }

    func testReversalLiftsSuspensionFromItsDateAndKeepsHistory() throws {
        var ledger = try ledger([deduction("a", 4, on: "2025-03-01"), deduction("b", 5, on: "2025-04-01")])
        XCTAssertEqual(ledger.state(on: day("2025-04-10")).status, .suspended(from: day("2025-04-01"), until: day("2025-05-01")))
        XCTAssertEqual(try ledger.reverse(deductionId: "b", on: day("2025-04-20"), reason: "异议成立"), .applied)
        XCTAssertEqual(try ledger.reverse(deductionId: "b", on: day("2025-04-21"), reason: "again"), .unchanged)

        // Before the objection was upheld the suspension stood; from that day it does not.
        XCTAssertEqual(ledger.state(on: day("2025-04-19")).status, .suspended(from: day("2025-04-01"), until: day("2025-05-01")))
        let after = ledger.state(on: day("2025-04-20"))
        XCTAssertEqual(after.status, .active)
        XCTAssertEqual(after.pointsThisYear, 4)
        XCTAssertEqual(after.history.map(\.pointsInYear), [4, 9, 4])
        XCTAssertEqual(after.history.last?.action, .reversal(PointReversal(deductionId: "b", reversedOn: day("2025-04-20"), reason: "异议成立")))
        XCTAssertEqual(after.history[1].status, .suspended(from: day("2025-04-01"), until: day("2025-05-01")))
    }

    func testReversalErrors() throws {
        var ledger = try ledger([deduction("a", 4, on: "2025-03-01")])
        XCTAssertThrowsError(try ledger.reverse(deductionId: "nope", on: day("2025-03-02"), reason: "")) {
            XCTAssertEqual($0 as? PointsLedgerError, .unknownDeduction(id: "nope"))
        }
        XCTAssertThrowsError(try ledger.reverse(deductionId: "a", on: day("2025-02-28"), reason: "")) {
            XCTAssertEqual($0 as? PointsLedgerError, .reversalBeforeDecision(id: "a"))
        }
    }

    func testLateArrivingDeductionIsReplayedInDecisionOrder() throws {
        // Applied out of order; the state is as if they had arrived in decision order.
        let ledger = try ledger([deduction("b", 5, on: "2025-05-01"), deduction("a", 4, on: "2025-03-01")])
        XCTAssertEqual(ledger.state(on: day("2025-03-31")).pointsThisYear, 4)
        XCTAssertEqual(ledger.state(on: day("2025-05-01")).status, .suspended(from: day("2025-05-01"), until: day("2025-06-01")))
        XCTAssertEqual(ledger.state(on: day("2025-05-01")).history.map(\.action.date), [day("2025-03-01"), day("2025-05-01")])
    }

    func testLedgerRoundTripsThroughJSON() throws {
        var ledger = try ledger([deduction("a", 9, on: "2025-03-01")])
        try ledger.reverse(deductionId: "a", on: day("2025-03-05"), reason: "异议成立")
        let decoded = try JSONDecoder().decode(PointsLedger.self, from: JSONEncoder().encode(ledger))
        XCTAssertEqual(decoded, ledger)
        XCTAssertEqual(decoded.state(on: day("2025-03-05")), ledger.state(on: day("2025-03-05")))
    }
}

import Foundation
import ReviewWorkflow
import XCTest

/// 举报奖励: a percentage of the recovered amount between a floor and a cap.
final class WhistleblowerRewardTests: XCTestCase {
    let schedule = RewardSchedule.standard

    func testRewardIsThePercentageOfTheRecoveredAmount() throws {
        let award = try XCTUnwrap(schedule.reward(grade: 2, recoveredAmount: 100_000, verified: true))
        XCTAssertEqual(award.calculated, 2_000)
        XCTAssertEqual(award.amount, 2_000)
        XCTAssertFalse(award.floorApplied)
        XCTAssertFalse(award.capApplied)
        XCTAssertEqual(schedule.reward(grade: 1, recoveredAmount: 23_456.78, verified: true)?.amount, 703.70)
    }

    func testSmallAmountsGetTheFloor() {
        let award = schedule.reward(grade: 3, recoveredAmount: 5_000, verified: true)
        XCTAssertEqual(award?.calculated, 50)
        XCTAssertEqual(award?.amount, 200)
        XCTAssertEqual(award?.floorApplied, true)
        XCTAssertEqual(schedule.reward(grade: 1, recoveredAmount: 0, verified: true)?.amount, 400)
        let exact = schedule.reward(grade: 3, recoveredAmount: 20_000, verified: true)
        XCTAssertEqual(exact?.amount, 200)
        XCTAssertEqual(exact?.floorApplied, false, "the percentage itself reaches the floor")
    }

    func testLargeAmountsStopAtTheCap() {
        let award = schedule.reward(grade: 1, recoveredAmount: 10_000_000, verified: true)
        XCTAssertEqual(award?.calculated, 300_000)
        XCTAssertEqual(award?.amount, 200_000)
        XCTAssertEqual(award?.capApplied, true)
        let exact = schedule.reward(grade: 2, recoveredAmount: 10_000_000, verified: true)
        XCTAssertEqual(exact?.amount, 200_000)
        XCTAssertEqual(exact?.capApplied, false)
    }

    func testUnverifiedReportsAndUnknownGradesGetNothing() {
        XCTAssertEqual(schedule.reward(grade: 1, recoveredAmount: 100_000, verified: false)?.amount, 0)
        XCTAssertNil(schedule.reward(grade: 4, recoveredAmount: 100_000, verified: true))
    }

    func testConfiguredRuleAndCrossedLimits() throws {
        let rule = RewardRule(rate: 0.1, floor: 500, cap: 1_000)
        XCTAssertEqual(rule.reward(recoveredAmount: 7_000, verified: true).amount, 700)
        let crossed = RewardRule(rate: 0.1, floor: 2_000, cap: 1_000)
        XCTAssertEqual(crossed.reward(recoveredAmount: 100, verified: true).amount, 1_000, "the cap is the hard limit")
        let decoded = try JSONDecoder().decode(RewardSchedule.self, from: JSONEncoder().encode(schedule))
        XCTAssertEqual(decoded, schedule)
    }
}

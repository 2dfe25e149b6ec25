import Foundation
import ReviewWorkflow
import XCTest

/// A bureau's configured reward schedule (REVIEW_REWARD_SCHEDULE) is checked before it is used.
final class ReportRewardScheduleTests: XCTestCase {
    func testTheStandardScheduleIsSound() {
        XCTAssertEqual(RewardSchedule.standard.problems, [])
    }

    func testEachUnusableGradeIsNamed() {
        let schedule = RewardSchedule(grades: [
            0: RewardRule(rate: 0.01),
            1: RewardRule(rate: 0, floor: 100),
            2: RewardRule(rate: 0.02, floor: 5_000, cap: 1_000),
            3: RewardRule(rate: 1.5, floor: -1),
        ])
        XCTAssertEqual(schedule.problems, [
            "grade 0: grades are numbered from 1",
            "grade 1: rate must be above 0 and at most 1",
            "grade 2: floor 5000 is above cap 1000",
            "grade 3: rate must be above 0 and at most 1",
            "grade 3: floor must not be negative",
        ])
        XCTAssertEqual(RewardSchedule(grades: [:]).problems, ["at least one grade is required"])
    }

    func testTheScheduleReadsFromItsJSONForm() throws {
        let json = #"{"grades":{"1":{"rate":0.05,"floor":100,"cap":5000},"2":{"rate":0.01,"floor":50,"cap":2000}}}"#
        let schedule = try JSONDecoder().decode(RewardSchedule.self, from: Data(json.utf8))
        XCTAssertEqual(schedule.grades[2]?.floor, 50)
        XCTAssertEqual(schedule.grades[2]?.cap, 2_000)
        XCTAssertEqual(schedule.reward(grade: 2, recoveredAmount: 100_000, verified: true)?.amount, 1_000)
        XCTAssertEqual(schedule.reward(grade: 1, recoveredAmount: 1_000_000, verified: true)?.amount, 5_000)
    }
}

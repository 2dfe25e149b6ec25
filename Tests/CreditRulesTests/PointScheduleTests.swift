import CreditRules
import XCTest

final class PointScheduleTests: XCTestCase {
    let schedule = PointSchedule.national

    func testEachConductIsScoredInItsBand() {
        XCTAssertEqual(schedule.points(for: ["recordsNotKept"]), 2)
        XCTAssertEqual(schedule.points(for: ["duplicateCharging"]), 5)
        XCTAssertEqual(schedule.points(for: ["splitAdmission"]), 8)
        XCTAssertEqual(schedule.points(for: ["fabricatedServices"]), 11)
    }

    func testGravityMovesWithinTheBandOnly() {
        XCTAssertEqual(schedule.points(for: ["duplicateCharging"], weight: .lighter), 4)
        XCTAssertEqual(schedule.points(for: ["duplicateCharging"], weight: .heavier), 6)
    }

    func testSeveralConductsScoreTheHeaviestNotTheSum() {
        XCTAssertEqual(schedule.points(for: ["duplicateCharging", "overStandardCharging", "splitAdmission"]), 8)
    }

    func testThePerCaseCapBoundsTheScore() {
        var capped = schedule
        capped.perCaseCap = 6
        XCTAssertEqual(capped.points(for: ["fabricatedServices"], weight: .heavier), 6)
        XCTAssertEqual(capped.points(for: ["duplicateCharging"]), 5)
    }

    func testNoConductNoPoints() {
        XCTAssertNil(schedule.points(for: []))
    }

    func testAnUnlistedConductFallsInTheDefaultBand() {
        XCTAssertEqual(schedule.points(for: ["somethingNew"], weight: .lighter), 1)
    }
}

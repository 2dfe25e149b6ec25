import CreditRules
import HISContract
import XCTest

final class RegionRiskTests: XCTestCase {
    private func stats(findings: Int, cases: Int, amount: Decimal, insured: Int = 100_000,
                       from: String = "2025-01-01", to: String = "2025-12-31") -> RegionStatistics {
        RegionStatistics(admdvs: "430100", periodStart: day(from), periodEnd: day(to), findings: findings, cases: cases,
                         amount: amount, insuredPersons: insured)
    }

    func testLevelsAndMeetings() {
        let model = RegionRiskModel.default
        let low = model.assess(stats(findings: 100, cases: 5, amount: 100_000))
        XCTAssertEqual(low.level, .low)
        XCTAssertEqual(low.meetingRequirement, MeetingRequirement(jointMeetingFrequency: .yearly, principalLeaderSpecialMeetingsPerYear: 0))

        let medium = model.assess(stats(findings: 600, cases: 5, amount: 100_000))
        XCTAssertEqual(medium.level, .medium)
        XCTAssertEqual(medium.meetingRequirement.jointMeetingFrequency, .halfYearly)

        // One high indicator is enough: 25 yuan per insured person.
        let high = model.assess(stats(findings: 100, cases: 5, amount: 2_500_000))
        XCTAssertEqual(high.level, .high)
        XCTAssertEqual(high.meetingRequirement, MeetingRequirement(jointMeetingFrequency: .quarterly, principalLeaderSpecialMeetingsPerYear: 1))
        XCTAssertEqual(high.amountPerInsured, 25, accuracy: 0.001)
        XCTAssertTrue(high.reasons.contains { $0.contains("amount per insured") && $0.hasSuffix("high") })
    }

    func testRatesAreAnnualised() {
        // 30 cases in one quarter-like period of 73 days is 150 a year: 15 per 10 000 insured → high.
        let result = RegionRiskModel.default.assess(stats(findings: 0, cases: 30, amount: 0, from: "2025-01-01", to: "2025-03-14"))
        XCTAssertEqual(result.casesPer10k, 15, accuracy: 0.001)
        XCTAssertEqual(result.level, .high)
    }

    func testLevelsAreOrdered() {
        XCTAssertLessThan(RegionRiskLevel.low, .medium)
        XCTAssertLessThan(RegionRiskLevel.medium, .high)
    }
}

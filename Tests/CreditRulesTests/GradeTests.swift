import CreditRules
import HISContract
import XCTest

final class GradeTests: XCTestCase {
    func testCleanFileIsA() {
        let result = grade([], on: day("2025-06-01"))
        XCTAssertEqual(result.grade, .A)
        XCTAssertEqual(result.score, 95)
        XCTAssertEqual(result.modelVersion, "credit-grade-v1")
    }

    func testSeverityAndAmountDecideTheGrade() {
        XCTAssertEqual(grade([violation("V", .minor, 0, on: "2025-06-01")], on: day("2025-06-01")).score, 92)
        XCTAssertEqual(grade([violation("V", .general, 50_000, on: "2025-06-01")], on: day("2025-06-01")).score, 82)
        XCTAssertEqual(grade([violation("V", .serious, 100_000, on: "2025-06-01")], on: day("2025-06-01")).grade, .C)
        // The amount part is capped at 15 points per violation.
        XCTAssertEqual(grade([violation("V", .serious, 10_000_000, on: "2025-06-01")], on: day("2025-06-01")).score, 65)
        let fraud = grade([violation("F", .fraud, 10_000, on: "2025-06-01")], on: day("2025-06-01"))
        XCTAssertEqual(fraud.grade, .D)
        XCTAssertEqual(fraud.score, 54)
    }

    func testRecencyDecayHalvesPerYearAndDropsAfterLookBack() {
        let entries = [violation("V", .general, 50_000, on: "2024-06-01")]
        XCTAssertEqual(grade(entries, on: day("2025-06-01")).score, 88.5)  // 13 × 0.5 = 6.5
        XCTAssertEqual(grade(entries, on: day("2026-06-01")).grade, .A)
        let late = grade(entries, on: day("2027-06-02"))
        XCTAssertEqual(late.score, 95)
        XCTAssertTrue(late.reasons.contains { $0.contains("look-back") })
    }

    func testFraudCapsAtDForAYearThenScoreDecides() {
        // A small fraud case whose score alone would be C.
        let entries = [violation("F", .fraud, 0, on: "2025-01-01"), entry("K", .fact(.commitmentKept(commitmentId: "c")), on: "2025-01-02"),
                       entry("S", .fact(.selfCorrection(refunded: 200_000, summary: "自查退回")), on: "2025-01-03")]
        let capped = grade(entries, on: day("2025-12-31"))
        XCTAssertEqual(capped.grade, .D)
        XCTAssertTrue(capped.reasons.last?.contains("caps the grade at D") ?? false)
        XCTAssertNotEqual(grade(entries, on: day("2026-01-02")).grade, .D)
    }

    func testPositiveSignalsHelpButAreCapped() {
        let v = violation("V", .general, 50_000, on: "2025-06-01")
        let kept = entry("K", .fact(.commitmentKept(commitmentId: "2025")), on: "2025-06-01")
        XCTAssertEqual(grade([v, kept], on: day("2025-06-01")).score, 84)
        let refund = entry("S", .fact(.selfCorrection(refunded: 1_000_000, summary: "")), on: "2025-06-01")
        let capped = grade([v, kept, refund], on: day("2025-06-01"))
        XCTAssertEqual(capped.score, 92)
        XCTAssertTrue(capped.reasons.contains { $0.contains("capped") })
        // Never above the maximum.
        XCTAssertEqual(grade([kept, refund], on: day("2025-06-01")).score, 100)
    }

    func testBrokenCommitmentAndArrearsCount() {
        XCTAssertEqual(grade([entry("B", .fact(.commitmentBroken(commitmentId: "c")), on: "2025-06-01")], on: day("2025-06-01")).score, 85)
        XCTAssertEqual(grade([entry("O", .fact(.overdueContribution(amount: 1)), on: "2025-06-01")], on: day("2025-06-01")).score, 90)
    }

    func testEntriesAfterTheDateAreIgnored() {
        let entries = [violation("V", .fraud, 0, on: "2025-06-01")]
        XCTAssertEqual(grade(entries, on: day("2025-05-31")).grade, .A)
    }

    func testReasonsExplainEveryContributionAndTheModelIsData() throws {
        var model = GradeModel.default
        model.version = "credit-grade-test"
        model.thresholds = GradeThresholds(a: 99, b: 90, c: 50)
        let result = model.grade(CreditFileView(entries: [violation("V", .minor, 0, on: "2025-06-01")], on: day("2025-06-01")))
        XCTAssertEqual(result.grade, .B)
        XCTAssertEqual(result.modelVersion, "credit-grade-test")
        XCTAssertEqual(result.contributions.map(\.entryId), ["V"])
        XCTAssertEqual(result.contributions.first?.points, -3)
        XCTAssertTrue(result.reasons.first?.contains("credit-grade-test") ?? false)
        XCTAssertTrue(result.reasons.contains { $0.contains("确认违规[轻微]") })
        let decoded = try JSONDecoder().decode(GradeModel.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(decoded, model)
    }
}

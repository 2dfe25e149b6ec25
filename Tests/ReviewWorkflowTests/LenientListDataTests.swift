import Foundation
import ReviewWorkflow
import XCTest

/// 免罚轻罚清单 as data: the conducts and ceilings the bureau lists decide where the law's conditions are met.
final class LenientListDataTests: XCTestCase {
    func firstMinorCorrected(_ kind: ViolationKind, amount: Decimal) -> ViolationCase {
        ViolationCase(kind: kind, amount: amount, isFirstViolation: true, correctedPromptly: true, seriousness: .minor)
    }

    func testOnlyListedConductsUnderTheirCeilingGoUnpunished() throws {
        let list = LenientList(noPenalty: [LenientEntry(kind: .overStandardCharging, maxAmount: 5_000)], lighter: LenientList.standard.lighter)
        let calculator = PenaltyDiscretion(lenientList: list)
        XCTAssertEqual(try calculator.propose(firstMinorCorrected(.overStandardCharging, amount: 5_000)).lenientMeasure, .noPenalty)
        let above = try calculator.propose(firstMinorCorrected(.overStandardCharging, amount: 5_001))
        XCTAssertNil(above.lenientMeasure)
        XCTAssertTrue(above.bounds.fineRequired, "above the ceiling the article's fine is due")
        XCTAssertGreaterThan(try calculator.propose(firstMinorCorrected(.duplicateCharging, amount: 100)).fineAmount, 0, "not on the list")
    }

    func testAConductOffTheLighterListIsNotMitigatedByARefund() throws {
        var refunded = firstMinorCorrected(.duplicateCharging, amount: 2_000)
        (refunded.seriousness, refunded.voluntaryRefund) = (.general, true)
        let standard = try PenaltyDiscretion().propose(refunded)
        let strict = try PenaltyDiscretion(lenientList: LenientList(noPenalty: [], lighter: [])).propose(refunded)
        XCTAssertEqual(standard.lenientMeasure, .lighter)
        XCTAssertNil(strict.lenientMeasure)
        XCTAssertGreaterThan(strict.fineAmount, standard.fineAmount)
        XCTAssertTrue(strict.reasoning.contains { $0.contains("不在从轻处罚清单内") })
    }

    func testAPolicyStoredBeforeTheListDecodesWithTheStandardList() throws {
        var body = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(PenaltyPolicy(version: 1))) as? [String: Any])
        body["lenientList"] = nil
        let decoded = try JSONDecoder().decode(PenaltyPolicy.self, from: JSONSerialization.data(withJSONObject: body))
        XCTAssertEqual(decoded, .defaults)
    }

    func testAnUnusableListIsNamedByItsField() {
        let twice = LenientEntry(kind: .duplicateCharging)
        let policy = PenaltyPolicy(version: 2, lenientList: LenientList(noPenalty: [LenientEntry(kind: .overStandardCharging, maxAmount: -1)],
                                                                      lighter: [twice, twice]))
        XCTAssertEqual(policy.problems, ["lenient_list.no_penalty[0].max_amount: must be 0 or more", "lenient_list.lighter: a conduct is listed twice"])
    }
}

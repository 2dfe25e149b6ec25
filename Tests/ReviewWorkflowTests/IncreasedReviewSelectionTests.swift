import Foundation
import ReviewWorkflow
import XCTest

/// 提高审核比例 (grade C): an institution under increased review has a higher share of its first-review
/// results drawn, from the same seed, without changing the ordinary draw.
final class IncreasedReviewSelectionTests: XCTestCase {
    /// 20 low-risk decisions of "C-HOSP" and 20 of "B-HOSP".
    func mixed() -> [FirstDecision] {
        (0..<40).map { FirstDecision(itemID: "F\(1000 + $0)", reviewer: "r1", severity: .reminder, amount: 100,
                                     institution: $0 % 2 == 0 ? "C-HOSP" : "B-HOSP") }
    }

    func drawn(_ selection: Selection, of institution: String, in decisions: [FirstDecision]) -> Int {
        let ids = Set(decisions.filter { $0.institution == institution }.map(\.itemID))
        return selection.selectedItemIDs.filter(ids.contains).count
    }

    func testTheInstitutionUnderIncreasedReviewReachesItsHigherShareAndTheOrdinaryDrawStays() {
        let decisions = mixed()
        for seed in UInt64(0)..<50 {
            let ordinary = secondReviewSelection(decisions: decisions, percentage: 0.05, seed: seed)
            let raised = secondReviewSelection(decisions: decisions, percentage: 0.05, seed: seed,
                                               increased: IncreasedReview(institutions: ["C-HOSP"], percentage: 0.2))
            XCTAssertEqual(raised.randomItemIDs, ordinary.randomItemIDs, "the ordinary 5% draw is the same")
            XCTAssertEqual(raised.randomCount, 2)
            XCTAssertGreaterThanOrEqual(drawn(raised, of: "C-HOSP", in: decisions), 4, "ceil(20% of 20)")
            XCTAssertEqual(drawn(raised, of: "B-HOSP", in: decisions), drawn(ordinary, of: "B-HOSP", in: decisions))
            XCTAssertEqual(Set(raised.selectedItemIDs), Set(ordinary.selectedItemIDs).union(raised.increasedItemIDs ?? []))
            XCTAssertTrue(Set(raised.increasedItemIDs ?? []).isDisjoint(with: ordinary.randomItemIDs), "no item drawn twice")
            XCTAssertNil(ordinary.increasedReview)
        }
    }

    func testTheTopUpIsOnlyWhatTheOrdinaryDrawLeftShort() {
        let decisions = mixed()
        let raised = secondReviewSelection(decisions: decisions, percentage: 0.05, seed: 3,
                                           increased: IncreasedReview(institutions: ["C-HOSP"], percentage: 0.2))
        let ordinaryOfC = drawn(secondReviewSelection(decisions: decisions, percentage: 0.05, seed: 3), of: "C-HOSP", in: decisions)
        XCTAssertEqual(raised.increasedItemIDs?.count, 4 - ordinaryOfC)
        XCTAssertEqual(drawn(raised, of: "C-HOSP", in: decisions), 4)
    }

    func testTheDrawIsReplayableInAnyInputOrder() {
        let increased = IncreasedReview(institutions: ["C-HOSP"], percentage: 0.3)
        let first = secondReviewSelection(decisions: mixed(), percentage: 0.05, seed: 11, increased: increased)
        let again = secondReviewSelection(decisions: Array(mixed().reversed()), percentage: 0.05, seed: 11, increased: increased)
        XCTAssertEqual(first, again)
        XCTAssertEqual(first.increasedReview, increased)
    }

    func testAHigherShareBelowTheOrdinaryOneIsRaisedToItAndNoInstitutionIsNoIncrease() {
        let decisions = mixed()
        let ordinary = secondReviewSelection(decisions: decisions, percentage: 0.1, seed: 5)
        let low = secondReviewSelection(decisions: decisions, percentage: 0.1, seed: 5,
                                        increased: IncreasedReview(institutions: ["C-HOSP"], percentage: 0.05))
        XCTAssertGreaterThanOrEqual(drawn(low, of: "C-HOSP", in: decisions), 2, "ceil(10% of 20): at least the ordinary share")
        let none = secondReviewSelection(decisions: decisions, percentage: 0.1, seed: 5,
                                         increased: IncreasedReview(institutions: [], percentage: 0.5))
        XCTAssertEqual(none, ordinary)
    }

    func testAStoredDrawWithoutTheNewFieldsStillDecodes() throws {
        let ordinary = secondReviewSelection(decisions: mixed(), percentage: 0.05, seed: 1)
        let json = try JSONEncoder().encode(ordinary)
        XCTAssertFalse(String(decoding: json, as: UTF8.self).contains("increased"), "an ordinary draw is stored as before")
        XCTAssertEqual(try JSONDecoder().decode(Selection.self, from: json), ordinary)
    }

    func testAMachinePassedDayRaisesTheShareOfTheInstitutionUnderIncreasedReview() {
        let claims = (0..<40).map { "C\(1000 + $0)" }
        let institutions = Dictionary(uniqueKeysWithValues: claims.enumerated().map { ($1, $0 % 2 == 0 ? "C-HOSP" : "B-HOSP") })
        let ordinary = machinePassedSelection(claims: claims, percentage: 0.05, seed: 9)
        let raised = machinePassedSelection(claims: claims, percentage: 0.05, seed: 9,
                                            increased: IncreasedReview(institutions: ["C-HOSP"], percentage: 0.25), institutions: institutions)
        XCTAssertEqual(raised.randomItemIDs, ordinary.randomItemIDs)
        XCTAssertEqual(raised.selectedItemIDs.filter { institutions[$0] == "C-HOSP" }.count, 5, "ceil(25% of 20)")
        XCTAssertEqual(raised.highRiskItemIDs, [], "nothing the machine passed is high-risk by itself")
    }
}

import Foundation
import ReviewWorkflow
import XCTest

/// 复审抽样: at least ceil(percentage × count) at random plus every high-risk decision, replayable.
final class SecondReviewSelectionTests: XCTestCase {
    /// `count` low-risk decisions (提醒, small amounts).
    func lowRisk(_ count: Int, prefix: String = "F") -> [FirstDecision] {
        (0..<count).map { FirstDecision(itemID: "\(prefix)\(1000 + $0)", reviewer: "r1", severity: .reminder, amount: 100) }
    }

    func testRandomCountIsTheCeilingOfThePercentage() {
        XCTAssertEqual(secondReviewSelection(decisions: lowRisk(30), percentage: 0.05, seed: 7).randomCount, 2)
        XCTAssertEqual(secondReviewSelection(decisions: lowRisk(20), percentage: 0.05, seed: 7).randomCount, 1)
        XCTAssertEqual(secondReviewSelection(decisions: lowRisk(21), percentage: 0.05, seed: 7).randomCount, 2)
        XCTAssertEqual(secondReviewSelection(decisions: lowRisk(1), percentage: 0.05, seed: 7).randomCount, 1)
        let thirty = secondReviewSelection(decisions: lowRisk(30), percentage: 0.05, seed: 7)
        XCTAssertEqual(thirty.randomItemIDs.count, 2)
        XCTAssertEqual(Set(thirty.randomItemIDs).count, 2, "no item drawn twice")
        XCTAssertEqual(thirty.selectedItemIDs.count, 2)
    }

    func testNoDecisionsSelectNothing() {
        let selection = secondReviewSelection(decisions: [], percentage: 0.05, seed: 7)
        XCTAssertEqual(selection.randomCount, 0)
        XCTAssertEqual(selection.selectedItemIDs, [])
        XCTAssertEqual(selection.population, [])
    }

    func testPercentageBelowTheFloorIsRaisedAndAboveOneIsCapped() {
        let low = secondReviewSelection(decisions: lowRisk(100), percentage: 0.01, seed: 7)
        XCTAssertEqual(low.requestedPercentage, 0.01)
        XCTAssertEqual(low.appliedPercentage, 0.05)
        XCTAssertEqual(low.randomCount, 5)
        let all = secondReviewSelection(decisions: lowRisk(10), percentage: 2, seed: 7)
        XCTAssertEqual(all.randomCount, 10)
        XCTAssertEqual(Set(all.selectedItemIDs), Set(all.population))
        let tenth = secondReviewSelection(decisions: lowRisk(100), percentage: 0.1, seed: 7)
        XCTAssertEqual(tenth.randomCount, 10)
    }

    func testEveryHighSeverityAndHighAmountDecisionIsSelected() {
        var decisions = lowRisk(40)
        decisions.append(FirstDecision(itemID: "SEVERE", reviewer: "r2", severity: .violation, amount: 10))
        decisions.append(FirstDecision(itemID: "LARGE", reviewer: "r2", severity: .suspected, amount: 5_000))
        decisions.append(FirstDecision(itemID: "JUST-BELOW", reviewer: "r2", severity: .suspected, amount: 4_999.99))
        let criteria = HighRiskCriteria(minimumSeverity: .violation, amountThreshold: 5_000)
        for seed in UInt64(0)..<20 {
            let selection = secondReviewSelection(decisions: decisions, percentage: 0.05, seed: seed, criteria: criteria)
            XCTAssertEqual(Set(selection.highRiskItemIDs), ["SEVERE", "LARGE"])
            XCTAssertTrue(selection.contains("SEVERE"))
            XCTAssertTrue(selection.contains("LARGE"))
            XCTAssertEqual(selection.randomCount, 3)
            XCTAssertTrue(Set(selection.randomItemIDs).isSubset(of: Set(selection.selectedItemIDs)))
            XCTAssertEqual(Set(selection.selectedItemIDs), Set(selection.randomItemIDs).union(selection.highRiskItemIDs))
        }
    }

    func testSuspectedCountsAsHighSeverityWhenTheThresholdIsLowered() {
        let decisions = [FirstDecision(itemID: "S", reviewer: "r", severity: .suspected, amount: 1)] + lowRisk(50)
        let selection = secondReviewSelection(decisions: decisions, percentage: 0.05, seed: 1,
                                              criteria: HighRiskCriteria(minimumSeverity: .suspected, amountThreshold: 1_000_000))
        XCTAssertEqual(selection.highRiskItemIDs, ["S"])
    }

    func testSameSeedAndDecisionsInAnyOrderGiveTheSameSelection() {
        let decisions = lowRisk(200)
        let first = secondReviewSelection(decisions: decisions, percentage: 0.05, seed: 42)
        let again = secondReviewSelection(decisions: decisions.reversed(), percentage: 0.05, seed: 42)
        XCTAssertEqual(first, again)
        XCTAssertEqual(first.seed, 42)
        XCTAssertEqual(first.population, decisions.map(\.itemID).sorted())
        let draws = Set((UInt64(0)..<10).map { secondReviewSelection(decisions: decisions, percentage: 0.05, seed: $0).randomItemIDs })
        XCTAssertGreaterThan(draws.count, 5, "different seeds draw different samples")
    }

    func testTheDrawIsRoughlyUniform() {
        let decisions = lowRisk(10)
        var hits: [String: Int] = [:]
        for seed in UInt64(0)..<2_000 {
            for id in secondReviewSelection(decisions: decisions, percentage: 0.1, seed: seed).randomItemIDs {
                hits[id, default: 0] += 1
            }
        }
        XCTAssertEqual(hits.count, 10)
        for (_, count) in hits { XCTAssertTrue((140...260).contains(count), "\(count) of 2000 for one of 10 items") }
    }

    func testSelectionRoundTripsThroughJSON() throws {
        let selection = secondReviewSelection(decisions: lowRisk(30), percentage: 0.05, seed: 9)
        XCTAssertEqual(try JSONDecoder().decode(Selection.self, from: JSONEncoder().encode(selection)), selection)
    }
}

final class SplitMix64Tests: XCTestCase {
    func testKnownSequenceForSeedZero() {
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(generator.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(generator.next(), 0x06C4_5D18_8009_454F)
    }

    func testBoundedValuesStayBelowTheBound() {
        var generator = SplitMix64(seed: 123)
        for bound in [UInt64(1), 2, 3, 7, 1_000, UInt64.max] {
            for _ in 0..<100 { XCTAssertLessThan(generator.next(below: bound), bound) }
        }
    }
}

/// 初审复审岗位不相容.
final class SegregationOfDutiesTests: XCTestCase {
    let history = ItemHistory(itemID: "F1", acts: [
        ReviewAct(reviewer: "alice", role: .firstLevel, at: instant()),
        ReviewAct(reviewer: "bob", role: .secondLevel, at: instant(60)),
    ])

    func testFirstLevelDeciderCannotDecideTheSecondLevel() {
        XCTAssertFalse(mayDecideSecondLevel(reviewer: "alice", history: history))
        XCTAssertTrue(mayDecideSecondLevel(reviewer: "carol", history: history))
        XCTAssertTrue(mayDecideSecondLevel(reviewer: "bob", history: history))
    }

    func testFirstAndSecondLevelDecidersCannotDoTheLegalReview() {
        XCTAssertFalse(mayDecideLegalReview(reviewer: "alice", history: history))
        XCTAssertFalse(mayDecideLegalReview(reviewer: "bob", history: history))
        XCTAssertTrue(mayDecideLegalReview(reviewer: "carol", history: history))
    }

    func testAnyoneMayDecideAnItemWithoutHistory() {
        XCTAssertTrue(mayDecideSecondLevel(reviewer: "alice", history: ItemHistory(itemID: "F2")))
        XCTAssertTrue(mayDecideLegalReview(reviewer: "alice", history: ItemHistory(itemID: "F2")))
    }

    func testEveryFirstLevelDeciderIsExcludedWhenTheItemWasReassigned() {
        let reassigned = ItemHistory(itemID: "F3", acts: [
            ReviewAct(reviewer: "alice", role: .firstLevel, at: instant()),
            ReviewAct(reviewer: "dave", role: .firstLevel, at: instant(30)),
        ])
        XCTAssertFalse(mayDecideSecondLevel(reviewer: "alice", history: reassigned))
        XCTAssertFalse(mayDecideSecondLevel(reviewer: "dave", history: reassigned))
    }
}

final class SampleSeedTests: XCTestCase {
    func testTheSeedOfAScopeIsTheSameEveryTimeAndDiffersByScopeAndKey() {
        let day = SampleSeed.machinePassedScope("2026-11-20")
        XCTAssertEqual(SampleSeed.seed(key: "k", scope: day), SampleSeed.seed(key: "k", scope: day))
        XCTAssertNotEqual(SampleSeed.seed(key: "k", scope: day), SampleSeed.seed(key: "k", scope: SampleSeed.machinePassedScope("2026-11-21")))
        XCTAssertNotEqual(SampleSeed.seed(key: "k", scope: day), SampleSeed.seed(key: "other", scope: day))
        XCTAssertEqual(SampleSeed.batchScope(["2", "1"]), SampleSeed.batchScope(["1", "2"]), "the order the ids come in does not matter")
    }

    func testAtLeastFivePercentOfTheMachinePassedClaimsAreDrawnTheSameWayEachTime() {
        let claims = (1...200).map { "C\($0)" }
        let seed = SampleSeed.seed(key: "k", scope: SampleSeed.machinePassedScope("2026-11-20"))
        let first = machinePassedSelection(claims: claims, percentage: 0.01, seed: seed)
        XCTAssertEqual(first.selectedItemIDs.count, 10, "1% asked is raised to the 5% floor: ceil(5% × 200)")
        XCTAssertEqual(first.highRiskItemIDs, [])
        let again = machinePassedSelection(claims: claims.reversed(), percentage: 0.01, seed: seed)
        XCTAssertEqual(again.selectedItemIDs, first.selectedItemIDs)
        XCTAssertEqual(machinePassedSelection(claims: claims, percentage: 0.2, seed: seed).selectedItemIDs.count, 40)
    }
}

import Foundation
import ReviewWorkflow
import XCTest

/// 免罚轻罚清单: 首违不罚 and 从轻 for voluntary refund and self-report.
final class LenientListTests: XCTestCase {
    let calculator = PenaltyDiscretion()

    func firstMinorCorrected(_ kind: ViolationKind, amount: Decimal) -> ViolationCase {
        ViolationCase(kind: kind, amount: amount, isFirstViolation: true, correctedPromptly: true, seriousness: .minor)
    }

    func testFirstMinorViolationCorrectedPromptlyIsNotFinedButLossIsRecovered() throws {
        let proposal = try calculator.propose(firstMinorCorrected(.overStandardCharging, amount: 2_000))
        XCTAssertEqual(proposal.lenientMeasure, .noPenalty)
        XCTAssertTrue(proposal.lenientListApplied)
        XCTAssertEqual(proposal.recoverAmount, 2_000)
        XCTAssertEqual(proposal.fineAmount, 0)
        XCTAssertNil(proposal.fineMultiple)
        XCTAssertEqual(proposal.suspensionMonths, 0)
        XCTAssertFalse(proposal.bounds.fineRequired)
        XCTAssertFalse(proposal.isMajor)
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("首违不罚") })
    }

    func testNoPenaltyNeedsEveryCondition() throws {
        var repeatCase = firstMinorCorrected(.duplicateCharging, amount: 2_000)
        repeatCase.isFirstViolation = false
        XCTAssertNotEqual(try calculator.propose(repeatCase).lenientMeasure, .noPenalty)

        var notCorrected = firstMinorCorrected(.duplicateCharging, amount: 2_000)
        notCorrected.correctedPromptly = false
        XCTAssertEqual(try calculator.propose(notCorrected).fineAmount, 2_000)

        var general = firstMinorCorrected(.duplicateCharging, amount: 2_000)
        general.seriousness = .general
        XCTAssertEqual(try calculator.propose(general).fineAmount, 3_000)

        var refused = firstMinorCorrected(.recordsNotKept, amount: 0)
        refused.refusedToCorrect = true
        XCTAssertEqual(try calculator.propose(refused).fineAmount, 10_000)
    }

    func testFraudIsNeverOnTheNoPenaltyList() throws {
        let fraud = try calculator.propose(firstMinorCorrected(.fabricatedServices, amount: 2_000))
        XCTAssertNil(fraud.lenientMeasure)
        XCTAssertEqual(fraud.fineMultiple, 2)
        XCTAssertEqual(fraud.suspensionMonths, 6)
        var intent = firstMinorCorrected(.duplicateCharging, amount: 2_000)
        intent.intentToDefraud = true
        XCTAssertEqual(try calculator.propose(intent).article, .article40)
        XCTAssertNotEqual(try calculator.propose(intent).lenientMeasure, .noPenalty)
    }

    func testIndividualFirstMinorViolationIsNotSuspended() throws {
        let proposal = try calculator.propose(firstMinorCorrected(.duplicateBenefits, amount: 800))
        XCTAssertEqual(proposal.lenientMeasure, .noPenalty)
        XCTAssertEqual(proposal.suspensionMonths, 0)
        XCTAssertFalse(proposal.bounds.suspensionRequired)
        XCTAssertEqual(proposal.bounds.suspensionRange, 3...12, "the range stays for a supervisor who departs")
    }

    func testVoluntaryRefundMovesTheFineDown() throws {
        let plain = try calculator.propose(ViolationCase(kind: .itemSwitching, amount: 10_000))
        let refunded = try calculator.propose(ViolationCase(kind: .itemSwitching, amount: 10_000, voluntaryRefund: true))
        XCTAssertEqual(refunded.lenientMeasure, .lighter)
        XCTAssertEqual(refunded.fineMultiple, 1.3, "1.25 rounded half up to one decimal")
        XCTAssertLessThan(refunded.fineAmount, plain.fineAmount)
        XCTAssertEqual(refunded.recoverAmount, 10_000)
        XCTAssertTrue(refunded.reasoning.contains { $0.contains("主动退回") })
    }

    func testRefundAndSelfReportTogetherReachTheMinimumAndNoLower() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .itemSwitching, amount: 10_000, voluntaryRefund: true,
                                                            selfReported: true))
        XCTAssertEqual(proposal.fineMultiple, 1)
        let minor = try calculator.propose(ViolationCase(kind: .itemSwitching, amount: 10_000, voluntaryRefund: true,
                                                         selfReported: true, seriousness: .minor))
        XCTAssertEqual(minor.fineMultiple, 1, "clamped at the legal minimum")
    }

    func testRepeatViolationMovesTheFineUp() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .itemSwitching, amount: 10_000, isFirstViolation: false))
        XCTAssertEqual(proposal.fineMultiple, 1.8, "1.75 rounded half up")
        XCTAssertNil(proposal.lenientMeasure)
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("从重") })
    }

    func testCustomPolicyChangesTheSteps() throws {
        let strict = PenaltyDiscretion(policy: DiscretionPolicy(generalPosition: 0.4, voluntaryRefundStep: 0.4,
                                                                policeReferralAmount: 10_000))
        let proposal = try strict.propose(ViolationCase(kind: .fabricatedServices, amount: 5_000, voluntaryRefund: true))
        XCTAssertEqual(proposal.fineMultiple, 2)
        XCTAssertFalse(proposal.referToPolice)
    }
}

import Foundation
import ReviewWorkflow
import XCTest

/// Each article's ranges and boundaries, and the clamping of what the circumstances add up to.
final class DiscretionArticleTests: XCTestCase {
    let calculator = PenaltyDiscretion()

    func testArticle38GeneralCaseFinesMidRangeWithoutSuspension() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 10_000))
        XCTAssertEqual(proposal.article, .article38)
        XCTAssertEqual(proposal.recoverAmount, 10_000)
        XCTAssertEqual(proposal.fineMultiple, 1.5)
        XCTAssertEqual(proposal.fineAmount, 15_000)
        XCTAssertEqual(proposal.suspensionMonths, 0)
        XCTAssertFalse(proposal.terminateAgreement)
        XCTAssertFalse(proposal.referToPolice)
        XCTAssertFalse(proposal.isMajor)
        XCTAssertNil(proposal.lenientMeasure)
        XCTAssertEqual(proposal.bounds.fineMultipleRange, 1...2)
        XCTAssertNil(proposal.bounds.suspensionRange)
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("第三十八条") })
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("15000") })
    }

    func testArticle38SeriousCaseFinesTheMaximumAndSuspendsAYear() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .splitAdmission, amount: 8_000, seriousness: .serious))
        XCTAssertEqual(proposal.fineMultiple, 2)
        XCTAssertEqual(proposal.fineAmount, 16_000)
        XCTAssertEqual(proposal.suspensionMonths, 12)
        XCTAssertTrue(proposal.isMajor)
        XCTAssertEqual(proposal.majorReasons, [.suspension])
    }

    func testArticle38MinorCaseFinesTheMinimum() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .itemSwitching, amount: 3_000, seriousness: .minor))
        XCTAssertEqual(proposal.fineMultiple, 1)
        XCTAssertEqual(proposal.fineAmount, 3_000)
    }

    func testArticle38RefusalToCorrectTriggersSuspension() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .overTreatment, amount: 10_000, refusedToCorrect: true))
        XCTAssertEqual(proposal.bounds.suspensionRange, 6...12)
        XCTAssertTrue(proposal.bounds.suspensionRequired)
        XCTAssertEqual(proposal.suspensionMonths, 9)
    }

    func testArticle38WithoutLossHasNoFine() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .overStandardCharging, amount: 0))
        XCTAssertNil(proposal.fineMultiple)
        XCTAssertEqual(proposal.fineAmount, 0)
        XCTAssertNil(proposal.bounds.fineMultipleRange)
        XCTAssertFalse(proposal.bounds.fineRequired)
    }

    func testArticle38BehaviourWithIntentIsPunishedAsFraud() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .bedOnlyAdmission, amount: 10_000, intentToDefraud: true))
        XCTAssertEqual(proposal.article, .article40)
        XCTAssertEqual(proposal.fineMultiple, 3.5)
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("第四十条第二款") })
    }

    func testCreditFactorAboveRangeIsClampedToTheMaximum() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .splitItemCharging, amount: 10_000, isFirstViolation: false,
                                                            seriousness: .serious, creditFactor: 1.2))
        XCTAssertEqual(proposal.fineMultiple, 2)
        XCTAssertEqual(proposal.fineAmount, 20_000)
        XCTAssertEqual(proposal.suspensionMonths, 12)
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("超出法定幅度") })
    }

    func testGoodCreditBelowRangeIsClampedToTheMinimum() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 10_000, seriousness: .minor,
                                                            creditFactor: 0.9))
        XCTAssertEqual(proposal.fineMultiple, 1)
        XCTAssertTrue(proposal.reasoning.contains { $0.contains("取1倍") })
    }

    func testCreditFactorScalesWithinRange() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 10_000, creditFactor: 1.2))
        XCTAssertEqual(proposal.fineMultiple, 1.8)
        XCTAssertEqual(proposal.fineAmount, 18_000)
    }

    func testArticle39FinesOnlyOnRefusalToCorrect() throws {
        let corrected = try calculator.propose(ViolationCase(kind: .dataNotTransmitted, amount: 0))
        XCTAssertEqual(corrected.article, .article39)
        XCTAssertEqual(corrected.fineAmount, 0)
        XCTAssertEqual(corrected.recoverAmount, 0)
        XCTAssertNil(corrected.bounds.fixedFineRange)
        XCTAssertTrue(corrected.reasoning.contains { $0.contains("未拒不改正") })

        let refused = try calculator.propose(ViolationCase(kind: .dataNotTransmitted, amount: 0, refusedToCorrect: true))
        XCTAssertNil(refused.fineMultiple)
        XCTAssertEqual(refused.fineAmount, 30_000)
        XCTAssertEqual(refused.bounds.fixedFineRange, 10_000...50_000)
        XCTAssertEqual(refused.suspensionMonths, 0)
    }

    func testArticle39AmountsStayBetweenTenAndFiftyThousand() throws {
        let low = try calculator.propose(ViolationCase(kind: .recordsNotKept, amount: 0, refusedToCorrect: true,
                                                       seriousness: .minor, creditFactor: 0.9))
        XCTAssertEqual(low.fineAmount, 10_000)
        let high = try calculator.propose(ViolationCase(kind: .obstructingInspection, amount: 0, isFirstViolation: false,
                                                        refusedToCorrect: true, seriousness: .serious, creditFactor: 1.2))
        XCTAssertEqual(high.fineAmount, 50_000)
        let serious = try calculator.propose(ViolationCase(kind: .informationNotDisclosed, amount: 0, refusedToCorrect: true,
                                                           seriousness: .serious))
        XCTAssertEqual(serious.fineAmount, 50_000)
    }

    func testArticle40FraudFinesTwoToFiveTimesWithSuspensionAndReferral() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .fabricatedServices, amount: 10_000))
        XCTAssertEqual(proposal.article, .article40)
        XCTAssertEqual(proposal.fineMultiple, 3.5)
        XCTAssertEqual(proposal.fineAmount, 35_000)
        XCTAssertEqual(proposal.suspensionMonths, 9)
        XCTAssertTrue(proposal.bounds.suspensionRequired)
        XCTAssertFalse(proposal.terminateAgreement)
        XCTAssertTrue(proposal.referToPolice)
        XCTAssertEqual(proposal.majorReasons, [.suspension, .policeReferral])
    }

    func testArticle40BoundariesAndTermination() throws {
        let lowest = try calculator.propose(ViolationCase(kind: .forgingRecords, amount: 1_000, voluntaryRefund: true,
                                                          selfReported: true, seriousness: .minor, creditFactor: 0.9))
        XCTAssertEqual(lowest.fineMultiple, 2)
        XCTAssertEqual(lowest.suspensionMonths, 6)
        XCTAssertFalse(lowest.referToPolice, "below the referral amount")
        XCTAssertEqual(lowest.lenientMeasure, .lighter)

        let worst = try calculator.propose(ViolationCase(kind: .inducingFalseTreatment, amount: 100_000, isFirstViolation: false,
                                                         seriousness: .serious, creditFactor: 1.2))
        XCTAssertEqual(worst.fineMultiple, 5)
        XCTAssertEqual(worst.fineAmount, 500_000)
        XCTAssertEqual(worst.suspensionMonths, 12)
        XCTAssertTrue(worst.terminateAgreement)
        XCTAssertEqual(worst.majorReasons, [.largeFine, .suspension, .termination, .policeReferral])
    }

    func testArticle41WithoutIntentSuspendsSettlementWithoutFine() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .lendingInsuranceCard, amount: 1_000))
        XCTAssertEqual(proposal.article, .article41)
        XCTAssertEqual(proposal.recoverAmount, 1_000)
        XCTAssertNil(proposal.fineMultiple)
        XCTAssertEqual(proposal.fineAmount, 0)
        XCTAssertEqual(proposal.bounds.suspensionRange, 3...12)
        XCTAssertEqual(proposal.suspensionMonths, 8, "3 + 0.5 × 9 = 7.5, rounded")
        XCTAssertEqual(proposal.measures.subject, .individual)
    }

    func testArticle41WithIntentAddsTwoToFiveTimesFine() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .usingOthersCard, amount: 1_000))
        XCTAssertEqual(proposal.fineMultiple, 3.5)
        XCTAssertEqual(proposal.fineAmount, 3_500)
        let intended = try calculator.propose(ViolationCase(kind: .resellingDrugs, amount: 2_000, intentToDefraud: true,
                                                            seriousness: .serious))
        XCTAssertEqual(intended.fineMultiple, 5)
        XCTAssertEqual(intended.suspensionMonths, 12)
        let least = try calculator.propose(ViolationCase(kind: .duplicateBenefits, amount: 500, seriousness: .minor))
        XCTAssertEqual(least.suspensionMonths, 3)
    }

    func testArticle41NonInsuredPersonIsNotSuspended() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .usingOthersCard, amount: 1_000, isInsuredPerson: false))
        XCTAssertEqual(proposal.suspensionMonths, 0)
        XCTAssertNil(proposal.bounds.suspensionRange)
        XCTAssertFalse(proposal.isMajor)
    }

    func testInvalidInputIsRefused() {
        XCTAssertThrowsError(try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: -1))) {
            XCTAssertEqual($0 as? DiscretionError, .negativeAmount(-1))
        }
        XCTAssertThrowsError(try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 1, creditFactor: 0))) {
            XCTAssertEqual($0 as? DiscretionError, .invalidCreditFactor(0))
        }
    }

    func testLargeFineIsMajorFromTheThresholdUp() throws {
        let below = try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 66_666))
        XCTAssertEqual(below.fineAmount, 99_999)
        XCTAssertFalse(below.isMajor)
        let at = try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 100_000, seriousness: .minor))
        XCTAssertEqual(at.fineAmount, 100_000)
        XCTAssertEqual(at.majorReasons, [.largeFine])
    }

    func testProposalRoundTripsThroughJSON() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .fabricatedServices, amount: 12_345.67))
        let decoded = try JSONDecoder().decode(Proposal.self, from: JSONEncoder().encode(proposal))
        XCTAssertEqual(decoded, proposal)
    }
}

extension DiscretionArticleTests {
    func testReasoningExplainsEveryStep() throws {
        let proposal = try calculator.propose(ViolationCase(kind: .duplicateCharging, amount: 50_000, intentToDefraud: true,
                                                            isFirstViolation: false, voluntaryRefund: true, creditFactor: 1.1))
        XCTAssertEqual(proposal.reasoning.count, 11)
        XCTAssertTrue(proposal.reasoning.last?.hasPrefix("属重大执法决定") ?? false)
    }
}

final class PenaltyPolicyTests: XCTestCase {
    func testTheDefaultsAreUsable() {
        XCTAssertEqual(PenaltyPolicy.defaults.problems, [])
        XCTAssertEqual(PenaltyPolicy.defaults.version, 1)
    }

    func testEachBadFieldIsNamed() {
        var policy = PenaltyPolicy(version: 0)
        policy.discretion.repeatStep = 2
        policy.discretion.minorPosition = 0.8
        policy.majorDecisions.institutionFineThreshold = 0
        let problems = policy.problems
        XCTAssertTrue(problems.contains("version: must be 1 or more"))
        XCTAssertTrue(problems.contains("discretion.repeat_step: 2 is outside 0...1"))
        XCTAssertTrue(problems.contains("discretion: positions must rise from minor to general to serious"))
        XCTAssertTrue(problems.contains("major_decisions.institution_fine_threshold: must be above 0"))
    }

    /// A lower legal-review threshold makes the same decision major: the thresholds are the policy's, not constants.
    func testTheLegalReviewThresholdIsThePolicys() throws {
        let violation = ViolationCase(kind: .duplicateCharging, amount: 20_000)
        let standard = try PenaltyPolicy.defaults.calculator.propose(violation)
        var strict = PenaltyPolicy(version: 2)
        strict.majorDecisions.institutionFineThreshold = 1_000
        let stricter = try strict.calculator.propose(violation)
        XCTAssertFalse(standard.isMajor)
        XCTAssertTrue(stricter.isMajor)
    }
}

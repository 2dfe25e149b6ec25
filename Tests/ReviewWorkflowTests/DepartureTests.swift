import Foundation
import ReviewWorkflow
import XCTest

/// A supervisor's departure from the calculation: written reason, legal range, re-classification.
final class DepartureTests: XCTestCase {
    let calculator = PenaltyDiscretion()

    func proposal(_ violation: ViolationCase) throws -> Proposal { try calculator.propose(violation) }

    func testDepartureWithinRangeKeepsTheCalculationAndTheReason() throws {
        let original = try proposal(ViolationCase(kind: .duplicateCharging, amount: 10_000))
        let decided = try calculator.depart(from: original, to: PenaltyDecision(fine: .multiple(1.2)),
                                            reason: "  该院已完成整改并建立内控制度  ")
        XCTAssertEqual(decided.fineMultiple, 1.2)
        XCTAssertEqual(decided.fineAmount, 12_000)
        XCTAssertEqual(decided.departure?.calculated, original.decision)
        XCTAssertEqual(decided.departure?.reason, "该院已完成整改并建立内控制度")
        XCTAssertEqual(decided.reasoning.prefix(original.reasoning.count), original.reasoning[...])
        XCTAssertTrue(decided.reasoning.contains { $0.contains("改为“罚款1.2倍，不暂停”，理由：该院已完成整改并建立内控制度") })
    }

    func testDepartureWithoutWrittenReasonIsRefused() throws {
        let original = try proposal(ViolationCase(kind: .duplicateCharging, amount: 10_000))
        for reason in ["", "   \n"] {
            XCTAssertThrowsError(try calculator.depart(from: original, to: PenaltyDecision(fine: .multiple(1.2)), reason: reason)) {
                XCTAssertEqual($0 as? DiscretionError, .missingReason)
            }
        }
    }

    func testFineOutsideTheArticleRangeIsRefused() throws {
        let original = try proposal(ViolationCase(kind: .duplicateCharging, amount: 10_000))
        for fine in [Fine.multiple(0.9), .multiple(2.1), .amount(15_000)] {
            XCTAssertThrowsError(try calculator.depart(from: original, to: PenaltyDecision(fine: fine), reason: "r")) {
                XCTAssertEqual($0 as? DiscretionError, .fineOutsideRange(fine))
            }
        }
        XCTAssertNoThrow(try calculator.depart(from: original, to: PenaltyDecision(fine: .multiple(1)), reason: "r"))
        XCTAssertNoThrow(try calculator.depart(from: original, to: PenaltyDecision(fine: .multiple(2)), reason: "r"))
    }

    func testRemovingARequiredFineIsRefusedUnlessTheLenientListAllowsIt() throws {
        let fined = try proposal(ViolationCase(kind: .duplicateCharging, amount: 10_000))
        XCTAssertThrowsError(try calculator.depart(from: fined, to: PenaltyDecision(fine: .none), reason: "r")) {
            XCTAssertEqual($0 as? DiscretionError, .fineRequired)
        }
        let lenient = try proposal(ViolationCase(kind: .duplicateCharging, amount: 10_000, correctedPromptly: true,
                                                 seriousness: .minor))
        let fineAnyway = try calculator.depart(from: lenient, to: PenaltyDecision(fine: .multiple(1)), reason: "退回不及时")
        XCTAssertEqual(fineAnyway.fineAmount, 10_000)
        XCTAssertNoThrow(try calculator.depart(from: fineAnyway, to: PenaltyDecision(fine: .none), reason: "复核后仍适用首违不罚"))
    }

    func testArticle39DepartureUsesAmountsWithinRange() throws {
        let original = try proposal(ViolationCase(kind: .informationNotReported, amount: 0, refusedToCorrect: true))
        let decided = try calculator.depart(from: original, to: PenaltyDecision(fine: .amount(20_000)), reason: "r")
        XCTAssertEqual(decided.fineAmount, 20_000)
        XCTAssertNil(decided.fineMultiple)
        for fine in [Fine.amount(9_999), .amount(50_001), .multiple(1)] {
            XCTAssertThrowsError(try calculator.depart(from: original, to: PenaltyDecision(fine: fine), reason: "r"))
        }
    }

    func testSuspensionMustStayInRangeAndCannotBeDroppedWhenRequired() throws {
        let serious = try proposal(ViolationCase(kind: .splitAdmission, amount: 10_000, seriousness: .serious))
        XCTAssertThrowsError(try calculator.depart(from: serious, to: PenaltyDecision(fine: .multiple(2), suspensionMonths: 5),
                                                   reason: "r")) {
            XCTAssertEqual($0 as? DiscretionError, .suspensionOutsideRange(5))
        }
        XCTAssertThrowsError(try calculator.depart(from: serious, to: PenaltyDecision(fine: .multiple(2), suspensionMonths: 13),
                                                   reason: "r"))
        XCTAssertThrowsError(try calculator.depart(from: serious, to: PenaltyDecision(fine: .multiple(2)), reason: "r")) {
            XCTAssertEqual($0 as? DiscretionError, .suspensionRequired)
        }
        let six = try calculator.depart(from: serious, to: PenaltyDecision(fine: .multiple(2), suspensionMonths: 6), reason: "r")
        XCTAssertEqual(six.suspensionMonths, 6)

        let general = try proposal(ViolationCase(kind: .splitAdmission, amount: 10_000))
        XCTAssertThrowsError(try calculator.depart(from: general, to: PenaltyDecision(fine: .multiple(2), suspensionMonths: 6),
                                                   reason: "r"), "no suspension without refusal or serious consequences")
    }

    func testTerminationOnlyForFraud() throws {
        let article38 = try proposal(ViolationCase(kind: .splitAdmission, amount: 10_000, seriousness: .serious))
        XCTAssertThrowsError(try calculator.depart(from: article38, to: PenaltyDecision(fine: .multiple(2), suspensionMonths: 12,
                                                                                        terminateAgreement: true), reason: "r")) {
            XCTAssertEqual($0 as? DiscretionError, .terminationNotAllowed)
        }
        let fraud = try proposal(ViolationCase(kind: .fabricatedServices, amount: 10_000))
        let terminated = try calculator.depart(from: fraud, to: PenaltyDecision(fine: .multiple(5), suspensionMonths: 12,
                                                                                terminateAgreement: true, referToPolice: true),
                                               reason: "多次虚构服务项目")
        XCTAssertTrue(terminated.terminateAgreement)
        XCTAssertEqual(terminated.fineAmount, 50_000)
        XCTAssertTrue(terminated.majorReasons.contains(.termination))
    }

    func testDepartureIsReclassifiedForLegalReview() throws {
        let original = try proposal(ViolationCase(kind: .duplicateCharging, amount: 60_000))
        XCTAssertFalse(original.isMajor)
        let heavier = try calculator.depart(from: original, to: PenaltyDecision(fine: .multiple(2)), reason: "涉及多个科室")
        XCTAssertEqual(heavier.fineAmount, 120_000)
        XCTAssertTrue(heavier.isMajor)
        XCTAssertEqual(heavier.majorReasons, [.largeFine])
    }

    func testRepeatedDepartureKeepsTheFirstCalculation() throws {
        let original = try proposal(ViolationCase(kind: .duplicateCharging, amount: 10_000))
        let first = try calculator.depart(from: original, to: PenaltyDecision(fine: .multiple(1.2)), reason: "a")
        let second = try calculator.depart(from: first, to: PenaltyDecision(fine: .multiple(1.1)), reason: "b")
        XCTAssertEqual(second.departure?.calculated, original.decision)
        XCTAssertEqual(second.departure?.reason, "b")
        XCTAssertEqual(second.fineAmount, 11_000)
    }
}

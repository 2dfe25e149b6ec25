import Foundation
import ReviewWorkflow
import XCTest

/// 重大执法决定法制审核: what is major, and no publication before legal approval.
final class MajorDecisionPolicyTests: XCTestCase {
    let policy = MajorDecisionPolicy()

    func testFineThresholdsCountFromTheFigureUp() {
        XCTAssertFalse(policy.isMajor(EnforcementMeasures(subject: .institution, fineAmount: 99_999.99)))
        XCTAssertEqual(policy.reasons(for: EnforcementMeasures(subject: .institution, fineAmount: 100_000)), [.largeFine])
        XCTAssertFalse(policy.isMajor(EnforcementMeasures(subject: .individual, fineAmount: 9_999.99)))
        XCTAssertTrue(policy.isMajor(EnforcementMeasures(subject: .individual, fineAmount: 10_000)))
    }

    func testSuspensionTerminationAndReferralAreAlwaysMajor() {
        XCTAssertEqual(policy.reasons(for: EnforcementMeasures(subject: .institution, suspensionMonths: 6)), [.suspension])
        XCTAssertEqual(policy.reasons(for: EnforcementMeasures(subject: .institution, terminatesAgreement: true)), [.termination])
        XCTAssertEqual(policy.reasons(for: EnforcementMeasures(subject: .individual, refersToPolice: true)), [.policeReferral])
        XCTAssertFalse(policy.isMajor(EnforcementMeasures(subject: .institution)))
    }

    func testAZeroThresholdStillNeedsAFine() {
        let strict = MajorDecisionPolicy(institutionFineThreshold: 0, individualFineThreshold: 0)
        XCTAssertFalse(strict.isMajor(EnforcementMeasures(subject: .institution, fineAmount: 0)))
        XCTAssertTrue(strict.isMajor(EnforcementMeasures(subject: .institution, fineAmount: 0.01)))
    }
}

final class CaseDecisionTests: XCTestCase {
    let policy = MajorDecisionPolicy()
    let minor = EnforcementMeasures(subject: .institution, fineAmount: 15_000)
    let major = EnforcementMeasures(subject: .institution, fineAmount: 35_000, suspensionMonths: 9, refersToPolice: true)

    func testMinorDecisionIsApprovedAndPublishableWithoutLegalReview() throws {
        var decision = CaseDecision(caseID: "C1", measures: minor, proposedBy: "officer")
        XCTAssertFalse(canPublish(decision), "not yet submitted")
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        XCTAssertEqual(decision.state, .approved)
        XCTAssertFalse(decision.isMajor)
        XCTAssertTrue(canPublish(decision))
        try decision.publish(by: "supervisor", at: instant(10))
        XCTAssertEqual(decision.state, .published)
        XCTAssertFalse(canPublish(decision), "published once")
        XCTAssertEqual(decision.transitions.map(\.to), [.approved, .published])
    }

    func testMajorDecisionWaitsForLegalReview() throws {
        var decision = CaseDecision(caseID: "C2", measures: major, proposedBy: "officer")
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        XCTAssertEqual(decision.state, .awaitingLegalReview)
        XCTAssertEqual(decision.majorReasons, [.suspension, .policeReferral])
        XCTAssertFalse(canPublish(decision))
        XCTAssertThrowsError(try decision.publish(by: "supervisor", at: instant(1))) {
            XCTAssertEqual($0 as? CaseDecisionError, .invalidTransition(from: .awaitingLegalReview, action: "publish"))
        }
        try decision.recordLegalReview(approved: true, reviewer: "lawyer", opinion: "", at: instant(2))
        XCTAssertEqual(decision.state, .legallyApproved)
        XCTAssertEqual(decision.legalOpinion?.reviewer, "lawyer")
        XCTAssertTrue(canPublish(decision))
        try decision.publish(by: "supervisor", at: instant(3))
        XCTAssertEqual(decision.transitions.map(\.to), [.awaitingLegalReview, .legallyApproved, .published])
    }

    func testRefusedDecisionIsNeverPublishableUntilRevisedAndApproved() throws {
        var decision = CaseDecision(caseID: "C3", measures: major, proposedBy: "officer")
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        try decision.recordLegalReview(approved: false, reviewer: "lawyer", opinion: "证据不足以认定骗保目的", at: instant(1))
        XCTAssertEqual(decision.state, .legallyRefused)
        XCTAssertFalse(canPublish(decision))
        XCTAssertThrowsError(try decision.publish(by: "supervisor", at: instant(2)))
        XCTAssertThrowsError(try decision.submit(policy: policy, by: "supervisor", at: instant(2)), "revise first")

        try decision.revise(measures: minor, by: "officer", at: instant(3))
        XCTAssertEqual(decision.state, .proposed)
        XCTAssertFalse(canPublish(decision))
        try decision.submit(policy: policy, by: "supervisor", at: instant(4))
        XCTAssertEqual(decision.state, .approved)
        XCTAssertNil(decision.legalOpinion)
        XCTAssertTrue(canPublish(decision))
    }

    func testRefusalNeedsAWrittenOpinion() throws {
        var decision = CaseDecision(caseID: "C4", measures: major, proposedBy: "officer")
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        XCTAssertThrowsError(try decision.recordLegalReview(approved: false, reviewer: "lawyer", opinion: " ", at: instant(1))) {
            XCTAssertEqual($0 as? CaseDecisionError, .missingOpinion)
        }
        XCTAssertEqual(decision.state, .awaitingLegalReview)
    }

    func testThoseWhoHandledTheCaseCannotReviewIt() throws {
        var decision = CaseDecision(caseID: "C5", measures: major, proposedBy: "officer", handledBy: ["first-level-reviewer"])
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        for reviewer in ["officer", "first-level-reviewer", "supervisor"] {
            XCTAssertThrowsError(try decision.recordLegalReview(approved: true, reviewer: reviewer, opinion: "", at: instant(1))) {
                XCTAssertEqual($0 as? CaseDecisionError, .reviewerNotIndependent(reviewer))
            }
        }
        XCTAssertEqual(decision.state, .awaitingLegalReview)
    }

    func testLegalReviewOfAMinorDecisionIsNotATransition() throws {
        var decision = CaseDecision(caseID: "C6", measures: minor, proposedBy: "officer")
        XCTAssertThrowsError(try decision.recordLegalReview(approved: true, reviewer: "lawyer", opinion: "", at: instant()))
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        XCTAssertThrowsError(try decision.recordLegalReview(approved: true, reviewer: "lawyer", opinion: "", at: instant(1))) {
            XCTAssertEqual($0 as? CaseDecisionError, .invalidTransition(from: .approved, action: "legal review"))
        }
        XCTAssertThrowsError(try decision.revise(measures: major, by: "officer", at: instant(2)), "an approved decision is not revised")
    }

    func testDecisionBuiltFromAProposalCarriesItsMeasures() throws {
        let proposal = try PenaltyDiscretion().propose(ViolationCase(kind: .fabricatedServices, amount: 10_000))
        var decision = CaseDecision(caseID: "C7", proposal: proposal, proposedBy: "officer")
        XCTAssertEqual(decision.measures, proposal.measures)
        try decision.submit(policy: policy, by: "supervisor", at: instant())
        XCTAssertEqual(decision.isMajor, proposal.isMajor)
        XCTAssertEqual(decision.state, .awaitingLegalReview)
        let decoded = try JSONDecoder().decode(CaseDecision.self, from: JSONEncoder().encode(decision))
        XCTAssertEqual(decoded, decision)
    }
}

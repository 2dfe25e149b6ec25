import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// Credit's sanctions as the followers hold them (`SanctionRegister`) and as the built-in rules enforce them.
final class SanctionRegisterTests: XCTestCase {
    let doctor = SanctionKey(.practitioner, "D1")
    let person = SanctionKey(.insuredPerson, "PSN1")
    let hospital = SanctionKey(.institution, "H1")

    func date(_ text: String) -> CivilDate { CivilDate(text)! }

    func change(_ id: String, _ kind: String, _ subject: String, _ what: String, after: String, case caseId: String? = nil,
                from: String, until: String? = nil, measures: [String]? = nil) -> SanctionChange {
        SanctionChange.reading(changeId: id, subjectKind: kind, subjectId: subject, change: what, after: after, caseId: caseId,
                               effectiveFrom: from, effectiveUntil: until, measures: measures)!
    }

    func suspendDoctor(_ id: String = "c1", from: String = "2026-03-01", until: String? = "2026-09-01") -> SanctionChange {
        change(id, "practitioner", "D1", "suspension", after: "suspended", case: "CASE-1", from: from, until: until)
    }

    func testSuspensionStartsOnItsDateAndExpires() {
        let register = SanctionRegister(changes: [suspendDoctor()])
        XCTAssertNil(register.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-02-28")))
        XCTAssertEqual(register.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-03-01"))?.decision, "CASE-1")
        XCTAssertNotNil(register.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-08-31")))
        XCTAssertNil(register.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-09-01")), "expired")
        XCTAssertNil(register.inForce(.paymentQualificationSuspended, on: SanctionKey(.practitioner, "D2"), date: date("2026-04-01")))
    }

    func testLiftEndsItFromTheLiftDateOnly() {
        let lift = change("c2", "practitioner", "D1", "suspension", after: "active", case: "CASE-1", from: "2026-04-10")
        let register = SanctionRegister(changes: [suspendDoctor(), lift])
        XCTAssertNotNil(register.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-04-09")), "before the lift it held")
        XCTAssertNil(register.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-04-10")))
        XCTAssertEqual(register.sanctions(of: doctor).first?.until, date("2026-04-10"))
    }

    func testOrderAndRepetitionDoNotMatter() {
        let lift = change("c2", "practitioner", "D1", "suspension", after: "active", from: "2026-04-10")
        let again = suspendDoctor("c3", from: "2026-06-01", until: nil)
        let inOrder = SanctionRegister(changes: [suspendDoctor(), lift, again])
        XCTAssertEqual(SanctionRegister(changes: [again, lift, suspendDoctor(), lift, again]), inOrder)
        XCTAssertNil(inOrder.inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-05-01")))
        XCTAssertEqual(inOrder.inForce(.paymentQualificationSuspended, on: doctor, date: date("2027-01-01"))?.decision, "CASE-1",
                       "the second suspension, open-ended")
        XCTAssertEqual(inOrder.sanctions(of: doctor).count, 2)
    }

    func testSameDayLiftWins() {
        let lift = change("a-lift", "practitioner", "D1", "suspension", after: "active", from: "2026-03-01")
        XCTAssertNil(SanctionRegister(changes: [lift, suspendDoctor("z")]).inForce(.paymentQualificationSuspended, on: doctor, date: date("2026-03-01")))
    }

    func testInsuredPersonsSuspensionsAreLiftedPerCase() {
        let first = change("s1", "insured_person", "PSN1", "suspension", after: "suspended", case: "CASE-A", from: "2026-01-01", until: "2026-07-01")
        let second = change("s2", "insured_person", "PSN1", "suspension", after: "suspended", case: "CASE-B", from: "2026-02-01", until: "2026-05-01")
        let liftA = change("s3", "insured_person", "PSN1", "suspension", after: "active", case: "CASE-A", from: "2026-03-01")
        let register = SanctionRegister(changes: [first, second, liftA])
        XCTAssertEqual(register.inForce(.directSettlementSuspended, on: person, date: date("2026-03-15"))?.decision, "CASE-B")
        XCTAssertNil(register.inForce(.directSettlementSuspended, on: person, date: date("2026-05-01")), "B expired, A lifted")
        XCTAssertTrue(register.inForce(.directSettlementSuspended, on: person, date: date("2026-03-15"))!.described.contains("CASE-B"))
    }

    func testInstitutionGradeCarriesItsMeasuresUntilTheNextGrade() {
        let gradeD = change("g1", "institution", "H1", "grade", after: "D", from: "2026-01-10",
                            measures: ["fullReview", "suspendAdvancePayment", "withholdQualityDeposit"])
        let gradeB = change("g2", "institution", "H1", "grade", after: "B", from: "2026-06-01", measures: ["standardSettlement"])
        let register = SanctionRegister(changes: [gradeD, gradeB])
        XCTAssertNotNil(register.inForce(.fullReview, on: hospital, date: date("2026-05-31")))
        XCTAssertNil(register.inForce(.fullReview, on: hospital, date: date("2026-06-01")), "repaired to B")
        XCTAssertEqual(register.sanctions(of: hospital).map(\.measure), [.fullReview], "measures the followers do not enforce are left out")
        XCTAssertTrue(register.hasSanctions(on: .institution))
        XCTAssertFalse(register.hasSanctions(on: .practitioner), "no line looks up its doctor for an institution's grade")
    }

    func testAgreementSuspensionIsFullReviewOfItsOwnBasis() {
        let suspended = change("a1", "institution", "H1", "agreement", after: "suspended", from: "2026-02-01")
        let regraded = change("g1", "institution", "H1", "grade", after: "B", from: "2026-03-01", measures: ["standardSettlement"])
        let register = SanctionRegister(changes: [suspended, regraded])
        XCTAssertNotNil(register.inForce(.fullReview, on: hospital, date: date("2026-03-02")), "a grade change does not lift the agreement's")
        let restored = change("a2", "institution", "H1", "agreement", after: "active", from: "2026-04-01")
        XCTAssertNil(SanctionRegister(changes: [suspended, regraded, restored]).inForce(.fullReview, on: hospital, date: date("2026-04-01")))
    }

    func testChangesWithoutSanctionEffectAreNotRead() {
        XCTAssertNil(SanctionChange.reading(changeId: "p", subjectKind: "practitioner", subjectId: "D1", change: "points", after: "6",
                                            caseId: nil, effectiveFrom: "2026-01-01", effectiveUntil: nil, measures: nil))
        XCTAssertNil(SanctionChange.reading(changeId: "e", subjectKind: "employer", subjectId: "E1", change: "grade", after: "D",
                                            caseId: nil, effectiveFrom: "2026-01-01", effectiveUntil: nil, measures: ["fullReview"]))
        XCTAssertTrue(SanctionRegister(changes: []).isEmpty)
    }
}

final class SanctionRuleTests: XCTestCase {
    let day = "2026-09-03 09:00:00"

    func engine(_ changes: [SanctionChange]) -> RuleEngine {
        RuleEngine(knowledgeBase: Fixture.kb, rules: .defaults, sanctions: SanctionRegister(changes: changes))
    }

    func suspend(_ doctor: String, from: String) -> SanctionChange {
        SanctionChange.reading(changeId: "c-\(doctor)", subjectKind: "practitioner", subjectId: doctor, change: "suspension",
                               after: "suspended", caseId: "CASE-9", effectiveFrom: from, effectiveUntil: "2027-01-01", measures: nil)!
    }

    func testLineOrderedBySuspendedDoctorAfterTheStartIsAFinding() {
        let doctor = Fixture.kb.practitioners.values.filter { $0.institutionCode == Fixture.level2 }.map(\.code).sorted().first!
        let c = claim("S1", adm: day, doctor: doctor, lines: [line("1", "110200001", price: 10, at: day)])
        let findings = engine([suspend(doctor, from: "2026-09-01")]).evaluate(c, history: InMemoryHistory())
        XCTAssertEqual(findings.map(\.pattern), [Finding.suspendedPractitionerPattern])
        let finding = findings[0]
        XCTAssertEqual(finding.ruleID, "R-SANCTION-PRACTITIONER")
        XCTAssertEqual(finding.severity, .violation)
        XCTAssertEqual(finding.amount, 10)
        XCTAssertEqual(finding.lines.map(\.rxID), ["1"])
        XCTAssertTrue(finding.explanation.contains("CASE-9") && finding.explanation.contains(doctor), finding.explanation)
        XCTAssertTrue(finding.legalBasis.contains("医保发〔2024〕23号"))
        XCTAssertEqual(finding.reviewResult(taskID: nil).volaBhvrType, Finding.suspendedPractitionerPattern)
        // Before the start, nothing.
        XCTAssertEqual(engine([suspend(doctor, from: "2026-09-04")]).evaluate(c, history: InMemoryHistory()), [])
    }

    func testTheLinesOwnPrescriberCounts() {
        var ordered = line("1", "110200001", price: 10, at: day)
        ordered.prescriber = "D-SUSPENDED"
        let c = claim("S2", adm: day, lines: [ordered, line("2", "110200001", price: 10, at: day)])
        let findings = engine([suspend("D-SUSPENDED", from: "2026-01-01")]).evaluate(c, history: nil)
        XCTAssertEqual(findings.filter { $0.pattern == Finding.suspendedPractitionerPattern }.flatMap(\.lines).map(\.rxID), ["1"])
    }

    func testSuspendedDirectSettlementIsAFinding() {
        let c = claim("S3", adm: day, lines: [line("1", "110200001", price: 10, at: day)])
        let change = SanctionChange.reading(changeId: "p1", subjectKind: "insured_person", subjectId: Fixture.man.id, change: "suspension",
                                            after: "suspended", caseId: "CASE-P", effectiveFrom: "2026-06-01", effectiveUntil: "2026-12-01",
                                            measures: nil)!
        let findings = engine([change]).evaluate(c, history: nil)
        XCTAssertEqual(findings.map(\.ruleID), ["R-SANCTION-SETTLEMENT"])
        XCTAssertTrue(findings[0].explanation.contains("CASE-P") && findings[0].explanation.contains("手工报销"), findings[0].explanation)
    }

    func testNoSanctionsNoFindingsAndTheEngineKeepsThemAcrossRules() {
        let c = claim("S4", adm: day, lines: [line("1", "110200001", price: 10, at: day)])
        XCTAssertEqual(Fixture.engine.evaluate(c, history: nil), [])
        XCTAssertTrue(Fixture.engine.sanctions.isEmpty)
    }
}

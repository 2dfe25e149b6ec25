import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// P23 虚假处方: each sentence of the KB README's reading at both sides of its threshold.
final class FakePrescriptionTests: XCTestCase {
    let amoxicillin = "XJ01CA04A00101010140000"  // rx_only 1
    let paracetamol = "XN02BE01A00901015741048"  // rx_only 0
    let doctor = Fixture.doctor2                 // D430100000010, a doctor of level2
    let saleTime = "2026-09-10 15:00:00"

    func sale(_ id: String = "RX", code: String? = nil, prescriber: String?, person: Person = Fixture.man) -> Claim {
        var l = drug("1", code ?? amoxicillin, at: saleTime, serial: 40)
        l.prescriber = prescriber
        return claim(id, person: person, at: Fixture.pharmacy, kind: .pharmacy, adm: saleTime, lines: [l])
    }

    func visit(_ id: String, at time: String, dscg: String? = nil, kind: EncounterKind = .outpatient, by doctor: String? = nil,
               institution: String = Fixture.level2, person: Person = Fixture.man) -> Claim {
        claim(id, person: person, at: institution, kind: kind, adm: time, dscg: dscg, doctor: doctor ?? self.doctor,
              lines: [line("1", "110200001", price: 10, at: time)])
    }

    func p23(_ c: Claim, _ earlier: [Claim], engine: RuleEngine = Fixture.engine) -> [Finding] {
        engine.evaluate(c, history: InMemoryHistory(earlier)).filter { $0.pattern == "P23" }
    }

    func testAVisitOnTheSaleDayOrUpToThreeCalendarDaysBeforeStands() {
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: "2026-09-07 00:00:00")]), [])
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: "2026-09-10 14:59:59")]), [])
        // Four calendar days before, even one second before midnight of the third, is too early.
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: "2026-09-06 23:59:59")]).count, 1)
    }

    func testAVisitAfterTheSaleMomentDoesNotCountEvenOnTheSameDay() {
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: saleTime)]), [])
        let found = p23(sale(prescriber: doctor), [visit("V", at: "2026-09-10 15:00:01")])
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.relatedClaimIDs, ["V"])
        XCTAssertTrue(found.first?.explanation.contains("晚于购药时刻") == true, found.first?.explanation ?? "")
    }

    func testAStayThatEndedWithinTheWindowOrLaterStands() {
        let stay = { (dscg: String) in self.visit("S", at: "2026-08-20 10:00:00", dscg: dscg, kind: .inpatient) }
        XCTAssertEqual(p23(sale(prescriber: doctor), [stay("2026-09-07 10:00:00")]), [])
        XCTAssertEqual(p23(sale(prescriber: doctor), [stay("2026-09-12 10:00:00")]), [])
        XCTAssertEqual(p23(sale(prescriber: doctor), [stay("2026-09-06 10:00:00")]).count, 1)
        // A stay that began after the sale's moment does not count.
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("S", at: "2026-09-10 16:00:00", dscg: "2026-09-12 10:00:00", kind: .inpatient)]).count, 1)
    }

    func testPrescriberMustBeARegisteredDoctorWhoSawThisPerson() {
        let seen = [visit("V", at: "2026-09-09 09:00:00")]
        XCTAssertEqual(p23(sale(prescriber: nil), seen).count, 1)
        XCTAssertEqual(p23(sale(prescriber: "D999999999999"), seen).count, 1)
        XCTAssertEqual(p23(sale(prescriber: "Y430100000016"), [visit("V", at: "2026-09-09 09:00:00", by: "Y430100000016")]).count, 1)
        // Another doctor saw the person.
        XCTAssertEqual(p23(sale(prescriber: Fixture.doctor1), seen).count, 1)
        // The doctor saw another person.
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: "2026-09-09 09:00:00", person: Fixture.woman)]).count, 1)
        // A pharmacy encounter is no visit.
        XCTAssertEqual(p23(sale(prescriber: doctor), [claim("P", at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-09 09:00:00",
                                                             doctor: doctor)]).count, 1)
    }

    func testAnyInstitutionInAnyRegionCounts() {
        XCTAssertEqual(p23(sale(prescriber: "D650100000041"), [visit("V", at: "2026-09-09 09:00:00", by: "D650100000041",
                                                                    institution: Fixture.otherCity)]), [])
    }

    func testOverTheCounterNeedsNoPrescription() {
        XCTAssertEqual(p23(sale(code: paracetamol, prescriber: nil), []), [])
        XCTAssertEqual(p23(sale(prescriber: nil), []).count, 1)
    }

    func testOnlySettlementsAreHistory() {
        var check = visit("V", at: "2026-09-09 09:00:00")
        check.settlementID = nil
        XCTAssertEqual(p23(sale(prescriber: doctor), [check]).count, 1)
    }

    func testOnlyPharmacySales() {
        var l = drug("1", amoxicillin, at: saleTime)
        l.prescriber = nil
        XCTAssertEqual(p23(claim("O", adm: saleTime, lines: [l]), []), [])
    }

    func testFindingExplainsAmountDoctorAndLaw() throws {
        let finding = try XCTUnwrap(p23(sale(prescriber: doctor), []).first)
        XCTAssertEqual(finding.amount, 12.8)
        XCTAssertEqual(finding.evidenceRxIDs, ["1"])
        for part in ["阿莫西林胶囊", "胡艳", "2026-09-07", "12.8元", "第四十条", "R-P23-001第1版"] {
            XCTAssertTrue(finding.explanation.contains(part), "\(part) missing: \(finding.explanation)")
        }
    }

    func testWindowIsData() throws {
        var rules = RuleSet.defaults
        let i = rules.rules.firstIndex { $0.pattern == "P23" }!
        rules.rules[i].parameters["windowDays"] = .int(5)
        try rules.validate()
        let engine = RuleEngine(knowledgeBase: Fixture.kb, rules: rules)
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: "2026-09-05 09:00:00")], engine: engine), [])
        XCTAssertEqual(p23(sale(prescriber: doctor), [visit("V", at: "2026-09-04 09:00:00")], engine: engine).count, 1)
        XCTAssertEqual(rules.historyWindowDays, RuleSet.defaults.historyWindowDays)
        rules.rules[i].parameters["windowDays"] = .int(200)
        XCTAssertEqual(rules.historyWindowDays, 201)
    }

    func testHistoryWindowDaysFollowsTheRules() {
        XCTAssertEqual(RuleSet.defaults.historyWindowDays, 91)  // P17's 90 days, plus a calendar day
        var rules = RuleSet.defaults
        rules.rules[rules.rules.firstIndex { $0.pattern == "P17" }!].enabled = false
        XCTAssertEqual(rules.historyWindowDays, 31)  // then P14's 30
    }
}

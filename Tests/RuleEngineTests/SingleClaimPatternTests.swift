import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// P01-P12 and P21: one claim suffices.
final class SingleClaimPatternTests: XCTestCase {
    let day = "2026-09-03 09:00:00"
    let estradiol = "XG03CA03A00701020641965"     // 戊酸雌二醇, F, >= 12 years
    let ibuprofen = "XM01AE01A00101029043537"     // 布洛芬, >= 12 years
    let cetirizine = "XR06AE07A00601026243013"    // 西替利嗪滴剂, 0-6 years
    let atorvastatin = "XC10AA05A00601013640655"  // 0.15 per day, 30 days
    let clopidogrel = "XB01AC04A00201017141310"   // indications I20;I21;I25;I63;I70
    let bicalutamide = "XL02BB03A00601019941834"  // level 2, M, C61
    let amoxicillin = "XJ01CA04A00101010140000"   // trace prefix 8100000

    func testBaseOutpatientClaimIsClean() {
        let c = claim("C0", adm: day, lines: [line("1", "110200001", price: 10, at: day), drug("2", amoxicillin, cnt: 3, at: day)])
        XCTAssertEqual(Fixture.engine.evaluate(c, history: InMemoryHistory()), [])
    }

    func testP01SexUsesRegistry() {
        XCTAssertTrue(review(claim("C1", person: Fixture.man, adm: day, lines: [drug("1", estradiol, at: day)])).contains("P01"))
        XCTAssertFalse(review(claim("C2", person: Fixture.woman, adm: day, lines: [drug("1", estradiol, at: day)])).contains("P01"))
        XCTAssertTrue(review(claim("C3", person: Fixture.man, adm: day, dx: ["N92.0"])).contains("P01"), "diagnosis limited to women")
        // The claim says female, the registry says male: P01 still by the registry, plus P21.
        var lying = claim("C4", person: Fixture.man, adm: day, lines: [drug("1", estradiol, at: day)])
        lying.claimedSex = .female
        XCTAssertEqual(review(lying), ["P01", "P21"])
        let finding = Fixture.engine.evaluate(claim("C5", adm: day, lines: [drug("1", estradiol, at: day)]), history: nil)[0]
        XCTAssertTrue(finding.explanation.contains("戊酸雌二醇"), finding.explanation)
    }

    func testP02AgeLimitsAreInclusive() {
        let kid = Fixture.child
        let birthday12 = CivilDate(year: kid.birthDate.year + 12, month: kid.birthDate.month, day: kid.birthDate.day)!
        let before = "\(birthday12.adding(days: -1)) 10:00:00", on = "\(birthday12) 10:00:00"
        XCTAssertTrue(review(claim("A1", person: kid, adm: before, lines: [drug("1", ibuprofen, at: before)])).contains("P02"))
        XCTAssertFalse(review(claim("A2", person: kid, adm: on, lines: [drug("1", ibuprofen, at: on)])).contains("P02"))
        // Max 6 years: allowed on the day before the 7th birthday, not on it.
        let b7 = CivilDate(year: kid.birthDate.year + 7, month: kid.birthDate.month, day: kid.birthDate.day)!
        let eve = "\(b7.adding(days: -1)) 10:00:00", seventh = "\(b7) 10:00:00"
        XCTAssertFalse(review(claim("A3", person: kid, adm: eve, lines: [drug("1", cetirizine, at: eve)])).contains("P02"))
        XCTAssertTrue(review(claim("A4", person: kid, adm: seventh, lines: [drug("1", cetirizine, at: seventh)])).contains("P02"))
        // Services by days since birth: 新生儿蓝光治疗 0-28 days.
        let newborn = Fixture.person { $0.birthDate.year == 2026 }
        let d28 = "\(newborn.birthDate.adding(days: 28)) 10:00:00", d29 = "\(newborn.birthDate.adding(days: 29)) 10:00:00"
        func phototherapy(_ id: String, _ at: String) -> Claim {
            claim(id, person: newborn, kind: .inpatient, adm: at, dscg: at, dx: ["P59.9"], lines: [line("1", "311201003", price: 10, at: at)])
        }
        XCTAssertFalse(review(phototherapy("A5", d28)).contains("P02"))
        XCTAssertTrue(review(phototherapy("A6", d29)).contains("P02"))
    }

    func testP03PriceCapByLevel() {
        XCTAssertFalse(review(claim("B1", adm: day, lines: [line("1", "110200001", price: 10, at: day)])).contains("P03"))
        let over = Fixture.engine.evaluate(claim("B2", adm: day, lines: [line("1", "120400001", cnt: 3, price: Decimal(string: "4.01")!, at: day)]), history: nil)
        XCTAssertEqual(patterns(over), ["P03"])
        XCTAssertEqual(over[0].amount, Decimal(string: "0.03"))
        XCTAssertFalse(review(claim("B3", at: Fixture.level3, adm: day, lines: [line("1", "110200001", price: 12, at: day)])).contains("P03"))
    }

    func testP04PerDayLimits() {
        XCTAssertFalse(review(claim("D1", adm: day, lines: [line("1", "120400001", cnt: 6, price: 4, at: day)])).contains("P04"))
        XCTAssertTrue(review(claim("D2", adm: day, lines: [line("1", "120400001", cnt: 4, price: 4, at: day),
                                                           line("2", "120400001", cnt: 3, price: 4, at: "2026-09-03 18:00:00")])).contains("P04"))
        XCTAssertFalse(review(claim("D3", adm: day, lines: [line("1", "120400001", cnt: 4, price: 4, at: day),
                                                            line("2", "120400001", cnt: 3, price: 4, at: "2026-09-04 08:00:00")])).contains("P04"))
        // Per-stay-day lines count once on each of their days: overlapping bed-day lines collide.
        func stay(_ id: String, _ second: String) -> Claim {
            claim(id, kind: .inpatient, adm: "2026-09-01 10:00:00", dscg: "2026-09-06 10:00:00",
                  lines: [line("1", "120100001", cnt: 3, price: 30, at: "2026-09-01 10:00:00"),
                          line("2", "120100001", cnt: 2, price: 30, at: second)])
        }
        XCTAssertTrue(review(stay("D4", "2026-09-03 10:00:00")).contains("P04"))
        XCTAssertFalse(review(stay("D5", "2026-09-04 10:00:00")).contains("P04"))
    }

    func testP05PackageAndComponentSameDay() {
        let pkg = line("1", "250305000", price: 50, at: day)
        XCTAssertTrue(review(claim("E1", adm: day, lines: [pkg, line("2", "250305001", price: 7, at: day)])).contains("P05"))
        XCTAssertFalse(review(claim("E2", adm: day, lines: [pkg, line("2", "250305001", price: 7, at: "2026-09-04 09:00:00")])).contains("P05"))
        XCTAssertFalse(review(claim("E3", adm: day, lines: [pkg, line("2", "250310001", price: 9, at: day)])).contains("P05"))
    }

    func testP06ExactMaximumIsAllowed() {
        // 4.5 packs at 0.15 per day is exactly 30 days.
        let exact = line("1", atorvastatin, .drug, cnt: Decimal(string: "4.5")!, price: 8, at: day)
        XCTAssertFalse(review(claim("F1", adm: day, lines: [exact])).contains("P06"))
        let over = line("1", atorvastatin, .drug, cnt: Decimal(string: "4.51")!, price: 8, at: day)
        XCTAssertTrue(review(claim("F2", adm: day, lines: [over])).contains("P06"))
        XCTAssertTrue(review(claim("F3", kind: .pharmacy, adm: day, lines: [over])).contains("P06"), "pharmacy supply counts")
        XCTAssertTrue(review(claim("F4", at: Fixture.pharmacy, kind: .pharmacy, adm: day, lines: [drug("1", atorvastatin, cnt: 5, at: day)])).contains("P06"))
        XCTAssertFalse(review(claim("F5", kind: .inpatient, adm: day, lines: [drug("1", atorvastatin, cnt: 5, at: day)])).contains("P06"))
    }

    func testP07Indications() {
        XCTAssertFalse(review(claim("G1", adm: day, dx: ["I25.1"], lines: [drug("1", clopidogrel, at: day)])).contains("P07"))
        XCTAssertTrue(review(claim("G2", adm: day, dx: ["I10"], lines: [drug("1", clopidogrel, at: day)])).contains("P07"))
        XCTAssertFalse(review(claim("G3", adm: day, dx: ["I10", "I63.9"], lines: [drug("1", clopidogrel, at: day)])).contains("P07"))
    }

    func testP08InstitutionLevel() {
        let ct = line("1", "210300001", price: 140, at: day)
        XCTAssertEqual(review(claim("H1", at: Fixture.level1, adm: day, lines: [ct])), ["P08"], "a cap of 0 is a level violation, not P03")
        XCTAssertFalse(review(claim("H2", at: Fixture.level2, adm: day, lines: [ct])).contains("P08"))
        let bica = drug("1", bicalutamide, at: day)
        XCTAssertTrue(review(claim("H3", at: Fixture.pharmacy, kind: .pharmacy, adm: day, dx: ["C61"], lines: [bica])).contains("P08"))
        XCTAssertFalse(review(claim("H4", at: Fixture.level2, adm: day, dx: ["C61"], lines: [bica])).contains("P08"))
    }

    func testP09StayDays() {
        func stay(_ id: String, beds: Decimal, feeAt: String = "2026-09-02 10:00:00", adm: String = "2026-09-01 10:00:00",
                  dscg: String = "2026-09-05 09:00:00") -> Claim {
            claim(id, kind: .inpatient, adm: adm, dscg: dscg,
                  lines: [line("1", "120100001", cnt: beds, price: 30, at: adm), line("2", "120400006", price: 8, at: feeAt)])
        }
        XCTAssertFalse(review(stay("I1", beds: 4)).contains("P09"), "4 calendar days")
        XCTAssertTrue(review(stay("I2", beds: 5)).contains("P09"))
        XCTAssertFalse(review(stay("I3", beds: 4, feeAt: "2026-09-05 09:00:00")).contains("P09"), "at discharge is inside")
        XCTAssertTrue(review(stay("I4", beds: 4, feeAt: "2026-09-05 09:00:01")).contains("P09"))
        XCTAssertFalse(review(stay("I5", beds: 1, feeAt: "2026-09-01 12:00:00", adm: "2026-09-01 10:00:00", dscg: "2026-09-01 18:00:00")).contains("P09"),
                       "a same-day stay has at least 1 day")
    }

    func testP10InpatientOnly() {
        let consult = line("1", "110200005", price: 12, at: day)
        XCTAssertTrue(review(claim("J1", adm: day, lines: [consult])).contains("P10"))
        XCTAssertFalse(review(claim("J2", kind: .inpatient, adm: day, dscg: "2026-09-04 09:00:00", lines: [consult])).contains("P10"))
    }

    func testP11ExclusiveItemsNameTheDay() {
        func nursing(_ id: String, secondFrom: String) -> Claim {
            claim(id, kind: .inpatient, adm: "2026-09-01 10:00:00", dscg: "2026-09-08 10:00:00",
                  lines: [line("1", "120200002", cnt: 3, price: 24, at: "2026-09-01 10:00:00"),
                          line("2", "120200003", cnt: 2, price: 13, at: secondFrom)]
                      // An injection every full day: cared for, so no P22.
                      + (2...7).map { line("c\($0)", "120400001", price: 4, at: "2026-09-0\($0) 11:00:00") })
        }
        let findings = Fixture.engine.evaluate(nursing("K1", secondFrom: "2026-09-03 10:00:00"), history: nil)
        XCTAssertEqual(patterns(findings), ["P11"])
        XCTAssertTrue(findings[0].explanation.contains("一级护理与二级护理在2026-09-03同日收费"), findings[0].explanation)
        XCTAssertEqual(findings[0].amount, 13)
        XCTAssertFalse(review(nursing("K2", secondFrom: "2026-09-04 10:00:00")).contains("P11"))
    }

    func testP12TraceCodeOfAnotherDrug() {
        XCTAssertFalse(review(claim("L1", adm: day, lines: [drug("1", amoxicillin, at: day)])).contains("P12"))
        let switched = line("1", amoxicillin, .drug, price: 12, at: day, trace: ["81000370000000000001"])
        XCTAssertTrue(review(claim("L2", adm: day, lines: [switched])).contains("P12"))
    }

    func testP21IdentityAgainstRegistry() {
        var c = claim("M1", adm: day)
        XCTAssertFalse(review(c).contains("P21"))
        c.claimedBirthDate = c.claimedBirthDate.adding(days: 1)
        XCTAssertEqual(review(c), ["P21"])
        var s = claim("M2", adm: day)
        s.claimedSex = nil
        XCTAssertEqual(review(s), ["P21"])
    }
}

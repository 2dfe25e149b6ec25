import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// P13-P20: patterns completed by another claim; the finding lands on the claim evaluated last.
final class HistoryPatternTests: XCTestCase {
    let amoxicillin = "XJ01CA04A00101010140000"
    let atorvastatin = "XC10AA05A00601013640655"  // 0.15 per day, max 30 days

    func testHistoryPatternsNeedHistory() {
        let dead = Fixture.dead
        let c = claim("N0", person: dead, adm: "\(dead.deathDate!.adding(days: 3)) 09:00:00")
        XCTAssertFalse(review(c, history: nil).contains("P16"))
        XCTAssertTrue(review(c, history: InMemoryHistory()).contains("P16"))
    }

    func testP13TraceCodeSoldTwiceAcrossPersons() {
        let first = claim("T1", person: Fixture.man, adm: "2026-09-01 09:00:00", lines: [drug("1", amoxicillin, at: "2026-09-01 09:00:00", serial: 7)])
        let second = claim("T2", person: Fixture.woman, at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-02 09:00:00",
                           lines: [drug("1", amoxicillin, at: "2026-09-02 09:00:00", serial: 7)])
        XCTAssertEqual(stream([first, second]).map { $0.contains("P13") }, [false, true])
        // Out of order: whichever is evaluated later is flagged.
        XCTAssertEqual(stream([second, first]).map { $0.contains("P13") }, [false, true])
        // A retried settlement is the same claim, not a reuse.
        XCTAssertEqual(stream([first, first]).map { $0.contains("P13") }, [false, false])
        let findings = Fixture.engine.evaluate(second, history: InMemoryHistory([first]))
        XCTAssertEqual(findings.first { $0.pattern == "P13" }?.relatedClaimIDs, ["T1"])
    }

    func testP14ExactlyTwiceTheSupplyIsAllowed() {
        func purchase(_ id: String, _ at: String, _ cnt: String, institution: String = Fixture.pharmacy) -> Claim {
            claim(id, at: institution, kind: .pharmacy, adm: at,
                  lines: [line("1", atorvastatin, .drug, cnt: Decimal(string: cnt)!, price: 8, at: at)])
        }
        // 4.5 + 4.5 packs at 0.15 per day = exactly 60 days = 2 × 30.
        XCTAssertEqual(stream([purchase("P1", "2026-09-01 09:00:00", "4.5"), purchase("P2", "2026-09-20 09:00:00", "4.5", institution: Fixture.level2)])
            .map { $0.contains("P14") }, [false, false])
        XCTAssertEqual(stream([purchase("P1", "2026-09-01 09:00:00", "4.5"), purchase("P2", "2026-09-20 09:00:00", "4.51")])
            .map { $0.contains("P14") }, [false, true])
        // Three purchases within exactly 30 days exceed; 30 days and a second do not.
        let three = [purchase("P1", "2026-09-01 09:00:00", "4"), purchase("P2", "2026-09-15 09:00:00", "4"), purchase("P3", "2026-10-01 09:00:00", "4")]
        XCTAssertEqual(stream(three).map { $0.contains("P14") }, [false, false, true])
        let spread = [purchase("P1", "2026-09-01 09:00:00", "4"), purchase("P2", "2026-09-15 09:00:00", "4"), purchase("P3", "2026-10-01 09:00:01", "4")]
        XCTAssertEqual(stream(spread).map { $0.contains("P14") }, [false, false, false])
        // Late arrival of the middle purchase completes the pattern.
        XCTAssertEqual(stream([three[0], three[2], three[1]]).map { $0.contains("P14") }, [false, false, true])
    }

    func testP15ConcurrentCare() {
        let changsha = claim("Q1", at: Fixture.level2, adm: "2026-09-01 08:00:00", dscg: "2026-09-01 09:00:00")
        let urumqiAt6h = claim("Q2", at: Fixture.otherCity, adm: "2026-09-01 15:00:00")
        let urumqiLater = claim("Q3", at: Fixture.otherCity, adm: "2026-09-01 15:00:01")
        XCTAssertEqual(stream([changsha, urumqiAt6h]).map { $0.contains("P15") }, [false, true])
        XCTAssertEqual(stream([changsha, urumqiLater]).map { $0.contains("P15") }, [false, false])
        XCTAssertEqual(stream([urumqiAt6h, changsha]).map { $0.contains("P15") }, [false, true], "late claim completes it")
        let sameCity = claim("Q4", at: Fixture.level3, adm: "2026-09-01 10:00:00")
        XCTAssertEqual(stream([changsha, sameCity]).map { $0.contains("P15") }, [false, false])
        // An outpatient visit elsewhere during a stay, settled before the stay: the stay completes it.
        let visit = claim("Q5", at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-03 10:00:00")
        let stay = claim("Q6", at: Fixture.level3, kind: .inpatient, adm: "2026-09-02 10:00:00", dscg: "2026-09-06 10:00:00")
        XCTAssertEqual(stream([visit, stay]).map { $0.contains("P15") }, [false, true])
        let afterStay = claim("Q7", at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-06 10:00:01")
        XCTAssertEqual(stream([stay, afterStay]).map { $0.contains("P15") }, [false, false])
    }

    func testP16AfterDeathButNotTheDayOfAnInHospitalDeath() {
        let dead = Fixture.dead, death = dead.deathDate!
        let history = InMemoryHistory()
        XCTAssertTrue(review(claim("R1", person: dead, adm: "\(death) 08:00:00"), history: history).contains("P16"))
        XCTAssertFalse(review(claim("R2", person: dead, adm: "\(death.adding(days: -1)) 08:00:00"), history: history).contains("P16"))
        let dyingStay = claim("R3", person: dead, at: Fixture.level3, kind: .inpatient, adm: "\(death.adding(days: -4)) 08:00:00",
                              dscg: "\(death) 20:00:00", lines: [line("1", "120400006", price: 10, at: "\(death) 12:00:00")])
        XCTAssertFalse(review(dyingStay, history: history).contains("P16"))
        var lateFee = dyingStay
        lateFee.lines.append(line("2", "120400006", price: 10, at: "\(death.adding(days: 1)) 09:00:00"))
        XCTAssertTrue(review(lateFee, history: history).contains("P16"))
    }

    func testP17ThreeAdmissionsWithinNinetyDays() {
        func stay(_ id: String, _ adm: String, _ dscg: String, at: String = Fixture.level2, dx: String = "J18.9") -> Claim {
            claim(id, at: at, kind: .inpatient, adm: adm, dscg: dscg, dx: [dx])
        }
        let a = stay("S1", "2026-06-01 10:00:00", "2026-06-05 10:00:00")
        let b = stay("S2", "2026-07-10 10:00:00", "2026-07-12 10:00:00", at: Fixture.level3)
        let c = stay("S3", "2026-08-30 10:00:00", "2026-09-02 10:00:00", dx: "K35.8")   // exactly 90 days after S1
        XCTAssertEqual(stream([a, b, c]).map { $0.contains("P17") }, [false, false, true])
        let late = stay("S4", "2026-08-30 10:00:01", "2026-09-02 10:00:00", dx: "K35.8")
        XCTAssertEqual(stream([a, b, late]).map { $0.contains("P17") }, [false, false, false])
        XCTAssertEqual(stream([a, c, b]).map { $0.contains("P17") }, [false, false, true], "late middle stay completes it")
        let finding = Fixture.engine.evaluate(c, history: InMemoryHistory([a, b])).first { $0.pattern == "P17" }!
        XCTAssertEqual(finding.relatedClaimIDs, ["S1", "S2"])
    }

    func testP18SplitAdmissionWithinFifteenDays() {
        let first = claim("U1", kind: .inpatient, adm: "2026-09-01 10:00:00", dscg: "2026-09-05 10:00:00", dx: ["J18.9"])
        func readmit(_ id: String, _ date: String, dx: String = "J18.0", at: String = Fixture.level2) -> Claim {
            claim(id, at: at, kind: .inpatient, adm: "\(date) 23:00:00", dscg: "2026-09-30 10:00:00", dx: [dx])
        }
        XCTAssertEqual(stream([first, readmit("U2", "2026-09-20")]).map { $0.contains("P18") }, [false, true], "15 days")
        XCTAssertEqual(stream([first, readmit("U3", "2026-09-21")]).map { $0.contains("P18") }, [false, false], "16 days")
        XCTAssertEqual(stream([first, readmit("U4", "2026-09-10", dx: "J45.9")]).map { $0.contains("P18") }, [false, false])
        XCTAssertEqual(stream([first, readmit("U5", "2026-09-10", at: Fixture.level3)]).map { $0.contains("P18") }, [false, false])
        XCTAssertEqual(stream([readmit("U6", "2026-09-10"), first]).map { $0.contains("P18") }, [false, true], "late earlier stay")
    }

    func testP19DoctorCapacity() {
        let doctor = Fixture.kb.practitioners[Fixture.doctor2]!
        let capacity = doctor.dailyOutpatientCapacity!
        let persons = Fixture.kb.persons.values.filter { $0.deathDate == nil && $0.birthDate.year < 2000 }.sorted { $0.id < $1.id }
        var history = InMemoryHistory()
        for i in 0..<(capacity - 1) {
            history.add(claim("V\(i)", person: persons[i], adm: "2026-09-03 08:\(String(format: "%02d", i % 60)):00", doctor: doctor.code))
        }
        let atCapacity = claim("Vcap", person: persons[capacity], adm: "2026-09-03 17:00:00", doctor: doctor.code)
        XCTAssertFalse(review(atCapacity, history: history).contains("P19"))
        history.add(atCapacity)
        let over = claim("Vover", person: persons[capacity + 1], adm: "2026-09-03 17:30:00", doctor: doctor.code)
        XCTAssertTrue(review(over, history: history).contains("P19"))
        let nextDay = claim("Vnext", person: persons[capacity + 1], adm: "2026-09-04 08:00:00", doctor: doctor.code)
        XCTAssertFalse(review(nextDay, history: history).contains("P19"))
    }

    func testP19BedsHalfOpenStays() {
        let beds = Fixture.kb.institutions[Fixture.level1]!.beds
        let persons = Fixture.kb.persons.values.filter { $0.deathDate == nil && $0.birthDate.year < 2000 }.sorted { $0.id < $1.id }
        var history = InMemoryHistory()
        for i in 0..<(beds - 1) {
            history.add(claim("W\(i)", person: persons[i], at: Fixture.level1, kind: .inpatient,
                              adm: "2026-09-01 10:00:00", dscg: "2026-09-05 10:00:00", dx: ["J18.9"]))
        }
        let last = claim("Wlast", person: persons[beds], at: Fixture.level1, kind: .inpatient, adm: "2026-09-02 10:00:00", dscg: "2026-09-06 10:00:00")
        XCTAssertFalse(review(last, history: history).contains("P19"), "exactly the beds")
        history.add(last)
        let over = claim("Wover", person: persons[beds + 1], at: Fixture.level1, kind: .inpatient, adm: "2026-09-04 10:00:00", dscg: "2026-09-06 10:00:00")
        XCTAssertTrue(review(over, history: history).contains("P19"))
        let touching = claim("Wtouch", person: persons[beds + 1], at: Fixture.level1, kind: .inpatient, adm: "2026-09-05 10:00:00", dscg: "2026-09-07 10:00:00")
        XCTAssertFalse(review(touching, history: history).contains("P19"), "admitted when the others are discharged")
    }

    func testP20EightVisitsWithinSevenDays() {
        func visits(lastAt: String) -> [Claim] {
            (0..<7).map { claim("X\($0)", at: $0 % 2 == 0 ? Fixture.level2 : Fixture.pharmacy, kind: $0 % 2 == 0 ? .outpatient : .pharmacy,
                                adm: "2026-09-0\($0 + 1) 09:00:00") } + [claim("X7", adm: lastAt)]
        }
        XCTAssertEqual(stream(visits(lastAt: "2026-09-08 09:00:00")).map { $0.contains("P20") }, Array(repeating: false, count: 7) + [true])
        XCTAssertEqual(stream(visits(lastAt: "2026-09-08 09:00:01")).map { $0.contains("P20") }, Array(repeating: false, count: 8))
    }
}

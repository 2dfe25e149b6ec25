import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// P22 虚假住院（挂床住院）: each sentence of the KB README's reading at both sides of its threshold.
final class FakeAdmissionTests: XCTestCase {
    let bed = "120100001", nursing = "120200003", injection = "120400001"  // per-stay-day, per-stay-day, per_stay_day 0
    let amoxicillin = "XJ01CA04A00101010140000"

    /// A stay at a level-2 hospital from `adm` to `dscg` (both "09-dd"), bed and nursing billed for its
    /// days from admission, plus `care` lines.
    func stay(_ adm: String, _ dscg: String, care: [FeeLine] = [], id: String = "S1") -> Claim {
        let days = Decimal(CivilDate("2026-\(adm)")!.days(to: CivilDate("2026-\(dscg)")!))
        return claim(id, kind: .inpatient, adm: "2026-\(adm) 10:00:00", dscg: "2026-\(dscg) 10:00:00",
                     lines: [line("b", bed, cnt: days, price: 30, at: "2026-\(adm) 10:00:00"),
                             line("n", nursing, cnt: days, price: 13, at: "2026-\(adm) 10:00:00")] + care)
    }

    func care(_ rx: String, on day: String) -> FeeLine { drug(rx, amoxicillin, at: "2026-\(day) 09:00:00") }

    func p22(_ c: Claim, engine: RuleEngine = Fixture.engine) -> [Finding] {
        engine.evaluate(c, history: nil).filter { $0.pattern == "P22" }
    }

    func testThreeConsecutiveIdleFullDaysIsP22AndTwoIsAllowed() {
        // Full days 02-05; care on 02 leaves 03, 04, 05 idle.
        let three = p22(stay("09-01", "09-06", care: [care("c1", on: "09-02")]))
        XCTAssertEqual(three.count, 1)
        XCTAssertEqual(three.first?.detailKey, "idle:2026-09-03")
        // Care on 02 and 05 leaves 03, 04: two idle days are allowed.
        XCTAssertEqual(p22(stay("09-01", "09-06", care: [care("c1", on: "09-02"), care("c2", on: "09-05")])), [])
    }

    func testFullDaysAreStrictlyBetweenAdmissionAndDischargeDays() {
        // 09-01 → 09-04 has two full days (02, 03): cannot be P22 even with no care at all.
        XCTAssertEqual(p22(stay("09-01", "09-04")), [])
        // 09-01 → 09-05 has three (02, 03, 04): P22 naming the first and last idle day.
        let found = p22(stay("09-01", "09-05"))
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].explanation.contains("2026-09-02至2026-09-04连续3个整日"), found[0].explanation)
        // Care on the admission and discharge days does not make a full day cared for.
        XCTAssertEqual(p22(stay("09-01", "09-05", care: [care("c1", on: "09-01"), care("c2", on: "09-05")])).count, 1)
    }

    func testCareIsADrugAConsumableOrANonPerStayDayService() {
        let consumable = line("m", "C999", .consumable, price: 5, at: "2026-09-03 11:00:00")
        let service = line("s", injection, price: 4, at: "2026-09-03 11:00:00")
        let perStay = line("x", nursing, price: 13, at: "2026-09-03 11:00:00")
        XCTAssertEqual(p22(stay("09-01", "09-05", care: [consumable])), [])
        XCTAssertEqual(p22(stay("09-01", "09-05", care: [service])), [])
        XCTAssertEqual(p22(stay("09-01", "09-05", care: [care("c", on: "09-03")])), [])
        // A per-stay-day line dated on a full day is no care.
        XCTAssertEqual(p22(stay("09-01", "09-05", care: [perStay])).count, 1)
    }

    func testARefundedDrugIsNoCare() {
        var refund = drug("r", amoxicillin, at: "2026-09-03 09:00:00")
        refund.count = -1
        refund.amount = -refund.amount
        refund.traceCodes = []
        XCTAssertEqual(p22(stay("09-01", "09-05", care: [care("c", on: "09-03"), refund])).count, 1)
    }

    func testAmountIsThePerStayDayItemsOverTheIdleDaysAndEvidenceNamesThem() {
        // Idle 03-05: 3 × (30 bed + 13 nursing) = 129.
        let finding = p22(stay("09-01", "09-06", care: [care("c1", on: "09-02")]))[0]
        XCTAssertEqual(finding.amount, 129)
        XCTAssertEqual(finding.lines.map(\.rxID), ["b", "n"])
        XCTAssertEqual(finding.lines.map(\.amount), [90, 39])
        XCTAssertTrue(finding.explanation.contains("普通病房床位费"), finding.explanation)
        XCTAssertTrue(finding.explanation.contains("129"), finding.explanation)
        XCTAssertTrue(finding.explanation.contains("第三十八条第（一）项"), finding.explanation)
        XCTAssertTrue(finding.explanation.contains("R-P22-001第1版"), finding.explanation)
    }

    func testTwoSeparateIdleRunsAreTwoFindings() {
        // Full days 02-09; care on 05 splits 02-04 and 06-09.
        XCTAssertEqual(p22(stay("09-01", "09-10", care: [care("c", on: "09-05")])).map(\.detailKey), ["idle:2026-09-02", "idle:2026-09-06"])
    }

    func testOnlyInpatientEncounters() {
        let outpatient = claim("O1", adm: "2026-09-01 09:00:00", dscg: "2026-09-06 09:00:00",
                               lines: [line("1", injection, price: 4, at: "2026-09-01 09:00:00")])
        XCTAssertEqual(p22(outpatient), [])
    }

    func testThresholdIsData() throws {
        var rules = RuleSet.defaults
        let i = rules.rules.firstIndex { $0.pattern == "P22" }!
        rules.rules[i].parameters["minIdleDays"] = .int(4)
        rules.rules[i].version = 2
        rules.version = 2
        try rules.validate()
        let engine = RuleEngine(knowledgeBase: Fixture.kb, rules: rules)
        XCTAssertEqual(p22(stay("09-01", "09-05"), engine: engine), [])
        XCTAssertEqual(p22(stay("09-01", "09-06"), engine: engine).count, 1)
        rules.rules[i].parameters["minIdleDays"] = .int(0)
        XCTAssertThrowsError(try rules.validate())
    }
}

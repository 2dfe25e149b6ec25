import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// Findings: deterministic ids, unknown codes, the national output shape, mapping from 3102.
final class FindingTests: XCTestCase {
    let day = "2026-09-03 09:00:00"

    func testIdsAreDeterministic() {
        let c = claim("AA1", adm: day, lines: [line("1", "120400001", cnt: 7, price: 5, at: day)])
        let a = Fixture.engine.evaluate(c, history: InMemoryHistory()), b = Fixture.engine.evaluate(c, history: InMemoryHistory())
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a.map(\.id), b.map(\.id))
        XCTAssertEqual(Set(a.map(\.id)).count, a.count)
        XCTAssertTrue(a.allSatisfy { $0.id.hasPrefix("JR-") && $0.id.count == 19 })
    }

    func testUnknownCodesNeverPassSilently() {
        var c = claim("AB1", adm: day, dx: ["I10", "Z99.9"], lines: [line("1", "999999999", price: 5, at: day),
                                                                  line("2", "X000", .drug, price: 1, at: day),
                                                                  line("3", "C123", .consumable, price: 3, at: day)])
        c.doctor = "D999"
        let unknown = Fixture.engine.evaluate(c, history: nil).filter { $0.pattern == Finding.unknownCodePattern }
        XCTAssertEqual(unknown.count, 5, unknown.map(\.explanation).joined(separator: "\n"))
        var stranger = claim("AB2", adm: day)
        stranger.personID = "00000000000000000000"
        stranger.institutionID = "H00000000000"
        XCTAssertEqual(Fixture.engine.evaluate(stranger, history: InMemoryHistory()).filter { $0.pattern == Finding.unknownCodePattern }.count, 2)
    }

    func testReviewResultShape() {
        let c = claim("AC1", adm: day, lines: [line("1", "120400001", cnt: 3, price: 5, at: day)])
        let findings = Fixture.engine.evaluate(c, history: nil)
        let results = Fixture.engine.toReviewResults(findings, taskID: "T-1")
        XCTAssertEqual(results.count, 1)
        let r = results[0]
        XCTAssertEqual(r.volaBhvrType, "P03")
        XCTAssertEqual(r.sevDeg, "1")
        XCTAssertEqual(r.ruleId, "R-P03-001")
        XCTAssertEqual(r.volaAmt, 3)
        XCTAssertEqual(r.taskId, "T-1")
        XCTAssertTrue(r.volaEvid.contains("第三十八条"))
        XCTAssertEqual(r.judgeResultDetailDtos.map(\.rxId), ["1"])
    }

    func testClaimFromNationalPayload() throws {
        let person = Fixture.man
        let order = Order(rxId: "1", hilistCode: "110200001", hilistType: "201", cnt: 1, pric: 10, sumamt: 10, feeOcurTime: day)
        var encounter = Encounter(mdtrtId: "M1", setlId: "S1", medinsId: Fixture.level2, medMdtrtType: "1", admDate: day, dscgDate: day,
                                  dscgMainDiseCodg: nil, drCodg: Fixture.doctor2, medfeeSumamt: 10,
                                  fsiDiagnoseDtos: [Diagnosis(diseCodg: "I10", maindiseFlag: "1", diseDate: "2026-09-03")], fsiOrderDtos: [order])
        let patient = Patient(patnId: person.id, gend: person.sex.gend, brdy: person.birthDate.description, fsiEncounterDtos: [encounter])
        let c = try Claim(patient: patient, encounter: encounter, claimID: "CL1")
        XCTAssertEqual(c.principalDiagnosis, "I10")
        XCTAssertEqual(c.kind, .outpatient)
        XCTAssertEqual(c.lines[0].type, .service)
        XCTAssertEqual(Fixture.engine.evaluate(c, history: InMemoryHistory()), [])
        encounter.dscgDate = "2026-09-03T09:00"
        XCTAssertThrowsError(try Claim(patient: patient, encounter: encounter, claimID: "CL1")) { error in
            XCTAssertEqual((error as? ClaimMappingError)?.field, "dscg_date")
        }
    }

    func testClaimJSONRoundTrip() throws {
        let c = claim("AD1", adm: day, lines: [drug("1", "XJ01CA04A00101010140000", cnt: 2, at: day)])
        XCTAssertEqual(try JSONDecoder().decode(Claim.self, from: JSONEncoder().encode(c)), c)
        let findings = Fixture.engine.evaluate(claim("AD2", adm: day, lines: [line("1", "120400001", cnt: 3, price: 5, at: day)]), history: nil)
        XCTAssertEqual(try JSONDecoder().decode([Finding].self, from: JSONEncoder().encode(findings)), findings)
    }
}

import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// The rule base as data: validation, JSON, versions.
final class RuleSetTests: XCTestCase {
    func testDefaultsCoverEveryPatternAndValidate() throws {
        try RuleSet.defaults.validate()
        XCTAssertEqual(RuleSet.defaults.rules.map(\.pattern), (1...23).map { String(format: "P%02d", $0) })
        XCTAssertEqual(RuleSet.defaults.rules.first { $0.pattern == "P14" }?.parameters["windowDays"], .int(30))
    }

    func testJSONRoundTrip() throws {
        let data = try JSONEncoder().encode(RuleSet.defaults)
        let decoded = try JSONDecoder().decode(RuleSet.self, from: data)
        XCTAssertEqual(decoded, RuleSet.defaults)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"decimal\":\"2\""))
    }

    private func expectRefusal(_ mutate: (inout RuleSet) -> Void, rule: String?, parameter: String?, file: StaticString = #filePath, line: UInt = #line) {
        var set = RuleSet.defaults
        mutate(&set)
        XCTAssertThrowsError(try set.validate(), file: file, line: line) { error in
            let e = error as! RuleSetError
            XCTAssertEqual(e.ruleID, rule, "\(e)", file: file, line: line)
            XCTAssertEqual(e.parameter, parameter, "\(e)", file: file, line: line)
        }
    }

    func testValidationNamesRuleAndParameter() {
        expectRefusal({ $0.rules[0].pattern = "P99" }, rule: "R-P01-001", parameter: nil)
        expectRefusal({ $0.rules[13].parameters["windowDays"] = nil }, rule: "R-P14-001", parameter: "windowDays")
        expectRefusal({ $0.rules[13].parameters["windowDays"] = .int(-1) }, rule: "R-P14-001", parameter: "windowDays")
        expectRefusal({ $0.rules[13].parameters["supplyFactor"] = .decimal(-2) }, rule: "R-P14-001", parameter: "supplyFactor")
        expectRefusal({ $0.rules[16].parameters["windowDays"] = .items(["90"]) }, rule: "R-P17-001", parameter: "windowDays")
        expectRefusal({ $0.rules[16].parameters["windowDays"] = .decimal(Decimal(string: "90.5")!) }, rule: "R-P17-001", parameter: "windowDays")
        expectRefusal({ $0.rules[2].parameters["bogus"] = .int(1) }, rule: "R-P03-001", parameter: "bogus")
        expectRefusal({ $0.rules.append($0.rules[4]) }, rule: "R-P05-001", parameter: nil)
        expectRefusal({ $0.rules[6].explanation = "{nonsense}" }, rule: "R-P07-001", parameter: nil)
        expectRefusal({ $0.rules[7].legalBasis = "" }, rule: "R-P08-001", parameter: nil)
        expectRefusal({ $0.version = 0 }, rule: nil, parameter: nil)
    }

    func testDecodingRejectsASeverityOutsideOneToThree() {
        let json = #"{"version":2,"rules":[{"id":"R","version":1,"pattern":"P03","name":"x","enabled":true,"severity":4,"legalBasis":"l","explanation":"e","parameters":{}}]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(RuleSet.self, from: Data(json.utf8)))
    }

    func testDecodingRejectsMalformedParameter() {
        let json = #"{"version":2,"rules":[{"id":"R","version":1,"pattern":"P03","name":"x","enabled":true,"severity":1,"legalBasis":"l","explanation":"e","parameters":{"exemptCodes":{"text":"a"}}}]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(RuleSet.self, from: Data(json.utf8)))
    }

    func testChangedThresholdInNewVersionChangesOutcomeAndIsRecorded() throws {
        let first = claim("Y1", kind: .inpatient, adm: "2026-09-01 10:00:00", dscg: "2026-09-05 10:00:00", dx: ["J18.9"])
        let again = claim("Y2", kind: .inpatient, adm: "2026-09-21 10:00:00", dscg: "2026-09-25 10:00:00", dx: ["J18.9"])  // 16 days
        XCTAssertFalse(review(again, history: InMemoryHistory([first])).contains("P18"))
        var v2 = RuleSet.defaults
        v2.version = 2
        let i = v2.rules.firstIndex { $0.id == "R-P18-001" }!
        v2.rules[i].version = 2
        v2.rules[i].parameters["windowDays"] = .int(20)
        try v2.validate()
        let engine = RuleEngine(knowledgeBase: Fixture.kb, rules: v2)
        let finding = try XCTUnwrap(engine.evaluate(again, history: InMemoryHistory([first])).first { $0.pattern == "P18" })
        XCTAssertEqual(finding.ruleVersion, 2)
        XCTAssertEqual(finding.ruleSetVersion, 2)
        XCTAssertEqual(finding.kbVersion, Fixture.kb.version)
        XCTAssertTrue(finding.explanation.contains("20天内"), finding.explanation)
        // Disabled rules do not fire; rule_ids restrict the review.
        v2.rules[i].enabled = false
        XCTAssertFalse(review(again, history: InMemoryHistory([first]), engine: RuleEngine(knowledgeBase: Fixture.kb, rules: v2)).contains("P18"))
        let restricted = engine.evaluate(again, history: InMemoryHistory([first]), ruleIDs: ["R-P01-001"])
        XCTAssertEqual(restricted, [])
    }

    func testExemptCodesParameter() throws {
        var set = RuleSet.defaults
        set.rules[9].parameters["exemptCodes"] = .items(["110200005"])
        try set.validate()
        let c = claim("Z1", adm: "2026-09-03 09:00:00", lines: [line("1", "110200005", price: 12, at: "2026-09-03 09:00:00")])
        XCTAssertTrue(review(c).contains("P10"))
        XCTAssertFalse(review(c, engine: RuleEngine(knowledgeBase: Fixture.kb, rules: set)).contains("P10"))
    }
}

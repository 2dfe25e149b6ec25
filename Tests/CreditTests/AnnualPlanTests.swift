import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import credit

/// The annual inspection plan: every institution of the region, filled by the year's draws and by the
/// cases opened from inspections and leads, with coverage inspected / total.
final class AnnualPlanTests: XCTestCase {
    func testDrawsAndSourcedCasesFillThePlanAndCoverageCountsTheInspected() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            let year = CreditCalendar.date(Date()).year
            var plan = PlanningTests.plan("\(year)-A", seed: 7)
            plan["target_count"] = 1
            let created = try await client.call("/api/inspection-plans", .post, plan)
            let drawn = try XCTUnwrap(field(created.json, "assignments") as? [[String: Any]], created.text)
            let inspected = try XCTUnwrap(drawn.first?["fixmedins_code"] as? String)
            try await client.call("/api/inspection-plans/\(year)-A/results", .post, ["results": [["fixmedins_code": inspected, "outcome": "无问题"]]]) {
                XCTAssertEqual($0.status, .created, $0.text)
            }
            let others = ["H43010000001", "H43010000002", "H43010000003", "H43010000004"].filter { $0 != inspected }
            let today = CreditCalendar.date(Date()).description
            try await harness.deliver(try Cases.decided("FLY-1", on: today, institution: others[0], source: "flightInspection"))
            try await harness.deliver(try Cases.decided("CLM-1", on: today, institution: others[1], source: "claimReview"))

            let answer = try await client.call("/api/annual-inspection-plans/\(year)?admdvs=430100", token: nil)
            XCTAssertEqual(answer.status, .ok, answer.text)
            let coverage = try XCTUnwrap(field(answer.json, "coverage") as? [[String: Any]])
            XCTAssertEqual(coverage.count, 1, "only the region asked")
            XCTAssertEqual(coverage.first?["institutions"] as? Int, 4, "every designated institution of 430100")
            XCTAssertEqual(coverage.first?["inspected"] as? Int, 2, "the drawn one with its result and the flight inspection's")
            let entries = try XCTUnwrap(field(answer.json, "entries") as? [[String: Any]])
            let sources = Dictionary(uniqueKeysWithValues: entries.map {
                ($0["fixmedins_code"] as? String ?? "", ($0["sources"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
            })
            XCTAssertEqual(sources[inspected], ["randomDraw"])
            XCTAssertEqual(sources[others[0]], ["flightInspection"])
            XCTAssertEqual(sources[others[1]], [], "a claim-review case is no inspection")
            try await client.call("/api/annual-inspection-plans/twenty") { XCTAssertEqual($0.status, .badRequest, $0.text) }
        }
    }
}

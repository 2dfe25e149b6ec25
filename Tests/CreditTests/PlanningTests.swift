import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import credit

/// Inspection draws, region risk, lists, charts and the API document.
final class PlanningTests: XCTestCase {
    static var inspectors: [[String: Any]] { [
        ["id": "I1", "past_employers": ["H43010000001"], "last_inspected": [String]()],
        ["id": "I2", "past_employers": [String](), "last_inspected": ["H43010000002"]],
        ["id": "I3", "past_employers": [String](), "last_inspected": [String]()],
        ["id": "I4", "past_employers": [String](), "last_inspected": [String]()],
    ] }

    static func plan(_ id: String, seed: UInt64) -> [String: Any] {
        ["plan_id": id, "seed": seed, "target_count": 4, "inspectors_per_target": 2, "admdvs": ["430100"], "inspectors": Self.inspectors]
    }

    func testTheSameSeedGivesTheSamePlanAndThePlanIsPublished() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            try await harness.deliver(try Cases.decided("G-1", on: "2025-01-10", institution: "H43010000002", article: 40, fraud: true))
            var first: [Any] = []
            try await client.call("/api/inspection-plans", .post, Self.plan("2025-Q1", seed: 20_250_110)) { answer in
                XCTAssertEqual(answer.status, .created, answer.text)
                first = field(answer.json, "assignments") as? [Any] ?? []
            }
            XCTAssertEqual(first.count, 4)
            for case let assignment as [String: Any] in first where assignment["fixmedins_code"] as? String == "H43010000001" {
                XCTAssertFalse((assignment["inspector_ids"] as? [String] ?? []).contains("I1"), "a past employer is a conflict")
            }
            try await client.call("/api/inspection-plans/2025-Q1/verify") { answer in
                XCTAssertEqual(field(answer.json, "reproducible") as? Bool, true, answer.text)
            }
            try await client.call("/api/inspection-plans", .post, Self.plan("2025-Q1-check", seed: 20_250_110)) { answer in
                XCTAssertEqual(field(answer.json, "assignments") as? NSArray, first as NSArray, "same seed, same inputs: same plan")
            }
            try await client.call("/api/inspection-plans", .post, Self.plan("2025-Q1", seed: 1)) { answer in
                XCTAssertEqual(answer.status, .conflict, "a plan is never redrawn")
            }
            let drawn = (first.first as? [String: Any])?["fixmedins_code"] as? String ?? ""
            try await client.call("/api/inspection-plans/2025-Q1/results", .post, ["results": [["fixmedins_code": drawn, "outcome": "无问题"]]]) { answer in
                XCTAssertEqual(answer.status, .created, answer.text)
            }
            let published = try await harness.count("outbox", where: "topic = 'inspection.plans'")
            XCTAssertEqual(published, 3, "two plans and one set of results")
        }
    }

    func testFraudBlackListsRegionRiskAndGradeChart() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            try await harness.deliver(try Cases.decided("F-1", on: "2025-01-10", institution: "H43010000003", amount: 400_000, fraud: true))
            try await client.call("/api/lists/black") { answer in
                let ids = (answer.json as? [[String: Any]])?.compactMap { $0["subject_id"] as? String }
                XCTAssertEqual(ids, ["H43010000003"], answer.text)
            }
            try await client.call("/api/regions/risk", .post, ["period_start": "2025-01-01", "period_end": "2025-03-31"]) { answer in
                XCTAssertEqual(answer.status, .created, answer.text)
            }
            try await client.call("/api/regions/risk") { answer in
                let regions = answer.json as? [[String: Any]] ?? []
                XCTAssertEqual(regions.count, 6)
                let changsha = regions.first { field($0, "result", "admdvs") as? String == "430100" }
                XCTAssertNotNil(field(changsha, "result", "level"), answer.text)
            }
            try await client.call("/api/charts/grades.svg") { answer in
                XCTAssertEqual(answer.status, .ok)
                XCTAssertTrue(answer.text.hasPrefix("<svg") && answer.text.contains("D: 1"), answer.text)
            }
        }
    }

    func testOperatorTokenAndTheDocumentCoversEveryRoute() async throws {
        let harness = try CreditHarness()
        let file = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Services/credit/Resources/credit.yaml"), encoding: .utf8)
        try await harness.run { client in
            try await client.call("/api/files/institution/H43010000001", token: nil) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.call("/api/files/institution/H43010000001", token: "wrong") { XCTAssertEqual($0.status, .unauthorized) }
            try await client.call("/api/files/nobody/x") { XCTAssertEqual($0.status, .badRequest) }
            try await client.call("/openapi.yaml") { answer in
                XCTAssertEqual(answer.status, .ok)
                XCTAssertEqual(answer.text, file)
            }
        }
        XCTAssertTrue(file.hasPrefix("openapi: 3.0"))
        XCTAssertEqual(OpenAPICoverage.undocumented(harness.assembly.router(), document: file), [], "routes missing from the document")
    }
}

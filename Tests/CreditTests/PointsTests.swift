import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import credit

/// The 9 and 12 point thresholds and the 1 January reset, through the consumer and the API.
final class PointsTests: XCTestCase {
    func testSuspensionAtNineTerminationAtTwelveAndTheYearBoundary() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            let p1 = "D430100000001", p2 = "D430100000002", p3 = "D430100000003"
            for (caseId, day, prac, points) in [("T-1", "2025-03-01", p1, 5), ("T-2", "2025-06-01", p1, 4), ("T-3", "2025-12-20", p1, 3),
                                                ("Y-1", "2025-12-30", p2, 8), ("Y-2", "2026-01-05", p2, 4), ("A-1", "2025-05-01", p3, 12)] {
                try await harness.deliver(try Cases.decided(caseId, on: day, parties: [Cases.doctor(prac)], points: [prac: points]))
            }
            try await client.call("/api/practitioners/\(p1)/points?on=2025-06-15") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 9)
                XCTAssertEqual(field(answer.json, "status", "suspended", "until") as? String, "2025-07-01", answer.text)
            }
            try await client.call("/api/practitioners/\(p1)/points?on=2025-07-02") { answer in
                XCTAssertNotNil(field(answer.json, "status", "active"), answer.text)
            }
            try await client.call("/api/practitioners/\(p1)/points?on=2025-12-20") { answer in
                XCTAssertEqual(field(answer.json, "status", "terminated", "until") as? String, "2026-12-20", answer.text)
                XCTAssertEqual(field(answer.json, "status", "terminated", "at_once") as? Bool, false)
            }
            try await client.call("/api/practitioners/\(p2)/points?on=2025-12-31") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 8)
            }
            try await client.call("/api/practitioners/\(p2)/points?on=2026-01-05") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 4, "points reset on 1 January")
                XCTAssertNotNil(field(answer.json, "status", "active"), answer.text)
            }
            try await client.call("/api/practitioners/\(p3)/points?on=2025-05-01") { answer in
                XCTAssertEqual(field(answer.json, "status", "terminated", "until") as? String, "2028-05-01", "3 years when 12 came at once")
                XCTAssertEqual(field(answer.json, "status", "terminated", "at_once") as? Bool, true)
            }
            let suspensions = try await harness.count("changes", where: "subject_id = '\(p1)' AND change = 'suspension'")
            XCTAssertEqual(suspensions, 2, "active → suspended at 9, active → terminated at 12")
            let pointChanges = try await harness.count("changes", where: "subject_id = '\(p1)' AND change = 'points'")
            XCTAssertEqual(pointChanges, 3)
            let p2Status = try await harness.count("changes", where: "subject_id = '\(p2)' AND change = 'suspension'")
            XCTAssertEqual(p2Status, 0, "8 + 4 across the year boundary never reaches 9 in one year")
            let (changes, outbox) = try await harness.changesMatchOutbox()
            XCTAssertEqual(changes, outbox)
            try await client.call("/api/charts/practitioners/\(p1)/points.svg?year=2025") { answer in
                XCTAssertEqual(answer.status, .ok)
                XCTAssertTrue(answer.text.hasPrefix("<svg") && answer.text.contains("<path"), answer.text)
            }
        }
    }

    /// Without proposed points, the band of the handling decides: a fraud fine deducts 11.
    func testPointsFromTheBandWhenTheCaseProposesNone() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            try await harness.deliver(try Cases.decided("B-1", on: "2025-04-01", parties: [Cases.doctor()], article: 40, fine: 20_000, fraud: true))
            try await client.call("/api/practitioners/\(Cases.practitioner)/points?on=2025-04-01") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 11)
                XCTAssertEqual(field(answer.json, "status", "suspended", "until") as? String, "2025-10-01", answer.text)
            }
        }
    }
}

import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import credit

/// Objections and repair through the API, with what they publish.
final class ProcessTests: XCTestCase {
    func testUpheldObjectionReversesGradeAndPoints() async throws {
        let harness = try CreditHarness(today: "2025-01-20")
        try await harness.run { client in
            let file = "/api/files/institution/\(Cases.institution)"
            try await harness.deliver(try Cases.decided("O-1", on: "2025-01-10", parties: [Cases.doctor()], points: [Cases.practitioner: 9],
                                                         amount: 50_000))
            try await client.call(file) { answer in
                XCTAssertEqual(field(answer.json, "standing", "grade", "grade") as? String, "B", answer.text)
            }
            try await client.call("\(file)/entries/case:O-1/objection", .post, ["grounds": "费用经物价部门核定"]) { answer in
                XCTAssertEqual(answer.status, .created, answer.text)
            }
            try await client.call(file) { answer in
                let fact = (field(answer.json, "facts") as? [[String: Any]])?.first
                XCTAssertNotNil(field(fact, "objection", "disputed"), answer.text)
            }
            let decision: [String: Any] = ["upheld": true, "reason": "复核认定收费合规"]
            try await client.call("\(file)/entries/case:O-1/objection/decision", .post, decision) { answer in
                XCTAssertEqual(answer.status, .created, answer.text)
                let changes = field(answer.json, "changes") as? [[String: Any]]
                XCTAssertEqual(changes?.first?["before"] as? String, "B")
                XCTAssertEqual(changes?.first?["after"] as? String, "A")
            }
            try await client.call("\(file)/entries/case:O-1/objection/decision", .post, decision) { answer in
                XCTAssertEqual(answer.status, .ok, "a retried decision is the same entry")
            }
            try await client.call("\(file)/entries/case:O-1/objection/decision", .post, ["upheld": false, "reason": "x"]) { answer in
                XCTAssertEqual(answer.status, .conflict, "a decided objection is final")
            }
            let doctorFile = "/api/files/practitioner/\(Cases.practitioner)"
            try await client.call("\(doctorFile)/entries/case:O-1/objection", .post, ["grounds": "非本人诊疗"])
            try await client.call("\(doctorFile)/entries/case:O-1/objection/decision", .post, decision) { answer in
                let kinds = (field(answer.json, "changes") as? [[String: Any]])?.compactMap { $0["change"] as? String }
                XCTAssertEqual(kinds.map(Set.init), ["points", "suspension"], answer.text)
            }
            try await client.call("/api/practitioners/\(Cases.practitioner)/points?on=2025-01-20") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 0)
                XCTAssertNotNil(field(answer.json, "status", "active"), answer.text)
            }
            try await client.call("/api/practitioners/\(Cases.practitioner)/points?on=2025-01-15") { answer in
                XCTAssertNotNil(field(answer.json, "status", "suspended"), "the history keeps the suspension before the decision")
            }
            let (changes, outbox) = try await harness.changesMatchOutbox()
            XCTAssertEqual(changes, outbox)
        }
    }

    func testRepairAfterItsConditionsRestoresTheGradeAndKeepsTheHistory() async throws {
        let harness = try CreditHarness(today: "2025-01-10")
        try await harness.run { client in
            let file = "/api/files/institution/\(Cases.institution)", entry = "\(file)/entries/case:R-1"
            try await harness.deliver(try Cases.decided("R-1", on: "2025-01-10"))
            try await client.call(entry + "/repair", .post) { XCTAssertEqual($0.status, .created, $0.text) }
            try await client.call(entry + "/repair/decision", .post, ["approved": true, "reason": "已整改"]) { answer in
                XCTAssertEqual(answer.status, .conflict)
                XCTAssertTrue(answer.text.contains("rectification not verified"), answer.text)
            }
            try await client.call(entry + "/rectification", .post) { XCTAssertEqual($0.status, .created, $0.text) }
            try await client.call(entry + "/refunds", .post, ["amount": 10_000, "reference": "退款-001"]) { XCTAssertEqual($0.status, .created, $0.text) }
            harness.clock.today = CivilDate("2025-07-20")!
            try await client.call(file) { answer in
                XCTAssertEqual(field(answer.json, "standing", "grade", "grade") as? String, "B", "still B after 191 days")
            }
            try await client.call(entry + "/repair/decision", .post, ["approved": true, "reason": "整改到位，足额退回"]) { answer in
                XCTAssertEqual(answer.status, .created, answer.text)
            }
            try await client.call(file) { answer in
                XCTAssertEqual(field(answer.json, "standing", "grade", "grade") as? String, "A", answer.text)
                let grades = (field(answer.json, "changes") as? [[String: Any]])?.filter { $0["change"] as? String == "grade" }
                XCTAssertEqual(grades?.map { "\($0["before"] ?? "")→\($0["after"] ?? "")" }, ["A→B", "B→A"], "both grades stay in the history")
                XCTAssertEqual((field(answer.json, "entries") as? [Any])?.count, 5, "fact, request, rectification, refund, approval")
            }
        }
    }
}

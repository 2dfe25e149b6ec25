import Foundation
import HummingbirdTesting
import TestSupport
import XCTest
@testable import smart_review

/// Cases from every source (案件来源): a flight inspection, a lead or a report opens a case on its
/// attached evidence, and it goes through the same proposal, legal gate and publication.
final class WorkbenchCaseSourceTests: XCTestCase {
    static let digest = String(repeating: "ab", count: 32)
    static var record: [String: Any] { ["kind": "inspectionRecord", "title": "飞行检查现场检查笔录", "sha256": digest,
                                        "practitioners": [Fixture.doctor]] }

    static func inspected(_ medins: String = Fixture.institution, evidence: [[String: Any]] = [record]) -> [String: Any] {
        ["source": ["kind": "flightInspection", "reference": "湘医保飞检〔2026〕3号"], "medins_id": medins, "amount": 86_000,
         "evidence": evidence, "kind": "fabricatedServices"]
    }

    func testAFlightInspectionCaseIsProposedGatedAndPublishedWithItsSource() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let doctor: [String: Any] = ["id": Fixture.doctor, "kind": "practitioner", "role": "responsible", "conduct": ["fabricatedServices"]]
            let institution: [String: Any] = ["id": Fixture.institution, "kind": "institution", "role": "offender", "conduct": ["fabricatedServices"]]
            var request = Self.inspected()
            request["parties"] = [institution, doctor]
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", request) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            XCTAssertEqual((opened?["source"] as? [String: Any])?["kind"] as? String, "flightInspection")
            XCTAssertEqual((opened?["attachments"] as? [[String: Any]])?.first?["sha256"] as? String, Self.digest)
            XCTAssertEqual((opened?["proposal"] as? [String: Any])?["recover_amount"] as? Double, 86_000, "the amount the inspection established")
            try await publish(caseID, client: client)
            let outcome = try await harness.outcome(caseID)
            XCTAssertEqual(outcome["source"] as? String, "flightInspection")
            XCTAssertEqual(outcome["source_reference"] as? String, "湘医保飞检〔2026〕3号")
            XCTAssertEqual(outcome["claim_ids"] as? [String], [], "no claims: the evidence is the inspection's")
            let points = outcome["practitioner_points"] as? [String: Int] ?? [:]
            XCTAssertEqual(Array(points.keys), [Fixture.doctor], "the doctor the inspection record names")
        }
    }

    func testASourcedCaseNeedsEvidenceAnInstitutionInScopeAndAKnownReport() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let bare = try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases", Self.inspected(evidence: []))
            XCTAssertTrue("\(bare ?? "")".contains("evidence"), "the refusal names the field")
            var badDigest = Self.record
            badDigest["sha256"] = "not-a-digest"
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases", Self.inspected(evidence: [badDigest]))
            try await zhao.expect(.forbidden, .post, "/api/workbench/cases", Self.inspected("H43020000001"))
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases", Self.inspected("H00000000000"))
            let stranger: [String: Any] = ["id": "D430100000003", "kind": "practitioner", "role": "responsible", "conduct": ["fabricatedServices"]]
            var unnamed = Self.inspected()
            unnamed["parties"] = [["id": Fixture.institution, "kind": "institution", "role": "offender", "conduct": ["fabricatedServices"]], stranger]
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases", unnamed)
            var report = Self.inspected()
            report["source"] = ["kind": "whistleblowerReport", "reference": "R-none"]
            try await zhao.expect(.notFound, .post, "/api/workbench/cases", report)
            let cases = try await harness.count("cases")
            XCTAssertEqual(cases, 0)
        }
    }
}

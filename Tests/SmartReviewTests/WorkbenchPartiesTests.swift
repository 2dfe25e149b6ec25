import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import XCTest
@testable import smart_review

/// A case names its parties from the people its evidence names; publication scores only the named doctors.
final class WorkbenchPartiesTests: XCTestCase {
    static let otherDoctor = "D430100000002"
}

/// Flags one claim per attending doctor (P04, a consultation billed twice) and takes each through both levels.
func confirmedItems(_ harness: ReviewHarness, _ client: TestClientProtocol, doctors: [String]) async throws -> [Int] {
    let events = try doctors.map { doctor in
        var encounter = Fixture.encounter(lines: [Fixture.consultLine(count: 2)])
        encounter.drCodg = doctor
        return try accepted(encounter)
    }
    try await harness.consume(events) { try await harness.count("review_items") == doctors.count }
    let items = try await harness.itemIDs()
    let first = Desk(client: client, user: "li", role: .firstReviewer), second = Desk(client: client, user: "wang", role: .secondReviewer)
    for item in items { try await decideBothLevels(item, first: first, second: second) }
    return items
}

extension WorkbenchPartiesTests {
    func testOfTwoDoctorsOnlyTheNamedOneIsScored() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let items = try await confirmedItems(harness, client, doctors: [Fixture.doctor, Self.otherDoctor])
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let institution: [String: Any] = ["id": Fixture.institution, "kind": "institution", "role": "offender", "conduct": ["duplicateCharging"]]
            let named: [String: Any] = ["id": Fixture.doctor, "kind": "practitioner", "role": "responsible", "conduct": ["duplicateCharging"]]
            let stranger: [String: Any] = ["id": "D430100000003", "kind": "practitioner", "role": "responsible", "conduct": ["duplicateCharging"]]
            let refused = try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases",
                                                ["item_ids": items, "kind": "duplicateCharging", "parties": [institution, stranger]])
            XCTAssertTrue("\(refused ?? "")".contains("D430100000003"), "the refusal names the person the evidence does not name")
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases",
                                               ["item_ids": items, "kind": "duplicateCharging", "parties": [institution, named]]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            let evidence = try XCTUnwrap(opened?["evidence"] as? [String: Any])
            XCTAssertEqual(Set(evidence["practitioners"] as? [String] ?? []), [Fixture.doctor, Self.otherDoctor])
            try await publish(caseID, client: client)
            let outcome = try await harness.outcome(caseID)
            XCTAssertEqual(outcome["practitioner_points"] as? [String: Int], [Fixture.doctor: 5], "duplicate charging is 4-6 on the schedule")
            let parties = try XCTUnwrap(outcome["parties"] as? [[String: Any]])
            XCTAssertEqual(parties.compactMap { $0["id"] as? String }, [Fixture.institution, Fixture.doctor])
            XCTAssertFalse(parties.contains { $0["kind"] as? String == "insured_person" }, "the institution's conduct is not the patient's")
        }
    }

    /// Article 41: a lent card is the insured person's conduct; the institution is no party, nor is it fraud.
    func testACardLendingCaseNamesTheInsuredPersonAlone() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let items = try await confirmedItems(harness, client, doctors: [Fixture.doctor])
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases", ["item_ids": items, "kind": "lendingInsuranceCard"])
            let asInstitution: [String: Any] = ["id": Fixture.institution, "kind": "institution", "role": "offender", "conduct": ["lendingInsuranceCard"]]
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/cases",
                                  ["item_ids": items, "kind": "lendingInsuranceCard", "parties": [asInstitution]])
            let person: [String: Any] = ["id": Fixture.person, "kind": "insured_person", "role": "offender", "conduct": ["lendingInsuranceCard"]]
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases",
                                               ["item_ids": items, "kind": "lendingInsuranceCard", "parties": [person]]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            try await publish(caseID, client: client)
            let outcome = try await harness.outcome(caseID)
            XCTAssertEqual((outcome["parties"] as? [[String: Any]])?.compactMap { $0["id"] as? String }, [Fixture.person])
            XCTAssertEqual(outcome["fraud"] as? Bool, false)
            XCTAssertEqual(outcome["practitioner_points"] as? [String: Int], [:])
        }
    }

    /// Parties can be named again before submission, not after.
    func testPartiesAreNamedAgainOnlyBeforeSubmission() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let (zhao, caseID) = try await openedCase(harness, client)
            let parties: [[String: Any]] = [["id": Fixture.institution, "kind": "institution", "role": "offender", "conduct": ["duplicateCharging"]],
                                            ["id": Fixture.doctor, "kind": "practitioner", "role": "responsible", "conduct": ["duplicateCharging"]]]
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/parties", ["parties": parties])
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit")
            try await zhao.expect(.conflict, .post, "/api/workbench/cases/\(caseID)/parties", ["parties": parties])
        }
    }
}

/// A duplicate-charging case opened by supervisor zhao from one confirmed item of the fixture's doctor.
func openedCase(_ harness: ReviewHarness, _ client: TestClientProtocol) async throws -> (zhao: Desk, caseID: String) {
    let items = try await confirmedItems(harness, client, doctors: [Fixture.doctor])
    let zhao = Desk(client: client, user: "zhao", role: .supervisor)
    let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": items, "kind": "duplicateCharging"]) as? [String: Any]
    return (zhao, try XCTUnwrap(opened?["case_id"] as? String))
}

/// Submits, has a legal reviewer approve when the decision is major, and publishes.
func publish(_ caseID: String, client: TestClientProtocol) async throws {
    let zhao = Desk(client: client, user: "zhao", role: .supervisor)
    let submitted = try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit") as? [String: Any]
    if (submitted?["decision"] as? [String: Any])?["state"] as? String == "awaitingLegalReview" {
        try await Desk(client: client, user: "qian", role: .legalReviewer)
            .expect(.ok, .post, "/api/workbench/cases/\(caseID)/legal-review", ["approved": true, "opinion": "同意"])
    }
    try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/publish")
}

extension ReviewHarness {
    /// The `review.outcomes` payload of a case as the outbox holds it.
    func outcome(_ caseID: String) async throws -> [String: Any] {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: """
            SELECT convert_from(payload, 'UTF8') FROM \(schema).outbox WHERE topic = 'review.outcomes' AND key = convert_to('\(caseID)', 'UTF8')
            """))
        for try await text in rows.decode(String.self) {
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        XCTFail("no outcome of \(caseID) in the outbox")
        return [:]
    }
}

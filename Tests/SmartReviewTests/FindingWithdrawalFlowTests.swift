import Events
import Foundation
import HISContract
import TestSupport
import XCTest
@testable import smart_review

/// Findings withdrawn in the service: by later evidence (the visit that makes a prescription stand
/// arriving after the sale) and by a corrected settlement. The finding's row stays, marked; the
/// withdrawal is published on `review.findings`; the open item closes with the reason; coverage
/// counts standing findings only.
final class FindingWithdrawalFlowTests: XCTestCase {
    func testALateVisitWithdrawsTheSalesP23AndClosesItsItem() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let sale = try accepted(Fixture.pharmacySale("RX-LATE", at: "2026-11-21 10:00:00", prescriber: Fixture.doctor))
            try await harness.consume([sale]) { try await harness.count("reviews") == 1 }
            let p23 = "pattern = 'P23' AND claim_id LIKE '%RX-LATE%'"
            let n1 = try await harness.count("findings", where: p23)
            XCTAssertEqual(n1, 1, "no visit yet: the prescription does not stand")
            let n2 = try await harness.count("review_items", where: "state = 'first_pending' AND claim_id LIKE '%RX-LATE%'")
            XCTAssertEqual(n2, 1)

            // The visit of the day before, by the prescribing doctor, arrives late.
            let visit = try accepted(Fixture.encounter("MD-VISIT", lines: [Fixture.consultLine()]))
            try await harness.consume([visit]) { try await harness.count("reviews") == 2 }
            let n3 = try await harness.count("findings", where: "\(p23) AND withdrawn_at IS NOT NULL AND withdrawn_by LIKE '%MD-VISIT%'")
            XCTAssertEqual(n3, 1)
            let n4 = try await harness.count("outbox", where: "topic = 'review.findings' AND headers->>'ce_type' = 'cn.hsa.review.finding.withdrawn'")
            XCTAssertEqual(n4, 1)
            let n5 = try await harness.count("review_items", where: "state = 'withdrawn' AND withdrawal_note <> '' AND claim_id LIKE '%RX-LATE%'")
            XCTAssertEqual(n5, 1,
                           "the open item is closed with the reason")
            try await client.execute(uri: "/api/coverage", method: .get, headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"]) { response in
                let report = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
                XCTAssertEqual(report["findings_withdrawn"] as? Int, 1)
                XCTAssertEqual(report["findings_standing"] as? Int, 0)
            }
            // Delivered again, the visit withdraws nothing twice.
            try await harness.consume([visit]) { true }
            let n6 = try await harness.count("outbox", where: "headers->>'ce_type' = 'cn.hsa.review.finding.withdrawn'")
            XCTAssertEqual(n6, 1)
        }
    }

    func testACorrectedSettlementWithdrawsTheFindingsOfTheVersionItReplaces() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            let first = Fixture.encounter("MD-CORR", lines: [Fixture.consultLine(count: 2)])
            try await harness.consume([try accepted(first)]) { try await harness.count("reviews") == 1 }
            let n7 = try await harness.count("findings", where: "pattern = 'P04' AND withdrawn_at IS NULL")
            XCTAssertEqual(n7, 1)

            var corrected = Fixture.encounter("MD-CORR", settlement: "S2", lines: [Fixture.consultLine()])
            corrected.medfeeSumamt = 12
            let original = ClaimAccepted.claimId(institution: first.medinsId, encounter: first.mdtrtId, settlement: first.setlId ?? "")
            try await harness.consume([try accepted(corrected, supersedes: original)]) { try await harness.count("reviews") == 2 }
            let n8 = try await harness.count("findings", where: "pattern = 'P04' AND withdrawn_at IS NOT NULL AND claim_id = '\(original)'")
            XCTAssertEqual(n8, 1,
                           "the replaced version's finding is withdrawn")
            let n9 = try await harness.count("findings", where: "withdrawn_at IS NULL")
            XCTAssertEqual(n9, 0, "the corrected version shows nothing")
            let n10 = try await harness.count("review_items", where: "state = 'withdrawn' AND claim_id = '\(original)'")
            XCTAssertEqual(n10, 1)
        }
    }
}

/// A `claims.accepted` event for a corrected settlement: version 2 naming the version it replaces.
func accepted(_ encounter: Encounter, supersedes: String) throws -> CloudEvent {
    var patient = Fixture.patient()
    patient.fsiEncounterDtos = [encounter]
    let claimID = ClaimAccepted.claimId(institution: encounter.medinsId, encounter: encounter.mdtrtId, settlement: encounter.setlId ?? "")
    let payload = ClaimAccepted(claimId: claimID, version: 2, supersedes: supersedes, msgid: Fixture.msgid(2), trigScen: 6, acceptedAt: Date(),
                                patient: patient)
    return try CloudEvent(id: payload.eventID, source: "/intake", type: EventType.claimAccepted, encoding: payload)
}

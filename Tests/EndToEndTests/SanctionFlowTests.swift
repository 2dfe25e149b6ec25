import Events
import Foundation
import HISContract
import PlatformClient
import ReviewWorkflow
import TestSupport
import XCTest

/// Issue #14 item 2 through the four service processes: a fraud case suspends the named doctor's payment
/// qualification in credit; intake and smart-review follow `credit.changes`, so the doctor's next claim is
/// flagged in the 3102 answer and by the full review under the sanction rule; the objection upheld in credit
/// lifts it, and the claim after that is clean again.
final class SanctionFlowTests: XCTestCase {
    func testASuspendedDoctorsNextClaimIsFlaggedUntilCreditLiftsTheSuspension() async throws {
        let services = try ServiceProcesses()
        addTeardownBlock { services.stop() }
        try await services.start()
        // A doctor no other flow test names: their suspensions on the shared credit.changes topic stay theirs.
        let platform = services.platform, doctor = "D430100000005"

        let caseID = try await fraudCase(naming: doctor, platform: platform)
        let suspended = try await eventually(timeout: .seconds(180)) {
            try await platform.creditChanges(kind: "practitioner", id: doctor)
                .contains { $0.caseId == caseID && $0.change == "suspension" && ["suspended", "terminated"].contains($0.after) }
        }
        XCTAssertTrue(suspended, "credit suspends the doctor's payment qualification:\n\(services.log("credit").suffix(1500))")
        guard suspended else { return }
        let followed = try await eventually { try await self.check(platform, doctor: doctor).contains(suspendedPractitioner) }
        XCTAssertTrue(followed, "intake follows credit.changes:\n\(services.log("intake").suffix(1500))")

        // The doctor's next settlement: flagged at 3102, and by smart-review under the new rule.
        let next = todaysVisit(by: doctor)
        let answered = try await HospitalPush(platform: platform, msgidDay: "20261201").push([Fixture.patient([next])])
        XCTAssertEqual(answered[suspendedPractitioner], 1, "the 3102 answer warns of the suspended doctor: \(answered)")
        let claimID = ClaimAccepted.claimId(institution: Fixture.institution, encounter: next.mdtrtId, settlement: next.setlId ?? "")
        let findings = try await readTopic(Topic.reviewFindings) {
            payload($0, as: FindingPublished.self).map { $0.claimId == claimID && $0.stage == "after" } ?? false
        }.compactMap { payload($0, as: FindingPublished.self) }
        XCTAssertEqual(Set(findings.map(\.ruleId)), ["R-SANCTION-PRACTITIONER"], "smart-review's finding names the sanction rule")
        XCTAssertTrue(findings.first?.explanation.contains(caseID) == true, findings.first?.explanation ?? "no finding")

        // The objection upheld lifts the suspension: the effect ends at the door and in the review.
        try await upholdObjection(doctor: doctor, caseID: caseID, platform: platform)
        let liftedInCredit = try await eventually {
            try await platform.creditChanges(kind: "practitioner", id: doctor).contains { $0.change == "suspension" && $0.after == "active" }
        }
        XCTAssertTrue(liftedInCredit, "the objection upheld lifts the suspension in credit")
        let lifted = try await eventually { try await self.check(platform, doctor: doctor).contains(suspendedPractitioner) == false }
        XCTAssertTrue(lifted, "intake follows the lift")
        let after = try await HospitalPush(platform: platform, msgidDay: "20261202").push([Fixture.patient([todaysVisit(by: doctor)])])
        XCTAssertNil(after[suspendedPractitioner], "lifted: \(after)")
    }

    /// Two duplicate charges by `doctor`, confirmed at both levels, and a published fraud case naming him.
    private func fraudCase(naming doctor: String, platform: Platform) async throws -> String {
        var first = Fixture.encounter(lines: [Fixture.consultLine(count: 2)]), second = Fixture.encounter(lines: [Fixture.consultLine(count: 2)])
        first.drCodg = doctor
        second.drCodg = doctor
        let claims = [first, second].map { ClaimAccepted.claimId(institution: Fixture.institution, encounter: $0.mdtrtId, settlement: $0.setlId ?? "") }
        _ = try await HospitalPush(platform: platform, msgidDay: "2026113" + String(Int.random(in: 0...9))).push([Fixture.patient([first, second])])
        let items = try await confirmBothLevels(claims, platform: platform)
        let supervisor = try await WorkbenchClient(platform, user: "e2e-supervisor", role: .supervisor, region: "430100")
        let conduct: [ViolationKind] = [.fabricatedServices]
        let opened = try await supervisor.openCase(items: items, kind: .fabricatedServices, parties: [
            NamedParty(id: Fixture.institution, kind: .institution, role: .offender, conduct: conduct),
            NamedParty(id: doctor, kind: .practitioner, role: .responsible, conduct: conduct),
        ])
        try await submitAndPublish(opened.caseId, by: supervisor, platform: platform)
        return opened.caseId
    }

    /// A consultation by the doctor now (China time), so it falls within a suspension decided today.
    private func todaysVisit(by doctor: String) -> Encounter {
        let now = CivilDateTime.chinaNow().description
        var visit = Fixture.encounter(lines: [Fixture.consultLine()])
        visit.drCodg = doctor
        visit.admDate = now
        visit.dscgDate = now
        visit.fsiOrderDtos[0].feeOcurTime = now
        return visit
    }

    /// A 3101 check of a visit now; the patterns of its answer. (Each push re-issues the secret, so the check asks for its own.)
    private func check(_ platform: Platform, doctor: String) async throws -> [String] {
        let secret = try await platform.issueCredentials(Fixture.institution)
        let request = Fixture.request(Int.random(in: 0..<10_000), infno: "3101", scenario: 2,
                                      patients: [Fixture.patient([{ var v = todaysVisit(by: doctor); v.setlId = nil; return v }()])])
        let answer = try await platform.his(try HISJSON.encoder.encode(request), institution: Fixture.institution, secret: secret)
        return (((answer["output"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []).compactMap { $0["vola_bhvr_type"] as? String }
    }

    private func upholdObjection(doctor: String, caseID: String, platform: Platform) async throws {
        let entry = "\(platform.credit)/api/files/practitioner/\(doctor)/entries/case:\(caseID)"
        _ = try await API.call("POST", "\(entry)/objection", token: platform.adminToken,
                               body: try JSONSerialization.data(withJSONObject: ["grounds": "医师非实际开具人"]))
        _ = try await API.call("POST", "\(entry)/objection/decision", token: platform.adminToken,
                               body: try JSONSerialization.data(withJSONObject: ["upheld": true, "reason": "异议成立"]))
    }
}

/// The pattern code of the sanction rule (`suspendedPractitionerPattern` in RuleEngine).
private let suspendedPractitioner = "SUSPENDED_PRACTITIONER"

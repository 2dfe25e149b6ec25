import Events
import Foundation
import HISContract
import NotificationRules
import PlatformClient
import ReviewWorkflow
import TestSupport
import XCTest

/// Issue #14 through the four service processes: of two doctors on the claims only the named one is scored,
/// a case with public officials reaches discipline inspection, and the police's decision comes back onto the case.
final class PartiesAndLoopsFlowTests: XCTestCase {
    func testTheNamedDoctorAloneIsScoredOfficialsGoToDisciplineAndThePolicesDecisionReturns() async throws {
        let services = try ServiceProcesses()
        addTeardownBlock { services.stop() }
        try await services.start()
        let platform = services.platform, receivers = LocalReceivers()
        try await receivers.start()
        addTeardownBlock { await receivers.stop() }
        let (police, discipline) = ("police-\(services.run)", "discipline-\(services.run)")
        let policeCredentials = try await platform.subscribe(AgencyReceiver(id: police, type: "police", name: "长沙市公安局",
                                                                            jurisdiction: "430100", url: receivers.url(of: police)))
        try receivers.trust(police, secret: try XCTUnwrap(policeCredentials.secret?.secret))
        let disciplineCredentials = try await platform.subscribe(AgencyReceiver(id: discipline, type: "disciplineInspection", name: "长沙市纪委监委",
                                                                                jurisdiction: "430100", url: receivers.url(of: discipline)))
        try receivers.trust(discipline, secret: try XCTUnwrap(disciplineCredentials.secret?.secret))

        // Two visits, each with its consultation charged twice (P04), by two doctors of the same hospital.
        let named = Fixture.doctor, other = "D430100000002"
        var first = Fixture.encounter(lines: [Fixture.consultLine(count: 2)]), second = Fixture.encounter(lines: [Fixture.consultLine(count: 2)])
        first.drCodg = named
        second.drCodg = other
        let claims = [first, second].map { ClaimAccepted.claimId(institution: Fixture.institution, encounter: $0.mdtrtId, settlement: $0.setlId ?? "") }
        _ = try await HospitalPush(platform: platform, msgidDay: "2026112" + String(Int.random(in: 0...9))).push([Fixture.patient([first, second])])

        let items = try await confirmBothLevels(claims, platform: platform)
        let supervisor = try await WorkbenchClient(platform, user: "e2e-supervisor", role: .supervisor, region: "430100")
        let conduct: [ViolationKind] = [.fabricatedServices]
        let opened = try await supervisor.openCase(items: items, kind: .fabricatedServices, parties: [
            NamedParty(id: Fixture.institution, kind: .institution, role: .offender, conduct: conduct),
            NamedParty(id: named, kind: .practitioner, role: .responsible, conduct: conduct),
        ])
        _ = try await supervisor.officialsInvolved(opened.caseId)
        try await submitAndPublish(opened.caseId, by: supervisor, platform: platform)

        let scored = try await eventually { try await platform.creditChanges(kind: "practitioner", id: named).contains { $0.caseId == opened.caseId } }
        XCTAssertTrue(scored, "the named doctor's points change")
        let otherChanges = try await platform.creditChanges(kind: "practitioner", id: other).filter { $0.caseId == opened.caseId }
        XCTAssertEqual(otherChanges.count, 0, "the doctor the supervisor did not name is not scored")

        let referred = try await eventually { receivers.tally(discipline).deliveries.contains { $0.subject == opened.caseId } }
        XCTAssertTrue(referred, "officials involved: the case reaches discipline inspection (行纪衔接)")
        let toPolice = try await eventually { receivers.tally(police).deliveries.contains { $0.subject == opened.caseId } }
        XCTAssertTrue(toPolice, "fraud above the referral amount reaches the police")
        let policeDeliveries = try await platform.deliveries(subscriber: police, caseID: opened.caseId)
        let delivery = try XCTUnwrap(policeDeliveries.first)
        try await platform.answer(delivery: delivery.id, token: policeCredentials.token, kind: "decision", decision: "case_opened")
        let onCase = try await eventually {
            try await supervisor.showCase(opened.caseId).agencies?.contains { $0.subscriberType == "police" && $0.decision == "case_opened" } == true
        }
        XCTAssertTrue(onCase, "the police's decision comes back onto the case:\n\(services.log("smart-review").suffix(1500))")
    }
}

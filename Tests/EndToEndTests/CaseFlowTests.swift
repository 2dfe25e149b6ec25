import Events
import Foundation
import HISContract
import Kafka
import NotificationRules
import PlatformClient
import TestSupport
import XCTest

/// One settlement with a violation, pushed through 3102 to four real service processes, reaches every
/// end of the platform exactly once: its findings, the reviewers' decisions, one case on
/// `review.outcomes`, credit's change on `credit.changes` and in its API, and one signed delivery
/// to the subscribed agency's receiver — while a receiver holding a wrong secret refuses every attempt.
final class CaseFlowTests: XCTestCase {
    func testASettlementWithAViolationBecomesOneCaseOneCreditChangeAndOneSignedDelivery() async throws {
        let services = try ServiceProcesses(extra: ["NOTIFY_RETRY_MAX_ATTEMPTS": "3"])
        addTeardownBlock { services.stop() }
        try await services.start()
        let platform = services.platform, receivers = LocalReceivers()
        try await receivers.start()
        addTeardownBlock { await receivers.stop() }
        let (good, forged) = ("health-\(services.run)", "market-\(services.run)")
        let credentials = try await platform.subscribe(AgencyReceiver(id: good, type: "healthCommission", name: "长沙市卫生健康委员会",
                                                                      jurisdiction: "430100", url: receivers.url(of: good)))
        try receivers.trust(good, secret: try XCTUnwrap(credentials.secret?.secret))
        _ = try await platform.subscribe(AgencyReceiver(id: forged, type: "marketRegulation", name: "长沙市市场监督管理局",
                                                        jurisdiction: "430100", url: receivers.url(of: forged)))
        try receivers.trust(forged, secret: WebhookSecret(key: Data((0..<32).map { _ in UInt8.random(in: 0...255) })).encoded)

        // The consultation fee charged twice on one day: P04 重复收费, a clear violation (severity 1).
        let encounter = Fixture.encounter(lines: [Fixture.consultLine(count: 2)])
        let claimID = ClaimAccepted.claimId(institution: Fixture.institution, encounter: encounter.mdtrtId, settlement: encounter.setlId ?? "")
        let answered = try await HospitalPush(platform: platform, msgidDay: "2026112" + String(Int.random(in: 0...9)))
            .push([Fixture.patient([encounter])])
        XCTAssertEqual(answered["P04"], 1, "the 3102 answer names the duplicate charge: \(answered)")

        let reviewers = ScriptedReviewers(platform: platform, regions: ["430100"], maxItems: 5, onlyClaims: [claimID])
        let queued = try await eventually { try await reviewers.person(.firstReviewer, "430100").queue().contains { $0.claimId == claimID } }
        XCTAssertTrue(queued, "the claim reaches the first-level queue:\n\(services.log("smart-review").suffix(2000))")
        let report = try await reviewers.work()
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(report.decided[1], ["confirmed": 1])
        XCTAssertEqual(report.decided[2], ["confirmed": 1], "a clear violation always goes to second review")
        XCTAssertEqual(report.casesPublished.count, 1)
        let published = try XCTUnwrap(report.casesPublished.first)
        XCTAssertEqual(published.doctors, [Fixture.doctor])
        let view = try await reviewers.person(.supervisor, "430100").view(try XCTUnwrap(published.items.first))
        XCTAssertEqual(view.findings.map(\.pattern), ["P04"], "one finding set, nothing twice")
        XCTAssertEqual(view.decisions.map(\.level), [1, 2])

        try await assertTopics(claimID: claimID, caseID: published.caseId, platform: platform)
        try await assertDelivered(published.caseId, to: good, forged: forged, receivers: receivers, platform: platform)
    }

    /// `review.findings`, `review.outcomes` and `credit.changes` carry this claim's and this case's events once each.
    private func assertTopics(claimID: String, caseID: String, platform: Platform) async throws {
        let findings = try await readTopic(Topic.reviewFindings) { payload($0, as: FindingPublished.self)?.claimId == claimID }
        XCTAssertEqual(Set(findings.compactMap { $0.header("ce_id") }).count, 1)
        let outcomes = try await readTopic(Topic.reviewOutcomes) { payload($0, as: CaseDecided.self)?.caseId == caseID }
        XCTAssertEqual(Set(outcomes.compactMap { $0.header("ce_id") }).count, 1, "one case on review.outcomes")
        XCTAssertEqual(outcomes.first.flatMap { payload($0, as: CaseDecided.self) }?.claimIds, [claimID])

        let isPoints: @Sendable (CreditChanged?) -> Bool = { $0?.caseId == caseID && $0?.change == "points" && $0?.subjectId == Fixture.doctor }
        let changes = try await readTopic(Topic.creditChanges) { isPoints(payload($0, as: CreditChanged.self)) }
        XCTAssertEqual(Set(changes.compactMap { $0.header("ce_id") }).count, 1, "the doctor's points change once on credit.changes")
        let inCredit = try await platform.creditChanges(kind: "practitioner", id: Fixture.doctor).filter { $0.caseId == caseID }
        XCTAssertEqual(inCredit.map(\.change), ["points"], "and once in credit's file of the doctor")
        XCTAssertEqual(inCredit.first?.changeId, changes.first.flatMap { payload($0, as: CreditChanged.self) }?.changeId)
    }

    /// One verified delivery of the case at the subscribed receiver; the receiver with the wrong secret refused each
    /// attempt, and the delivery ended in the dead letters.
    private func assertDelivered(_ caseID: String, to good: String, forged: String, receivers: LocalReceivers, platform: Platform) async throws {
        let arrived = try await eventually { receivers.tally(good).deliveries.contains { $0.subject == caseID } }
        XCTAssertTrue(arrived, "the case reaches the subscribed receiver")
        let refused = try await eventually { receivers.tally(forged).refusedSubjects.filter { $0 == caseID }.count >= 2 }
        XCTAssertTrue(refused, "a receiver that holds another secret refuses, and notification tries again")
        let tally = receivers.tally(good)
        XCTAssertEqual(tally.deliveries.filter { $0.subject == caseID }.count, 1)
        XCTAssertEqual(tally.duplicates, 0)
        XCTAssertEqual(tally.badSignatures, 0)
        XCTAssertTrue(receivers.tally(forged).deliveries.isEmpty)
        let rows = try await platform.deliveries(subscriber: good, caseID: caseID)
        XCTAssertEqual(rows.map(\.status), ["delivered"])
        // After its attempts (NOTIFY_RETRY_MAX_ATTEMPTS) the refused delivery waits in the dead-letter list for an operator.
        let dead = try await eventually { try await platform.deadDeliveries().contains { $0.subscriberId == forged && $0.caseId == caseID } }
        XCTAssertTrue(dead)
        let forgedRows = try await platform.deliveries(subscriber: forged, caseID: caseID)
        XCTAssertEqual(forgedRows.map(\.status), ["dead"])
        XCTAssertEqual(forgedRows.first?.attempts, 3)
        XCTAssertEqual(receivers.tally(forged).refusedSubjects.filter { $0 == caseID }.count, 3)
    }
}

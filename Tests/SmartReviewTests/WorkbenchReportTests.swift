import Events
import Foundation
import PostgresNIO
import ReviewWorkflow
import ServiceKit
import TestSupport
import XCTest
@testable import smart_review

/// Whistle-blower reports as a case source of the workbench: taken in once, kept to the reviewers'
/// regions and posts, decided, rewarded within the schedule, paid, and every step told to intake once.
final class WorkbenchReportTests: XCTestCase {
    func testAReportIsTakenInOnceEvenWhenRedeliveredWithTheRegionOfItsSubject() async throws {
        let harness = try ReviewHarness()
        let topic = TestEnvironment.unique("reports.received")
        let first = reportReceived("R-\(UUID())", subject: ("institution", "H43010000001"))
        let again = try CloudEvent(id: "resent:\(first.reportId)", source: "/intake", type: EventType.reportReceived, encoding: first)
        let doctor = reportReceived("R-\(UUID())", subject: ("practitioner", "D430100000001"))
        try await harness.run { _ in
            let events = [try receivedEvent(first), try receivedEvent(first), again, try receivedEvent(doctor)]
            try await TestEnvironment.deliver(events, to: topic, through: try harness.assembly.reportsProcessor(topics: [topic])) {
                try await harness.count("whistleblower_reports", where: "report_id = '\(doctor.reportId)'") == 1
            }
            let taken = try await harness.count("whistleblower_reports")
            XCTAssertEqual(taken, 2, "a redelivered or resent report is taken in once")
            let inRegion = try await harness.count("whistleblower_reports", where: "admdvs = '430100' AND state = 'received'")
            XCTAssertEqual(inRegion, 2, "the region comes from the institution, or the practitioner's institution")
        }
    }

    func testWrongPostsAndRegionsAreRefusedAndRecorded() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let id = try await harness.receive(reportReceived("R-\(UUID())", subject: ("institution", "H43010000001")))
            let reviewer = Desk(client: client, user: "li", role: .firstReviewer)
            let outsider = Desk(client: client, user: "guang", role: .supervisor, admdvs: "440100")
            try await reviewer.expect(.forbidden, .post, "/api/workbench/reports/\(id)/assign", ["assignee": "li"])
            try await outsider.expect(.forbidden, .get, "/api/workbench/reports/\(id)")
            try await outsider.expect(.forbidden, .post, "/api/workbench/reports/\(id)/assign", ["assignee": "guang"])
            let listed = try await outsider.expect(.ok, .get, "/api/workbench/reports") as? [Any]
            XCTAssertEqual(listed?.count, 0, "another region's reports are not listed")
            try await reviewer.expect(.badRequest, .get, "/api/workbench/reports?state=lost")
            let refusals = try await harness.count("audit_log", where: "action = 'refused' AND subject = 'report:\(id)'")
            XCTAssertEqual(refusals, 3, "each refusal is in the full-process record")
            let state = try await harness.count("whistleblower_reports", where: "state = 'received'")
            XCTAssertEqual(state, 1, "nothing refused changed the report")
        }
    }

    func testAConfirmedReportIsRewardedWithinTheScheduleAndPaidWithEachStepPublishedOnce() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let id = try await harness.receive(reportReceived("R-\(UUID())", subject: ("institution", "H43010000002")))
            let boss = Desk(client: client, user: "wang", role: .supervisor)
            let li = Desk(client: client, user: "li", role: .firstReviewer), zhang = Desk(client: client, user: "zhang", role: .firstReviewer)
            let uri = "/api/workbench/reports/\(id)"
            try await boss.expect(.conflict, .post, "\(uri)/payment", ["payment_reference": "P-1"])
            try await boss.expect(.ok, .post, "\(uri)/assign", ["assignee": "li"])
            try await zhang.expect(.forbidden, .post, "\(uri)/links", ["institution_ids": ["H43010000002"]])
            try await li.expect(.unprocessableContent, .post, "\(uri)/links", ["claim_ids": ["no-such-claim"]])
            try await li.expect(.ok, .post, "\(uri)/links", ["institution_ids": ["H43010000002"]])
            try await boss.expect(.unprocessableContent, .post, "\(uri)/decision", ["outcome": "confirmed", "grade": 1])
            try await boss.expect(.unprocessableContent, .post, "\(uri)/decision", ["outcome": "confirmed", "grade": 9, "recovered_amount": 10])
            let decided = try await boss.expect(.ok, .post, "\(uri)/decision",
                                                ["outcome": "confirmed", "grade": 1, "recovered_amount": 10_000_000]) as? [String: Any]
            let award = (decided?["workflow"] as? [String: Any])?["award"] as? [String: Any]
            let rule = try XCTUnwrap(RewardSchedule.standard.grades[1])
            XCTAssertEqual(award?["amount"] as? Double, NSDecimalNumber(decimal: rule.cap).doubleValue, "3% of 10 million stops at the cap")
            XCTAssertEqual(award?["cap_applied"] as? Bool, true)
            try await boss.expect(.conflict, .post, "\(uri)/decision", ["outcome": "unfounded", "reason": "second thoughts"])
            try await boss.expect(.unprocessableContent, .post, "\(uri)/payment", ["payment_reference": " "])
            try await boss.expect(.ok, .post, "\(uri)/payment", ["payment_reference": "P-1"])
            try await boss.expect(.conflict, .post, "\(uri)/payment", ["payment_reference": "P-2"])

            let steps = try await harness.progress(of: id)
            XCTAssertEqual(steps.map(\.status), ["assigned", "investigating", "confirmed", "rewarded", "paid"], "one event per step, refusals none")
            XCTAssertEqual(steps.map(\.step), Array(1...5))
            XCTAssertEqual(steps.last?.rewardAmount, rule.cap)
            XCTAssertEqual(steps.last?.paid, true)
            let auditor = Desk(client: client, user: "shen", role: .auditor)
            let verified = try await auditor.expect(.ok, .get, "/api/audit/verify") as? [String: Any]
            XCTAssertEqual(verified?["valid"] as? Bool, true)
            let paid = try await harness.count("audit_log", where: "action = 'report.paid' AND subject = 'report:\(id)'")
            XCTAssertEqual(paid, 1)
        }
    }

    func testAnUnfoundedReportNeedsAReasonAndEarnsNothing() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let id = try await harness.receive(reportReceived("R-\(UUID())", subject: ("person", try harness.person(insuredIn: "4301"))))
            let insuredElsewhere = try await harness.receive(reportReceived("R-\(UUID())", subject: ("person", try harness.person(insuredIn: "32"))))
            let boss = Desk(client: client, user: "wang", role: .supervisor)
            // A person's report goes to the region where the person is insured, not the supervisor's.
            try await boss.expect(.forbidden, .post, "/api/workbench/reports/\(insuredElsewhere)/assign", ["assignee": "wang"])
            try await boss.expect(.ok, .post, "/api/workbench/reports/\(id)/assign", ["assignee": "wang"])
            try await boss.expect(.unprocessableContent, .post, "/api/workbench/reports/\(id)/decision", ["outcome": "unfounded"])
            try await boss.expect(.unprocessableContent, .post, "/api/workbench/reports/\(id)/decision", ["outcome": "maybe"])
            try await boss.expect(.ok, .post, "/api/workbench/reports/\(id)/decision", ["outcome": "unfounded", "reason": "查无此诊疗记录"])
            let steps = try await harness.progress(of: id)
            XCTAssertEqual(steps.map(\.status), ["assigned", "unfounded"])
            XCTAssertNil(steps.last?.rewardAmount)
        }
    }

    func testTheRewardScheduleIsConfiguredAsJSONAndCheckedAtStartUp() throws {
        let custom = try RewardSchedule.configured(Environment(["REVIEW_REWARD_SCHEDULE": #"{"grades":{"1":{"rate":0.05,"floor":100,"cap":5000}}}"#]))
        XCTAssertEqual(custom.grades.keys.sorted(), [1])
        XCTAssertEqual(custom.reward(grade: 1, recoveredAmount: 20_000, verified: true)?.amount, 1_000, "5% of 20,000")
        XCTAssertEqual(custom.reward(grade: 1, recoveredAmount: 1_000_000, verified: true)?.amount, 5_000, "the configured cap")
        XCTAssertEqual(try RewardSchedule.configured(Environment([:])), .standard)
        XCTAssertThrowsError(try RewardSchedule.configured(Environment(["REVIEW_REWARD_SCHEDULE": #"{"grades":{"1":{"rate":0.05,"floor":900,"cap":500}}}"#])))
        XCTAssertThrowsError(try RewardSchedule.configured(Environment(["REVIEW_REWARD_SCHEDULE": "3%"])))
    }
}

func reportReceived(_ id: String, subject: (String, String)) -> ReportReceived {
    ReportReceived(reportId: id, subjectType: subject.0, subjectId: subject.1, content: "挂床住院", evidence: ["file:1"], receivedAt: Date())
}

func receivedEvent(_ report: ReportReceived) throws -> CloudEvent {
    try CloudEvent(id: report.eventID, source: "/intake", type: EventType.reportReceived, encoding: report)
}

extension ReviewHarness {
    /// Takes a report in through the processor's handler, in one transaction as the processor would.
    func receive(_ report: ReportReceived) async throws -> String {
        let event = try CloudEvent(id: report.eventID, source: "/intake", type: EventType.reportReceived, encoding: report)
        let receiver = ReportReceiver(database: database, reference: assembly.reference)
        try await database.transaction { connection in try await receiver.apply(event, on: connection, logger: database.logger) }
        return report.reportId
    }

    /// The `reports.progress` events in the outbox for one report, in step order.
    func progress(of reportID: String) async throws -> [ReportProgress] {
        let rows = try await database.client.query("""
            SELECT payload FROM \(unescaped: schema).outbox WHERE topic = \(Topic.reportsProgress) AND key = \(ByteBuffer(string: reportID)) ORDER BY seq
            """)
        var steps: [ReportProgress] = []
        for try await payload in rows.decode(ByteBuffer.self) { steps.append(try EventJSON.decoder.decode(ReportProgress.self, from: Data(buffer: payload))) }
        return steps
    }

    /// An insured person whose home region (参保地) is under `prefix`.
    func person(insuredIn prefix: String) throws -> String {
        try XCTUnwrap(try assembly.reference.knowledgeBase.persons.values.filter { $0.insuredRegion.hasPrefix(prefix) }.map(\.id).sorted().first)
    }
}

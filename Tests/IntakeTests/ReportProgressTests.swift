import Events
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import XCTest
@testable import intake

/// The reporter follows the workbench's steps through the tracking number: progress events from
/// smart-review update intake's answer once each, and never backwards.
final class ReportProgressTests: XCTestCase {
    func testProgressEventsUpdateTheTrackingAnswerMonotonically() async throws {
        let harness = try IntakeHarness()
        let topic = TestEnvironment.unique("reports.progress")
        try await harness.run { client, _ in
            let tracking = try await client.report()
            let id = try await harness.reportID(tracking: tracking)
            let before = try await client.tracking(tracking)
            XCTAssertEqual(before["status"] as? String, "received")
            XCTAssertNil(before["reward_amount"])

            let reward = Decimal(string: "703.70")!
            let late = [progressStep(id, 2, "investigating"), progressStep(id, 1, "assigned"), progressStep(id, 4, "rewarded", reward: reward),
                        progressStep(id, 3, "confirmed"), progressStep(id, 4, "rewarded", reward: reward), progressStep(id, 1, "assigned", unknown: true)]
            try await TestEnvironment.deliver(try late.map(progressEvent), to: topic, through: try harness.assembly.reportProgressProcessor(topics: [topic])) {
                try await harness.count("inbox", where: "consumer = 'report-progress'") == 5
            }
            let rewarded = try await client.tracking(tracking)
            XCTAssertEqual(rewarded["status"] as? String, "rewarded", "an older step arriving late does not overwrite a newer one")
            XCTAssertEqual(rewarded["reward_amount"] as? String, "703.70")
            XCTAssertEqual(rewarded["reward_paid"] as? String, "false")

            try await TestEnvironment.deliver([try progressEvent(progressStep(id, 5, "paid", reward: reward, paid: true))], to: topic,
                                              through: try harness.assembly.reportProgressProcessor(topics: [topic])) {
                try await harness.count("reports", where: "progress_step = 5") == 1
            }
            let paid = try await client.tracking(tracking)
            XCTAssertEqual(paid["status"] as? String, "paid")
            XCTAssertEqual(paid["reward_paid"] as? String, "true")
            XCTAssertNotNil(paid["updated_at"])
        }
    }
}

private func progressStep(_ id: String, _ number: Int, _ status: String, reward: Decimal? = nil, paid: Bool = false,
                  unknown: Bool = false) -> ReportProgress {
    ReportProgress(reportId: unknown ? "no-such-report" : id, step: number, status: status, rewardAmount: reward, paid: paid, at: Date())
}

private func progressEvent(_ progress: ReportProgress) throws -> CloudEvent {
    try CloudEvent(id: progress.eventID, source: "/smart-review", type: EventType.reportProgress, encoding: progress)
}

extension IntakeHarness {
    func reportID(tracking: String) async throws -> String {
        let rows = try await runtime.database.client.query("SELECT report_id FROM \(unescaped: schema).reports WHERE tracking_no = \(tracking)")
        var found: String?
        for try await id in rows.decode(String.self) { found = id }
        return try XCTUnwrap(found, "no report \(tracking)")
    }
}

extension TestClientProtocol {
    /// Files a report as a citizen would; returns the tracking number.
    func report() async throws -> String {
        let body: [String: Any] = ["subject_type": "institution", "subject_id": "H43010000001", "content": "空刷医保卡",
                                   "reporter": ["name": "举报人", "phone": "13900000000"]]
        return try await execute(uri: "/api/reports", method: .post, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) { response in
            XCTAssertEqual(response.status, .created)
            return try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["tracking_no"] as? String)
        }
    }

    func tracking(_ number: String) async throws -> [String: Any] {
        try await execute(uri: "/api/reports/\(number)", method: .get) { response in
            XCTAssertEqual(response.status, .ok)
            return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
        }
    }
}

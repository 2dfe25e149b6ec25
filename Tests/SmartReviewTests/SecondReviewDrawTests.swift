import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import XCTest
@testable import smart_review

/// 复审抽查 as the documents mean it: at least 5% of the first review's results, machine-passed claims
/// included, seeded and replayable; a short batch does not wait for ever.
final class SecondReviewDrawTests: XCTestCase {
    func testAShortBatchIsDrawnOnceItsOldestDecisionWaitedTheFlushTime() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(3, prefix: "MD-FL")
            // Reminders, not high-risk: each first decision waits for the draw.
            try await harness.sql("UPDATE {schema}.review_items SET severity = 3")
            let li = Desk(client: client, user: "li", role: .firstReviewer)
            for item in try await harness.itemIDs() {
                try await li.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
                try await li.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "not_violation", "reason": "合理"])
            }
            let waiting = try await harness.count("review_items", where: "state = 'sampling'")
            XCTAssertEqual(waiting, 3, "a batch of 20 is not full")
            let workbench = harness.assembly.workbench
            try await workbench.samplingRound(now: Date())
            let stillWaiting = try await harness.count("review_items", where: "state = 'sampling'")
            XCTAssertEqual(stillWaiting, 3, "not yet: the flush time has not passed")
            try await workbench.samplingRound(now: Date().addingTimeInterval(workbench.sampling.flushAfter + 1))
            let drawn = try await harness.count("review_items", where: "state = 'sampling'")
            XCTAssertEqual(drawn, 0)
            let second = try await harness.count("review_items", where: "state = 'second_pending'")
            XCTAssertEqual(second, 1, "ceil(5% of 3)")
            let flushed = try await harness.count("audit_log", where: "action = 'sample.flushed' AND actor = 'system'")
            XCTAssertEqual(flushed, 1)
            let samples = try await harness.sampleIDs(kind: "decisions")
            let sample = try XCTUnwrap(samples.first)
            let replay = try await Desk(client: client, user: "sun", role: .auditor).expect(.ok, .get, "/api/workbench/samples/\(sample)/replay") as? [String: Any]
            XCTAssertEqual(replay?["same"] as? Bool, true)
        }
    }

    func testADaysMachinePassedClaimsAreRecheckedAtFivePercentAndTheDrawReplays() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let visits = try (0..<30).map { _ in try accepted(Fixture.encounter(lines: [Fixture.consultLine()])) }
            try await harness.consume(visits) { try await harness.count("claims") == 30 }
            // One person's 30 visits on a day: the history patterns flag some; the rest the machine passed.
            let passed = try await harness.count("claims", where: "NOT EXISTS (SELECT 1 FROM \(harness.schema).findings f WHERE f.claim_id = claims.claim_id)")
            XCTAssertGreaterThan(passed, 0)
            let expected = (passed + 19) / 20
            let today = SecondReviewSampler.day(of: Date())
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            try await zhao.expect(.unprocessableContent, .post, "/api/workbench/samples/machine-passed", ["day": "2026-02-30"])
            let drawn = try await zhao.expect(.created, .post, "/api/workbench/samples/machine-passed", ["day": today]) as? [String: Any]
            let selection = drawn?["selection"] as? [String: Any]
            XCTAssertEqual((selection?["population"] as? [String])?.count, passed, "the machine-passed claims, not the flagged ones")
            XCTAssertEqual((selection?["selected_item_i_ds"] as? [String])?.count, expected, "ceil(5% of the passed)")
            let rechecks = try await harness.count("review_items", where: "state = 'second_pending' AND severity = 3")
            XCTAssertEqual(rechecks, expected, "the drawn claims wait for a second-level reviewer")
            let again = try await zhao.expect(.created, .post, "/api/workbench/samples/machine-passed", ["day": today]) as? [String: Any]
            XCTAssertEqual(again?["sample_id"] as? Int, drawn?["sample_id"] as? Int, "a day is drawn once")
            let sample = try XCTUnwrap(drawn?["sample_id"] as? Int)
            let replay = try await Desk(client: client, user: "sun", role: .auditor).expect(.ok, .get, "/api/workbench/samples/\(sample)/replay") as? [String: Any]
            XCTAssertEqual(replay?["same"] as? Bool, true)
            XCTAssertEqual((replay?["rerun"] as? [String])?.count, expected)
            let queue = try await Desk(client: client, user: "wang", role: .secondReviewer).call(.get, "/api/workbench/queue").json as? [[String: Any]]
            XCTAssertEqual(queue?.count, expected)
        }
    }
}

extension ReviewHarness {
    func sampleIDs(kind: String) async throws -> [Int] {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT sample_id FROM \(schema).second_review_samples WHERE kind = '\(kind)' ORDER BY 1"))
        var ids: [Int] = []
        for try await id in rows.decode(Int.self) { ids.append(id) }
        return ids
    }
}

import Events
import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import RuleEngine
import TestSupport
import XCTest
@testable import smart_review

final class ReviewTests: XCTestCase {
    func testEveryClaimIsReviewedOnceAndARedeliveryAddsNothing() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            let duplicate = try accepted(Fixture.encounter("MD-DUP", lines: [Fixture.consultLine(count: 2)]))
            let clean = try accepted(Fixture.encounter("MD-CLEAN"))
            try await harness.consume([duplicate, clean, duplicate]) { try await harness.count("reviews") == 2 }
            let findings = try await harness.count("findings"), p04 = try await harness.count("findings", where: "pattern = 'P04'")
            let published = try await harness.count("outbox", where: "topic = 'review.findings'")
            let stored = try await harness.count("claims"), inbox = try await harness.count("inbox", where: "consumer = 'claims'")
            XCTAssertEqual(findings, 1)
            XCTAssertEqual(p04, 1)
            XCTAssertEqual(published, 1, "one event per finding")
            XCTAssertEqual(stored, 2, "the redelivered event was recognised by its stored claim")
            XCTAssertEqual(inbox, 0, "the claims consumer keeps no inbox: its archive is its memory")
            let stamped = try await harness.count("findings", where: "rule_set_version = 1 AND kb_version LIKE 'kb-%' AND rule_id = 'R-P04-001'")
            XCTAssertEqual(stamped, 1, "each finding names its rule, rule-base and knowledge-base versions")
        }
    }

    /// The claims consumer has no inbox: an event delivered again in a later run (a relay that
    /// published and died before marking) finds its claim stored and changes nothing.
    func testAClaimDeliveredAgainInALaterRunIsLeftOut() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            let event = try accepted(Fixture.encounter("MD-AGAIN", lines: [Fixture.consultLine(count: 2)]))
            try await harness.consume([event]) { try await harness.count("findings") == 1 }
            try await harness.consume([event, try accepted(Fixture.encounter("MD-NEXT"))]) { try await harness.count("reviews") == 2 }
            let reviews = try await harness.count("reviews"), findings = try await harness.count("findings")
            let published = try await harness.count("outbox", where: "topic = 'review.findings'"), stored = try await harness.count("claims")
            XCTAssertEqual(reviews, 2, "the claim delivered again is not reviewed again; the next one is")
            XCTAssertEqual(findings, 1)
            XCTAssertEqual(published, 1, "no second finding event")
            XCTAssertEqual(stored, 2)
            let dead = try await harness.count("dead_letters")
            XCTAssertEqual(dead, 0, "left out, not failed: a stored claim written again would break the run and be dead-lettered")
        }
    }

    func testAMalformedEventIsDeadLetteredAndConsumptionGoesOn() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let malformed = CloudEvent(id: "claim-accepted:broken", source: "/intake", type: EventType.claimAccepted, data: Array("{\"claim_id\":1}".utf8))
            try await harness.consume([malformed, try accepted(Fixture.encounter("MD-AFTER"))]) { try await harness.count("reviews") == 1 }
            let dead = try await harness.count("dead_letters", where: "event_id = 'claim-accepted:broken' AND error LIKE '%cannot be read%'")
            XCTAssertEqual(dead, 1)
            try await client.execute(uri: "/api/events/dead-letters", method: .get) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.execute(uri: "/api/events/dead-letters", method: .get, headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"]) { response in
                XCTAssertEqual(response.status, .ok)
                let listed = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                XCTAssertEqual(listed?.first?["event_id"] as? String, "claim-accepted:broken")
                XCTAssertNil(listed?.first?["payload"], "payloads can hold personal data")
            }
        }
    }

    func testAHistoryPatternLandsOnTheCompletingClaimEvenWhenItArrivesLate() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            // The same package sold twice (回流药, P13): the later-reviewed claim is flagged, naming the other.
            let first = Fixture.encounter("MD-A", lines: [Fixture.drugLine()])
            var second = Fixture.encounter("MD-B", lines: [Fixture.drugLine()])
            second.fsiOrderDtos[0].drugTracCodg = first.fsiOrderDtos[0].drugTracCodg
            second.admDate = "2026-11-19 09:00:00"   // earlier care, reviewed later
            second.dscgDate = "2026-11-19 09:20:00"
            second.fsiOrderDtos[0].feeOcurTime = "2026-11-19 09:10:00"
            try await harness.consume([try accepted(first), try accepted(second)]) { try await harness.count("reviews") == 2 }
            let flagged = try await harness.count("findings", where: "pattern = 'P13' AND claim_id = 'H43010000001/MD-B/S1' AND body->'evidence_claims' ? 'H43010000001/MD-A/S1'")
            XCTAssertEqual(flagged, 1)
        }
    }

    /// The fault run's probe route, its read held as a hung PostgreSQL holds it (a lock held by
    /// another connection): 503 with Retry-After within PG_REQUEST_TIMEOUT, not when the wait ends.
    func testCoverageHeldByTheDatabaseAnswers503WithinItsDeadline() async throws {
        let harness = try ReviewHarness(extra: ["PG_REQUEST_TIMEOUT": "1"])
        try await harness.run { client in
            try await withTableLocked("\(harness.schema).claims") {
                let start = ContinuousClock.now
                try await client.execute(uri: "/api/coverage", method: .get) { response in
                    XCTAssertEqual(response.status, .serviceUnavailable)
                    XCTAssertEqual(response.headers[.retryAfter], "1")
                }
                XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
            }
            try await client.execute(uri: "/api/coverage", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    func testCoverageShowsGapsAndTheReconcilerClosesThem() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let events = try (0..<5).map { try accepted(Fixture.encounter("MD-COV-\($0)", lines: [Fixture.consultLine(count: 2)])) }
            try await harness.consume(events) { try await harness.count("reviews") == 5 }
            try await harness.database.client.query("DELETE FROM \(unescaped: harness.schema).reviews WHERE claim_id LIKE '%MD-COV-1%' OR claim_id LIKE '%MD-COV-3%'")
            try await client.execute(uri: "/api/coverage", method: .get) { response in
                let report = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                XCTAssertEqual(report["claims_received"] as? Int, 5)
                XCTAssertEqual(Set(report["not_reviewed"] as! [String]), ["H43010000001/MD-COV-1/S1", "H43010000001/MD-COV-3/S1"])
            }
            let closed = try await harness.assembly.reconciler.reconcile()
            XCTAssertEqual(closed, 2)
            let gaps = try await harness.assembly.reconciler.coverage.gaps(limit: 10)
            let findings = try await harness.count("findings")
            XCTAssertEqual(gaps, [])
            XCTAssertEqual(findings, 5, "re-reviewing adds no finding twice")
        }
    }

    /// The periodic sweep looks at every claim when it first runs and once a day; between, only at
    /// the claims that became certain since the sweep before (received before it less its margin,
    /// the transaction timeout and half a minute), each once: a gap of an older claim waits for the
    /// next full sweep, a new one is closed once its margin has passed.
    func testTheReconcilersSweepLooksAtRecentClaimsBetweenFullSweeps() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            let events = try (0..<4).map { try accepted(Fixture.encounter("MD-SWP-\($0)", lines: [Fixture.consultLine(count: 2)])) }
            try await harness.consume(events) { try await harness.count("reviews") == 4 }
            let reconciler = Reconciler(coverage: harness.assembly.reconciler.coverage, reviewer: harness.assembly.reviewer)
            let start = Date()
            let first = try await reconciler.sweep(now: start)
            XCTAssertEqual(first, 0, "the first sweep looks at every claim and finds none unreviewed")
            let schema = harness.schema
            func lose(_ n: Int, receivedMinutesAgo minutes: Int) async throws {
                try await harness.database.client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(schema).reviews WHERE claim_id LIKE '%/MD-SWP-\(n)/%'"))
                try await harness.database.client.query(PostgresQuery(unsafeSQL:
                    "UPDATE \(schema).claims SET received_at = now() - interval '\(minutes) minutes' WHERE claim_id LIKE '%/MD-SWP-\(n)/%'"))
            }
            try await lose(1, receivedMinutesAgo: 120)
            try await lose(3, receivedMinutesAgo: 5)
            try await lose(2, receivedMinutesAgo: 0)
            let early = try await reconciler.sweep(now: start.addingTimeInterval(30))
            XCTAssertEqual(early, 0, "the claim received just now may still be in its transaction: not yet looked at")
            let recent = try await reconciler.sweep(now: start.addingTimeInterval(reconciler.margin + 31))
            XCTAssertEqual(recent, 1, "the claim received since the last sweep, once its margin has passed")
            let older = try await reconciler.coverage.gaps(limit: 10)
            XCTAssertEqual(older, ["H43010000001/MD-SWP-1/S1", "H43010000001/MD-SWP-3/S1"],
                           "received two hours and five minutes ago, before the last sweep less its margin: left to the daily sweep")
            try await lose(2, receivedMinutesAgo: 0)
            let again = try await reconciler.sweep(now: start.addingTimeInterval(reconciler.margin + 61))
            XCTAssertEqual(again, 0, "a claim is looked at once between full sweeps")
            let daily = try await reconciler.sweep(now: start.addingTimeInterval(25 * 3600))
            XCTAssertEqual(daily, 3)
            let left = try await reconciler.coverage.gaps(limit: 10)
            XCTAssertEqual(left, [])
        }
    }

    func testARuleBaseVersionIsPublishedWhileRunningAndBrokenOnesAreRefused() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let operatorHeaders: HTTPFields = [.authorization: "Bearer \(TestEnvironment.operatorToken)", .init("x-operator")!: "规则管理员"]
            var rules = RuleSet.defaults
            rules.version = 2
            let index = try XCTUnwrap(rules.rules.firstIndex { $0.pattern == "P04" })
            rules.rules[index].enabled = false
            var broken = rules
            broken.rules[0].pattern = "P99"
            try await client.execute(uri: "/api/rules", method: .put, headers: operatorHeaders, body: ByteBuffer(data: try JSONEncoder().encode(broken))) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue(String(buffer: response.body).contains(broken.rules[0].id), String(buffer: response.body))
            }
            try await client.execute(uri: "/api/rules", method: .put, body: ByteBuffer(data: try JSONEncoder().encode(rules))) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            try await client.execute(uri: "/api/rules", method: .put, headers: operatorHeaders, body: ByteBuffer(data: try JSONEncoder().encode(rules))) {
                XCTAssertEqual($0.status, .ok)
            }
            try await harness.consume([try accepted(Fixture.encounter("MD-V2", lines: [Fixture.consultLine(count: 2)]), patient: Fixture.patient(gend: "2"))]) {
                try await harness.count("reviews") == 1
            }
            let p04 = try await harness.count("findings", where: "pattern = 'P04'")
            let p21 = try await harness.count("findings", where: "pattern = 'P21' AND rule_set_version = 2")
            let reviewed = try await harness.count("reviews", where: "rule_set_version = 2")
            XCTAssertEqual(p04, 0, "the disabled rule no longer fires")
            XCTAssertEqual(p21, 1, "findings name the new version")
            XCTAssertEqual(reviewed, 1)
        }
    }
}

final class ReviewDocumentTests: XCTestCase {
    func testOpenAPIDocumentIsServedAndDescribesEveryRoute() async throws {
        let harness = try ReviewHarness()
        let file = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Services/smart-review/Resources/smart-review.yaml"),
                              encoding: .utf8)
        try await harness.run { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { XCTAssertEqual(String(buffer: $0.body), file) }
        }
        XCTAssertEqual(OpenAPICoverage.undocumented(harness.assembly.router(), document: file), [], "routes missing from the document")
        let withoutCases = file.replacingOccurrences(of: "\n  /api/workbench/cases/{id}/publish:\n", with: "\n  /elsewhere:\n")
        XCTAssertEqual(OpenAPICoverage.undocumented(harness.assembly.router(), document: withoutCases), ["POST /api/workbench/cases/{id}/publish"],
                       "the check names a route the document lacks")
    }
}

final class ReplayTests: XCTestCase {
    func testReplayReportsWhatANewVersionWouldCatchAndAddsItOnceForReal() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let events = try (0..<3).map { try accepted(Fixture.encounter("MD-RP-\($0)", lines: [Fixture.consultLine(count: 2)])) }
            try await harness.consume(events) { try await harness.count("reviews") == 3 }
            var rules = RuleSet.defaults
            rules.version = 2
            let index = try XCTUnwrap(rules.rules.firstIndex { $0.pattern == "P04" })
            rules.rules[index].version = 2
            func replay(dryRun: Bool) async throws -> [String: Any] {
                let body: [String: Any] = ["from": "2026-11-01", "to": "2026-11-30", "dry_run": dryRun,
                                           "rule_set": try JSONSerialization.jsonObject(with: JSONEncoder().encode(rules))]
                return try await client.execute(uri: "/api/replay", method: .post, headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"],
                                                body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) { response in
                    XCTAssertEqual(response.status, .ok, String(buffer: response.body))
                    return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                }
            }
            let dry = try await replay(dryRun: true)
            XCTAssertEqual(dry["claims"] as? Int, 3)
            XCTAssertEqual((dry["added"] as? [String: Int])?["P04"], 3, "rule version 2 gives findings of its own")
            let afterDry = try await harness.count("findings")
            XCTAssertEqual(afterDry, 3, "a dry run writes nothing")
            _ = try await replay(dryRun: false)
            let replayed = try await harness.count("findings", where: "stage = 'replay' AND rule_version = 2")
            XCTAssertEqual(replayed, 3)
            let again = try await replay(dryRun: false)
            XCTAssertEqual((again["added"] as? [String: Int])?["P04"] ?? 0, 0, "a second run adds nothing")
        }
    }
}

final class DisclosureTests: XCTestCase {
    func testMonthlyFiguresArePublishedOncePerInstitutionAndFigures() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let events = try [accepted(Fixture.encounter("MD-ST-1")), accepted(Fixture.encounter("MD-ST-2", lines: [Fixture.consultLine(count: 2)]))]
            try await harness.consume(events) { try await harness.count("reviews") == 2 }
            try await client.execute(uri: "/api/statistics?period=2026-11", method: .get) { response in
                let rows = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [[String: Any]]
                XCTAssertEqual(rows.count, 1)
                XCTAssertEqual(rows[0]["encounters"] as? Int, 2)
                XCTAssertEqual(rows[0]["total_fees"] as? Double, 61.6)
                XCTAssertEqual((rows[0]["findings_per_pattern"] as? [String: Int])?["P04"], 1)
            }
            for _ in 0..<2 {
                try await client.execute(uri: "/api/statistics/publish?period=2026-11", method: .post,
                                         headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"]) { XCTAssertEqual($0.status, .ok) }
            }
            let published = try await harness.count("outbox", where: "topic = 'review.statistics'")
            XCTAssertEqual(published, 1, "the same figures twice are one event")
            try await client.execute(uri: "/api/statistics?period=2026-13x", method: .get) { XCTAssertEqual($0.status, .badRequest) }
        }
    }
}

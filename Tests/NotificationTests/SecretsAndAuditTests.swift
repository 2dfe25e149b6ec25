import Events
import Foundation
import NotificationRules
import PostgresNIO
import TestSupport
import XCTest
@testable import notification

/// Webhook secrets sealed at rest, the operators' actions in notification's chain, and every
/// service's announced chain heads on the public feed.
final class SecretsAndAuditTests: XCTestCase {
    func testWebhookSecretsAreSealedAtRestAndThoseInClearAreSealedAgain() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            let police = try await client.register("police-hn", type: "police", jurisdiction: "430000", url: "http://127.0.0.1:9/hook")
            let secret = try XCTUnwrap(police.secret)
            let inClear = try await harness.count("webhook_secrets", where: "secret = '\(secret)' OR secret NOT LIKE 'aesgcm1:%'")
            XCTAssertEqual(inClear, 0, "the secret is stored sealed only")
            try await harness.database.client.query("""
                INSERT INTO \(unescaped: harness.schema).webhook_secrets (subscriber_id, secret) VALUES ('police-hn', 'whsec_bGVnYWN5LWNsZWFy')
                """, logger: harness.runtime.logger)
            let resealed = try await harness.assembly.subscribers.reseal()
            XCTAssertEqual(resealed, 1)
            let stored = try await harness.scalar("SELECT secret FROM \(harness.schema).webhook_secrets ORDER BY id DESC LIMIT 1", as: String.self)
            XCTAssertEqual(try harness.assembly.subscribers.sealer.open(try XCTUnwrap(stored)), "whsec_bGVnYWN5LWNsZWFy")
            let audited = try await harness.count("audit_log", where: "action = 'subscriber.created' AND actor = 'test-operator' AND subject = 'subscriber:police-hn'")
            XCTAssertEqual(audited, 1, "the operator's action is in notification's chain")
        }
    }

    func testAnnouncedChainHeadsAreOnThePublicFeedAndTheFirstAnnouncementStands() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            let feed = AuditHeadsFeed(database: harness.database)
            for (service, sequence, hash) in [("credit", 4, "aa"), ("credit", 9, "bb"), ("intake", 2, "cc"), ("credit", 9, "forged")] {
                let head = AuditHeadAnnouncement(service: service, chain: service, sequence: UInt64(sequence), hash: hash, time: Date())
                let event = try CloudEvent(id: "audit-head:\(service):\(sequence):\(hash)", source: "/\(service)", type: EventType.auditHead, encoding: head)
                try await harness.database.transaction { connection in try await feed.apply(event, on: connection) }
            }
            let answer = try await client.call("/public/audit-heads?service=credit", token: nil)
            XCTAssertEqual(answer.status, .ok)
            let heads = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [[String: Any]])
            XCTAssertEqual(heads.map { "\($0["sequence"] ?? ""):\($0["hash"] ?? "")" }, ["4:aa", "9:bb"])
        }
    }
}

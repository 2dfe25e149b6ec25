import Foundation
import HummingbirdTesting
import NotificationRules
import TestSupport
import XCTest
@testable import notification

final class DeliveryTests: XCTestCase {
    /// A referral to the police, consumed from Kafka, delivered to a receiver that answers 503
    /// five times: six attempts recorded, one delivery id, delivered once; the event consumed
    /// again makes no second delivery.
    func testReceiverFailingFiveTimesGetsTheDeliveryOnceByID() async throws {
        let harness = try NotificationHarness()
        let receiver = Receiver(failures: 5)
        try await receiver.start()
        try await harness.run { client in
            let police = try await client.register("police-hn", type: "police", jurisdiction: "430000", url: receiver.url)
            let event = try Fixture.event(Fixture.decided("CASE-FLAKY", police: true))
            try await harness.publish([event])
            try await harness.waitUntil("delivered") { try await harness.count("deliveries", where: "status = 'delivered'") == 1 }
            try await harness.publish([event])
            try await Task.sleep(for: .milliseconds(800))

            try await expectEqual(try await harness.count("deliveries", where: "subscriber_id = 'police-hn'"), 1)
            XCTAssertEqual(receiver.requests.count, 6)
            XCTAssertEqual(receiver.delivered.count, 1)
            let id = DeliveryEnvelope.deliveryID(eventID: event.id, subscriberID: "police-hn")
            XCTAssertEqual(Set(receiver.requests.compactMap { $0.headers["webhook-id"] }), [id], "every attempt carries the same id")
            XCTAssertTrue(Receiver.verify(receiver.delivered[0], secrets: [police.secret!]))
            let detail = try await client.call("/api/deliveries/\(id)")
            XCTAssertEqual((detail.object["attempt_log"] as? [[String: Any]])?.count, 6, "every attempt and its answer is recorded")
            XCTAssertEqual((detail.object["attempt_log"] as? [[String: Any]])?.first?["http_status"] as? Int, 503)
        }
        await receiver.stop()
    }

    /// Down for the whole budget: dead-lettered, listed, replayed once it is back, delivered.
    func testReceiverDownForTheWholeBudgetIsDeadLetteredAndReplayed() async throws {
        let harness = try NotificationHarness(maxAttempts: 4)
        let receiver = Receiver(failures: .max)
        try await receiver.start()
        try await harness.run { client in
            _ = try await client.register("police-hn", type: "police", jurisdiction: "430000", url: receiver.url)
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-DOWN", police: true)))
            try await harness.waitUntil("dead-lettered") { try await harness.count("deliveries", where: "status = 'dead'") == 1 }
            let dead = try await client.call("/api/dead-letters")
            XCTAssertEqual(dead.array.count, 1)
            XCTAssertEqual(dead.array.first?["attempts"] as? Int, 4)
            let id = try XCTUnwrap(dead.array.first?["id"] as? String)
            try await expectEqual(try await client.call("/api/dead-letters/\(id)/replay", .post, token: "wrong").status, .unauthorized)

            receiver.setFailures(0)
            try await expectEqual(try await client.call("/api/dead-letters/\(id)/replay", .post).status, .accepted)
            try await harness.waitUntil("delivered after replay") { try await harness.count("deliveries", where: "status = 'delivered'") == 1 }
            XCTAssertEqual(receiver.delivered.count, 1)
            try await expectEqual(try await harness.count("attempts", where: "delivery_id = '\(id)'"), 5)
            try await expectEqual(try await client.call("/api/dead-letters").array.count, 0)
            try await expectEqual(try await client.call("/api/dead-letters/\(id)/replay", .post).status, .notFound)
        }
        await receiver.stop()
    }

    /// Signed with every active secret: during a rotation the old and the new secret verify,
    /// another does not; a revoked secret no longer signs.
    func testSignaturesVerifyWithTheReceiversSecretsOnly() async throws {
        let harness = try NotificationHarness()
        let receiver = Receiver()
        try await receiver.start()
        try await harness.run { client in
            let registered = try await client.register("police-hn", type: "police", jurisdiction: "430000", url: receiver.url)
            let old = try XCTUnwrap(registered.secret)
            let rotated = try await client.call("/api/subscribers/police-hn/secrets", .post, json: [:] as [String: Any])
            XCTAssertEqual(rotated.status, .created)
            let new = try XCTUnwrap(rotated.object["secret"] as? String)
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-SIG-1", police: true)))
            try await harness.waitUntil("delivered") { receiver.delivered.count == 1 }
            let first = receiver.delivered[0]
            XCTAssertTrue(Receiver.verify(first, secrets: [old]))
            XCTAssertTrue(Receiver.verify(first, secrets: [new]))
            XCTAssertFalse(Receiver.verify(first, secrets: [WebhookSecret(key: Data(repeating: 9, count: 32)).encoded]))
            var tampered = first
            tampered.body = Data(String(decoding: first.body, as: UTF8.self).replacingOccurrences(of: "CASE-SIG-1", with: "CASE-SIG-X").utf8)
            XCTAssertFalse(Receiver.verify(tampered, secrets: [old, new]))

            let secrets = try await client.call("/api/subscribers/police-hn/secrets").array
            let oldID = try XCTUnwrap(secrets.first?["id"] as? Int)
            try await expectEqual(try await client.call("/api/subscribers/police-hn/secrets/\(oldID)", .delete).status, .noContent)
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-SIG-2", police: true)))
            try await harness.waitUntil("second delivered") { receiver.delivered.count == 2 }
            XCTAssertFalse(Receiver.verify(receiver.delivered[1], secrets: [old]))
            XCTAssertTrue(Receiver.verify(receiver.delivered[1], secrets: [new]))
        }
        await receiver.stop()
    }

    /// A receiver taking 1.5 s per request holds only its own slots: the fast one has all its
    /// deliveries long before the slow one is through.
    func testSlowReceiverDoesNotDelayAFastOne() async throws {
        let harness = try NotificationHarness(timeoutMS: 5_000)
        let slow = Receiver(delay: .milliseconds(1_500)), fast = Receiver()
        try await slow.start()
        try await fast.start()
        try await harness.run { client in
            _ = try await client.register("police-slow", type: "police", jurisdiction: "430000", url: slow.url, maxInFlight: 2)
            _ = try await client.register("market-fast", type: "marketRegulation", jurisdiction: "430000", url: fast.url, maxInFlight: 2)
            let started = ContinuousClock.now
            for n in 0..<6 {
                try await harness.apply(try Fixture.event(Fixture.decided("CASE-SPEED-\(n)", patterns: ["P03"], police: true)))
            }
            try await harness.waitUntil("fast receiver served") { fast.delivered.count == 6 }
            let fastDone = ContinuousClock.now - started
            XCTAssertLessThan(fastDone, .milliseconds(1_500), "the fast receiver did not wait for the slow one")
            XCTAssertLessThan(slow.delivered.count, 6)
            try await harness.waitUntil("slow receiver served") { slow.delivered.count == 6 }
        }
        await slow.stop()
        await fast.stop()
    }

    /// A subscriber that asks for ordering gets its deliveries one at a time, in order.
    func testOrderedSubscriberReceivesInOrder() async throws {
        let harness = try NotificationHarness()
        let receiver = Receiver(failures: 2)
        try await receiver.start()
        try await harness.run { client in
            _ = try await client.register("police-ordered", type: "police", jurisdiction: "430000", url: receiver.url, maxInFlight: 4, ordered: true)
            for n in 0..<4 { try await harness.apply(try Fixture.event(Fixture.decided("CASE-ORD-\(n)", police: true))) }
            try await harness.waitUntil("all delivered") { receiver.delivered.count == 4 }
            let subjects = receiver.delivered.map { received in
                ((try? JSONSerialization.jsonObject(with: received.body)) as? [String: Any])?["subject"] as? String ?? ""
            }
            XCTAssertEqual(subjects, (0..<4).map { "CASE-ORD-\($0)" })
        }
        await receiver.stop()
    }
}

import Events
import Foundation
import HummingbirdTesting
import TestSupport
import XCTest
@testable import notification

/// A subscription asks for cases from a gravity up (`minimum_gravity`, a name or 1-4); one written with the old
/// `minimum_severity` is still accepted as the gravity of the same number.
final class GravitySubscriptionTests: XCTestCase {
    func testSubscriptionsFilterByTheCasesGravityAndTheOldFieldStillReads() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            for (id, filter) in [("audit-new", ["minimum_gravity": "serious"]), ("audit-old", ["minimum_severity": 3])] as [(String, [String: Any])] {
                _ = try await client.register(id, type: "audit", jurisdiction: "430000")
                let answer = try await client.call("/api/subscriptions", .post, json: ["subscriber_id": id, "filter": filter])
                XCTAssertEqual(answer.status, .created, answer.text)
            }
            let listed = try await client.call("/api/subscriptions").array
            XCTAssertEqual(Set(listed.compactMap { ($0["filter"] as? [String: Any])?["minimum_gravity"] as? Int }), [3], "answers give the number")

            // A fine: gravity general, below both filters.
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-GENERAL")))
            // A suspension of services: gravity serious.
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-SERIOUS", handling: ["recover", "fine", "suspension"])))
            func receivers(_ caseID: String) async throws -> Set<String> {
                Set(try await client.call("/api/deliveries?case_id=\(caseID)").array.compactMap { $0["subscriber_id"] as? String })
            }
            let general = try await receivers("CASE-GENERAL")
            XCTAssertTrue(general.isDisjoint(with: ["audit-new", "audit-old"]), "\(general)")
            let serious = try await receivers("CASE-SERIOUS")
            XCTAssertTrue(serious.isSuperset(of: ["audit-new", "audit-old"]), "\(serious)")
        }
    }
}

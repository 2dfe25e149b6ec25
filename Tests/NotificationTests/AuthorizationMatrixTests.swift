import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import notification

/// Every route of notification's router × every principal: notification administrators change,
/// auditors read, the public feed is open, and feedback takes a receiver's own token (no principal
/// of the matrix holds one).
final class NotificationAuthorizationMatrixTests: XCTestCase {
    static let admin = Principal.operators(.notificationAdministrator), readers = Principal.operators(.notificationAdministrator, .auditor)
    static let expected: [String: Set<Principal>] = AuthorizationMatrix.operational.merging([
        "POST /api/subscribers": admin, "GET /api/subscribers": readers,
        "GET /api/subscribers/{subscriber_id}": readers, "DELETE /api/subscribers/{subscriber_id}": admin,
        "POST /api/subscribers/{subscriber_id}/secrets": admin, "GET /api/subscribers/{subscriber_id}/secrets": readers,
        "DELETE /api/subscribers/{subscriber_id}/secrets/{secret_id}": admin,
        "POST /api/subscriptions": admin, "GET /api/subscriptions": readers, "DELETE /api/subscriptions/{subscription_id}": admin,
        "POST /api/deliveries/{delivery_id}/feedback": [],
        "GET /api/deliveries": readers, "GET /api/deliveries/{delivery_id}": readers, "GET /api/dead-letters": readers,
        "POST /api/dead-letters/{delivery_id}/replay": admin, "POST /api/dead-letters/replay": admin,
        "GET /api/feedback": readers, "GET /api/escalations": readers, "GET /api/unrouted": readers,
        "GET /public/cases": Principal.everyone, "GET /public/cases.atom": Principal.everyone, "GET /public/cases/{case_id}": Principal.everyone,
        "GET /public/inspections": Principal.everyone, "GET /public/audit-heads": Principal.everyone, "GET /public/statistics": Principal.everyone,
    ]) { _, new in new }

    func testEveryRouteAnswersEveryPrincipalAsTheMatrixSays() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            let tokens = PrincipalTokens()
            let problems = try await AuthorizationMatrix.mismatches(harness.assembly.router(), expected: Self.expected) { method, uri, principal in
                try await client.execute(uri: uri, method: method, headers: try await tokens.headers(principal), body: ByteBuffer(string: "{}")) { $0.status }
            }
            XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
        }
    }
}

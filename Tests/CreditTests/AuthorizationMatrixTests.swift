import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import credit

/// Every route of credit's router × every principal: credit officers write, auditors read files
/// and points, lists, region risk, plans and charts are public; no reviewer or institution token
/// opens anything more than the public.
final class CreditAuthorizationMatrixTests: XCTestCase {
    static let officer = Principal.operators(.creditOfficer), readers = Principal.operators(.creditOfficer, .auditor)
    static let expected: [String: Set<Principal>] = AuthorizationMatrix.operational.merging([
        "GET /api/files/{kind}/{id}": readers,
        "POST /api/files/{kind}/{id}/facts": officer,
        "POST /api/files/{kind}/{id}/entries/{entry}/objection": officer,
        "POST /api/files/{kind}/{id}/entries/{entry}/objection/decision": officer,
        "POST /api/files/{kind}/{id}/entries/{entry}/rectification": officer,
        "POST /api/files/{kind}/{id}/entries/{entry}/refunds": officer,
        "POST /api/files/{kind}/{id}/entries/{entry}/repair": officer,
        "POST /api/files/{kind}/{id}/entries/{entry}/repair/decision": officer,
        "GET /api/practitioners/{prac}/points": readers,
        "GET /api/lists/{list}": Principal.everyone,
        "GET /api/regions/risk": Principal.everyone,
        "POST /api/regions/risk": officer,
        "POST /api/inspection-plans": officer,
        "GET /api/inspection-plans/{plan}": Principal.everyone,
        "GET /api/annual-inspection-plans/{year}": Principal.everyone,
        "GET /api/inspection-plans/{plan}/verify": Principal.everyone,
        "POST /api/inspection-plans/{plan}/results": officer,
        "GET /api/charts/grades.svg": Principal.everyone,
        "GET /api/charts/practitioners/{prac}/points.svg": Principal.everyone,
    ]) { _, new in new }

    func testEveryRouteAnswersEveryPrincipalAsTheMatrixSays() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            let tokens = PrincipalTokens()
            let problems = try await AuthorizationMatrix.mismatches(harness.assembly.router(), expected: Self.expected) { method, uri, principal in
                try await client.execute(uri: uri, method: method, headers: try await tokens.headers(principal), body: ByteBuffer(string: "{}")) { $0.status }
            }
            XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
        }
    }
}

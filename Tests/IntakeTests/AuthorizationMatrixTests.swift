import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import intake

/// Every route of intake's router × every principal, answered as the matrix says.
final class IntakeAuthorizationMatrixTests: XCTestCase {
    static let expected: [String: Set<Principal>] = AuthorizationMatrix.operational.merging([
        "POST /api/operators/login": Principal.everyone,
        "PUT /api/operators/{user}": Principal.operators(.platformAdministrator),
        "GET /api/operators": Principal.operators(.platformAdministrator, .auditor),
        "POST /api/his": [.institution],
        "POST /api/his/bulk": [.institution],
        "GET /api/reference": Principal.everyone,
        "PUT /api/reference/{file}": Principal.operators(.referenceDataMaintainer),
        "PUT /api/admin/credentials/{institution}": Principal.operators(.platformAdministrator),
        "POST /api/reports": Principal.everyone,
        "GET /api/reports/{tracking_no}": Principal.everyone,
        "POST /api/admin/reports/{report_id}/reporter/requests": Principal.operators(.platformAdministrator),
        "POST /api/admin/reporter-requests/{request_id}/approval": Principal.operators(.platformAdministrator),
        "POST /api/admin/reporter-requests/{request_id}/reveal": Principal.operators(.platformAdministrator),
    ]) { _, new in new }

    func testEveryRouteAnswersEveryPrincipalAsTheMatrixSays() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let tokens = PrincipalTokens(institutionCredential: secret)
            let problems = try await AuthorizationMatrix.mismatches(try harness.assembly.router(), expected: Self.expected) { method, uri, principal in
                try await client.execute(uri: uri, method: method, headers: try await tokens.headers(principal), body: ByteBuffer(string: "{}")) { $0.status }
            }
            XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
        }
    }
}

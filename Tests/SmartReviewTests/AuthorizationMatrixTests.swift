import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReviewWorkflow
import TestSupport
import XCTest
@testable import smart_review

/// Every route of smart-review's router × every principal: operators' routes by role, the
/// workbench's by post (an operator token opens no workbench route, a reviewer's no operator route),
/// an institution only its own answers, file, problem lists and rectifications.
final class ReviewAuthorizationMatrixTests: XCTestCase {
    static let publisher = Principal.operators(.rulePublisher)
    static let reportReaders = Principal.posts(.firstReviewer, .secondReviewer, .supervisor, .legalReviewer, .auditor)
    static let expected: [String: Set<Principal>] = AuthorizationMatrix.operational.merging([
        "GET /api/rules": Principal.everyone, "PUT /api/rules": publisher,
        "GET /api/coverage": Principal.everyone, "POST /api/coverage/reconcile": Principal.operators(.rulePublisher, .platformAdministrator),
        "POST /api/replay": publisher, "GET /api/statistics": Principal.everyone, "POST /api/statistics/publish": publisher,
        "GET /api/findings/summary": Principal.everyone, "GET /api/reference": Principal.everyone,
        "PUT /api/reference/{file}": Principal.operators(.referenceDataMaintainer),
        "PUT /api/admin/reviewers/{user}": Principal.operators(.platformAdministrator),
        "GET /api/audit/verify": Principal.posts(.auditor, .admin),
        "GET /api/workbench/queue": Principal.posts(.firstReviewer, .secondReviewer),
        "GET /api/workbench/items/{id}": Principal.posts(.firstReviewer, .secondReviewer, .supervisor, .legalReviewer, .institution),
        "POST /api/workbench/items/{id}/claim": Principal.posts(.firstReviewer, .secondReviewer),
        "POST /api/workbench/items/{id}/decision": Principal.posts(.firstReviewer, .secondReviewer),
        "POST /api/workbench/cases": Principal.posts(.supervisor),
        "GET /api/workbench/cases/{id}": Principal.posts(.supervisor, .legalReviewer, .auditor),
        "POST /api/workbench/cases/{id}/departure": Principal.posts(.supervisor),
        "POST /api/workbench/cases/{id}/submit": Principal.posts(.supervisor),
        "POST /api/workbench/cases/{id}/legal-review": Principal.posts(.legalReviewer),
        "POST /api/workbench/cases/{id}/publish": Principal.posts(.supervisor),
        "GET /api/workbench/reports": reportReaders, "GET /api/workbench/reports/{id}": reportReaders,
        "POST /api/workbench/reports/{id}/assign": Principal.posts(.supervisor),
        "POST /api/workbench/reports/{id}/links": Principal.posts(.firstReviewer, .secondReviewer, .supervisor),
        "POST /api/workbench/reports/{id}/decision": Principal.posts(.supervisor),
        "POST /api/workbench/reports/{id}/payment": Principal.posts(.supervisor),
        "POST /api/workbench/items/{id}/answers": Principal.posts(.institution),
        "POST /api/workbench/cases/{id}/answers": Principal.posts(.institution),
        "GET /api/workbench/institutions/{medins}/file": Principal.posts(.supervisor, .auditor, .institution),
        "POST /api/workbench/problem-lists": Principal.posts(.supervisor),
        "GET /api/workbench/problem-lists": Principal.posts(.supervisor, .auditor, .institution),
        "POST /api/workbench/cases/{id}/rectifications": Principal.posts(.supervisor),
        "GET /api/workbench/rectifications": Principal.posts(.supervisor, .auditor, .institution),
        "POST /api/workbench/rectifications/{id}/report": Principal.posts(.institution),
        "POST /api/workbench/rectifications/{id}/review": Principal.posts(.supervisor),
        "POST /api/workbench/samples/machine-passed": Principal.posts(.supervisor, .admin),
        "GET /api/workbench/samples/{id}/replay": Principal.posts(.supervisor, .auditor, .admin),
        "POST /api/workbench/cases/{id}/parties": Principal.posts(.supervisor),
        "POST /api/workbench/cases/{id}/circumstances": Principal.posts(.supervisor),
        "GET /api/workbench/dashboard": reportReaders,
        "GET /api/penalty-policy": Principal.everyone, "PUT /api/penalty-policy": publisher,
    ]) { _, new in new }

    func testEveryRouteAnswersEveryPrincipalAsTheMatrixSays() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let tokens = PrincipalTokens(workbenchSecret: workbenchSecret)
            let problems = try await AuthorizationMatrix.mismatches(harness.assembly.router(), expected: Self.expected) { method, uri, principal in
                try await client.execute(uri: uri, method: method, headers: try await tokens.headers(principal), body: ByteBuffer(string: "{}")) { $0.status }
            }
            XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
        }
    }

    /// Another institution's clerk sees none of H43010000001's items, cases, file, problems or
    /// rectifications; the statistics are the public disclosure (信息披露), the same for anyone.
    func testAnInstitutionReadsNothingOfAnotherBeyondWhatIsPublic() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1, prefix: "MD-MX")
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer))
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [item], "kind": "duplicateCharging"]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            _ = try await zhao.expect(.created, .post, "/api/workbench/cases/\(caseID)/rectifications", ["responsible": "张副院长"])
            let own = Desk.clerk(client, "xy-clerk", medins: "H43010000001"), other = Desk.clerk(client, "cs1-clerk", medins: "H43010000002")
            _ = try await own.expect(.ok, .get, "/api/workbench/items/\(item)")
            _ = try await own.expect(.ok, .get, "/api/workbench/institutions/H43010000001/file")
            for uri in ["/api/workbench/items/\(item)", "/api/workbench/institutions/H43010000001/file", "/api/workbench/cases/\(caseID)"] {
                let answer = try await other.call(.get, uri)
                XCTAssertTrue([.forbidden, .notFound].contains(answer.status), "\(uri) answered \(answer.status) to another institution")
            }
            let rectifications = try await other.call(.get, "/api/workbench/rectifications?medins_id=H43010000001")
            XCTAssertFalse(String(describing: rectifications.json ?? "").contains("H43010000001"), "another institution's rectifications")
            let lists = try await other.call(.get, "/api/workbench/problem-lists")
            XCTAssertFalse(String(describing: lists.json ?? "").contains("H43010000001"), "another institution's problems")
            let statistics = try await other.call(.get, "/api/statistics?period=2026-09")
            let anonymous = try await client.execute(uri: "/api/statistics?period=2026-09", method: .get) { String(buffer: $0.body) }
            XCTAssertEqual(String(describing: statistics.json ?? ""), String(describing: (try? JSONSerialization.jsonObject(with: Data(anonymous.utf8))) ?? ""),
                           "an institution sees the statistics anyone sees")
        }
    }
}

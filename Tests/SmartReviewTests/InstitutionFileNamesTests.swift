import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import smart_review

/// 一院一档 as the institution reads it: what was found and decided, never which official did it.
final class InstitutionFileNamesTests: XCTestCase {
    func testTheInstitutionsOwnFileNamesNoOfficialWhileTheBureausDoes() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1, prefix: "MD-NM")
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "reviewer-li-7", role: .firstReviewer),
                                       second: Desk(client: client, user: "reviewer-wang-7", role: .secondReviewer))
            let zhao = Desk(client: client, user: "supervisor-zhao-7", role: .supervisor)
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [item], "kind": "fabricatedServices"]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit")
            try await Desk(client: client, user: "legal-qian-7", role: .legalReviewer)
                .expect(.ok, .post, "/api/workbench/cases/\(caseID)/legal-review", ["approved": true, "opinion": "同意"])
            try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/publish")
            try await zhao.expect(.created, .post, "/api/workbench/cases/\(caseID)/rectifications", ["responsible": "张副院长"])
            let names = ["reviewer-li-7", "reviewer-wang-7", "supervisor-zhao-7", "legal-qian-7"]

            let own = try await Desk.clerk(client, "xy-clerk", medins: Fixture.institution).expect(.ok, .get, "/api/workbench/institutions/\(Fixture.institution)/file")
            let ownText = String(decoding: try JSONSerialization.data(withJSONObject: try XCTUnwrap(own)), as: UTF8.self)
            for name in names { XCTAssertFalse(ownText.contains(name), "the institution's own file names \(name)") }
            XCTAssertTrue(ownText.contains("张副院长"), "the institution's own responsible person stays")
            XCTAssertTrue(ownText.contains("legallyApproved") || ownText.contains("published"), "the case's course stays, without names")

            let bureau = try await zhao.expect(.ok, .get, "/api/workbench/institutions/\(Fixture.institution)/file")
            let bureauText = String(decoding: try JSONSerialization.data(withJSONObject: try XCTUnwrap(bureau)), as: UTF8.self)
            for name in names { XCTAssertTrue(bureauText.contains(name), "the bureau's view keeps \(name)") }
        }
    }
}

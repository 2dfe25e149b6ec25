import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReviewWorkflow
import TestSupport
import XCTest
@testable import smart_review

/// Policy as data: the penalty policy is versioned, loaded at start-up, replaced by the operator, and each
/// case records the version it used; "first violation" comes from the institution's history.
final class PenaltyPolicyFlowTests: XCTestCase {
    func testAPublishedPolicyIsUsedRecordedAndLoadedAgainAtStartUp() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.assembly.penaltyPolicies.load()
            let current = try await client.operatorCall(.get, "/api/penalty-policy")
            XCTAssertEqual(current.json?["version"] as? Int, 1, "the defaults are stored as version 1 on first start")
            var strict = PenaltyPolicy(version: 2)
            strict.majorDecisions.institutionFineThreshold = 1_000
            let body = try JSONSerialization.jsonObject(with: JSONEncoder.snake.encode(strict))
            let published = try await client.operatorCall(.put, "/api/penalty-policy", body)
            XCTAssertEqual(published.status, .ok)
            let again = try await client.operatorCall(.put, "/api/penalty-policy", body)
            XCTAssertEqual(again.status, .conflict, "a version is published once")
            var broken = strict
            broken.version = 3
            broken.discretion.repeatStep = 2
            let refused = try await client.operatorCall(.put, "/api/penalty-policy", try JSONSerialization.jsonObject(with: JSONEncoder.snake.encode(broken)))
            XCTAssertEqual(refused.status, .unprocessableContent)
            XCTAssertTrue(refused.text.contains("discretion.repeat_step"), refused.text)

            try await harness.flagClaims(1, prefix: "MD-PP")
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer), amount: 1_000)
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let opened = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [item], "kind": "duplicateCharging"]) as? [String: Any]
            XCTAssertEqual(opened?["policy_version"] as? Int, 2)
            XCTAssertEqual((opened?["proposal"] as? [String: Any])?["is_major"] as? Bool, true, "a 1,500 yuan fine is major under version 2's threshold")
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            let submitted = try await zhao.expect(.ok, .post, "/api/workbench/cases/\(caseID)/submit") as? [String: Any]
            XCTAssertEqual((submitted?["decision"] as? [String: Any])?["state"] as? String, "awaitingLegalReview")

            let restarted = PenaltyPolicyBase(database: harness.database, current: CurrentPenaltyPolicy())
            try await restarted.load()
            XCTAssertEqual(restarted.current.value, strict, "the newest stored version is installed at start-up")
        }
    }

    func testFirstViolationIsReadFromTheInstitutionsHistory() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(2, prefix: "MD-FV")
            let items = try await harness.itemIDs()
            for item in items {
                try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                           second: Desk(client: client, user: "wang", role: .secondReviewer))
            }
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            let first = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [items[0]], "kind": "duplicateCharging"]) as? [String: Any]
            XCTAssertEqual((first?["violation"] as? [String: Any])?["is_first_violation"] as? Bool, true)
            try await publish(try XCTUnwrap(first?["case_id"] as? String), client: client)
            let second = try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [items[1]], "kind": "duplicateCharging",
                                                                                        "is_first_violation": true]) as? [String: Any]
            XCTAssertEqual((second?["violation"] as? [String: Any])?["is_first_violation"] as? Bool, false,
                           "a published case before makes it a repeat, whatever the form says")
        }
    }

    /// The lenient list is the policy's: version 2 lists no conduct for 首违不罚, so a first, minor, corrected
    /// violation is fined, and the case records that it was decided under version 2.
    func testTheLenientListIsTheVersionedPolicys() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.assembly.penaltyPolicies.load()
            let strict = PenaltyPolicy(version: 2, lenientList: LenientList(noPenalty: [], lighter: LenientList.standard.lighter))
            let published = try await client.operatorCall(.put, "/api/penalty-policy", try JSONSerialization.jsonObject(with: JSONEncoder.snake.encode(strict)))
            XCTAssertEqual(published.status, .ok, published.text)
            let shown = try await client.operatorCall(.get, "/api/penalty-policy")
            XCTAssertEqual(((shown.json?["lenient_list"] as? [String: Any])?["no_penalty"] as? [Any])?.count, 0, shown.text)
            try await harness.flagClaims(1, prefix: "MD-LL")
            let item = try await harness.firstItem()
            try await decideBothLevels(item, first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer), amount: 1_000)
            let opened = try await Desk(client: client, user: "zhao", role: .supervisor).expect(.created, .post, "/api/workbench/cases",
                ["item_ids": [item], "kind": "duplicateCharging", "seriousness": "minor", "corrected_promptly": true]) as? [String: Any]
            let proposal = opened?["proposal"] as? [String: Any]
            XCTAssertNil(proposal?["lenient_measure"], "no 首违不罚 under version 2")
            XCTAssertGreaterThan(proposal?["fine_amount"] as? Double ?? 0, 0)
            XCTAssertEqual(opened?["policy_version"] as? Int, 2)
        }
    }
}

extension JSONEncoder {
    static var snake: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}

extension TestClientProtocol {
    /// Calls the API with the tests' operator token (every role); the status, the JSON object answered (if any) and the text.
    func operatorCall(_ method: HTTPRequest.Method, _ uri: String, _ body: Any? = nil) async throws
        -> (status: HTTPResponse.Status, json: [String: Any]?, text: String) {
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        return try await execute(uri: uri, method: method, headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"], body: buffer) { response in
            let text = String(buffer: response.body)
            return (response.status, try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
        }
    }
}

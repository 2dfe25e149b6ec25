import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OperatorAccess
import TestSupport
import XCTest
@testable import intake

/// The operators' directory at intake: the bootstrap administrator, accounts per person, login,
/// lockout, and the chain entries naming who did it.
final class OperatorDirectoryTests: XCTestCase {
    static let bootstrap = ["OPERATOR_BOOTSTRAP_USER": "admin", "OPERATOR_BOOTSTRAP_PASSWORD": "admin-first-password"]

    func testTheBootstrapAdministratorCreatesPersonsWhoseTokensCarryTheirRoles() async throws {
        let harness = try IntakeHarness(extra: Self.bootstrap)
        try await harness.run { client, _ in
            let wrong = try await client.login("admin", "not-the-password")
            XCTAssertEqual(wrong.status, .unauthorized)
            let admin = try await client.login("admin", "admin-first-password")
            XCTAssertEqual(admin.status, .ok, admin.text)
            let adminToken = try XCTUnwrap(admin.token)
            let created = try await client.send(.put, "/api/operators/wang", token: adminToken,
                                                json: #"{"roles":["rule_publisher","auditor"],"password":"wang-password-1"}"#)
            XCTAssertEqual(created.status, .ok, created.text)
            let wang = try await client.login("wang", "wang-password-1")
            let wangToken = try XCTUnwrap(wang.token)
            let person = try await OperatorTokens(secret: TestEnvironment.operatorSecret).verify(wangToken)
            XCTAssertEqual(person, OperatorIdentity(user: "wang", roles: [.rulePublisher, .auditor]))
            let refused = try await client.send(.put, "/api/operators/li", token: wangToken, json: #"{"roles":["auditor"],"password":"li-password-12"}"#)
            XCTAssertEqual(refused.status, .forbidden, "a rule publisher creates no accounts")
            let again = try await client.login("admin", "admin-first-password")
            XCTAssertEqual(again.status, .ok, "the stored administrator logs in as before")
            let entries = try await harness.count("audit_log", where: "action = 'operator.account.set'")
            let byAdmin = try await harness.count("audit_log", where: "action = 'operator.account.set' AND actor = 'admin' AND subject = 'operator:wang'")
            XCTAssertEqual([entries, byAdmin], [2, 1], "the bootstrap and wang's account, each in the chain with who did it")
        }
    }

    func testRepeatedFailuresLockTheNameAndTheLockIsAudited() async throws {
        let harness = try IntakeHarness(extra: Self.bootstrap)
        try await harness.run { client, _ in
            for _ in 1...5 {
                let failed = try await client.login("admin", "guess-password")
                XCTAssertEqual(failed.status, .unauthorized)
            }
            let locked = try await client.login("admin", "admin-first-password")
            XCTAssertEqual(locked.status, .tooManyRequests)
            let audited = try await harness.count("audit_log", where: "action = 'operator.locked' AND actor = 'admin'")
            XCTAssertEqual(audited, 1)
        }
    }
}

private extension TestClientProtocol {
    func login(_ user: String, _ password: String) async throws -> (status: HTTPResponse.Status, text: String, token: String?) {
        let answer = try await send(.post, "/api/operators/login", token: nil,
                                    json: String(decoding: try JSONEncoder().encode(["user": user, "password": password]), as: UTF8.self))
        let token = (try? JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [String: Any])?["token"] as? String
        return (answer.status, answer.text, token)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: String) async throws -> (status: HTTPResponse.Status, text: String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: json)) { ($0.status, String(buffer: $0.body)) }
    }
}

import Foundation
import OperatorAccess
import ReviewWorkflow
import TestSupport
import XCTest

final class OperatorTokenTests: XCTestCase {
    let tokens = OperatorTokens(secret: "a-secret-of-the-four-services-32b+", lifetime: 900)

    func testATokenNamesItsPersonAndRolesUntilItExpires() async throws {
        let now = Date()
        let (token, expires) = try await tokens.mint(OperatorIdentity(user: "wang", roles: [.rulePublisher, .auditor]), now: now)
        XCTAssertEqual(expires.timeIntervalSince(now), 900, accuracy: 1)
        let person = try await tokens.verify(token, now: now.addingTimeInterval(899))
        XCTAssertEqual(person, OperatorIdentity(user: "wang", roles: [.rulePublisher, .auditor]))
        await assertRefused(token, now: now.addingTimeInterval(901), because: "expired")
    }

    func testAnotherSecretAForgeryOrAWorkbenchTokenIsRefused() async throws {
        let (token, _) = try await tokens.mint(OperatorIdentity(user: "wang", roles: [.platformAdministrator]))
        let other = OperatorTokens(secret: "another-secret-entirely-of-32-bytes")
        do {
            _ = try await other.verify(token)
            XCTFail("a token of another secret passed")
        } catch is OperatorTokens.Invalid {}
        let parts = token.split(separator: ".")
        let forged = "\(parts[0]).\(Data(#"{"sub":"x","roles":["platform_administrator"],"iat":0,"exp":4102444800,"kind":"operator"}"#.utf8).base64EncodedString()).\(parts[2])"
        await assertRefused(forged, because: "a payload not signed")
        let workbench = try await WorkbenchToken.mint(user: "wang", role: .admin, admdvs: "430000", secret: "a-secret-of-the-four-services-32b+")
        await assertRefused(workbench, because: "a workbench token is no operator token")
    }

    func testTheTestsFixedTokenIsAValidTokenOfEveryRole() async throws {
        let person = try await OperatorTokens(secret: TestEnvironment.operatorSecret).verify(TestEnvironment.operatorToken)
        XCTAssertEqual(person, OperatorIdentity(user: "test-operator", roles: Set(OperatorRole.allCases)))
    }

    func testSecretsCompareByContentOnly() {
        XCTAssertTrue(constantTimeEqual("abc123", "abc123"))
        XCTAssertFalse(constantTimeEqual("abc123", "abc124"))
        XCTAssertFalse(constantTimeEqual("abc123", "abc1234"))
        XCTAssertFalse(constantTimeEqual("", "a"))
    }

    private func assertRefused(_ token: String, now: Date = Date(), because reason: String, line: UInt = #line) async {
        do {
            _ = try await tokens.verify(token, now: now)
            XCTFail("accepted: \(reason)", line: line)
        } catch {
            XCTAssertTrue(error is OperatorTokens.Invalid, "\(error)", line: line)
        }
    }
}

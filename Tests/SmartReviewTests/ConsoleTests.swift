import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReviewWorkflow
import TestSupport
import XCTest
@testable import smart_review

/// The console through its router: accounts, login, CSRF, and refusals of the wrong post or region.
final class ConsoleTests: XCTestCase {
    func testLoginFailuresAreRefusedAndRecordedAndPasswordsAreSaltedSlowHashes() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await client.account("li", role: "first_reviewer", password: "li-secret-1")
            try await client.account("wu", role: "first_reviewer", password: "li-secret-1")
            let unauthorised = try await client.execute(uri: "/api/admin/reviewers/x", method: .put, headers: [:],
                                                        body: ByteBuffer(string: #"{"role":"auditor","admdvs":"430100","password":"12345678"}"#))
            XCTAssertEqual(unauthorised.status, .unauthorized)
            let badRole = try await client.execute(uri: "/api/admin/reviewers/x", method: .put, headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"],
                                                   body: ByteBuffer(string: #"{"role":"boss","admdvs":"430100","password":"12345678"}"#))
            XCTAssertEqual(badRole.status, .unprocessableContent)
            XCTAssertTrue(String(buffer: badRole.body).contains("role"), "the refusal names the field")

            let wrong = try await client.login("li", "not-the-password")
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertNil(wrong.cookie, "a failed login sets no session")
            let unknown = try await client.login("nobody", "whatever1")
            XCTAssertEqual(unknown.status, .unauthorized)
            let failed = try await harness.count("audit_log", where: "action = 'login.failed'")
            XCTAssertEqual(failed, 2)

            let good = try await client.login("li", "li-secret-1")
            XCTAssertEqual(good.status, .seeOther)
            let cookie = try XCTUnwrap(good.setCookie)
            XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
            let plaintext = try await harness.count("reviewer_accounts", where: "password_hash LIKE '%li-secret%' OR salt LIKE '%li-secret%'")
            XCTAssertEqual(plaintext, 0)
            let slowHashes = try await harness.count("reviewer_accounts", where: "rounds >= 210000")
            XCTAssertEqual(slowHashes, 2)
            let li = "(SELECT %@ FROM \(harness.schema).reviewer_accounts WHERE user_id = 'li')"
            let differing = try await harness.count("reviewer_accounts", where: "user_id = 'wu' AND salt <> \(li.replacingOccurrences(of: "%@", with: "salt"))"
                                                    + " AND password_hash <> \(li.replacingOccurrences(of: "%@", with: "password_hash"))")
            XCTAssertEqual(differing, 1, "the same password gives two different salts and hashes")
        }
    }

    func testAFormWithoutTheSessionsCSRFTokenIsRefusedAndOutputIsEscaped() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1)
            let item = try await harness.firstItem()
            try await client.account("li", role: "first_reviewer", password: "li-secret-1")
            let li = try await client.session("li", "li-secret-1")
            let forged = try await client.post("/console/items/\(item)/claim", form: "csrf=forged", cookie: li.cookie)
            XCTAssertEqual(forged.status, .forbidden)
            let missing = try await client.post("/console/items/\(item)/claim", form: "", cookie: li.cookie)
            XCTAssertEqual(missing.status, .forbidden)
            let leased = try await harness.count("review_items", where: "lease_holder IS NOT NULL")
            XCTAssertEqual(leased, 0, "a refused form changes nothing")
            let csrfRefusals = try await harness.count("audit_log", where: "action = 'refused' AND details->>'reason' LIKE '%CSRF%'")
            XCTAssertEqual(csrfRefusals, 2)

            let claimed = try await client.post("/console/items/\(item)/claim", form: "csrf=\(li.csrf)", cookie: li.cookie)
            XCTAssertEqual(claimed.status, .seeOther)
            let reason = "<script>alert(1)</script>"
            let decided = try await client.post("/console/items/\(item)/decision", cookie: li.cookie,
                                                form: "csrf=\(li.csrf)&decision=not_violation&reason=\(reason.formEncoded)")
            XCTAssertEqual(decided.status, .seeOther)
            let page = try await client.page("/console/items/\(item)", cookie: li.cookie)
            XCTAssertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the reason is shown escaped")
            XCTAssertFalse(page.contains(reason))
            XCTAssertTrue(page.contains(Fixture.consult) && page.contains("2026-11-20 09:05:00"), "the claim's fee lines are shown")
            XCTAssertTrue(page.contains("P04"), "the finding is shown with its pattern")
            XCTAssertTrue(page.contains("<tr class=\"evidence\">") && page.contains("<mark>P04</mark>"), "the evidence line is marked in the claim's lines")
            XCTAssertTrue(page.contains("not_violation"), "the decision so far is shown")
            XCTAssertTrue(page.contains(">不属于违规<") && page.contains(">初审<"), "the decision and its level read in Chinese")
            XCTAssertTrue(page.contains("data-state=\"second_pending\">待复审<"), "the state reads in Chinese, its code kept in data-state")
            XCTAssertTrue(page.contains(">明确违规<"), "so does the severity")
            let decisions = try await harness.count("audit_log", where: "action = 'item.decided' AND actor = 'li'")
            XCTAssertEqual(decisions, 1)
        }
    }

    func testAnInstitutionAccountAndAReviewerOfAnotherRegionAreRefused() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(1)
            let item = try await harness.firstItem()
            let noSession = try await client.execute(uri: "/console/queue", method: .get, headers: [:], body: nil)
            XCTAssertEqual(noSession.status, .seeOther)
            XCTAssertEqual(noSession.headers[.location], "/console/login")

            try await client.account("h1", role: "institution", password: "hospital-1", medins: "H43010000001")
            let hospital = try await client.session("h1", "hospital-1")
            for page in ["/console/queue", "/console/cases", "/console/items/\(item)", "/console/legal"] {
                let answer = try await client.execute(uri: page, method: .get, headers: [.cookie: hospital.cookie], body: nil)
                XCTAssertEqual(answer.status, .forbidden, page)
            }
            try await client.account("gz", role: "first_reviewer", password: "guangzhou-1", admdvs: "440100")
            let other = try await client.session("gz", "guangzhou-1")
            let foreign = try await client.execute(uri: "/console/items/\(item)", method: .get, headers: [.cookie: other.cookie], body: nil)
            XCTAssertEqual(foreign.status, .forbidden)
            XCTAssertTrue(String(buffer: foreign.body).contains("outside"), "the page says why")
            let queue = try await client.page("/console/queue", cookie: other.cookie)
            XCTAssertTrue(queue.contains("id=\"empty\""), "another region's queue does not list the item")
            let refusals = try await harness.count("audit_log", where: "action = 'refused' AND actor IN ('h1', 'gz')")
            XCTAssertEqual(refusals, 5)

            try await client.account("zhao", role: "supervisor", password: "supervisor-1")
            let zhao = try await client.session("zhao", "supervisor-1")
            let file = try await client.page("/console/institutions/\(Fixture.institution)", cookie: zhao.cookie)
            XCTAssertTrue(file.contains("/console/items/\(item)"), "the institution file lists the item")
        }
    }
}

/// A signed-in console user in tests: the session cookie and the CSRF token of its forms.
struct ConsoleLogin {
    let cookie: String
    let csrf: String

    func testRepeatedFailedLoginsLockTheNameAndTheLockIsRecorded() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await client.account("li", role: "first_reviewer", password: "li-secret-1")
            try await client.account("wu", role: "first_reviewer", password: "wu-secret-1")
            for _ in 1...5 {
                let failed = try await client.login("li", "not-the-password")
                XCTAssertEqual(failed.status, .unauthorized)
            }
            let locked = try await client.login("li", "li-secret-1")
            XCTAssertEqual(locked.status, .tooManyRequests, "the right password does not open a locked name")
            XCTAssertNil(locked.cookie)
            let other = try await client.login("wu", "wu-secret-1")
            XCTAssertEqual(other.status, .seeOther, "another name is not locked")
            let recorded = try await harness.count("audit_log", where: "action IN ('login.locked', 'login.refused') AND actor = 'li'")
            XCTAssertEqual(recorded, 2, "the lock and the refused login are in the audit chain")
        }
    }

    func testTheSessionCookieIsSecureUnlessConfiguredOff() async throws {
        let harness = try ReviewHarness(extra: ["REVIEW_CONSOLE_SECURE_COOKIE": "true"])
        try await harness.run { client in
            try await client.account("li", role: "first_reviewer", password: "li-secret-1")
            let login = try await client.login("li", "li-secret-1")
            let cookie = try XCTUnwrap(login.setCookie)
            XCTAssertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly"), cookie)
        }
        let plain = try ReviewHarness()
        try await plain.run { client in
            try await client.account("li", role: "first_reviewer", password: "li-secret-1")
            let login = try await client.login("li", "li-secret-1")
            let cookie = try XCTUnwrap(login.setCookie)
            XCTAssertFalse(cookie.contains("Secure"), cookie)
        }
    }
}

extension TestClientProtocol {
    /// Creates a console account through the operator's endpoint.
    func account(_ user: String, role: String, password: String, admdvs: String = "430100", medins: String? = nil) async throws {
        var body: [String: String] = ["role": role, "admdvs": admdvs, "password": password]
        body["medins"] = medins
        let answer = try await execute(uri: "/api/admin/reviewers/\(user)", method: .put, headers: [.authorization: "Bearer \(TestEnvironment.operatorToken)"],
                                       body: ByteBuffer(data: try JSONEncoder().encode(body)))
        XCTAssertEqual(answer.status, .ok, String(buffer: answer.body))
    }

    func login(_ user: String, _ password: String) async throws -> (status: HTTPResponse.Status, setCookie: String?, cookie: String?) {
        let answer = try await post("/console/login", form: "user=\(user.formEncoded)&password=\(password.formEncoded)", cookie: nil)
        let setCookie = answer.headers[.setCookie]
        return (answer.status, setCookie, setCookie.map { String($0.prefix { $0 != ";" }) })
    }

    /// Logs in and reads the CSRF token from the page the login leads to.
    func session(_ user: String, _ password: String) async throws -> ConsoleLogin {
        let answer = try await login(user, password)
        let cookie = try XCTUnwrap(answer.cookie, "\(user) could not log in")
        // The login page shows who is signed in (with the logout form) and checks no post, so reading it records nothing.
        let home = try await execute(uri: "/console/login", method: .get, headers: [.cookie: cookie], body: nil) { String(buffer: $0.body) }
        let csrf = home.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix { $0 != "\"" }
        return ConsoleLogin(cookie: cookie, csrf: String(csrf ?? ""))
    }

    func post(_ uri: String, form: String, cookie: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    func post(_ uri: String, cookie: String?, form: String) async throws -> TestResponse { try await post(uri, form: form, cookie: cookie) }

    /// A page's HTML, asserting it answered 200.
    func page(_ uri: String, cookie: String) async throws -> String {
        let answer = try await execute(uri: uri, method: .get, headers: [.cookie: cookie], body: nil)
        XCTAssertEqual(answer.status, .ok, "\(uri): \(String(buffer: answer.body))")
        return String(buffer: answer.body)
    }
}

extension String {
    var formEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}
